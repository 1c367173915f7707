/**
 * Every date, time and number the UI shows, in one style: Intl in the chosen language.
 * en: "4 Dec 2026, 03:30", "4 Dec 2026", "12,345"; fi: "4.12.2026 klo 3.30", "4.12.2026", "12 345".
 * A time reads to the minute: the history keeps the exact instant, and seconds only widen tables.
 * The language follows the i18nProvider (setFormatLocale), and react-admin redraws every page when
 * it changes.
 */

/** The Intl locale of each UI language: British English (day before month, 24-hour clock) and Finnish. */
const INTL_LOCALES: Record<string, string> = { en: 'en-GB', fi: 'fi-FI' };

let intlLocale = INTL_LOCALES.en!;
let dateTime: Intl.DateTimeFormat;
let date: Intl.DateTimeFormat;
let number: Intl.NumberFormat;

export function setFormatLocale(locale: string) {
  intlLocale = INTL_LOCALES[locale] ?? INTL_LOCALES.en!;
  dateTime = new Intl.DateTimeFormat(intlLocale, { dateStyle: 'medium', timeStyle: 'short' });
  date = new Intl.DateTimeFormat(intlLocale, { dateStyle: 'medium' });
  number = new Intl.NumberFormat(intlLocale);
}
setFormatLocale('en');

/** The Intl locale in use ("en-GB", "fi-FI"), for a chart's own axis formatting. */
export const formatLocale = () => intlLocale;

function asDate(value: unknown): Date | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const parsed = value instanceof Date ? value : new Date(value as string);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed;
}

/** "4 Dec 2026" / "4.12.2026", or an em dash when there is no date. */
export function formatDate(value: unknown): string {
  const parsed = asDate(value);
  return parsed ? date.format(parsed) : '—';
}

/** "4 Dec 2026, 03:30" / "4.12.2026 klo 3.30", or an em dash when there is no date. */
export function formatDateTime(value: unknown): string {
  const parsed = asDate(value);
  return parsed ? dateTime.format(parsed) : '—';
}

/** "12,345" / "12 345", or an em dash when there is no number. */
export function formatNumber(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  const n = Number(value);
  return Number.isFinite(n) ? number.format(n) : String(value);
}
