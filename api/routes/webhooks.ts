import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import type { PrismaClient } from '../../prisma/client.ts';
import type { Prisma } from '../../prisma/generated/client.ts';
import { WEBHOOK_EVENT_TYPES, WEBHOOK_NOTIFY_CHANNEL, webhookEventPayload } from '../../services/webhooks/events.ts';
import { checkDestination, type Resolve } from '../../services/webhooks/destination.ts';
import { encryptWebhookSecret, generateWebhookSecret, secretPrefix } from '../../services/webhooks/signature.ts';
import { requireRole, type AuthEnv } from '../auth/middleware.ts';
import type { SessionUser } from '../auth/sessions.ts';
import { idsFilter, listQuery, listResponse, notFound, orderOf } from '../simple-rest.ts';
import { documented, listOf } from '../route-docs.ts';
import { isDesk } from '../tenancy.ts';
import { fieldError, validate } from '../validation.ts';

export interface WebhookRouteDeps {
  prisma: PrismaClient;
  /** SIGNING_KEY_SECRET: encrypts each endpoint's secret at rest. */
  masterSecret: string;
  /** WEBHOOK_ALLOW_HTTP: plain-http endpoints are accepted (local development, tests). */
  allowHttp: boolean;
  /**
   * WEBHOOK_ALLOW_PRIVATE: URLs on loopback, private networks and other non-public addresses are
   * accepted (local development, tests). Off, they are refused, IP literals and host names alike.
   */
  allowPrivate?: boolean;
  /** The resolver of host names (the system's; tests give their own). */
  resolve?: Resolve;
}

const when = z.iso.datetime({ offset: true });
const eventType = z.enum(WEBHOOK_EVENT_TYPES, { message: `Unknown event; choose from ${WEBHOOK_EVENT_TYPES.join(', ')}` });

export const webhookEndpointShape = z.looseObject({
  id: z.uuid(),
  companyId: z.uuid(),
  companyName: z.string(),
  url: z.string(),
  description: z.string(),
  events: z.array(eventType),
  secretPrefix: z.string().describe('The first characters of the secret, to tell secrets apart'),
  secretRotatedAt: when.nullable(),
  disabled: z.boolean(),
  disabledAt: when.nullable(),
  createdAt: when,
  updatedAt: when,
});
const endpointWithSecret = webhookEndpointShape.extend({ secret: z.string().describe('The signing secret (whsec_…), shown this once') });

export const webhookAttemptShape = z.looseObject({
  id: z.uuid(),
  round: z.number().int().describe('1 for the first delivery, 2 and on for each redeliver'),
  attempt: z.number().int().describe('The attempt within the round'),
  statusCode: z.number().int().nullable(),
  error: z.string().nullable(),
  responseBody: z.string().nullable().describe('The first 1000 characters of the answer'),
  durationMs: z.number().int(),
  createdAt: when,
});

export const webhookDeliveryShape = z.looseObject({
  id: z.uuid(),
  eventId: z.uuid().describe('The Webhook-Id header: the same on every attempt and redelivery'),
  endpointId: z.uuid(),
  endpointUrl: z.string(),
  companyId: z.uuid(),
  eventType,
  status: z.enum(['PENDING', 'DELIVERED', 'FAILED']),
  round: z.number().int(),
  attempts: z.number().int(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  lastAttemptAt: when.nullable(),
  deliveredAt: when.nullable(),
  createdAt: when,
});
const deliveryDetail = webhookDeliveryShape.extend({ attemptLog: z.array(webhookAttemptShape), payload: webhookEventPayload });

const idParam = z.object({ id: z.uuid({ message: 'Not a webhook id' }) });
const HTTP_NOTE = 'plain http only when the server sets WEBHOOK_ALLOW_HTTP';

function urlField(allowHttp: boolean) {
  const message = `Give the receiver's address starting with https://${allowHttp ? ' (or http://)' : ` (${HTTP_NOTE})`}, e.g. https://erp.example.com/license-desk/webhooks`;
  return z
    .string({ message })
    .trim()
    .max(2000, 'The URL is longer than 2000 characters')
    .superRefine((value, ctx) => {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        ctx.addIssue({ code: 'custom', message });
        return;
      }
      if (url.protocol !== 'https:' && !(allowHttp && url.protocol === 'http:')) ctx.addIssue({ code: 'custom', message });
      else if (url.username || url.password)
        ctx.addIssue({ code: 'custom', message: 'Leave user names and passwords out of the URL: each delivery is signed instead' });
      else if (url.hash) ctx.addIssue({ code: 'custom', message: 'A webhook URL has no #fragment' });
    });
}

