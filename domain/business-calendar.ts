import { DomainError } from './errors.ts';

/**
 * Office hours for SLAs and reminders ("answer within 4 business hours"). Times are epoch
 * milliseconds, so a workflow can pass its deterministic `Date.now()`. Local dates and times are
 * worked out with `Intl.DateTimeFormat` and the calendar's IANA time zone (available in Node and
 * in Temporal's workflow sandbox), so the hours stay right across DST changes. No date library.
 *
 * Office hours are one interval per local day, [open, close); a day is a working day when its
 * ISO weekday is listed and its local date is not a holiday. `close` may be "24:00".
 *
 * Holidays are dates or rules, so that a calendar need not be retyped each year: a rule gives a
 * date in every year (Easter-based feasts, "the Saturday between 20 and 26 June"). The desk's
 * calendar comes from a file (config/business-calendar.ts); workflows get it in their input.
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
  /** Local dates "YYYY-MM-DD" on which the office is closed, or rules that give one each year. */
  holidays: readonly Holiday[];
}

/**
 * A day the office is closed. A string is one local date "YYYY-MM-DD". A rule names its day:
 * - `{ date: "12-24" }` every year on that month and day (`{ date: "2026-08-14" }`: once);
 * - `{ easter: -2 }` that many days from Western Easter Sunday (Good Friday);
 * - `{ weekday: 6, onOrAfter: "06-20" }` the first such ISO weekday on or after that day
 *   (Finland's Midsummer Day: the Saturday of 20–26 June).
 */
export type Holiday = string | HolidayRule;
export type HolidayRule = { name?: string } & ({ date: string } | { easter: number } | { weekday: number; onOrAfter: string });

/**
 * Finland's public holidays plus Midsummer Eve and Christmas Eve, which are customary days off.
 * Those falling on a weekend count too (Finland does not move them to a weekday).
 */
export const FINNISH_HOLIDAYS: readonly HolidayRule[] = Object.freeze(
  [
    { name: "New Year's Day", date: '01-01' },
    { name: 'Epiphany', date: '01-06' },
    { name: 'Good Friday', easter: -2 },
    { name: 'Easter Sunday', easter: 0 },
    { name: 'Easter Monday', easter: 1 },
    { name: 'May Day', date: '05-01' },
    { name: 'Ascension Day', easter: 39 },
    { name: 'Whitsun', easter: 49 },
    { name: 'Midsummer Eve', weekday: 5, onOrAfter: '06-19' },
    { name: 'Midsummer Day', weekday: 6, onOrAfter: '06-20' },
    { name: "All Saints' Day", weekday: 6, onOrAfter: '10-31' },
    { name: 'Independence Day', date: '12-06' },
    { name: 'Christmas Eve', date: '12-24' },
    { name: 'Christmas Day', date: '12-25' },
    { name: "St Stephen's Day", date: '12-26' },
  ].map((rule) => Object.freeze(rule)),
);

/**
 * The desk in Helsinki: Monday–Friday 08:00–16:00, Finnish holidays. It is the calendar of
 * workflows started without one in their input (all those started before the calendar was
 * configurable), and the content of the default file config/business-calendar.json, which a
 * test keeps equal to it.
 */
export const DESK_CALENDAR: BusinessCalendar = Object.freeze({
  timeZone: 'Europe/Helsinki',
  workingDays: Object.freeze([1, 2, 3, 4, 5]),
  open: '08:00',
  close: '16:00',
  holidays: FINNISH_HOLIDAYS,
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
  isHoliday(date: LocalDate): boolean;
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
    throw calendarError(
      `Office ${field === 'open' ? 'opening' : 'closing'} time must be HH:MM, e.g. ${field === 'open' ? '08:00' : '16:00'} (got "${text}")`,
      field,
    );
  }
  return minutes;
}

/** "MM-DD" as [month, day] when it names a day of some year (29 February included). */
function monthDay(text: unknown): [number, number] | undefined {
  if (typeof text !== 'string' || !/^\d{2}-\d{2}$/.test(text)) return undefined;
  const [m, d] = text.split('-').map(Number) as [number, number];
  const leap = fromUtc(Date.UTC(2028, m - 1, d));
  return m >= 1 && m <= 12 && leap.month === m && leap.day === d ? [m, d] : undefined;
}

