/**
 * The languages of the back office, the partner portal and the mails: English and Finnish. A user
 * who has not chosen has no stored locale; the UI then follows the browser, and mails go in English.
 * No zod here: the admin UI's first load imports this.
 */
export const LOCALES = ['en', 'fi'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', fi: 'Suomi' };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** The stored choice, or English when there is none (mails, server texts). */
export function localeOr(value: unknown, fallback: Locale = DEFAULT_LOCALE): Locale {
  return isLocale(value) ? value : fallback;
}

/** The browser's first language that we speak: fi, fi-FI, fi-x-… → fi; anything else → en. */
export function localeFromLanguages(languages: readonly string[] | undefined): Locale {
  for (const tag of languages ?? []) {
    const primary = tag.toLowerCase().split(/[-_]/)[0];
    if (isLocale(primary)) return primary;
  }
  return DEFAULT_LOCALE;
}
