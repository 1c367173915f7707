import { DomainError } from './errors.ts';

/**
 * Office hours for SLAs and reminders ("answer within 4 business hours"). Times are epoch
 * milliseconds, so a workflow can pass its deterministic `Date.now()`. Local dates and times are
 * worked out with `Intl.DateTimeFormat` and the calendar's IANA time zone (available in Node and
 * in Temporal's workflow sandbox), so the hours stay right across DST changes. No date library.
 *
 * Office hours are one interval per local day, [open, close); a day is a working day when its
 * ISO weekday is listed and its local date is not a holiday. `close` may be "24:00".
 */
export interface BusinessCalendar {
  /** IANA time zone, e.g. "Europe/Helsinki". */
  timeZone: string;
  /** ISO weekdays: 1 = Monday … 7 = Sunday. */
  workingDays: readonly number[];
  /** Local "HH:MM". */
  open: string;
  /** Local "HH:MM", later than `open`; "24:00" for the end of the day. */
  close: string;
  /** Local dates "YYYY-MM-DD" on which the office is closed. */
  holidays: readonly string[];
}

/**
 * The desk in Helsinki: Monday–Friday 08:00–16:00. Holidays are Finland's public holidays plus
 * Midsummer Eve and Christmas Eve, which are customary days off. Those falling on a weekend are
 * listed too (Finland does not move them to a weekday). Extend the list for each new year.
 */
export const DESK_CALENDAR: BusinessCalendar = Object.freeze({
  timeZone: 'Europe/Helsinki',
  workingDays: Object.freeze([1, 2, 3, 4, 5]),
  open: '08:00',
  close: '16:00',
  holidays: Object.freeze([
    '2026-01-01', // New Year's Day
    '2026-01-06', // Epiphany
    '2026-04-03', // Good Friday
    '2026-04-05', // Easter Sunday
    '2026-04-06', // Easter Monday
    '2026-05-01', // May Day
    '2026-05-14', // Ascension Day
    '2026-05-24', // Whitsun
    '2026-06-19', // Midsummer Eve
    '2026-06-20', // Midsummer Day
    '2026-10-31', // All Saints' Day
    '2026-12-06', // Independence Day (a Sunday)
    '2026-12-24', // Christmas Eve
    '2026-12-25', // Christmas Day
    '2026-12-26', // St Stephen's Day
    '2027-01-01', // New Year's Day
    '2027-01-06', // Epiphany
    '2027-03-26', // Good Friday
    '2027-03-28', // Easter Sunday
    '2027-03-29', // Easter Monday
    '2027-05-01', // May Day
    '2027-05-06', // Ascension Day
    '2027-05-16', // Whitsun
    '2027-06-25', // Midsummer Eve
    '2027-06-26', // Midsummer Day
    '2027-11-06', // All Saints' Day
    '2027-12-06', // Independence Day
    '2027-12-24', // Christmas Eve
    '2027-12-25', // Christmas Day
    '2027-12-26', // St Stephen's Day
  ]),
});

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** Longest run of closed days we search through before deciding the calendar has no office time. */
const MAX_CLOSED_DAYS = 3660;

/** Returns true when t is inside office hours. */
export function isOfficeTime(calendar: BusinessCalendar, t: number): boolean {
  const cal = prepare(calendar);
  const hours = officeHours(cal, localDateOf(cal.timeZone, instant(t)));
  return hours !== null && hours.start <= t && t < hours.end;
}

/** The first instant at or after t that is inside office hours (t itself when it is). */
export function nextOfficeTime(calendar: BusinessCalendar, t: number): number {
  const cal = prepare(calendar);
  let date = localDateOf(cal.timeZone, instant(t));
  for (let closed = 0; closed < MAX_CLOSED_DAYS; closed++, date = nextDay(date)) {
    const hours = officeHours(cal, date);
    if (hours && t < hours.end) return Math.max(t, hours.start);
  }
  throw noOfficeHours();
}

/**
 * The earliest instant at which `hours` of office time have passed since t (fractional hours are
 * fine). A deadline can fall exactly on closing time; zero hours returns t unchanged.
 */
export function addBusinessHours(calendar: BusinessCalendar, t: number, hours: number): number {
  const cal = prepare(calendar);
  if (!Number.isFinite(hours) || hours < 0) {
    throw new RangeError(`addBusinessHours needs a number of hours of 0 or more (got ${hours})`);
  }
  let remaining = Math.round(hours * HOUR);
  if (remaining === 0) return instant(t);
  let date = localDateOf(cal.timeZone, instant(t));
  for (let closed = 0; closed < MAX_CLOSED_DAYS; date = nextDay(date)) {
    const open = officeHours(cal, date);
    if (open && t < open.end) {
      const from = Math.max(t, open.start);
      if (remaining <= open.end - from) return from + remaining;
      remaining -= open.end - from;
      closed = 0;
    } else {
      closed++;
    }
  }
  throw noOfficeHours();
}

/** Office hours (fractional) between a and b; negative when b is before a. */
export function businessHoursBetween(calendar: BusinessCalendar, a: number, b: number): number {
  const cal = prepare(calendar);
  instant(a);
  instant(b);
  if (b < a) return -businessHoursBetween(calendar, b, a);
  const last = dateKey(localDateOf(cal.timeZone, b));
  let total = 0;
  for (let date = localDateOf(cal.timeZone, a); ; date = nextDay(date)) {
    const hours = officeHours(cal, date);
    if (hours) total += Math.max(0, Math.min(b, hours.end) - Math.max(a, hours.start));
    if (dateKey(date) >= last) return total / HOUR;
  }
}

