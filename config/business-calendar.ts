import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { checkCalendar, holidaysIn, yearAt, type BusinessCalendar } from '../domain/business-calendar.ts';
import { isDomainError } from '../domain/errors.ts';

/** The calendar shipped for the demo: the desk in Helsinki (equal to DESK_CALENDAR). */
export const DEFAULT_CALENDAR_FILE = fileURLToPath(new URL('./business-calendar.json', import.meta.url));

/**
 * The file's shape. The rules a date or a rule must follow are the domain's (checkCalendar), so
 * a workflow given a calendar and the boot check refuse the same things in the same words.
 */
const CalendarFile = z.strictObject(
  {
    description: z.string().optional(),
    timeZone: z.string({ error: 'must be an IANA time zone name, e.g. "Europe/Helsinki"' }),
    workingDays: z.array(z.number(), { error: 'must be a list of weekdays 1 (Monday) to 7 (Sunday), e.g. [1, 2, 3, 4, 5]' }),
    open: z.string({ error: 'must be a time "HH:MM", e.g. "08:00"' }),
    close: z.string({ error: 'must be a time "HH:MM", e.g. "16:00"' }),
    holidays: z.array(z.union([z.string(), z.record(z.string(), z.unknown())]), {
      error: 'must be a list of dates "YYYY-MM-DD" and rules such as { "easter": -2 }; [] for none',
    }),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `has unknown settings ${issue.keys.map((k) => `"${k}"`).join(', ')}: use timeZone, workingDays, open, close, holidays and description`
        : 'must be a JSON object with timeZone, workingDays, open, close and holidays',
  },
);

export class CalendarFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`The business calendar ${file} cannot be used:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'CalendarFileError';
  }
}

/** Reads and checks a calendar file; a CalendarFileError lists what is wrong, in words. */
export function readCalendarFile(file: string): BusinessCalendar {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CalendarFileError(file, [code === 'ENOENT' ? 'the file does not exist' : `the file cannot be read (${code ?? String(error)})`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CalendarFileError(file, [`the file is not JSON: ${(error as Error).message}`]);
  }
  const parsed = CalendarFile.safeParse(json);
  if (!parsed.success) {
    throw new CalendarFileError(
      file,
      parsed.error.issues.map((issue) => (issue.path.length ? `${issue.path.join('.')} ${issue.message}` : `the file ${issue.message}`)),
    );
  }
  const { description: _description, ...calendar } = parsed.data;
  try {
    checkCalendar(calendar as BusinessCalendar);
  } catch (error) {
    if (isDomainError(error)) throw new CalendarFileError(file, [error.message]);
    throw error;
  }
  return calendar as BusinessCalendar;
}

/**
 * What keeps the calendar from silently running out: a year (this one or the next, in the
 * calendar's time zone) without a single holiday has surely not been filled in yet, and its
 * holidays would count as working days. Each warning says which year and what to do.
 */
export function calendarWarnings(calendar: BusinessCalendar, file: string, now = Date.now()): string[] {
  const year = yearAt(calendar, now);
  return [year, year + 1]
    .filter((y) => holidaysIn(calendar, y).length === 0)
    .map(
      (y) =>
        `The business calendar has no holidays in ${y}: add that year's holidays to ${file} (BUSINESS_CALENDAR_FILE), or its holidays count as office days for reminders, due dates and hardware replacements.`,
    );
}