function isDate(text: unknown): text is string {
  if (typeof text !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const [y, m, d] = text.split('-').map(Number) as [number, number, number];
  return dateKey(fromUtc(Date.UTC(y, m - 1, d))) === text;
}

const RULE_FORMS = '"YYYY-MM-DD", or a rule: { "date": "12-24" }, { "easter": -2 } or { "weekday": 6, "onOrAfter": "06-20" }';

/** Refuses a holiday the calendar could not place, in words that name it and show the forms. */
function checkHoliday(holiday: Holiday, index: number): void {
  const which = typeof holiday === 'object' && holiday !== null && typeof holiday.name === 'string' ? `"${holiday.name}"` : `number ${index + 1}`;
  if (typeof holiday === 'string') {
    if (!isDate(holiday)) throw calendarError(`Holidays must be dates YYYY-MM-DD, e.g. 2026-12-24 (got "${holiday as string}")`, 'holidays');
    return;
  }
  const rule = holiday as Record<string, unknown>;
  if (typeof rule !== 'object' || rule === null) throw calendarError(`Holiday ${which} must be a date ${RULE_FORMS}`, 'holidays');
  if ('date' in rule) {
    if (!isDate(rule.date) && !monthDay(rule.date)) {
      throw calendarError(
        `Holiday ${which}: date must be MM-DD for every year or YYYY-MM-DD for one year, e.g. 12-24 (got ${JSON.stringify(rule.date)})`,
        'holidays',
      );
    }
  } else if ('easter' in rule) {
    if (!Number.isInteger(rule.easter) || Math.abs(rule.easter as number) > 100) {
      throw calendarError(
        `Holiday ${which}: easter must be a whole number of days from Easter Sunday between -100 and 100, e.g. -2 for Good Friday (got ${JSON.stringify(rule.easter)})`,
        'holidays',
      );
    }
  } else if ('weekday' in rule || 'onOrAfter' in rule) {
    if (!Number.isInteger(rule.weekday) || (rule.weekday as number) < 1 || (rule.weekday as number) > 7) {
      throw calendarError(
        `Holiday ${which}: weekday must be 1 (Monday) to 7 (Sunday), e.g. 6 for a Saturday (got ${JSON.stringify(rule.weekday)})`,
        'holidays',
      );
    }
    if (!monthDay(rule.onOrAfter)) {
      throw calendarError(
        `Holiday ${which}: onOrAfter must be MM-DD, the first day the holiday can fall on, e.g. 06-20 (got ${JSON.stringify(rule.onOrAfter)})`,
        'holidays',
      );
    }
  } else {
    throw calendarError(`Holiday ${which} must be a date ${RULE_FORMS}`, 'holidays');
  }
}

/** Western (Gregorian) Easter Sunday of a year: the anonymous Gregorian algorithm (Meeus). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const n = h + l - 7 * m + 114;
  return dateKey({ year, month: Math.floor(n / 31), day: (n % 31) + 1 });
}

/** The local dates of one year's holidays, sorted, each once (rules assumed checked). */
function datesIn(holidays: readonly Holiday[], year: number): string[] {
  const dates = new Set<string>();
  const prefix = `${String(year).padStart(4, '0')}-`;
  for (const holiday of holidays) {
    if (typeof holiday === 'string') {
      if (holiday.startsWith(prefix)) dates.add(holiday);
    } else if ('date' in holiday) {
      const md = monthDay(holiday.date);
      if (!md) {
        if (holiday.date.startsWith(prefix)) dates.add(holiday.date);
      } else {
        const date = fromUtc(Date.UTC(year, md[0] - 1, md[1]));
        if (date.month === md[0]) dates.add(dateKey(date)); // 29 February only in leap years
      }
    } else if ('easter' in holiday) {
      const [, m, d] = easterSunday(year).split('-').map(Number) as [number, number, number];
      dates.add(dateKey(fromUtc(Date.UTC(year, m - 1, d + holiday.easter))));
    } else {
      const [m, d] = monthDay(holiday.onOrAfter)!;
      const first = fromUtc(Date.UTC(year, m - 1, d));
      dates.add(dateKey(fromUtc(Date.UTC(year, m - 1, d + ((holiday.weekday - isoWeekday(first) + 7) % 7)))));
    }
  }
  return [...dates].sort();
}

/** The calendar year at t in the calendar's time zone. */
export function yearAt(calendar: Pick<BusinessCalendar, 'timeZone'>, t: number): number {
  return localDateOf(calendar.timeZone, instant(t)).year;
}

/** The holidays of one year as local dates "YYYY-MM-DD", sorted; checks the calendar first. */
export function holidaysIn(calendar: BusinessCalendar, year: number): string[] {
  checkCalendar(calendar);
  return datesIn(calendar.holidays, year);
}

/**
 * Throws a DomainError (code CALENDAR_INVALID, `field` naming the setting) when the calendar
 * cannot be used: a time zone Intl does not know, no working days, office hours that are not
 * HH:MM or close before they open, a holiday that is no date or rule.
 */
export function checkCalendar(calendar: BusinessCalendar): void {
  prepare(calendar);
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
  calendar.holidays.forEach(checkHoliday);
  // Each year's dates are worked out when a day of that year is first asked about.
  const years = new Map<number, ReadonlySet<string>>();
  return {
    timeZone: calendar.timeZone,
    workingDays: new Set(calendar.workingDays),
    openMinutes,
    closeMinutes,
    isHoliday(date) {
      let dates = years.get(date.year);
      if (!dates) years.set(date.year, (dates = new Set(datesIn(calendar.holidays, date.year))));
      return dates.has(dateKey(date));
    },
  };
}

/**
 * "08:00 Monday 7 December 2026, Europe/Helsinki": an instant as the desk's wall clock reads it,
 * for the partner and the desk (Intl is deterministic in the workflow sandbox).
 */
export function formatOfficeTime(calendar: Pick<BusinessCalendar, 'timeZone'>, t: number): string {
  const text = new Intl.DateTimeFormat('en-GB', {
    timeZone: calendar.timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(instant(t));
  const part = (type: Intl.DateTimeFormatPartTypes) => text.find((p) => p.type === type)?.value ?? '';
  return `${part('hour')}:${part('minute')} ${part('weekday')} ${part('day')} ${part('month')} ${part('year')}, ${calendar.timeZone}`;
}

function officeHours(cal: Prepared, date: LocalDate): { start: number; end: number } | null {
  if (!cal.workingDays.has(isoWeekday(date)) || cal.isHoliday(date)) return null;
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