const eventsField = z
  .array(eventType, { message: `Choose the events as a list, e.g. ["license.issued"]` })
  .min(1, 'Choose at least one event')
  .transform((events) => [...new Set(events)]);

const ENDPOINT_FIELDS = {
  id: true,
  companyId: true,
  url: true,
  description: true,
  events: true,
  secretPrefix: true,
  secretRotatedAt: true,
  disabledAt: true,
  createdAt: true,
  updatedAt: true,
} as const;
type EndpointRow = Prisma.WebhookEndpointGetPayload<{ select: typeof ENDPOINT_FIELDS }>;

/** A partner admin sees and manages its own company's webhooks; a desk admin every company's. */
const scopeOf = (user: SessionUser) => (isDesk(user) ? {} : { companyId: user.companyId });

async function withCompanyNames(prisma: PrismaClient, rows: EndpointRow[]) {
  const companies = await prisma.company.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.companyId))] } }, select: { id: true, name: true } });
  const names = new Map(companies.map((c) => [c.id, c.name]));
  return rows.map((row) => ({ ...row, companyName: names.get(row.companyId) ?? '', disabled: row.disabledAt !== null }));
}

/**
 * Webhook endpoints: a partner admin registers its company's receivers and their events; the
 * secret is shown once (at creation and at each rotation). Desk admins see every company's.
 */
