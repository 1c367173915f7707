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

/** How close a request is to its due time, as the desk's queue colours it. */
export type SlaStanding = 'none' | 'on-time' | 'due-soon' | 'breached' | 'met' | 'missed';

/** Within this many hours of its due time an open request shows as due soon. */
export const DUE_SOON_HOURS = 4;

/**
 * A request's SLA standing at `now`: an open request is on time, due soon (within
 * DUE_SOON_HOURS) or breached; a decided one met or missed its due time; no due time is none.
 */
export function slaStanding(request: { dueAt?: Date | string | null; decidedAt?: Date | string | null }, now: Date = new Date()): SlaStanding {
  if (!request.dueAt) return 'none';
  const due = new Date(request.dueAt).getTime();
  if (request.decidedAt) return new Date(request.decidedAt).getTime() <= due ? 'met' : 'missed';
  if (now.getTime() > due) return 'breached';
  return due - now.getTime() <= DUE_SOON_HOURS * 3_600_000 ? 'due-soon' : 'on-time';
}
