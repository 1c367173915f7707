import polyglotI18nProvider from 'ra-i18n-polyglot';
import { localStorageStore, type I18nProvider, type Store, type TranslationMessages } from 'react-admin';
import { LOCALE_NAMES, LOCALES, isLocale, localeFromLanguages, type Locale } from '../../../domain/locale.ts';
import { setFormatLocale } from '../common/formats.ts';
import { en } from './en.ts';

/**
 * English is in the first load; Finnish loads when chosen (its own chunk). The chosen language is
 * react-admin's store key `locale`, which LocalesMenuButton in the app bar sets: see startLocale,
 * followUserLocale and storeLocaleChoices below for how it follows the user's stored choice and the
 * browser's language.
 */
function messagesOf(locale: string): TranslationMessages | Promise<TranslationMessages> {
  if (locale === 'fi') return import('./fi.ts').then((m) => m.fi as unknown as TranslationMessages);
  return en as unknown as TranslationMessages;
}

/**
 * Follows the chosen language outside React: the number and date formats (formats.ts) and <html lang>
 * (screen readers' pronunciation, the browser's spell check and hyphenation). The date pickers do
 * not read <html lang>: they take react-admin's locale (reports/DayField.tsx, DayPickersInLanguage).
 */
function applyLocale(locale: string) {
  setFormatLocale(locale);
  document.documentElement.lang = locale;
}

const polyglot = polyglotI18nProvider(
  messagesOf,
  'en',
  LOCALES.map((locale) => ({ locale, name: LOCALE_NAMES[locale] })),
  // A key with no message shows its English words rather than the key (should a message be missing at run time).
  { allowMissing: true, onMissingKey: (key: string) => fallback(key) },
);

function fallback(key: string): string {
  const value = key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], en);
  return typeof value === 'string' ? value : key;
}

export const i18nProvider: I18nProvider = {
  ...polyglot,
  changeLocale: (locale: string) => polyglot.changeLocale(locale).then(() => applyLocale(locale)),
};

/**
 * react-admin's store, except that logging out keeps the language: the login page after a logout
 * stays in the language the person was using.
 */
const base = localStorageStore();
export const store: Store = {
  ...base,
  reset() {
    const locale = base.getItem('locale');
    base.reset();
    if (locale) base.setItem('locale', locale);
  },
};

/** The language to start in: the one chosen in this browser, else the browser's own (fi* → fi, else en). */
export function startLocale(): Locale {
  const stored = base.getItem<string>('locale');
  if (isLocale(stored)) return stored;
  const locale = localeFromLanguages(navigator.languages?.length ? navigator.languages : [navigator.language]);
  base.setItem('locale', locale);
  return locale;
}

applyLocale('en');

let userLocale: string | null | undefined;
let userKnown = false;

/**
 * The logged-in user's stored choice wins over this browser's (called whenever /api/auth/me is
 * read: after login and on each load). A user who has not chosen keeps the browser's language.
 */
export function followUserLocale(locale: string | null | undefined) {
  userLocale = locale;
  userKnown = true;
  if (isLocale(locale) && base.getItem('locale') !== locale) base.setItem('locale', locale);
}

export function forgetUserLocale() {
  userKnown = false;
  userLocale = undefined;
}

/** A language picked in the app bar is stored on the user (PUT /api/auth/me/locale), so it follows them. */
export function storeLocaleChoices(save: (locale: Locale) => Promise<unknown>) {
  return base.subscribe('locale', (value: unknown) => {
    if (!userKnown || !isLocale(value) || value === userLocale) return;
    userLocale = value;
    save(value).catch(() => undefined);
  });
}

startLocale();
