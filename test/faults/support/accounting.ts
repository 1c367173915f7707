import { submitRequest } from '../../../api/requests/lifecycle.ts';
import { messageIdFor } from '../../../services/mail/outbox.ts';
import type { CaughtMessage } from '../../../embedded/smtp-catcher.ts';
import type { PrismaClient } from '../../../prisma/client.ts';
import { newPartner } from '../../support/request-harness.ts';
import type { FaultStack } from './fault-stack.ts';

export type Partner = Awaited<ReturnType<typeof newPartner>>;

/** A new-installation request of `channels` from `partner`, started on the stack's task queue. */
export function submitInstallation(stack: FaultStack, partner: Partner, channels: number, site = 1) {
  return submitRequest(
    { prisma: stack.prisma, client: stack.client, taskQueue: stack.taskQueue },
    {
      companyId: partner.company.id,
      requesterId: partner.user.id,
      form: {
        type: 'NEW_INSTALLATION',
        productId: partner.product.id,
        channels,
        vcaChannels: 0,
        lock: { type: 'MAC', value: `c8d9d29a${(0x1000 + site).toString(16)}` },
        endUserCompany: `Site ${site} of ${partner.company.name}`,
        deliveryEmails: [partner.deliveryEmail],
      },
    },
  );
}

/**
 * Everything one request left behind, in a shape a test compares with `toEqual`, so that a
 * failure shows the whole picture: the ledger entries by kind, the partner's licenses (their
 * statuses) and revisions, each
 * outbox e-mail with how many copies the SMTP catcher holds (matched by the Message-ID the
 * outbox derives from the key), mail to the partner that no outbox row accounts for, and
 * timeline events written twice.
 */
export async function accountFor(prisma: PrismaClient, caught: CaughtMessage[], requestId: string) {
  const request = await prisma.request.findUniqueOrThrow({ where: { id: requestId } });
  const entries = await prisma.stockLedgerEntry.findMany({ where: { requestId }, select: { kind: true } });
  const ledger: Record<string, number> = {};
  for (const { kind } of entries) ledger[kind] = (ledger[kind] ?? 0) + 1;
  const licenses = await prisma.license.findMany({ where: { companyId: request.companyId }, include: { revisions: { select: { id: true } } } });
  const outbox = await prisma.outboxEmail.findMany({ where: { requestId }, orderBy: { createdAt: 'asc' } });
  const events = await prisma.historyEvent.groupBy({ by: ['action'], where: { requestId }, _count: { _all: true } });
  const ids = new Set(outbox.map((row) => messageIdFor(row.idempotencyKey)));
  const partnerMail = caught.filter((m) => request.deliveryEmails.some((address) => m.envelopeTo.includes(address)));
  return {
    status: request.status,
    ledger,
    licenses: licenses.map((l) => l.status),
    revisions: licenses.reduce((n, l) => n + l.revisions.length, 0),
    outbox: outbox.map((row) => ({
      mail: row.idempotencyKey.slice(requestId.length + 1),
      status: row.status,
      copies: caught.filter((m) => m.messageId === messageIdFor(row.idempotencyKey)).length,
    })),
    strayMail: partnerMail.filter((m) => !m.messageId || !ids.has(m.messageId)).map((m) => m.subject),
    eventsWrittenTwice: events.filter((e) => e._count._all > 1).map((e) => e.action),
  };
}

/** What a completed new installation must leave: one reservation consumed, one license, each mail once. */
export function completedInstallation(mails: string[]) {
  return {
    status: 'COMPLETED',
    ledger: { RESERVE: 1, CONSUME: 1 },
    licenses: ['ACTIVE'],
    revisions: 1,
    outbox: mails.map((mail) => ({ mail, status: 'SENT', copies: 1 })),
    strayMail: [],
    eventsWrittenTwice: [],
  };
}
