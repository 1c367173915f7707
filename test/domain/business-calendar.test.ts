import { describe, expect, it } from 'vitest';
import {
  DESK_CALENDAR,
  addBusinessHours,
  checkCalendar,
  easterSunday,
  formatOfficeTime,
  holidaysIn,
  businessHoursBetween,
  isOfficeTime,
  nextOfficeTime,
  type BusinessCalendar,
} from '../../domain/business-calendar.ts';
import { DomainError } from '../../domain/errors.ts';

/** An instant written as a UTC ISO string; Helsinki is UTC+2 in winter and UTC+3 in summer. */
const at = (iso: string) => {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new Error(`bad test time ${iso}`);
  return t;
};
const iso = (t: number) => new Date(t).toISOString();
/** The Helsinki wall clock at t, e.g. "Mon 2026-11-23 11:30". */
const helsinki = (t: number) =>
  new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Europe/Helsinki',
    weekday: 'short',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  })
    .format(t)
    .replace(/^(\S+)\s/, (_, d: string) => `${d.slice(0, 3)} `);

const ALWAYS_OPEN: BusinessCalendar = { timeZone: 'Europe/Helsinki', workingDays: [1, 2, 3, 4, 5, 6, 7], open: '00:00', close: '24:00', holidays: [] };

describe('DESK_CALENDAR', () => {
  /** The holidays as they were typed by hand before they were computed from rules. */
  const TYPED_2026_2027 = [
    '2026-01-01',
    '2026-01-06',
    '2026-04-03',
    '2026-04-05',
    '2026-04-06',
    '2026-05-01',
    '2026-05-14',
    '2026-05-24',
    '2026-06-19',
    '2026-06-20',
    '2026-10-31',
    '2026-12-06',
    '2026-12-24',
    '2026-12-25',
    '2026-12-26',
    '2027-01-01',
    '2027-01-06',
    '2027-03-26',
    '2027-03-28',
    '2027-03-29',
    '2027-05-01',
    '2027-05-06',
    '2027-05-16',
    '2027-06-25',
    '2027-06-26',
    '2027-11-06',
    '2027-12-06',
    '2027-12-24',
    '2027-12-25',
    '2027-12-26',
  ];

  it('is Helsinki, Monday to Friday 08:00-16:00', () => {
    expect(DESK_CALENDAR).toMatchObject({ timeZone: 'Europe/Helsinki', workingDays: [1, 2, 3, 4, 5], open: '08:00', close: '16:00' });
    expect(Object.isFrozen(DESK_CALENDAR) && Object.isFrozen(DESK_CALENDAR.holidays)).toBe(true);
  });

  it('computes the same Finnish holidays for 2026 and 2027 as the list typed before, so running workflows keep their timers', () => {
    expect([...holidaysIn(DESK_CALENDAR, 2026), ...holidaysIn(DESK_CALENDAR, 2027)]).toEqual(TYPED_2026_2027);
  });

  it('computes 15 Finnish holidays in each year 2026-2030, Easter-based feasts and Midsummer included', () => {
    for (let year = 2026; year <= 2030; year++) expect(holidaysIn(DESK_CALENDAR, year)).toHaveLength(15);
    // Good Friday, Easter Sunday and Monday, Ascension Day (+39), Whitsun (+49) from Easter 2028-04-16.
    expect(holidaysIn(DESK_CALENDAR, 2028)).toEqual(expect.arrayContaining(['2028-04-14', '2028-04-16', '2028-04-17', '2028-05-25', '2028-06-04']));
    // Midsummer Eve and Day: the Friday and Saturday of 19-26 June; All Saints' Day: the Saturday of 31 October-6 November.
    expect(holidaysIn(DESK_CALENDAR, 2029)).toEqual(expect.arrayContaining(['2029-06-22', '2029-06-23', '2029-11-03']));
    expect(holidaysIn(DESK_CALENDAR, 2030)).toEqual(
      expect.arrayContaining(['2030-04-19', '2030-04-21', '2030-04-22', '2030-06-21', '2030-06-22', '2030-11-02']),
    );
    expect(isOfficeTime(DESK_CALENDAR, at('2030-04-19T09:00:00Z'))).toBe(false); // Good Friday 2030
  });

  it('finds Western Easter Sunday for known years', () => {
    expect([2000, 2024, 2025, 2026, 2027, 2028, 2029, 2030, 2038].map(easterSunday)).toEqual([
      '2000-04-23',
      '2024-03-31',
      '2025-04-20',
      '2026-04-05',
      '2027-03-28',
      '2028-04-16',
      '2029-04-01',
      '2030-04-21',
      '2038-04-25',
    ]);
  });
});

