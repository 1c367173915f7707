import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeCalendar } from '../api/health/calendar.ts';
import { calendarWarnings, CalendarFileError, DEFAULT_CALENDAR_FILE, readCalendarFile } from '../config/business-calendar.ts';
import { ConfigError, loadConfig } from '../config/env.ts';
import { DESK_CALENDAR, type BusinessCalendar } from '../domain/business-calendar.ts';

const NOW_2026 = Date.parse('2026-12-07T10:00:00Z');

describe('the business calendar file (BUSINESS_CALENDAR_FILE)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'license-desk-calendar-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const fileWith = async (name: string, content: unknown) => {
    const file = path.join(dir, name);
    await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  };
  const valid = {
    timeZone: 'Europe/Stockholm',
    workingDays: [1, 2, 3, 4, 5],
    open: '09:00',
    close: '17:00',
    holidays: ['2026-12-24', { name: 'Midsummer Eve', weekday: 5, onOrAfter: '06-19' }],
  };

  /** The problems a bad file is refused with, as the operator reads them. */
  const problemsOf = (file: string) => {
    try {
      readCalendarFile(file);
    } catch (error) {
      expect(error).toBeInstanceOf(CalendarFileError);
      return (error as CalendarFileError).problems;
    }
    throw new Error('expected the file to be refused');
  };

  it('ships the Finnish desk as the default, equal to the calendar of workflows started without one', () => {
    expect(readCalendarFile(DEFAULT_CALENDAR_FILE)).toEqual(DESK_CALENDAR);
    const config = loadConfig({});
    expect(config.calendarFile).toBe(DEFAULT_CALENDAR_FILE);
    expect(config.deskPolicy.calendar).toEqual(DESK_CALENDAR);
  });

  it('reads another desk from the file BUSINESS_CALENDAR_FILE names, into the policy new workflows get', async () => {
    const file = await fileWith('stockholm.json', valid);
    const config = loadConfig({ BUSINESS_CALENDAR_FILE: file });
    expect(config.calendarFile).toBe(file);
    expect(config.deskPolicy.calendar).toEqual(valid);
  });

  it.each<[string, unknown, string[]]>([
    ['a list instead of an object', [], ['the file must be a JSON object with timeZone, workingDays, open, close and holidays']],
    [
      'a misspelt setting',
      { ...valid, holiday: [] },
      ['the file has unknown settings "holiday": use timeZone, workingDays, open, close, holidays and description'],
    ],
    [
      'settings that are missing or of the wrong type',
      { timeZone: 'Europe/Helsinki', workingDays: 'Mon-Fri', open: 8, holidays: {} },
      [
        'workingDays must be a list of weekdays 1 (Monday) to 7 (Sunday), e.g. [1, 2, 3, 4, 5]',
        'open must be a time "HH:MM", e.g. "08:00"',
        'close must be a time "HH:MM", e.g. "16:00"',
        'holidays must be a list of dates "YYYY-MM-DD" and rules such as { "easter": -2 }; [] for none',
      ],
    ],
    ['an unknown time zone', { ...valid, timeZone: 'Europe/Espoo' }, ['Time zone must be an IANA time zone name, e.g. Europe/Helsinki (got "Europe/Espoo")']],
    ['no working days', { ...valid, workingDays: [] }, ['Working days must be a non-empty list of weekdays 1 (Monday) to 7 (Sunday), e.g. [1, 2, 3, 4, 5]']],
    ['an opening time in another form', { ...valid, open: '9.00' }, ['Office opening time must be HH:MM, e.g. 08:00 (got "9.00")']],
    ['closing before opening', { ...valid, open: '17:00', close: '09:00' }, ['Office closing time 09:00 must be later than opening time 17:00']],
    [
      'a holiday on a day that does not exist',
      { ...valid, holidays: ['2026-02-30'] },
      ['Holidays must be dates YYYY-MM-DD, e.g. 2026-12-24 (got "2026-02-30")'],
    ],
    [
      'an Easter rule with a fraction',
      { ...valid, holidays: [{ name: 'Good Friday', easter: '-2' }] },
      ['Holiday "Good Friday": easter must be a whole number of days from Easter Sunday between -100 and 100, e.g. -2 for Good Friday (got "-2")'],
    ],
  ])('refuses %s, in words', async (name, content, problems) => {
    expect(problemsOf(await fileWith(`${name.replaceAll(' ', '-')}.json`, content))).toEqual(problems);
  });

  it("refuses a file that is not JSON, with the parser's place of the fault", async () => {
    // The parser's words after the colon are V8's and vary between Node versions.
    expect(problemsOf(await fileWith('trailing-comma.json', '{ "timeZone": "Europe/Helsinki", }'))).toEqual([
      expect.stringMatching(/^the file is not JSON: Expected double-quoted property name in JSON at position 33\b/),
    ]);
  });

  it('refuses a file that is not there', () => {
    expect(problemsOf(path.join(dir, 'missing.json'))).toEqual(['the file does not exist']);
  });

  it('stops the start-up: loadConfig names the variable, the file and the problem', async () => {
    const file = await fileWith('late.json', { ...valid, close: '25:00' });
    expect(() => loadConfig({ BUSINESS_CALENDAR_FILE: file })).toThrow(ConfigError);
    expect(() => loadConfig({ BUSINESS_CALENDAR_FILE: file })).toThrow(
      `Invalid configuration:\n  - BUSINESS_CALENDAR_FILE ${file}: Office closing time must be HH:MM, e.g. 16:00 (got "25:00")`,
    );
  });
});

