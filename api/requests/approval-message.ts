import { formatOfficeTime, isOfficeTime, nextOfficeTime, type BusinessCalendar } from '../../domain/business-calendar.ts';
import { requestReference } from '../../domain/request-forms.ts';

/**
 * What the desk reads after approving. A hardware replacement approved outside office hours
 * waits for the next opening (its workflow says WAITING_FOR_OFFICE_HOURS meanwhile), so the
 * answer names that moment instead of promising the work now.
 */
export function approvalMessage(request: { number: number; type: string }, calendar: BusinessCalendar, now = Date.now()): string {
  const reference = requestReference(request.number);
  if (request.type === 'HARDWARE_REPLACEMENT' && !isOfficeTime(calendar, now)) {
    return `${reference} is approved. It is outside office hours: the license moves to the new hardware at ${formatOfficeTime(calendar, nextOfficeTime(calendar, now))}.`;
  }
  return `${reference} is approved; the workflow carries it out now.`;
}
