import { describe, expect, it } from 'vitest';
import { approvalMessage } from '../api/requests/approval-message.ts';
import { DESK_CALENDAR } from '../domain/business-calendar.ts';

describe('the answer to an approval', () => {
  const replacement = { number: 9, type: 'HARDWARE_REPLACEMENT' };

  it("names the moment a hardware replacement approved outside office hours moves, in the desk's zone", () => {
    // Saturday 2026-12-05 14:00 Helsinki: the office opens on Monday at 08:00.
    expect(approvalMessage(replacement, DESK_CALENDAR, Date.parse('2026-12-05T12:00:00Z'))).toBe(
      'LD-000009 is approved. It is outside office hours: the license moves to the new hardware at 08:00 Monday 7 December 2026, Europe/Helsinki.',
    );
    // Christmas Eve (a Thursday) is a holiday, and so are the two days after it.
    expect(approvalMessage(replacement, DESK_CALENDAR, Date.parse('2026-12-23T15:00:00Z'))).toBe(
      'LD-000009 is approved. It is outside office hours: the license moves to the new hardware at 08:00 Monday 28 December 2026, Europe/Helsinki.',
    );
  });

  it('promises the work now in office hours, and for every other type', () => {
    expect(approvalMessage(replacement, DESK_CALENDAR, Date.parse('2026-12-07T09:00:00Z'))).toBe('LD-000009 is approved; the workflow carries it out now.');
    expect(approvalMessage({ number: 10, type: 'NEW_INSTALLATION' }, DESK_CALENDAR, Date.parse('2026-12-05T12:00:00Z'))).toBe(
      'LD-000010 is approved; the workflow carries it out now.',
    );
  });
});
