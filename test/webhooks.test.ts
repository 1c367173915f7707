import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStockLedger } from '../services/stock-ledger.ts';
import { createWebhookDispatcher, type WebhookDispatcher } from '../services/webhooks/dispatcher.ts';
import { webhookEventPayload } from '../services/webhooks/events.ts';
import { verifyWebhookSignature } from '../services/webhooks/signature.ts';
import { expectRefusal } from './support/answers.ts';
import { listParams, startApiWorld, until, type ApiWorld, type Call } from './support/api-harness.ts';
import { fileStack } from './support/file-stack.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies in assertions

const json = async (response: Response | Promise<Response>, status = 200): Promise<Json> => {
  const r = await response;
  const body = (await r.json()) as Json;
  expect(r.status, JSON.stringify(body)).toBe(status);
  return body;
};

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real HTTP receiver on loopback; `answers` decides each path's status code (200 by default; 0 drops the connection). */
async function startReceiver(port = 0) {
  const received: Received[] = [];
  const answers = new Map<string, (count: number) => number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const count = received.filter((r) => r.path === path).length;
      const status = answers.get(path)?.(count) ?? 200;
      // 0: the receiver is down: the connection drops without an answer.
      if (status === 0) return void req.socket.destroy();
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(status === 200 ? 'ok' : 'try later');
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    received,
    answers,
    url: (path: string) => `http://127.0.0.1:${bound}${path}`,
    port: bound,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    on: (path: string) => received.filter((r) => r.path === path),
  };
}

/**
 * Webhooks end to end: the API registers endpoints, a request through approval writes events in
 * the transactions of its changes, the dispatcher starts the delivery workflows, and the worker
 * POSTs signed JSON to a real receiver on loopback, retrying with (short) exponential backoff.
 */
