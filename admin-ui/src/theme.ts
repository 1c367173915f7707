import { defaultLightTheme, type RaThemeOptions } from 'react-admin';
import { deepmerge } from '@mui/utils';
import { isLocale } from '../../domain/locale.ts';
import { APP_WORDS } from './i18n/login.ts';

/**
 * One calm, professional look for desk and partners: a dark navy bar, white cards on a light
 * grey page, and colours dark enough for WCAG AA contrast on text and chips.
 */
export const BRAND = { navy: '#17324d', teal: '#0b6e69', page: '#f4f6f9' };

export const theme: RaThemeOptions = deepmerge(defaultLightTheme, {
  palette: {
    mode: 'light',
    primary: { main: '#1d4f7c', dark: BRAND.navy, contrastText: '#ffffff' },
    secondary: { main: BRAND.navy, contrastText: '#ffffff' },
    success: { main: '#1e6b34', contrastText: '#ffffff' },
    warning: { main: '#8a5300', contrastText: '#ffffff' },
    error: { main: '#b3261e', contrastText: '#ffffff' },
    info: { main: '#0b5c8f', contrastText: '#ffffff' },
    background: { default: BRAND.page, paper: '#ffffff' },
    text: { primary: '#1a2330', secondary: '#4a5565' },
  },
  shape: { borderRadius: 8 },
  typography: {
    fontFamily: 'Inter, "Segoe UI", Roboto, Helvetica, Arial, sans-serif',
    h5: { fontWeight: 600 },
    h6: { fontWeight: 600 },
  },
  // Wide enough for the longest entry in bold (the current page's), in Finnish too: "Lähtevät sähköpostit".
  sidebar: { width: 248, closedWidth: 56 },
  components: {
    RaAppBar: {
      styleOverrides: {
        root: { '& .RaAppBar-toolbar': { backgroundColor: BRAND.navy, color: '#ffffff' } },
      },
    },
    MuiAppBar: { styleOverrides: { colorSecondary: { backgroundColor: BRAND.navy, color: '#ffffff' } } },
    MuiPaper: { styleOverrides: { elevation1: { boxShadow: '0 1px 3px rgba(16, 24, 40, 0.12)' } } },
    RaMenuItemLink: {
      styleOverrides: {
        root: {
          color: '#3b4656',
          '&.RaMenuItemLink-active': { color: BRAND.navy, fontWeight: 600, backgroundColor: 'rgba(29, 79, 124, 0.10)' },
          '& .RaMenuItemLink-icon': { color: 'inherit' },
        },
      },
    },
    MuiTableCell: { styleOverrides: { head: { fontWeight: 600, color: '#2c3644' } } },
    MuiButton: { defaultProps: { disableElevation: true } },
    MuiChip: { styleOverrides: { root: { fontWeight: 500 } } },
  },
});

const themes = new Map<string, RaThemeOptions>();

/**
 * The theme in a language: every progress indicator has a name for screen readers (axe:
 * aria-progressbar-name), including react-admin's own (the app bar's loading spinner, the bar a
 * ReferenceField shows while it fetches, the page shown while the session is checked), in the
 * chosen language: `ld.app.loading`, from login.ts, which is in the first load. An explicit
 * aria-label on a component still wins.
 */
export function themeFor(locale: string | null | undefined): RaThemeOptions {
  const language = isLocale(locale) ? locale : 'en';
  let localized = themes.get(language);
  if (!localized) {
    const progress = { defaultProps: { 'aria-label': APP_WORDS[language].loading } };
    localized = deepmerge(theme, { components: { MuiLinearProgress: progress, MuiCircularProgress: progress } });
    themes.set(language, localized);
  }
  return localized;
}