export function webhookEndpointRoutes({ prisma, masterSecret, allowHttp, allowPrivate = false, resolve }: WebhookRouteDeps) {
  /** The destination rule (services/webhooks/destination.ts); each delivery checks it again before it connects. */
  const checkUrl = async (url: string | undefined) => {
    if (url === undefined || allowPrivate) return;
    const refused = await checkDestination(new URL(url), { resolve });
    if (refused) throw fieldError('url', refused);
  };
  const createBody = z.strictObject({
    url: urlField(allowHttp),
    description: z.string().trim().max(200, 'Keep the description under 200 characters').optional(),
    events: eventsField,
    companyId: z.uuid({ message: 'Not a company id' }).optional().describe("Desk admins only: the company the endpoint is for (a partner admin's is its own)"),
  });
  const updateBody = z
    .object({
      url: urlField(allowHttp).optional(),
      description: z.string().trim().max(200, 'Keep the description under 200 characters').optional(),
      events: eventsField.optional(),
      disabled: z.boolean({ message: 'disabled is true or false' }).optional(),
    })
    .describe('The fields to change; others (react-admin sends the whole record) are ignored');
  const filter = z.strictObject({ id: idsFilter, companyId: z.uuid().optional(), disabled: z.boolean().optional() });

  const load = async (user: SessionUser, id: string) => {
    const row = await prisma.webhookEndpoint.findFirst({ where: { id, ...scopeOf(user) }, select: ENDPOINT_FIELDS });
    return row ?? notFound('Webhook endpoint');
  };
  const present = async (row: EndpointRow) => (await withCompanyNames(prisma, [row]))[0]!;

  return new Hono<AuthEnv>()
    .use(requireRole('PARTNER_ADMIN', 'DESK_ADMIN'))
    .get(
      '/',
      documented({
        summary: 'Webhook endpoints',
        who: 'partner admin (own company), desk admin (all)',
        answers: { 200: listOf(webhookEndpointShape, 'The endpoints, without their secrets') },
      }),
      validate('query', listQuery(['createdAt', 'url', 'updatedAt'], filter)),
      async (c) => {
        const { sort, range, filter: f = {} } = c.req.valid('query');
        const where: Prisma.WebhookEndpointWhereInput = {
          ...(f.companyId ? { companyId: f.companyId } : {}),
          ...scopeOf(c.var.user),
          ...(f.id ? { id: { in: f.id } } : {}),
          ...(f.disabled !== undefined ? { disabledAt: f.disabled ? { not: null } : null } : {}),
        };
        return listResponse(c, 'webhook-endpoints', range, async ({ skip, take }) => {
          const [rows, total] = await Promise.all([
            prisma.webhookEndpoint.findMany({ where, orderBy: orderOf(sort, ['createdAt', 'DESC']), skip, take, select: ENDPOINT_FIELDS }),
            prisma.webhookEndpoint.count({ where }),
          ]);
          return [await withCompanyNames(prisma, rows), total];
        });
      },
    )
    .get(
      '/:id',
      documented({
        summary: 'One webhook endpoint',
        who: 'partner admin (own company), desk admin',
        answers: { 200: { description: 'The endpoint, without its secret', json: webhookEndpointShape } },
      }),
      validate('param', idParam),
      async (c) => c.json(await present(await load(c.var.user, c.req.valid('param').id))),
    )
    .post(
      '/',
      documented({
        summary: 'Register an endpoint; its signing secret is shown once',
        who: 'partner admin, desk admin (for a company)',
        answers: { 201: { description: 'The endpoint with its secret in `secret`', json: endpointWithSecret } },
      }),
      validate('json', createBody),
      async (c) => {
        const body = c.req.valid('json');
        const user = c.var.user;
        let companyId = user.companyId;
        if (isDesk(user)) {
          if (!body.companyId) throw fieldError('companyId', 'Choose the company whose events the endpoint receives');
          if (!(await prisma.company.findUnique({ where: { id: body.companyId }, select: { id: true } })))
            throw fieldError('companyId', 'No company has this id');
          companyId = body.companyId;
        } else if (body.companyId && body.companyId !== user.companyId) {
          throw fieldError('companyId', 'A partner admin registers endpoints for its own company only; leave companyId out');
        }
        await checkUrl(body.url);
        const id = randomUUID();
        const secret = generateWebhookSecret();
        const row = await prisma.webhookEndpoint.create({
          data: {
            id,
            companyId,
            url: body.url,
            description: body.description ?? '',
            events: body.events,
            secretEnc: encryptWebhookSecret(masterSecret, id, secret),
            secretPrefix: secretPrefix(secret),
            createdById: user.impersonator ? undefined : user.id,
          },
          select: ENDPOINT_FIELDS,
        });
        return c.json({ ...(await present(row)), secret }, 201);
      },
    )
    .put(
      '/:id',
      documented({
        summary: 'Change the URL, the events, or disable and enable',
        who: 'partner admin (own company), desk admin',
        answers: { 200: { description: 'The endpoint', json: webhookEndpointShape } },
      }),
      validate('param', idParam),
      validate('json', updateBody),
      async (c) => {
        const { id } = c.req.valid('param');
        const body = c.req.valid('json');
        const existing = await load(c.var.user, id);
        await checkUrl(body.url);
        const row = await prisma.webhookEndpoint.update({
          where: { id },
          data: {
            url: body.url,
            description: body.description,
            events: body.events,
            ...(body.disabled === undefined ? {} : { disabledAt: body.disabled ? (existing.disabledAt ?? new Date()) : null }),
          },
          select: ENDPOINT_FIELDS,
        });
        return c.json(await present(row));
      },
    )
    .post(
      '/:id/rotate-secret',
      documented({
        summary: 'Replace the signing secret; the new one is shown once',
        who: 'partner admin (own company), desk admin',
        description: 'Deliveries from now on, including retries of earlier events, are signed with the new secret.',
        answers: { 200: { description: 'The endpoint with its new secret in `secret`', json: endpointWithSecret } },
      }),
      validate('param', idParam),
      async (c) => {
        const { id } = c.req.valid('param');
        await load(c.var.user, id);
        const secret = generateWebhookSecret();
        const row = await prisma.webhookEndpoint.update({
          where: { id },
          data: { secretEnc: encryptWebhookSecret(masterSecret, id, secret), secretPrefix: secretPrefix(secret), secretRotatedAt: new Date() },
          select: ENDPOINT_FIELDS,
        });
        return c.json({ ...(await present(row)), secret });
      },
    )
    .delete(
      '/:id',
      documented({
        summary: 'Delete an endpoint and its delivery log',
        who: 'partner admin (own company), desk admin',
        description: 'Deliveries still retrying stop at their next attempt. To pause without losing the log, disable the endpoint instead.',
        answers: { 200: { description: 'The deleted endpoint', json: webhookEndpointShape } },
      }),
      validate('param', idParam),
      async (c) => {
        const { id } = c.req.valid('param');
        const row = await present(await load(c.var.user, id));
        await prisma.webhookEndpoint.delete({ where: { id } });
        return c.json(row);
      },
    );
}

const DELIVERY_INCLUDE = { endpoint: { select: { url: true } } } as const;
type DeliveryRow = Prisma.WebhookDeliveryGetPayload<{ include: typeof DELIVERY_INCLUDE }>;
const presentDelivery = ({ endpoint, ...row }: DeliveryRow) => ({ ...row, endpointUrl: endpoint.url });

/**
 * The delivery log: one row per event and endpoint, with every HTTP attempt, and redeliver.
 * A partner admin reads its own company's; desk staff read every company's.
 */
