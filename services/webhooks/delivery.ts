import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { PrismaClient } from '../../prisma/client.ts';
import { systemClock, type Clock } from '../clock.ts';
import { DestinationRefused, hostOf, pinnedLookup, refuseLiteral, resolveAll, type Resolve } from './destination.ts';
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

/** The URL's host is (or resolves to) a non-public address: nothing was sent, and retrying will not help. */
export class WebhookDestinationRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookDestinationRefused';
  }
}

export interface WebhookSenderDeps {
  prisma: PrismaClient;
  /** SIGNING_KEY_SECRET: decrypts the endpoints' secrets. */
  masterSecret: string;
  clock?: Clock;
  /** WEBHOOK_ALLOW_PRIVATE: loopback and private-network receivers are reached (local development, tests). */
  allowPrivate?: boolean;
  /** The resolver the send-time check and the connection share (the system's; tests give their own). */
  resolve?: Resolve;
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function describe(error: unknown): string {
  const e = error as { name?: string; message?: string; code?: string } | null;
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `No answer within ${WEBHOOK_ATTEMPT_TIMEOUT_MS / 1000} s`;
  return clip(`The request failed: ${e?.code ?? e?.message ?? String(error)}`, MAX_ERROR_CHARS);
}

export interface WebhookPost {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Off: the host must be public, checked on the addresses the connection then uses (pinned). */
  allowPrivate: boolean;
  resolve?: Resolve;
  timeoutMs?: number;
}

/**
 * POSTs a body and answers the status code and the first characters of the answer. Redirects
 * are not followed. Unless `allowPrivate`, an IP literal or `localhost` outside the public
 * internet is refused before connecting, and a host name is resolved once by a `lookup` that
 * refuses non-public addresses and connects to exactly the addresses it checked (no second
 * resolution for DNS rebinding to answer differently); a refusal rejects with DestinationRefused.
 */
export function postWebhook({ url, headers, body, allowPrivate, resolve = resolveAll, timeoutMs = WEBHOOK_ATTEMPT_TIMEOUT_MS }: WebhookPost) {
  return new Promise<{ statusCode: number; responseBody: string }>((settle, reject) => {
    const target = new URL(url);
    if (!allowPrivate) {
      const refused = refuseLiteral(hostOf(target));
      if (refused) return reject(new DestinationRefused(`Refused: ${refused}`));
    }
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        // A connection of its own each time: no pooled socket skips the check.
        agent: false,
        signal: AbortSignal.timeout(timeoutMs),
        ...(allowPrivate ? {} : { lookup: pinnedLookup(resolve) }),
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (text.length <= MAX_RESPONSE_CHARS) text += chunk;
        });
        const done = () => settle({ statusCode: response.statusCode ?? 0, responseBody: clip(text, MAX_RESPONSE_CHARS) });
        response.on('end', done);
        // A body cut short still leaves the status code.
        response.on('error', done);
        response.on('close', done);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * Sends one delivery round once: signs the event's stored JSON with the endpoint's secret, POSTs
 * it, and records the attempt (status code, error, duration) in the delivery log. The event id
 * is the idempotency key a receiver deduplicates on; a retried activity whose round was already
 * answered 2xx sends nothing.
 */
export function createWebhookSender({ prisma, masterSecret, clock = systemClock, allowPrivate = false, resolve }: WebhookSenderDeps) {
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
    let refused = false;
    try {
      ({ statusCode, responseBody } = await postWebhook({
        url: delivery.endpoint.url,
        allowPrivate,
        resolve,
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
      }));
      if (statusCode < 200 || statusCode >= 300) error = `The receiver answered ${statusCode}`;
    } catch (caught) {
      // The refusal names the rule and the host as registered, never the address it resolved to.
      refused = caught instanceof DestinationRefused;
      error = refused ? (caught as DestinationRefused).message : describe(caught);
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
    if (refused) throw new WebhookDestinationRefused(error!);
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