describe('holiday rules', () => {
  const office = (holidays: BusinessCalendar['holidays']): BusinessCalendar => ({ ...ALWAYS_OPEN, holidays });

  it('places a month-day every year, a full date once, and 29 February only in leap years', () => {
    const calendar = office([{ date: '12-24' }, { date: '2026-08-14' }, { date: '02-29' }, '2027-07-01']);
    expect(holidaysIn(calendar, 2026)).toEqual(['2026-08-14', '2026-12-24']);
    expect(holidaysIn(calendar, 2027)).toEqual(['2027-07-01', '2027-12-24']);
    expect(holidaysIn(calendar, 2028)).toEqual(['2028-02-29', '2028-12-24']);
  });

  it('places the first given weekday on or after a day, and counts the days from Easter', () => {
    const calendar = office([
      { name: 'Thanksgiving', weekday: 4, onOrAfter: '11-22' },
      { name: 'Easter Monday', easter: 1 },
    ]);
    expect(holidaysIn(calendar, 2026)).toEqual(['2026-04-06', '2026-11-26']);
    expect(holidaysIn(calendar, 2027)).toEqual(['2027-03-29', '2027-11-25']);
  });

  it('formats an office time as the desk reads it', () => {
    expect(formatOfficeTime(DESK_CALENDAR, nextOfficeTime(DESK_CALENDAR, at('2026-12-05T12:00:00Z')))).toBe('08:00 Monday 7 December 2026, Europe/Helsinki');
  });

  it.each<[string, BusinessCalendar['holidays'], string]>([
    ['a date that does not exist', ['2026-02-30'], 'Holidays must be dates YYYY-MM-DD, e.g. 2026-12-24 (got "2026-02-30")'],
    [
      'a month-day that does not exist',
      [{ name: 'Founders Day', date: '13-01' }],
      'Holiday "Founders Day": date must be MM-DD for every year or YYYY-MM-DD for one year, e.g. 12-24 (got "13-01")',
    ],
    [
      'an easter offset that is not whole',
      [{ name: 'Good Friday', easter: -2.5 }],
      'Holiday "Good Friday": easter must be a whole number of days from Easter Sunday between -100 and 100, e.g. -2 for Good Friday (got -2.5)',
    ],
    [
      'a weekday out of range',
      [{ name: 'Midsummer Day', weekday: 0, onOrAfter: '06-20' }],
      'Holiday "Midsummer Day": weekday must be 1 (Monday) to 7 (Sunday), e.g. 6 for a Saturday (got 0)',
    ],
    [
      'a weekday rule without its first day',
      [{ weekday: 6 } as never],
      'Holiday number 1: onOrAfter must be MM-DD, the first day the holiday can fall on, e.g. 06-20 (got undefined)',
    ],
    [
      'a rule of no known form',
      [{ name: 'Boxing Day', day: '12-26' } as never],
      'Holiday "Boxing Day" must be a date "YYYY-MM-DD", or a rule: { "date": "12-24" }, { "easter": -2 } or { "weekday": 6, "onOrAfter": "06-20" }',
    ],
  ])('refuses %s, in words', (_, holidays, message) => {
    expect(() => checkCalendar(office(holidays))).toThrow(new DomainError(message, { code: 'CALENDAR_INVALID', field: 'holidays' }));
    try {
      checkCalendar(office(holidays));
    } catch (error) {
      expect((error as DomainError).message).toBe(message);
      expect((error as DomainError).field).toBe('holidays');
    }
  });
});

