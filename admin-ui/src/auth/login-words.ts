import { isLocale, localeFromLanguages, type Locale } from '../../../domain/locale.ts';

/**
 * The words of the first login form (QuickLogin.tsx), which shows before the app and its message
 * catalogues load: a tiny subset, in the same languages. Keep them the same as the login page's.
 */
export const LOGIN_WORDS = {
  en: {
    app: 'License Desk',
    title: 'Log in',
    subtitle: 'Partners and license desk staff log in with their e-mail address.',
    email: 'E-mail address',
    password: 'Password',
    submit: 'Log in',
    forgot: 'Forgot your password?',
    failed: 'Login failed. Please try again.',
    unreachable: 'The server cannot be reached. Check your connection and try again.',
    loading: 'Loading',
  },
  fi: {
    app: 'License Desk',
    title: 'Kirjaudu sisään',
    subtitle: 'Kumppanit ja lisenssipalvelun henkilöstö kirjautuvat sähköpostiosoitteellaan.',
    email: 'Sähköpostiosoite',
    password: 'Salasana',
    submit: 'Kirjaudu',
    forgot: 'Unohditko salasanasi?',
    failed: 'Kirjautuminen epäonnistui. Yritä uudelleen.',
    unreachable: 'Palvelimeen ei saada yhteyttä. Tarkista yhteys ja yritä uudelleen.',
    loading: 'Ladataan',
  },
} satisfies Record<Locale, Record<string, string>>;

export type LoginWords = (typeof LOGIN_WORDS)['en'];

/** react-admin's store key for the language (localStorageStore: `RaStore.<key>`, JSON). */
const LOCALE_KEY = 'RaStore.locale';

/** The language the app will start in (i18n/index.ts startLocale): the one chosen here, else the browser's. */
export function loginLocale(): Locale {
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(LOCALE_KEY) ?? 'null');
    if (isLocale(stored)) return stored;
  } catch {
    // Unreadable storage: follow the browser.
  }
  return localeFromLanguages(navigator.languages?.length ? navigator.languages : [navigator.language]);
}

/** The user's stored language, from the login's answer, for the app to start in (as authProvider's loadMe would set it). */
export function keepUserLocale(locale: unknown) {
  if (!isLocale(locale)) return;
  try {
    localStorage.setItem(LOCALE_KEY, JSON.stringify(locale));
  } catch {
    // No storage: the app follows the user's choice once it reads /api/auth/me.
  }
}
