import type { Locale } from '../../../domain/locale.ts';

/**
 * The words of the login form and the app's name, in every language of the UI, defined once. The
 * first login form (auth/QuickLogin.tsx) shows them before the app and its message catalogues have
 * loaded, so they live in this small module of their own; en.ts and fi.ts take them as their
 * `ld.app` and `ld.login` sections, which the app's own login page (auth/LoginPage.tsx) reads
 * through react-admin's translate.
 */
export const appEn = {
  name: 'License Desk',
  loading: 'Loading',
  language: 'Language',
};

export type AppWords = typeof appEn;

export const appFi: AppWords = {
  name: 'License Desk',
  loading: 'Ladataan',
  language: 'Kieli',
};

export const APP_WORDS: Record<Locale, AppWords> = { en: appEn, fi: appFi };

export const loginEn = {
  title: 'Log in',
  subtitle: 'Partners and license desk staff log in with their e-mail address.',
  email: 'E-mail address',
  password: 'Password',
  submit: 'Log in',
  forgot: 'Forgot your password?',
  failed: 'Login failed. Please try again.',
  unreachable: 'The server cannot be reached. Check your connection and try again.',
};

export type LoginWords = typeof loginEn;

export const loginFi: LoginWords = {
  title: 'Kirjaudu sisään',
  subtitle: 'Kumppanit ja lisenssipalvelun henkilöstö kirjautuvat sähköpostiosoitteellaan.',
  email: 'Sähköpostiosoite',
  password: 'Salasana',
  submit: 'Kirjaudu',
  forgot: 'Unohditko salasanasi?',
  failed: 'Kirjautuminen epäonnistui. Yritä uudelleen.',
  unreachable: 'Palvelimeen ei saada yhteyttä. Tarkista yhteys ja yritä uudelleen.',
};

export const LOGIN_WORDS: Record<Locale, LoginWords> = { en: loginEn, fi: loginFi };
