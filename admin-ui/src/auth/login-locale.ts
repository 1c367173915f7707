import { isLocale, localeFromLanguages, type Locale } from '../../../domain/locale.ts';

/*
 * The first login form's language (QuickLogin.tsx), before react-admin's store and i18nProvider
 * have loaded. Its words are i18n/login.ts, the same ones the app's messages use.
 */

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
