import type { PrismaClient } from '../prisma/client.ts';
import { RequestStatus } from '../prisma/client.ts';
import { historyActorColumns, type Actor } from '../domain/actor.ts';
import type { BusinessCalendar } from '../domain/business-calendar.ts';
import { DEFAULT_DESK_SLA_BUSINESS_HOURS, deskDueAt } from '../domain/desk-sla.ts';
import { systemClock, type Clock } from '../services/clock.ts';
import { recordWebhookEvent } from '../services/webhooks/events.ts';
import { requestReference } from '../domain/request-labels.ts';

export interface StepRecord {
  requestId: string;
  /** Unique per request; a retried activity with the same step writes nothing new. */
  step: string;
  action: string;
  status?: RequestStatus;
  changes?: string;
  comment?: string;
  actor?: Actor;
  partnerVisible?: boolean;
  licenseId?: string;
  details?: Record<string, unknown>;
  decided?: boolean;
  completed?: boolean;
}

/** The desk's SLA and calendar that a status's due date is counted on, and the clock that dates it. */
export interface TimelinePolicy {
  deskSlaBusinessHours?: number;
  deskCalendar?: BusinessCalendar;
  clock?: Clock;
}

/**
 * Writes a request's status and its timeline event together, once per (request, step). The
 * database is the read model: lists and timelines read these rows, not Temporal.
 */
export async function recordStep(
  prisma: PrismaClient,
  record: StepRecord,
  { deskSlaBusinessHours = DEFAULT_DESK_SLA_BUSINESS_HOURS, deskCalendar, clock = systemClock }: TimelinePolicy = {},
): Promise<void> {
  const key = `${record.requestId}:${record.step}`;
  await prisma.$transaction(async (tx) => {
    const existing = await tx.historyEvent.findUnique({ where: { idempotencyKey: key }, select: { id: true } });
    if (existing) return;
    const request = await tx.request.findUniqueOrThrow({
      where: { id: record.requestId },
      select: { companyId: true, status: true, number: true, type: true, requester: { select: { id: true, name: true } } },
    });
    // The workflows record the submission without an actor: it is the requester's, not the system's.
    const actor = record.actor ?? (record.action === 'request_submitted' ? { userId: request.requester.id, name: request.requester.name } : undefined);
    await tx.historyEvent.create({
      data: {
        idempotencyKey: key,
        action: record.action,
        ...historyActorColumns(actor),
        companyId: request.companyId,
        requestId: record.requestId,
        licenseId: record.licenseId,
        changes: record.changes,
        comment: record.comment,
        partnerVisible: record.partnerVisible ?? true,
        details: (record.details ?? {}) as object,
      },
    });
    if (record.status || record.decided || record.completed) {
      const now = clock.now();
      await tx.request.update({
        where: { id: record.requestId },
        data: {
          status: record.status,
          decidedAt: record.decided ? now : undefined,
          completedAt: record.completed ? now : undefined,
          licenseId: record.licenseId,
          dueAt: deskDueAt(record.status, now, deskSlaBusinessHours, deskCalendar),
        },
      });
    }
    // The webhook event, in this transaction: every request type's status changes pass here.
    const submitted = record.action === 'request_submitted';
    if (record.status && (record.status !== request.status || submitted)) {
      await recordWebhookEvent(tx, {
        type: 'request.status_changed',
        companyId: request.companyId,
        at: clock.now(),
        data: {
          requestId: record.requestId,
          reference: requestReference(request.number),
          requestType: request.type,
          previousStatus: submitted ? null : request.status,
          status: record.status,
          action: record.action,
          // A desk-only note stays with the desk.
          comment: record.partnerVisible === false ? null : (record.comment ?? null),
        },
      });
    }
  });
}
