// Dates as every page shows them, in the browser's locale. A time reads to the minute: the
// history keeps the exact instant, and seconds only widen tables.

type DateInput = unknown;

function asDate(value: DateInput): Date | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const date = new Date(value as string);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** "03/12/2026" (en-GB), or an em dash when there is no date. */
export function formatDay(value: DateInput): string {
  return asDate(value)?.toLocaleDateString() ?? '—';
}

/** "03/12/2026, 06:14" (en-GB), or an em dash when there is no date. */
export function formatDateTime(value: DateInput): string {
  return asDate(value)?.toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' }) ?? '—';
}
