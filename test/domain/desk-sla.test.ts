import { describe, expect, it } from 'vitest';
import { DEFAULT_DESK_SLA_BUSINESS_HOURS, deskDueAt, slaStanding } from '../../domain/desk-sla.ts';

describe('the desk decision due date', () => {
  it('counts the SLA in desk business hours from when the request enters the queue', () => {
    // Friday 15:00 in Helsinki: 1 hour left that day, then Monday, Tuesday, and 7 hours of Wednesday.
    expect(deskDueAt('PENDING_APPROVAL', new Date('2026-11-20T13:00:00Z'), DEFAULT_DESK_SLA_BUSINESS_HOURS)?.toISOString()).toBe('2026-11-25T13:00:00.000Z');
    // Outside office hours the clock starts at the next opening (Monday 08:00 Helsinki).
    expect(deskDueAt('PENDING_APPROVAL', new Date('2026-11-21T10:00:00Z'), 8)?.toISOString()).toBe('2026-11-23T14:00:00.000Z');
  });

  it('stops the clock while the partner is asked, and leaves other statuses alone', () => {
    expect(deskDueAt('WAITING_FOR_PARTNER', new Date('2026-11-20T13:00:00Z'), 24)).toBeNull();
    for (const status of ['PROCESSING', 'COMPLETED', 'REJECTED', 'WAITING_FOR_CONSENT', undefined]) {
      expect(deskDueAt(status, new Date('2026-11-20T13:00:00Z'), 24)).toBeUndefined();
    }
  });

  it('colours the queue: on time, due soon within 4 hours, breached, and for a decided request met or missed', () => {
    const now = new Date('2026-11-20T12:00:00Z');
    expect(slaStanding({ dueAt: null }, now)).toBe('none');
    expect(slaStanding({ dueAt: '2026-11-20T18:00:00Z' }, now)).toBe('on-time');
    expect(slaStanding({ dueAt: '2026-11-20T16:00:00Z' }, now)).toBe('due-soon');
    expect(slaStanding({ dueAt: '2026-11-20T11:59:00Z' }, now)).toBe('breached');
    expect(slaStanding({ dueAt: '2026-11-20T11:00:00Z', decidedAt: '2026-11-20T10:00:00Z' }, now)).toBe('met');
    expect(slaStanding({ dueAt: '2026-11-20T11:00:00Z', decidedAt: '2026-11-20T11:30:00Z' }, now)).toBe('missed');
  });
});
