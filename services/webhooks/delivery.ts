import type { PrismaClient } from '../../prisma/client.ts';
import { systemClock, type Clock } from '../clock.ts';
import { decryptWebhookSecret, SIGNATURE_HEADER, signWebhook } from './signature.ts';

/** How long one POST may take before it counts as failed (and is retried). */
export const WEBHOOK_ATTEMPT_TIMEOUT_MS = 10_000;
const MAX_RESPONSE_CHARS = 1000;
const MAX_ERROR_CHARS = 1000;

export type AttemptOutcome =
  /** The receiver answered 2xx. */
  | { outcome: 'delivered'; statusCode: number }
  /** This round was delivered before (a retried activity): nothing was sent. */
  | { outcome: 'already-delivered' }
  /** The endpoint was deleted or disabled, or a newer round replaced this one: nothing was sent. */
  | { outcome: 'skipped'; reason: string };

/** A receiver's refusal or silence; the activity rethrows it as retryable. */
export class WebhookAttemptFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookAttemptFailed';
  }
}

export interface WebhookSenderDeps {
  prisma: PrismaClient;
  /** SIGNING_KEY_SECRET: decrypts the endpoints' secrets. */
  masterSecret: string;
  clock?: Clock;
  fetch?: typeof fetch;
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function describe(error: unknown): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } } | null;
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `No answer within ${WEBHOOK_ATTEMPT_TIMEOUT_MS / 1000} s`;
  const cause = e?.cause?.code ?? e?.cause?.message;
  return clip(cause ? `${e?.message ?? 'fetch failed'}: ${cause}` : (e?.message ?? String(error)), MAX_ERROR_CHARS);
}

/**
 * Sends one delivery round once: signs the event's stored JSON with the endpoint's secret, POSTs
 * it, and records the attempt (status code, error, duration) in the delivery log. The event id
 * is the idempotency key a receiver deduplicates on; a retried activity whose round was already
 * answered 2xx sends nothing.
 */
export function createWebhookSender({ prisma, masterSecret, clock = systemClock, fetch: fetchImpl = fetch }: WebhookSenderDeps) {
  async function attempt({ deliveryId, round, attempt }: { deliveryId: string; round: number; attempt: number }): Promise<AttemptOutcome> {
    const delivery = await prisma.webhookDelivery.findUnique({ where: { id: deliveryId }, include: { endpoint: true, event: true } });
    if (!delivery) return { outcome: 'skipped', reason: 'The endpoint was deleted' };
    if (delivery.round !== round) return { outcome: 'skipped', reason: `Round ${round} was replaced by round ${delivery.round}` };
    const done = await prisma.webhookAttempt.findFirst({ where: { deliveryId, round, statusCode: { gte: 200, lt: 300 } }, select: { id: true } });
    if (done) return { outcome: 'already-delivered' };
    if (delivery.endpoint.disabledAt) return { outcome: 'skipped', reason: 'The endpoint is disabled' };

    const secret = decryptWebhookSecret(masterSecret, delivery.endpoint.id, delivery.endpoint.secretEnc);
    const body = JSON.stringify(delivery.event.payload);
    const timestamp = Math.floor(clock.now().getTime() / 1000);
    const started = performance.now();
    let statusCode: number | undefined;
    let responseBody: string | undefined;
    let error: string | undefined;
    try {
      const response = await fetchImpl(delivery.endpoint.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(WEBHOOK_ATTEMPT_TIMEOUT_MS),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'License-Desk-Webhooks/1',
          'webhook-id': delivery.eventId,
          'x-license-desk-event-id': delivery.eventId,
          'x-license-desk-event-type': delivery.eventType,
          'webhook-timestamp': String(timestamp),
          'x-license-desk-delivery-id': delivery.id,
          [SIGNATURE_HEADER.toLowerCase()]: signWebhook(secret, timestamp, body),
        },
        body,
      });
      statusCode = response.status;
      responseBody = clip(await response.text().catch(() => ''), MAX_RESPONSE_CHARS);
      if (statusCode < 200 || statusCode >= 300) error = `The receiver answered ${statusCode}`;
    } catch (caught) {
      error = describe(caught);
    }
    const durationMs = Math.round(performance.now() - started);
    const ok = error === undefined;
    const now = clock.now();
    await prisma.$transaction([
      prisma.webhookAttempt.create({ data: { deliveryId, round, attempt, statusCode, error, responseBody, durationMs, createdAt: now } }),
      prisma.webhookDelivery.update({
        where: { id: deliveryId },
        data: {
          attempts: { increment: 1 },
          lastStatusCode: statusCode ?? null,
          lastError: error ?? null,
          lastAttemptAt: now,
          ...(ok ? { status: 'DELIVERED', deliveredAt: now } : {}),
        },
      }),
    ]);
    if (!ok) throw new WebhookAttemptFailed(error!);
    return { outcome: 'delivered', statusCode: statusCode! };
  }

  /** After the last retry: the round failed, unless it was delivered or replaced meanwhile. */
  async function giveUp({ deliveryId, round, reason }: { deliveryId: string; round: number; reason: string }) {
    await prisma.webhookDelivery.updateMany({
      where: { id: deliveryId, round, status: 'PENDING' },
      data: { status: 'FAILED', lastError: clip(`Gave up: ${reason}`, MAX_ERROR_CHARS) },
    });
  }

  return { attempt, giveUp };
}

export type WebhookSender = ReturnType<typeof createWebhookSender>;