describe('webhooks', () => {
  let api: ApiWorld;
  let agent: Call;
  let deskAdmin: Call;
  let dispatcher: WebhookDispatcher;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    api = await startApiWorld();
    agent = await api.as((await api.newDeskUser('DESK_AGENT')).id);
    deskAdmin = await api.as((await api.newDeskUser('DESK_ADMIN')).id);
    receiver = await startReceiver();
    dispatcher = createWebhookDispatcher({
      prisma: api.world.prisma,
      client: api.world.client,
      taskQueue: api.world.worker.taskQueue,
      // Short backoff for the test: 200 ms, doubling, at most 1 s apart, for at most 2 minutes.
      retry: { initialIntervalMs: 200, maximumIntervalMs: 1000, giveUpAfterMs: 120_000 },
      databaseUrl: fileStack.databaseUrl,
      sweepEveryMs: 1000,
    });
    await dispatcher.start();
  });
  afterAll(async () => {
    if (process.env.WH_DEBUG)
      console.log(
        api.logLines
          .filter((l) => /rror/.test(l))
          .slice(0, 3)
          .join('\n'),
      );
    await dispatcher?.stop();
    await receiver?.close();
    await api?.stop();
  });

  async function register(caller: Call, body: Json) {
    return json(caller('/api/webhook-endpoints', { method: 'POST', body }), 201);
  }

  async function deliveriesOf(caller: Call, endpointId: string): Promise<Json[]> {
    return (await json(caller(`/api/webhook-deliveries${listParams({ filter: { endpointId }, range: [0, 99] })}`))) as unknown as Json[];
  }

  let approved: { partner: Awaited<ReturnType<ApiWorld['newPartnerCompany']>>; endpoint: Json; path: string };

  it('a request through approval is delivered as request.status_changed and license.issued, signed, each event once', async () => {
    const partner = await api.newPartnerCompany({ stock: 20 });
    const path = `/approval/${partner.tag}`;
    const endpoint = await register(partner.asAdmin, { url: receiver.url(path), events: ['request.status_changed', 'license.issued'], description: 'ERP' });
    expect(endpoint).toMatchObject({ companyId: partner.company.id, events: ['request.status_changed', 'license.issued'], disabled: false });
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(endpoint.secretPrefix).toBe(`${endpoint.secret.slice(0, 10)}…`);
    // Shown once: reading it again gives no secret.
    expect(await json(partner.asAdmin(`/api/webhook-endpoints/${endpoint.id}`))).not.toHaveProperty('secret');

    const { id: requestId } = await json(
      partner.asUser('/api/requests', {
        method: 'POST',
        body: {
          type: 'NEW_INSTALLATION',
          productId: partner.product.id,
          channels: 4,
          lock: { type: 'MAC', value: `c8d9d2${partner.tag.slice(0, 6).replace(/[^0-9a-f]/g, 'a')}` },
          endUserCompany: `End user ${partner.tag}`,
          deliveryEmails: [partner.deliveryEmail],
        },
      }),
      201,
    );
    await until(async () => ((await json(partner.asUser(`/api/requests/${requestId}`))).status === 'PENDING_APPROVAL' ? true : undefined), 'pending approval');
    await json(agent(`/api/requests/${requestId}/approve`, { method: 'POST', body: {} }));
    const request = await until(async () => {
      const r = await json(partner.asUser(`/api/requests/${requestId}`));
      return r.status === 'COMPLETED' ? r : undefined;
    }, 'the request to complete');

    const events = await api.world.prisma.webhookEvent.findMany({ where: { companyId: partner.company.id }, orderBy: { createdAt: 'asc' } });
    const deliveries = await until(async () => {
      const rows = await deliveriesOf(partner.asAdmin, endpoint.id);
      return rows.length === events.length && rows.every((d) => d.status === 'DELIVERED') ? rows : undefined;
    }, 'every delivery to be DELIVERED');
    expect(deliveries.map((d) => d.attempts)).toEqual(deliveries.map(() => 1));

    const got = receiver.on(path);
    // Each event id arrived once, and each body is signed with the endpoint's secret.
    expect(got.map((r) => r.headers['webhook-id']).sort()).toEqual(events.map((e) => e.id).sort());
    for (const r of got) {
      expect(r.headers['x-license-desk-event-id']).toBe(r.headers['webhook-id']);
      expect(verifyWebhookSignature({ secret: endpoint.secret, header: String(r.headers['x-license-desk-signature']), body: r.body })).toBe(true);
      expect(verifyWebhookSignature({ secret: `${endpoint.secret}x`, header: String(r.headers['x-license-desk-signature']), body: r.body })).toBe(false);
      const payload = webhookEventPayload.parse(JSON.parse(r.body));
      expect(payload.id).toBe(r.headers['webhook-id']);
      expect(payload.companyId).toBe(partner.company.id);
    }
    const bodies = got.map((r) => webhookEventPayload.parse(JSON.parse(r.body)));
    const statuses = bodies.flatMap((b) => (b.type === 'request.status_changed' ? [[b.data.previousStatus, b.data.status]] : []));
    expect(statuses).toEqual(
      expect.arrayContaining([
        [null, 'SUBMITTED'],
        ['SUBMITTED', 'PENDING_APPROVAL'],
        [expect.any(String), 'COMPLETED'],
      ]),
    );
    const issued = bodies.filter((b) => b.type === 'license.issued');
    expect(issued).toHaveLength(1);
    expect(issued[0]!.data).toMatchObject({ serial: request.serial, revision: 1, requestId, channels: 4, action: 'created' });
    // Not subscribed: no stock.changed event was written for this endpoint.
    expect(bodies.some((b) => b.type === 'stock.changed')).toBe(false);
    approved = { partner, endpoint, path };
  });

  it('retries a receiver that answers 503, and one that is down, until it takes the delivery', async () => {
    const partner = await api.newPartnerCompany({ stock: 5 });
    const flaky = `/flaky/${partner.tag}`;
    receiver.answers.set(flaky, (count) => (count <= 3 ? 503 : 200));
    const endpoint = await register(partner.asAdmin, { url: receiver.url(flaky), events: ['stock.changed'] });

    // A receiver that is down: the connection drops, until `up` is set.
    const downPath = `/down/${partner.tag}`;
    let up = false;
    receiver.answers.set(downPath, () => (up ? 200 : 0));
    const down = await register(partner.asAdmin, { url: receiver.url(downPath), events: ['stock.changed'] });

    await createStockLedger(api.world.prisma).credit({ companyId: partner.company.id, productId: partner.product.id }, 7, `webhook-test:${partner.tag}`);

    const [delivery] = await until(async () => {
      const rows = await deliveriesOf(partner.asAdmin, endpoint.id);
      return rows[0]?.status === 'DELIVERED' ? rows : undefined;
    }, 'the flaky receiver to take the delivery');
    expect(delivery).toMatchObject({ eventType: 'stock.changed', attempts: 4, lastStatusCode: 200, lastError: null });
    const detail = await json(partner.asAdmin(`/api/webhook-deliveries/${delivery!.id}`));
    expect(detail.attemptLog.map((a: Json) => [a.attempt, a.statusCode, a.error])).toEqual([
      [4, 200, null],
      [3, 503, 'The receiver answered 503'],
      [2, 503, 'The receiver answered 503'],
      [1, 503, 'The receiver answered 503'],
    ]);
    expect(detail.payload).toMatchObject({ type: 'stock.changed', data: { kind: 'CREDIT', channels: 7, balance: { available: 12 } } });
    // The same event id on every attempt: the receiver deduplicates on it.
    expect(new Set(receiver.on(flaky).map((r) => r.headers['webhook-id']))).toEqual(new Set([delivery!.eventId]));

    // The receiver that was down: attempts fail without an answer, then it comes back.
    await until(async () => ((await deliveriesOf(partner.asAdmin, down.id))[0]?.attempts >= 2 ? true : undefined), 'two failed attempts');
    const [failing] = await deliveriesOf(partner.asAdmin, down.id);
    expect(failing).toMatchObject({ status: 'PENDING', lastStatusCode: null });
    expect(failing!.lastError).toMatch(/^The request failed: /);
    up = true;
    const [delivered] = await until(async () => {
      const rows = await deliveriesOf(partner.asAdmin, down.id);
      return rows[0]?.status === 'DELIVERED' ? rows : undefined;
    }, 'the receiver that came back to take the delivery');
    expect(delivered!.attempts).toBeGreaterThanOrEqual(3);
    expect(new Set(receiver.on(downPath).map((r) => r.headers['webhook-id']))).toEqual(new Set([delivered!.eventId]));
  });

  it('redeliver sends the same event id again, and the log shows both attempts', async () => {
    const { partner, endpoint, path } = approved;
    const [issued] = (await deliveriesOf(partner.asAdmin, endpoint.id)).filter((d) => d.eventType === 'license.issued');
    const before = receiver.on(path).filter((r) => r.headers['webhook-id'] === issued!.eventId).length;
    expect(before).toBe(1);
    const again = await json(partner.asAdmin(`/api/webhook-deliveries/${issued!.id}/redeliver`, { method: 'POST', body: {} }), 202);
    expect(again).toMatchObject({ id: issued!.id, eventId: issued!.eventId, round: 2, status: 'PENDING' });
    const detail = await until(async () => {
      const d = await json(partner.asAdmin(`/api/webhook-deliveries/${issued!.id}`));
      return d.status === 'DELIVERED' && d.attemptLog.length === 2 ? d : undefined;
    }, 'the redelivery');
    expect(detail.attemptLog.map((a: Json) => [a.round, a.attempt, a.statusCode])).toEqual([
      [2, 1, 200],
      [1, 1, 200],
    ]);
    const copies = receiver.on(path).filter((r) => r.headers['webhook-id'] === issued!.eventId);
    expect(copies).toHaveLength(2);
    expect(copies[1]!.body).toBe(copies[0]!.body);
  });

  it("another company cannot read or redeliver a company's webhooks; desk admins see all", async () => {
    const { partner, endpoint } = approved;
    const other = await api.newPartnerCompany();
    const [delivery] = await deliveriesOf(partner.asAdmin, endpoint.id);
    const notFound = (what: string) => ({ message: `${what} not found.` });

    expect(await json(other.asAdmin(`/api/webhook-endpoints${listParams({ range: [0, 99] })}`))).toEqual([]);
    await expectRefusal(other.asAdmin(`/api/webhook-endpoints/${endpoint.id}`), 404, notFound('Webhook endpoint'));
    await expectRefusal(other.asAdmin(`/api/webhook-endpoints/${endpoint.id}/rotate-secret`, { method: 'POST', body: {} }), 404, notFound('Webhook endpoint'));
    await expectRefusal(other.asAdmin(`/api/webhook-endpoints/${endpoint.id}`, { method: 'DELETE' }), 404, notFound('Webhook endpoint'));
    await expectRefusal(other.asAdmin(`/api/webhook-endpoints/${endpoint.id}`, { method: 'PUT', body: { disabled: true } }), 404, notFound('Webhook endpoint'));
    expect(await deliveriesOf(other.asAdmin, endpoint.id)).toEqual([]);
    expect(await json(other.asAdmin(`/api/webhook-deliveries${listParams({ filter: { companyId: partner.company.id } })}`))).toEqual([]);
    await expectRefusal(other.asAdmin(`/api/webhook-deliveries/${delivery!.id}`), 404, notFound('Webhook delivery'));
    await expectRefusal(other.asAdmin(`/api/webhook-deliveries/${delivery!.id}/payload`), 404, notFound('Webhook delivery'));
    await expectRefusal(other.asAdmin(`/api/webhook-deliveries/${delivery!.id}/redeliver`, { method: 'POST', body: {} }), 404, notFound('Webhook delivery'));
    // A partner admin cannot register an endpoint for another company either.
    await expectRefusal(
      other.asAdmin('/api/webhook-endpoints', { method: 'POST', body: { url: 'https://x.test/h', events: ['license.issued'], companyId: partner.company.id } }),
      422,
      {
        message: 'A partner admin registers endpoints for its own company only; leave companyId out',
        errors: { companyId: 'A partner admin registers endpoints for its own company only; leave companyId out' },
      },
    );
    // Partner users (and API tokens, which act as them) do not manage webhooks.
    await expectRefusal(partner.asUser(`/api/webhook-endpoints`), 403, { message: 'Your role does not allow this.' });
    await expectRefusal(partner.asUser(`/api/webhook-deliveries`), 403, { message: 'Your role does not allow this.' });

    const all = (await json(deskAdmin(`/api/webhook-endpoints${listParams({ range: [0, 999] })}`))) as unknown as Json[];
    expect(all.map((e) => e.id)).toContain(endpoint.id);
    expect(all.find((e) => e.id === endpoint.id)).toMatchObject({ companyName: partner.company.name });
    expect((await json(agent(`/api/webhook-deliveries/${delivery!.id}`))).id).toBe(delivery!.id);
    await expectRefusal(agent('/api/webhook-endpoints'), 403, { message: 'Your role does not allow this.' });
  });

  it('disables, rotates and deletes an endpoint; a disabled endpoint gets no new events', async () => {
    const partner = await api.newPartnerCompany({ stock: 3 });
    const path = `/rotate/${partner.tag}`;
    const endpoint = await register(partner.asAdmin, { url: receiver.url(path), events: ['stock.changed'] });
    const rotated = await json(partner.asAdmin(`/api/webhook-endpoints/${endpoint.id}/rotate-secret`, { method: 'POST', body: {} }));
    expect(rotated.secret).not.toBe(endpoint.secret);
    expect(rotated.secretRotatedAt).not.toBeNull();

    const ledger = createStockLedger(api.world.prisma);
    const stock = { companyId: partner.company.id, productId: partner.product.id };
    await ledger.credit(stock, 1, `rotate:${partner.tag}:1`);
    await until(async () => (receiver.on(path).length === 1 ? true : undefined), 'the delivery');
    const [signed] = receiver.on(path);
    expect(verifyWebhookSignature({ secret: rotated.secret, header: String(signed!.headers['x-license-desk-signature']), body: signed!.body })).toBe(true);
    expect(verifyWebhookSignature({ secret: endpoint.secret, header: String(signed!.headers['x-license-desk-signature']), body: signed!.body })).toBe(false);

    expect(await json(partner.asAdmin(`/api/webhook-endpoints/${endpoint.id}`, { method: 'PUT', body: { disabled: true } }))).toMatchObject({ disabled: true });
    await ledger.credit(stock, 1, `rotate:${partner.tag}:2`);
    expect(await api.world.prisma.webhookEvent.count({ where: { companyId: partner.company.id } })).toBe(1);
    const [delivery] = await deliveriesOf(partner.asAdmin, endpoint.id);
    await expectRefusal(partner.asAdmin(`/api/webhook-deliveries/${delivery!.id}/redeliver`, { method: 'POST', body: {} }), 409, {
      message: 'The endpoint is disabled: enable it before redelivering.',
    });

    await json(partner.asAdmin(`/api/webhook-endpoints/${endpoint.id}`, { method: 'DELETE' }));
    await expectRefusal(partner.asAdmin(`/api/webhook-endpoints/${endpoint.id}`), 404, { message: 'Webhook endpoint not found.' });
    expect(await deliveriesOf(partner.asAdmin, endpoint.id)).toEqual([]);
  });

  it('refuses a bad URL, an unknown event or no event, with a message per field', async () => {
    const partner = await api.newPartnerCompany();
    const post = (body: Json) => partner.asAdmin('/api/webhook-endpoints', { method: 'POST', body });
    const urlMessage = "Give the receiver's address starting with https:// (or http://), e.g. https://erp.example.com/license-desk/webhooks";
    await expectRefusal(post({ url: 'ftp://erp.example.com/hooks', events: ['license.issued'] }), 422, { message: urlMessage, errors: { url: urlMessage } });
    await expectRefusal(post({ url: 'not a url', events: ['license.issued'] }), 422, { message: urlMessage, errors: { url: urlMessage } });
    const credentials = 'Leave user names and passwords out of the URL: each delivery is signed instead';
    await expectRefusal(post({ url: 'https://user:pw@erp.example.com/hooks', events: ['license.issued'] }), 422, {
      message: credentials,
      errors: { url: credentials },
    });
    const unknown = 'Unknown event; choose from request.status_changed, license.issued, license.revised, stock.changed';
    const refused = await partner.asAdmin('/api/webhook-endpoints', {
      method: 'POST',
      body: { url: 'https://erp.example.com/hooks', events: ['license.deleted'] },
    });
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({ message: unknown });
    await expectRefusal(post({ url: 'https://erp.example.com/hooks', events: [] }), 422, {
      message: 'Choose at least one event',
      errors: { events: 'Choose at least one event' },
    });
    // A desk admin names the company.
    await expectRefusal(
      deskAdmin('/api/webhook-endpoints', { method: 'POST', body: { url: 'https://erp.example.com/hooks', events: ['license.issued'] } }),
      422,
      {
        message: 'Choose the company whose events the endpoint receives',
        errors: { companyId: 'Choose the company whose events the endpoint receives' },
      },
    );
    expect(await register(deskAdmin, { url: 'https://erp.example.com/hooks', events: ['license.issued'], companyId: partner.company.id })).toMatchObject({
      companyId: partner.company.id,
    });
  });
});