export function webhookDeliveryRoutes({ prisma }: Pick<WebhookRouteDeps, 'prisma'>) {
  const filter = z.strictObject({
    id: idsFilter,
    endpointId: z.uuid({ message: 'Not an endpoint id' }).optional(),
    companyId: z.uuid().optional(),
    eventId: z.uuid().optional(),
    status: z.enum(['PENDING', 'DELIVERED', 'FAILED'], { message: 'Status is PENDING, DELIVERED or FAILED' }).optional(),
    eventType: eventType.optional(),
  });
  const load = async (user: SessionUser, id: string) => {
    const row = await prisma.webhookDelivery.findFirst({ where: { id, ...scopeOf(user) }, include: DELIVERY_INCLUDE });
    return row ?? notFound('Webhook delivery');
  };

  return new Hono<AuthEnv>()
    .use(requireRole('PARTNER_ADMIN', 'DESK_AGENT', 'DESK_ADMIN'))
    .get(
      '/',
      documented({
        summary: 'The webhook delivery log',
        who: 'partner admin (own company), desk',
        answers: { 200: listOf(webhookDeliveryShape, 'The deliveries, newest first') },
      }),
      validate('query', listQuery(['createdAt', 'status', 'eventType', 'lastAttemptAt'], filter)),
      async (c) => {
        const { sort, range, filter: f = {} } = c.req.valid('query');
        const where: Prisma.WebhookDeliveryWhereInput = {
          ...(f.companyId ? { companyId: f.companyId } : {}),
          ...scopeOf(c.var.user),
          ...(f.id ? { id: { in: f.id } } : {}),
          ...(f.endpointId ? { endpointId: f.endpointId } : {}),
          ...(f.eventId ? { eventId: f.eventId } : {}),
          ...(f.status ? { status: f.status } : {}),
          ...(f.eventType ? { eventType: f.eventType } : {}),
        };
        return listResponse(c, 'webhook-deliveries', range, async ({ skip, take }) => {
          const [rows, total] = await Promise.all([
            prisma.webhookDelivery.findMany({ where, orderBy: orderOf(sort, ['createdAt', 'DESC']), skip, take, include: DELIVERY_INCLUDE }),
            prisma.webhookDelivery.count({ where }),
          ]);
          return [rows.map(presentDelivery), total];
        });
      },
    )
    .get(
      '/:id',
      documented({
        summary: 'One delivery, with every attempt and the event it carries',
        who: 'partner admin (own company), desk',
        answers: { 200: { description: 'The delivery; `payload` is the exact JSON body the receiver gets', json: deliveryDetail } },
      }),
      validate('param', idParam),
      async (c) => {
        const row = await load(c.var.user, c.req.valid('param').id);
        const [attemptLog, event] = await Promise.all([
          prisma.webhookAttempt.findMany({ where: { deliveryId: row.id }, orderBy: [{ createdAt: 'desc' }, { round: 'desc' }, { attempt: 'desc' }] }),
          prisma.webhookEvent.findUniqueOrThrow({ where: { id: row.eventId }, select: { payload: true } }),
        ]);
        return c.json({ ...presentDelivery(row), attemptLog, payload: event.payload });
      },
    )
    .get(
      '/:id/payload',
      documented({
        summary: 'The event body a delivery carries',
        who: 'partner admin (own company), desk',
        description: 'One of the webhook event schemas (docs/webhooks.md): `{ id, type, createdAt, companyId, data }`, exactly as POSTed.',
        answers: { 200: { description: 'The webhook event', json: webhookEventPayload } },
      }),
      validate('param', idParam),
      async (c) => {
        const row = await load(c.var.user, c.req.valid('param').id);
        const event = await prisma.webhookEvent.findUniqueOrThrow({ where: { id: row.eventId }, select: { payload: true } });
        return c.json(event.payload as never);
      },
    )
    .post(
      '/:id/redeliver',
      documented({
        summary: 'Send the same event again (same event id)',
        who: 'partner admin (own company), desk',
        description: 'Starts a new round of attempts of the same event, with the same Webhook-Id, whatever the earlier rounds answered.',
        answers: {
          202: { description: 'The delivery, PENDING in its new round', json: webhookDeliveryShape },
          409: 'The endpoint is disabled: enable it first',
        },
      }),
      validate('param', idParam),
      async (c) => {
        const { id } = c.req.valid('param');
        const found = await load(c.var.user, id);
        const endpoint = await prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: found.endpointId }, select: { disabledAt: true } });
        if (endpoint.disabledAt) throw new HTTPException(409, { message: 'The endpoint is disabled: enable it before redelivering.' });
        const row = await prisma.$transaction(async (tx) => {
          const updated = await tx.webhookDelivery.update({ where: { id }, data: { round: { increment: 1 }, status: 'PENDING' }, include: DELIVERY_INCLUDE });
          await tx.$executeRaw`SELECT pg_notify(${WEBHOOK_NOTIFY_CHANNEL}, ${updated.eventId})`;
          return updated;
        });
        return c.json(presentDelivery(row), 202);
      },
    );
}