describe('a calendar that runs out of holidays', () => {
  const dated: BusinessCalendar = { ...DESK_CALENDAR, holidays: ['2026-12-24', '2026-12-25'] };

  it('warns for this year and the next when neither has a holiday', () => {
    expect(calendarWarnings({ ...DESK_CALENDAR, holidays: [] }, '/etc/license-desk/calendar.json', NOW_2026)).toEqual([
      "The business calendar has no holidays in 2026: add that year's holidays to /etc/license-desk/calendar.json (BUSINESS_CALENDAR_FILE), or its holidays count as office days for reminders, due dates and hardware replacements.",
      "The business calendar has no holidays in 2027: add that year's holidays to /etc/license-desk/calendar.json (BUSINESS_CALENDAR_FILE), or its holidays count as office days for reminders, due dates and hardware replacements.",
    ]);
  });

  it('warns for next year only when this year has its dates, and not at all when rules cover every year', () => {
    expect(calendarWarnings(dated, 'calendar.json', NOW_2026)).toEqual([
      "The business calendar has no holidays in 2027: add that year's holidays to calendar.json (BUSINESS_CALENDAR_FILE), or its holidays count as office days for reminders, due dates and hardware replacements.",
    ]);
    expect(calendarWarnings(DESK_CALENDAR, 'calendar.json', Date.parse('2030-12-31T12:00:00Z'))).toEqual([]);
  });

  it("takes the year in the calendar's zone: on New Year's Eve 23:30 UTC it is already next year in Helsinki", () => {
    expect(calendarWarnings({ ...dated, holidays: ['2027-01-01'] }, 'calendar.json', Date.parse('2026-12-31T23:30:00Z'))).toEqual([
      "The business calendar has no holidays in 2028: add that year's holidays to calendar.json (BUSINESS_CALENDAR_FILE), or its holidays count as office days for reminders, due dates and hardware replacements.",
    ]);
  });

  it('is what /api/health shows: the calendar, its holidays per year, and the warnings', () => {
    expect(describeCalendar(dated, '/srv/calendar.json', NOW_2026)).toEqual({
      summary: { file: '/srv/calendar.json', timeZone: 'Europe/Helsinki', workingDays: [1, 2, 3, 4, 5], hours: '08:00-16:00', holidays: { 2026: 2, 2027: 0 } },
      warnings: [
        "The business calendar has no holidays in 2027: add that year's holidays to /srv/calendar.json (BUSINESS_CALENDAR_FILE), or its holidays count as office days for reminders, due dates and hardware replacements.",
      ],
    });
  });
});
