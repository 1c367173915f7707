import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { PrismaClient } from '../../prisma/client.ts';
import { RequestStatus, RequestType, StockEntryKind } from '../../prisma/client.ts';

/**
 * The webhook events: what a receiver gets, one zod schema per event type. The same schemas
 * feed the OpenAPI document (GET /api/webhook-deliveries/{id}/payload answers one of them) and
 * docs/webhooks.md describes them.
 *
 * Events are written by `recordWebhookEvent` INSIDE the transaction of the change they tell
 * about (recordStep, the license revision, the stock ledger), so an event exists exactly when
 * its change committed. The deliveries are started after the commit by the dispatcher
 * (dispatcher.ts), which a `pg_notify` in the same transaction wakes.
 */

export const WEBHOOK_EVENT_TYPES = ['request.status_changed', 'license.issued', 'license.revised', 'stock.changed'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The channel the dispatcher LISTENs on; a NOTIFY is delivered only when its transaction commits. */
export const WEBHOOK_NOTIFY_CHANNEL = 'license_desk_webhooks';

export const requestStatusChangedData = z
  .object({
    requestId: z.uuid(),
    reference: z.string().describe('The reference people quote, e.g. LD-000123'),
    requestType: z.enum(Object.values(RequestType) as [string, ...string[]]),
    previousStatus: z
      .enum(Object.values(RequestStatus) as [string, ...string[]])
      .nullable()
      .describe('null for the submission'),
    status: z.enum(Object.values(RequestStatus) as [string, ...string[]]),
    action: z.string().describe('The timeline action that changed the status, e.g. request_approved'),
    comment: z.string().nullable(),
  })
  .describe('A request moved to another status (its timeline has the step)');

export const licenseIssuedData = z
  .object({
    licenseId: z.uuid(),
    serial: z.string().length(12),
    revision: z.number().int().min(1),
    requestId: z.uuid().nullable(),
    productCode: z.string(),
    channels: z.number().int(),
    vcaChannels: z.number().int(),
    status: z.string().describe('The license status after this revision, e.g. ACTIVE'),
    action: z.string().describe('The history action, e.g. created, channels_changed, upgraded'),
    changes: z.string().describe('What changed, as the license report shows it, e.g. "Channels: +5"'),
    fileName: z.string().describe('The signed file of this revision, downloadable from /api/licenses/{licenseId}'),
  })
  .describe('A license revision: revision 1 is license.issued, every later one license.revised');

export const stockChangedData = z
  .object({
    productId: z.uuid(),
    productCode: z.string(),
    kind: z.enum(Object.values(StockEntryKind) as [string, ...string[]]),
    channels: z.number().int().describe('The channels this ledger entry moved'),
    requestId: z.uuid().nullable(),
    balance: z.object({ available: z.number().int(), reserved: z.number().int(), consumed: z.number().int() }).describe('The stock after the movement'),
  })
  .describe("A movement in the company's stock ledger");

const envelope = <T extends WebhookEventType, D extends z.ZodType>(type: T, data: D) =>
  z
    .object({
      id: z.uuid().describe('The event id: the same in the Webhook-Id header, on every attempt and every redelivery; deduplicate on it'),
      type: z.literal(type),
      createdAt: z.iso.datetime().describe('When the change committed (UTC)'),
      companyId: z.uuid().describe('The partner company the event belongs to'),
      data,
    })
    .meta({ id: `WebhookEvent_${type.replace('.', '_')}` });

export const webhookEventSchemas = {
  'request.status_changed': envelope('request.status_changed', requestStatusChangedData),
  'license.issued': envelope('license.issued', licenseIssuedData),
  'license.revised': envelope('license.revised', licenseIssuedData),
  'stock.changed': envelope('stock.changed', stockChangedData),
} as const;

/** Any event body, as a receiver gets it. */
export const webhookEventPayload = z
  .discriminatedUnion('type', [
    webhookEventSchemas['request.status_changed'],
    webhookEventSchemas['license.issued'],
    webhookEventSchemas['license.revised'],
    webhookEventSchemas['stock.changed'],
  ])
  .describe('A webhook event body (POSTed as JSON to the endpoint)');

export type WebhookEventPayload = z.infer<typeof webhookEventPayload>;
export type WebhookEventData<T extends WebhookEventType> = z.infer<(typeof webhookEventSchemas)[T]>['data'];

type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/**
 * Writes one event and a delivery for every active endpoint of the company that chose its type,
 * in the caller's transaction, and wakes the dispatcher when (and only when) it commits. Without
 * a matching endpoint nothing is written: a company with no webhooks pays one indexed read.
 */
export async function recordWebhookEvent<T extends WebhookEventType>(
  tx: Tx,
  event: { type: T; companyId: string; data: WebhookEventData<T>; at?: Date },
): Promise<string | undefined> {
  const endpoints = await tx.webhookEndpoint.findMany({
    where: { companyId: event.companyId, disabledAt: null, events: { has: event.type } },
    select: { id: true },
  });
  if (endpoints.length === 0) return undefined;
  const createdAt = event.at ?? new Date();
  const id = randomUUID();
  const payload = { id, type: event.type, createdAt: createdAt.toISOString(), companyId: event.companyId, data: event.data };
  await tx.webhookEvent.create({ data: { id, type: event.type, companyId: event.companyId, payload: payload as object, createdAt } });
  await tx.webhookDelivery.createMany({
    data: endpoints.map((endpoint) => ({ eventId: id, endpointId: endpoint.id, companyId: event.companyId, eventType: event.type })),
  });
  await tx.$executeRaw`SELECT pg_notify(${WEBHOOK_NOTIFY_CHANNEL}, ${id})`;
  return id;
}