// --- calendar checks -------------------------------------------------------------------------

interface Prepared {
  timeZone: string;
  workingDays: ReadonlySet<number>;
  openMinutes: number;
  closeMinutes: number;
  holidays: ReadonlySet<string>;
}

function calendarError(message: string, field: string): DomainError {
  return new DomainError(message, { code: 'CALENDAR_INVALID', field });
}

function noOfficeHours(): DomainError {
  return new DomainError(`The business calendar has no office hours within ${MAX_CLOSED_DAYS} days; check its working days and holidays`, {
    code: 'CALENDAR_NO_OFFICE_HOURS',
  });
}

function instant(t: number): number {
  if (!Number.isFinite(t)) throw new RangeError(`A time must be epoch milliseconds (got ${t})`);
  return t;
}

function minutesOf(text: string, field: 'open' | 'close'): number {
  const match = /^(\d{2}):(\d{2})$/.exec(text);
  const minutes = match ? Number(match[1]) * 60 + Number(match[2]) : NaN;
  const max = field === 'close' ? 24 * 60 : 24 * 60 - 1;
  if (!match || Number(match[2]) > 59 || minutes > max) {
    throw calendarError(`Office ${field === 'open' ? 'opening' : 'closing'} time must be HH:MM, e.g. ${field === 'open' ? '08:00' : '16:00'} (got "${text}")`, field);
  }
  return minutes;
}

function prepare(calendar: BusinessCalendar): Prepared {
  try {
    formatter(calendar.timeZone);
  } catch {
    throw calendarError(`Time zone must be an IANA time zone name, e.g. Europe/Helsinki (got "${calendar.timeZone}")`, 'timeZone');
  }
  if (calendar.workingDays.length === 0 || !calendar.workingDays.every((d) => Number.isInteger(d) && d >= 1 && d <= 7)) {
    throw calendarError('Working days must be a non-empty list of weekdays 1 (Monday) to 7 (Sunday), e.g. [1, 2, 3, 4, 5]', 'workingDays');
  }
  const openMinutes = minutesOf(calendar.open, 'open');
  const closeMinutes = minutesOf(calendar.close, 'close');
  if (closeMinutes <= openMinutes) {
    throw calendarError(`Office closing time ${calendar.close} must be later than opening time ${calendar.open}`, 'close');
  }
  for (const holiday of calendar.holidays) {
    const [y, m, d] = holiday.split('-').map(Number);
    const valid =
      /^\d{4}-\d{2}-\d{2}$/.test(holiday) && dateKey(fromUtc(Date.UTC(y!, m! - 1, d!))) === holiday;
    if (!valid) throw calendarError(`Holidays must be dates YYYY-MM-DD, e.g. 2026-12-24 (got "${holiday}")`, 'holidays');
  }
  return {
    timeZone: calendar.timeZone,
    workingDays: new Set(calendar.workingDays),
    openMinutes,
    closeMinutes,
    holidays: new Set(calendar.holidays),
  };
}

function officeHours(cal: Prepared, date: LocalDate): { start: number; end: number } | null {
  if (!cal.workingDays.has(isoWeekday(date)) || cal.holidays.has(dateKey(date))) return null;
  return { start: localToEpoch(cal.timeZone, date, cal.openMinutes), end: localToEpoch(cal.timeZone, date, cal.closeMinutes) };
}

// --- local dates and time zones --------------------------------------------------------------

interface LocalDate {
  year: number;
  month: number; // 1-12
  day: number;
}

function fromUtc(ms: number): LocalDate {
  const d = new Date(ms);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function nextDay(date: LocalDate): LocalDate {
  return fromUtc(Date.UTC(date.year, date.month - 1, date.day + 1));
}

function isoWeekday(date: LocalDate): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay() || 7;
}

function dateKey({ year, month, day }: LocalDate): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock reading in the zone at t, expressed as if it were UTC milliseconds. */
function wallClock(timeZone: string, t: number): number {
  const p: Record<string, number> = {};
  for (const { type, value } of formatter(timeZone).formatToParts(new Date(t))) p[type] = Number(value);
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
}

/** The zone's offset from UTC at t, in milliseconds (Helsinki: +2 h in winter, +3 h in summer). */
function offsetAt(timeZone: string, t: number): number {
  const whole = t - (((t % 1000) + 1000) % 1000);
  return wallClock(timeZone, whole) - whole;
}

function localDateOf(timeZone: string, t: number): LocalDate {
  return fromUtc(t + offsetAt(timeZone, t));
}

/**
 * The instant of a local date and time. Like Temporal's "compatible" disambiguation: a time
 * repeated when clocks go back means the first occurrence; a time skipped when they go forward
 * is read with the earlier offset, i.e. moved later by the jump.
 */
function localToEpoch(timeZone: string, date: LocalDate, minutes: number): number {
  const wall = Date.UTC(date.year, date.month - 1, date.day) + minutes * MINUTE;
  const before = wall - offsetAt(timeZone, wall - DAY);
  const after = wall - offsetAt(timeZone, wall + DAY);
  const fits = [before, after].filter((t) => t + offsetAt(timeZone, t) === wall);
  return fits.length > 0 ? Math.min(...fits) : before;
}
