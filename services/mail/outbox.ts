import { createHash } from 'node:crypto';
import type { SendMailOptions } from 'nodemailer';
import type { PrismaClient } from '../../prisma/client.ts';
import { systemClock, type Clock } from '../clock.ts';
import type { OutboxEmail, OutboxStatus, Prisma } from '../../prisma/generated/client.ts';
import { renderMail, type MailModel } from './templates.ts';
import type { MailTransport } from './transport.ts';

/**
 * The outbox: every e-mail is written to `OutboxEmail` (rendered, with its recipients and
 * attachment references) before anything is sent, keyed by a business idempotency key such as
 * `<requestId>:approved` or `<requestId>:reminder:2`. A Temporal activity calls `deliver` (or
 * `enqueue` then `send`) with the same key on every retry, so it finds its own earlier row.
 *
 * Delivery guarantee, honestly: SMTP has no idempotent send. `send` locks the row
 * (`SELECT ... FOR UPDATE`) for the whole SMTP exchange and returns early when the row is SENT,
 * so two workers, or a retry racing a slow first attempt, never both send. When the server
 * accepted the message but the database could not record it (the connection dropped, the commit
 * failed: PostgreSQL restarting), the process remembers the acceptance, and the next attempt in
 * the same process records it instead of sending again. What remains is at-least-once in one
 * window: the process itself died (or the retry ran in another worker) between the server's
 * acceptance and the record. The next attempt then sends the message again. It carries the same
 * Message-ID (derived from the key), so mail clients and archives that dedupe on Message-ID show
 * it once; others show a duplicate.
 */

/** An attachment as the caller gives it: a license revision by id, or inline content. */
export interface OutboxAttachmentInput {
  fileName: string;
  contentType: string;
  /** Attach `LicenseRevision.signedFile` (read at send time; the bytes stay in their table). */
  revisionId?: string;
  /** Inline content, stored in the row's attachments JSON. */
  content?: string;
  /** How `content` is encoded; utf8 (text) when absent. */
  encoding?: 'utf8' | 'base64';
}

type StoredAttachment =
  { fileName: string; contentType: string; revisionId: string } | { fileName: string; contentType: string; content: string; encoding: 'utf8' | 'base64' };

export interface EnqueueInput {
  /** Idempotency key, e.g. `${requestId}:approved` or `${requestId}:reminder:${n}`. */
  key: string;
  requestId?: string;
  to: string[];
  cc?: string[];
  model: MailModel;
  attachments?: OutboxAttachmentInput[];
}

export interface OutboxDeps {
  prisma: PrismaClient;
  transport: MailTransport;
  /** The From header, e.g. `License Desk <license-desk@example.com>` (MAIL_FROM). */
  from: string;
  /** Stamps `sentAt`; the system clock when absent. */
  clock?: Clock;
}

export type Outbox = ReturnType<typeof createOutbox>;

/** What the activities send mail through: the outbox's `deliver` (record, then send once per key). */
export type Mailer = Pick<Outbox, 'deliver'>;

/** `<sha256(key)@license-desk>`: the same key always yields the same Message-ID. */
export function messageIdFor(key: string): string {
  return `<${createHash('sha256').update(key).digest('hex')}@license-desk>`;
}

const RESEND = /:resend:(\d+)$/;
const MAX_ERROR_LENGTH = 2000;
// The row lock is held while nodemailer talks to the server; the transport's own timeouts
// (see transport.ts) end a dead connection well before this.
const SEND_TRANSACTION = { maxWait: 10_000, timeout: 180_000 };

const isUniqueViolation = (error: unknown) => (error as { code?: unknown } | null)?.code === 'P2002';

function describeError(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown } | null;
  const message = typeof e?.message === 'string' ? e.message : String(error);
  const text = typeof e?.code === 'string' && !message.includes(e.code) ? `${e.code}: ${message}` : message;
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}

function toStoredAttachment(input: OutboxAttachmentInput): StoredAttachment {
  const { fileName, contentType, revisionId, content } = input;
  if ((revisionId === undefined) === (content === undefined)) {
    throw new Error(`Attachment "${fileName}" needs exactly one of revisionId (a license revision) or content (inline)`);
  }
  if (revisionId !== undefined) return { fileName, contentType, revisionId };
  return { fileName, contentType, content: content!, encoding: input.encoding ?? 'utf8' };
}