describe('isOfficeTime', () => {
  it('is true from opening up to (not including) closing on a working day', () => {
    // Friday 2026-11-20, Helsinki UTC+2.
    expect(isOfficeTime(DESK_CALENDAR, at('2026-11-20T05:59:59.999Z'))).toBe(false); // 07:59:59.999
    expect(isOfficeTime(DESK_CALENDAR, at('2026-11-20T06:00:00Z'))).toBe(true); // 08:00
    expect(isOfficeTime(DESK_CALENDAR, at('2026-11-20T13:59:59Z'))).toBe(true); // 15:59:59
    expect(isOfficeTime(DESK_CALENDAR, at('2026-11-20T14:00:00Z'))).toBe(false); // 16:00
  });

  it('is false at the weekend and on holidays', () => {
    expect(isOfficeTime(DESK_CALENDAR, at('2026-11-21T09:00:00Z'))).toBe(false); // Saturday 11:00
    expect(isOfficeTime(DESK_CALENDAR, at('2026-12-24T09:00:00Z'))).toBe(false); // Christmas Eve, Thursday
    expect(isOfficeTime(DESK_CALENDAR, at('2026-12-07T09:00:00Z'))).toBe(true); // Monday after Independence Day on a Sunday
  });

  it('uses the summer offset after the spring change (UTC+3 from 2026-03-29)', () => {
    // Monday 2026-03-30 08:00 in Helsinki is 05:00 UTC; the Friday before, 08:00 was 06:00 UTC.
    expect(isOfficeTime(DESK_CALENDAR, at('2026-03-30T04:59:59Z'))).toBe(false);
    expect(isOfficeTime(DESK_CALENDAR, at('2026-03-30T05:00:00Z'))).toBe(true);
    expect(isOfficeTime(DESK_CALENDAR, at('2026-03-27T05:30:00Z'))).toBe(false);
    expect(isOfficeTime(DESK_CALENDAR, at('2026-03-27T06:00:00Z'))).toBe(true);
    expect(isOfficeTime(DESK_CALENDAR, at('2026-03-30T13:00:00Z'))).toBe(false); // 16:00 summer time
  });
});

describe('nextOfficeTime', () => {
  it('is t itself inside office hours', () => {
    const t = at('2026-11-20T10:17:31.123Z');
    expect(nextOfficeTime(DESK_CALENDAR, t)).toBe(t);
  });

  it("is today's opening before office hours", () => {
    expect(helsinki(nextOfficeTime(DESK_CALENDAR, at('2026-11-19T03:00:00Z')))).toBe('tor 2026-11-19 08:00');
  });

  it("is Monday's opening after Friday's closing", () => {
    expect(iso(nextOfficeTime(DESK_CALENDAR, at('2026-11-20T14:00:00Z')))).toBe('2026-11-23T06:00:00.000Z');
  });

  it('skips Christmas: from Wednesday 23 December evening to Monday 28 December', () => {
    expect(iso(nextOfficeTime(DESK_CALENDAR, at('2026-12-23T15:00:00Z')))).toBe('2026-12-28T06:00:00.000Z');
  });

  it('skips Easter 2027 from Thursday evening to Tuesday', () => {
    expect(iso(nextOfficeTime(DESK_CALENDAR, at('2027-03-25T14:30:00Z')))).toBe('2027-03-30T05:00:00.000Z'); // already summer time
  });

  it('opens at 08:00 summer time on the Monday after the spring change', () => {
    expect(iso(nextOfficeTime(DESK_CALENDAR, at('2026-03-28T10:00:00Z')))).toBe('2026-03-30T05:00:00.000Z');
  });

  it('moves a skipped local opening time later by the jump (03:30 does not exist on 2026-03-29)', () => {
    const night = { ...ALWAYS_OPEN, open: '03:30', close: '05:00' };
    // Clocks go from 03:00 to 04:00 at 01:00 UTC, so 03:30 is read as 04:30 summer time.
    expect(iso(nextOfficeTime(night, at('2026-03-28T22:00:00Z')))).toBe('2026-03-29T01:30:00.000Z');
    expect(iso(nextOfficeTime(night, at('2026-03-29T22:00:00Z')))).toBe('2026-03-30T00:30:00.000Z'); // next day, plain 03:30 EEST
  });

  it('takes the first of a repeated local opening time (03:30 happens twice on 2026-10-25)', () => {
    const night = { ...ALWAYS_OPEN, open: '03:30', close: '05:00' };
    expect(iso(nextOfficeTime(night, at('2026-10-24T22:00:00Z')))).toBe('2026-10-25T00:30:00.000Z');
  });
});

