import { calendarWarnings } from '../../config/business-calendar.ts';
import { holidaysIn, yearAt, type BusinessCalendar } from '../../domain/business-calendar.ts';

/**
 * The business calendar as /api/health shows it: its file, zone and hours, how many holidays
 * this year and the next have, and a warning for each of the two that has none.
 */
export function describeCalendar(calendar: BusinessCalendar, file: string, now = Date.now()) {
  const year = yearAt(calendar, now);
  return {
    summary: {
      file,
      timeZone: calendar.timeZone,
      workingDays: calendar.workingDays,
      hours: `${calendar.open}-${calendar.close}`,
      holidays: { [year]: holidaysIn(calendar, year).length, [year + 1]: holidaysIn(calendar, year + 1).length },
    },
    warnings: calendarWarnings(calendar, file, now),
  };
}