function parseStoredAttachments(value: Prisma.JsonValue, key: string): StoredAttachment[] {
  if (!Array.isArray(value)) throw new Error(`Outbox e-mail ${key} has malformed attachments (expected an array)`);
  return value.map((item) => {
    const a = item as Record<string, unknown> | null;
    if (!a || typeof a.fileName !== 'string' || typeof a.contentType !== 'string') {
      throw new Error(`Outbox e-mail ${key} has an attachment without fileName and contentType`);
    }
    if (typeof a.revisionId === 'string') return { fileName: a.fileName, contentType: a.contentType, revisionId: a.revisionId };
    if (typeof a.content === 'string') {
      return { fileName: a.fileName, contentType: a.contentType, content: a.content, encoding: a.encoding === 'base64' ? 'base64' : 'utf8' };
    }
    throw new Error(`Outbox e-mail ${key}: attachment "${a.fileName}" has neither revisionId nor content`);
  });
}

export function createOutbox({ prisma, transport, from, clock = systemClock }: OutboxDeps) {
  /**
   * Messages the server accepted whose SENT the database has not recorded yet, by key. An entry
   * whose retry went to another worker (or never came) is dropped after a day.
   */
  const acceptedUnrecorded = new Map<string, { messageId: string; rejected: string[]; at: Date }>();
  const remember = (key: string, accepted: { messageId: string; rejected: string[]; at: Date }) => {
    const dayAgo = clock.now().getTime() - 86_400_000;
    for (const [old, { at }] of acceptedUnrecorded) if (at.getTime() < dayAgo) acceptedUnrecorded.delete(old);
    acceptedUnrecorded.set(key, accepted);
  };

  /** Records the rendered message; a second call with the same key returns the first row unchanged. */
  async function enqueue(input: EnqueueInput): Promise<OutboxEmail> {
    const existing = await prisma.outboxEmail.findUnique({ where: { idempotencyKey: input.key } });
    if (existing) return existing;

    if (input.to.length === 0) throw new Error(`Outbox e-mail ${input.key} needs at least one recipient in "to"`);
    const attachments = (input.attachments ?? []).map(toStoredAttachment);
    const revisionIds = attachments.flatMap((a) => ('revisionId' in a ? [a.revisionId] : []));
    if (revisionIds.length > 0) {
      const found = await prisma.licenseRevision.findMany({ where: { id: { in: revisionIds } }, select: { id: true } });
      const missing = revisionIds.filter((id) => !found.some((r) => r.id === id));
      if (missing.length > 0) throw new Error(`Outbox e-mail ${input.key} attaches license revision ${missing.join(', ')}, which does not exist`);
    }
    const rendered = renderMail(input.model);
    try {
      return await prisma.outboxEmail.create({
        data: {
          idempotencyKey: input.key,
          requestId: input.requestId,
          to: input.to,
          cc: input.cc ?? [],
          subject: rendered.subject,
          text: rendered.text,
          html: rendered.html,
          attachments: attachments as Prisma.InputJsonValue,
        },
      });
    } catch (error) {
      // A concurrent enqueue with the same key won the race: its row is the message.
      if (isUniqueViolation(error)) return prisma.outboxEmail.findUniqueOrThrow({ where: { idempotencyKey: input.key } });
      throw error;
    }
  }

  async function loadAttachments(tx: Prisma.TransactionClient, row: OutboxEmail): Promise<NonNullable<SendMailOptions['attachments']>> {
    const stored = parseStoredAttachments(row.attachments, row.idempotencyKey);
    return Promise.all(
      stored.map(async (a) => {
        if ('revisionId' in a) {
          const revision = await tx.licenseRevision.findUnique({ where: { id: a.revisionId }, select: { signedFile: true, fileName: true } });
          if (!revision) throw new Error(`License revision ${a.revisionId} attached to outbox e-mail ${row.idempotencyKey} does not exist`);
          return { filename: revision.fileName, content: Buffer.from(revision.signedFile, 'utf8'), contentType: a.contentType };
        }
        return { filename: a.fileName, content: Buffer.from(a.content, a.encoding), contentType: a.contentType };
      }),
    );
  }

  /**
   * Sends the row with this key exactly once (see the guarantee at the top of this file).
   * Returns the SENT row; on failure records the attempt as FAILED and rethrows the error, so
   * the Temporal activity retries.
   */
  async function send(key: string): Promise<OutboxEmail> {
    const outcome = await prisma.$transaction(async (tx) => {
      const locked = await tx.$queryRaw<Array<{ id: string }>>`
        SELECT id FROM "OutboxEmail" WHERE "idempotencyKey" = ${key} FOR UPDATE`;
      if (locked.length === 0) throw new Error(`No outbox e-mail has the key ${key}; enqueue it before sending`);
      // Read after the lock: under READ COMMITTED this sees a concurrent sender's committed SENT.
      const row = await tx.outboxEmail.findUniqueOrThrow({ where: { idempotencyKey: key } });
      if (row.status === 'SENT') return { row };

      try {
        let accepted = acceptedUnrecorded.get(key);
        if (!accepted) {
          const info = await transport.sendMail({
            from,
            to: row.to,
            cc: row.cc.length > 0 ? row.cc : undefined,
            subject: row.subject,
            text: row.text,
            html: row.html ?? undefined,
            messageId: messageIdFor(key),
            attachments: await loadAttachments(tx, row),
          });
          accepted = { messageId: info.messageId || messageIdFor(key), rejected: (info.rejected ?? []).map(String), at: clock.now() };
          // Kept until the SENT below commits: if it does not, the next attempt records this one.
          remember(key, accepted);
        }
        const { rejected } = accepted;
        const sent = await tx.outboxEmail.update({
          where: { id: row.id },
          data: {
            status: 'SENT',
            sentAt: accepted.at,
            messageId: accepted.messageId,
            attempts: { increment: 1 },
            // The server took the message but refused some recipients: keep that visible.
            lastError: rejected.length > 0 ? `Recipients refused by the server: ${rejected.join(', ')}` : row.lastError,
          },
        });
        return { row: sent };
      } catch (error) {
        // When the failure was the database's own (the SENT record), the transaction is aborted and
        // this write fails too; the caller then reads that failure, not "transaction is aborted".
        const failed = await tx.outboxEmail
          .update({
            where: { id: row.id },
            data: { status: 'FAILED', attempts: { increment: 1 }, lastError: describeError(error) },
          })
          .catch(() => {
            throw error;
          });
        // Returned, not thrown, so that the FAILED row commits.
        return { row: failed, error };
      }
    }, SEND_TRANSACTION);
    if ('error' in outcome) throw outcome.error;
    acceptedUnrecorded.delete(key);
    return outcome.row;
  }

  /** `enqueue` then `send`: what an activity calls, safe to repeat with the same key. */
  async function deliver(input: EnqueueInput): Promise<OutboxEmail> {
    await enqueue(input);
    return send(input.key);
  }

  /**
   * For the desk: copies a recorded message into a new row keyed `<originalKey>:resend:<n>`
   * (numbered across the whole family, so resending a resend gives the next number) and sends
   * it. Each call sends one more copy, with its own Message-ID.
   */
  async function resend(id: string): Promise<OutboxEmail> {
    const original = await prisma.outboxEmail.findUnique({ where: { id } });
    if (!original) throw new Error(`No outbox e-mail has the id ${id}`);
    const rootKey = original.idempotencyKey.replace(RESEND, '');

    for (let attempt = 0; ; attempt++) {
      const family = await prisma.outboxEmail.findMany({
        where: { idempotencyKey: { startsWith: `${rootKey}:resend:` } },
        select: { idempotencyKey: true },
      });
      const numbers = family.flatMap(({ idempotencyKey }) => {
        const match = RESEND.exec(idempotencyKey);
        return match && idempotencyKey === `${rootKey}:resend:${match[1]}` ? [Number(match[1])] : [];
      });
      const key = `${rootKey}:resend:${Math.max(0, ...numbers) + 1}`;
      try {
        await prisma.outboxEmail.create({
          data: {
            idempotencyKey: key,
            requestId: original.requestId,
            to: original.to,
            cc: original.cc,
            subject: original.subject,
            text: original.text,
            html: original.html,
            attachments: original.attachments as Prisma.InputJsonValue,
          },
        });
      } catch (error) {
        // Another resend took this number at the same moment: take the next one.
        if (isUniqueViolation(error) && attempt < 5) continue;
        throw error;
      }
      return send(key);
    }
  }

  /** The recorded messages, oldest first; for a request's timeline or the desk's outbox view. */
  async function list(filter: { requestId?: string; status?: OutboxStatus } = {}): Promise<OutboxEmail[]> {
    return prisma.outboxEmail.findMany({
      where: { requestId: filter.requestId, status: filter.status },
      orderBy: [{ createdAt: 'asc' }, { idempotencyKey: 'asc' }],
    });
  }

  return { enqueue, send, deliver, resend, list };
}