describe('addBusinessHours', () => {
  it('takes a Friday 15:30 request needing 4 business hours to Monday 11:30', () => {
    const friday = at('2026-11-20T13:30:00Z'); // Fri 15:30 Helsinki
    const due = addBusinessHours(DESK_CALENDAR, friday, 4);
    expect(helsinki(friday)).toBe('fre 2026-11-20 15:30');
    expect(helsinki(due)).toBe('mån 2026-11-23 11:30');
    expect(iso(due)).toBe('2026-11-23T09:30:00.000Z');
  });

  it('stays within the day when it fits, and may end exactly at closing', () => {
    expect(iso(addBusinessHours(DESK_CALENDAR, at('2026-11-18T07:00:00Z'), 2))).toBe('2026-11-18T09:00:00.000Z');
    expect(iso(addBusinessHours(DESK_CALENDAR, at('2026-11-18T06:00:00Z'), 8))).toBe('2026-11-18T14:00:00.000Z');
    expect(iso(addBusinessHours(DESK_CALENDAR, at('2026-11-18T06:00:00Z'), 8.25))).toBe('2026-11-19T06:15:00.000Z');
  });

  it('starts counting at opening time when asked outside office hours', () => {
    expect(iso(addBusinessHours(DESK_CALENDAR, at('2026-11-21T12:00:00Z'), 1.5))).toBe('2026-11-23T07:30:00.000Z'); // Saturday -> Monday 09:30
  });

  it('returns t for zero hours, even outside office hours', () => {
    const saturday = at('2026-11-21T12:00:00Z');
    expect(addBusinessHours(DESK_CALENDAR, saturday, 0)).toBe(saturday);
  });

  it('skips Christmas Eve, Christmas Day and the weekend', () => {
    // Wednesday 23 December 15:00 + 2 h -> one hour that day, one hour on Monday 28th.
    expect(helsinki(addBusinessHours(DESK_CALENDAR, at('2026-12-23T13:00:00Z'), 2))).toBe('mån 2026-12-28 09:00');
  });

  it('does not move Independence Day from a Sunday (2026-12-06) to Monday', () => {
    expect(helsinki(addBusinessHours(DESK_CALENDAR, at('2026-12-04T13:00:00Z'), 2))).toBe('mån 2026-12-07 09:00');
  });

  it('counts local hours across the spring and autumn changes', () => {
    // Friday 2026-03-27 15:00 EET (+2) + 2 h -> Monday 2026-03-30 09:00 EEST (+3).
    expect(iso(addBusinessHours(DESK_CALENDAR, at('2026-03-27T13:00:00Z'), 2))).toBe('2026-03-30T06:00:00.000Z');
    // Friday 2026-10-23 15:00 EEST (+3) + 2 h -> Monday 2026-10-26 09:00 EET (+2).
    expect(iso(addBusinessHours(DESK_CALENDAR, at('2026-10-23T12:00:00Z'), 2))).toBe('2026-10-26T07:00:00.000Z');
  });

  it('counts real elapsed time on the change day itself when the office is open then', () => {
    // Open all day: 2026-03-29 has 23 hours in Helsinki, 2026-10-25 has 25.
    expect(iso(addBusinessHours(ALWAYS_OPEN, at('2026-03-28T22:00:00Z'), 23))).toBe('2026-03-29T21:00:00.000Z');
    expect(iso(addBusinessHours(ALWAYS_OPEN, at('2026-10-24T21:00:00Z'), 25))).toBe('2026-10-25T22:00:00.000Z');
  });

  it('agrees with businessHoursBetween', () => {
    const start = at('2026-12-18T11:45:00Z');
    for (const hours of [0.5, 3, 7.75, 8, 13, 40, 100]) {
      expect(businessHoursBetween(DESK_CALENDAR, start, addBusinessHours(DESK_CALENDAR, start, hours))).toBeCloseTo(hours, 9);
    }
  });

  it('refuses negative or non-finite hours', () => {
    expect(() => addBusinessHours(DESK_CALENDAR, at('2026-11-20T10:00:00Z'), -1)).toThrow(RangeError);
    expect(() => addBusinessHours(DESK_CALENDAR, at('2026-11-20T10:00:00Z'), -1)).toThrow(
      new RangeError('addBusinessHours needs a number of hours of 0 or more (got -1)'),
    );
    expect(() => addBusinessHours(DESK_CALENDAR, at('2026-11-20T10:00:00Z'), Number.NaN)).toThrow(RangeError);
    expect(() => addBusinessHours(DESK_CALENDAR, at('2026-11-20T10:00:00Z'), Number.NaN)).toThrow(
      new RangeError('addBusinessHours needs a number of hours of 0 or more (got NaN)'),
    );
  });
});

