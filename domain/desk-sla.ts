import { addBusinessHours, DESK_CALENDAR, type BusinessCalendar } from './business-calendar.ts';

/** Business hours the desk has to decide (DESK_ESCALATE_AFTER_HOURS): past it, a request escalates. */
export const DEFAULT_DESK_SLA_BUSINESS_HOURS = 24;

/**
 * When the desk should have decided, for a request whose status becomes `status` at `now`. The
 * clock starts each time the request (re)enters the desk's queue and stops while the partner is
 * asked for information, as the decision module's reminders do. `undefined` keeps the due date.
 */
export function deskDueAt(
  status: string | undefined,
  now: Date,
  slaBusinessHours: number,
  calendar: BusinessCalendar = DESK_CALENDAR,
): Date | null | undefined {
  if (status === 'PENDING_APPROVAL') return new Date(addBusinessHours(calendar, now.getTime(), slaBusinessHours));
  if (status === 'WAITING_FOR_PARTNER') return null;
  return undefined;
}