describe('businessHoursBetween', () => {
  it('counts only office time', () => {
    // Friday 15:30 -> Monday 11:30 is 4 business hours.
    expect(businessHoursBetween(DESK_CALENDAR, at('2026-11-20T13:30:00Z'), at('2026-11-23T09:30:00Z'))).toBe(4);
    // A whole working week.
    expect(businessHoursBetween(DESK_CALENDAR, at('2026-11-16T00:00:00Z'), at('2026-11-23T00:00:00Z'))).toBe(40);
    // Inside one office day.
    expect(businessHoursBetween(DESK_CALENDAR, at('2026-11-18T07:00:00Z'), at('2026-11-18T07:45:00Z'))).toBe(0.75);
    // Nothing at the weekend.
    expect(businessHoursBetween(DESK_CALENDAR, at('2026-11-21T00:00:00Z'), at('2026-11-22T21:00:00Z'))).toBe(0);
  });

  it('leaves out holidays: Christmas week 2026 has 24 office hours', () => {
    expect(businessHoursBetween(DESK_CALENDAR, at('2026-12-20T22:00:00Z'), at('2026-12-27T22:00:00Z'))).toBe(24);
    // Mon 21st, Tue 22nd, Wed 23rd are open (24 h); Thu 24th and Fri 25th are holidays.
  });

  it('counts 8 hours a day across the DST switch weekends', () => {
    expect(businessHoursBetween(DESK_CALENDAR, at('2026-03-27T06:00:00Z'), at('2026-03-30T13:00:00Z'))).toBe(16);
    expect(businessHoursBetween(DESK_CALENDAR, at('2026-10-23T05:00:00Z'), at('2026-10-26T14:00:00Z'))).toBe(16);
  });

  it('sees a 23-hour and a 25-hour day when open around the clock', () => {
    expect(businessHoursBetween(ALWAYS_OPEN, at('2026-03-28T22:00:00Z'), at('2026-03-29T21:00:00Z'))).toBe(23);
    expect(businessHoursBetween(ALWAYS_OPEN, at('2026-10-24T21:00:00Z'), at('2026-10-25T22:00:00Z'))).toBe(25);
  });

  it('is zero for an empty span and negative when b is before a', () => {
    const t = at('2026-11-18T08:00:00Z');
    expect(businessHoursBetween(DESK_CALENDAR, t, t)).toBe(0);
    expect(businessHoursBetween(DESK_CALENDAR, at('2026-11-23T09:30:00Z'), at('2026-11-20T13:30:00Z'))).toBe(-4);
  });
});

describe('calendar checks', () => {
  const t = at('2026-11-20T10:00:00Z');
  it.each<[string, Partial<BusinessCalendar>, string]>([
    ['an unknown time zone', { timeZone: 'Europe/Espoo' }, 'timeZone'],
    ['no working days', { workingDays: [] }, 'workingDays'],
    ['a weekday out of range', { workingDays: [0, 1] }, 'workingDays'],
    ['an opening time that is not HH:MM', { open: '8:00' }, 'open'],
    ['a closing time past 24:00', { close: '24:30' }, 'close'],
    ['closing before opening', { open: '16:00', close: '08:00' }, 'close'],
    ['a holiday that is not a date', { holidays: ['2026-02-30'] }, 'holidays'],
  ])('refuses %s', (_, change, field) => {
    const calendar = { ...DESK_CALENDAR, ...change };
    try {
      isOfficeTime(calendar, t);
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).field).toBe(field);
      expect((error as DomainError).code).toBe('CALENDAR_INVALID');
    }
  });

  it('works in other zones, e.g. a desk in New York across its DST change (2026-03-08)', () => {
    const newYork: BusinessCalendar = { timeZone: 'America/New_York', workingDays: [1, 2, 3, 4, 5], open: '09:00', close: '17:00', holidays: [] };
    // Friday 2026-03-06 16:00 EST (UTC-5) + 2 h -> Monday 2026-03-09 10:00 EDT (UTC-4).
    expect(iso(addBusinessHours(newYork, at('2026-03-06T21:00:00Z'), 2))).toBe('2026-03-09T14:00:00.000Z');
  });
});
