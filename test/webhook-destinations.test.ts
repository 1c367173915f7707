import type { LookupAddress } from 'node:dns';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createWebhookActivities } from '../activities/webhook-activities.ts';
import { createStockLedger } from '../services/stock-ledger.ts';
import { createWebhookSender, postWebhook } from '../services/webhooks/delivery.ts';
import { checkDestination, classifyAddress, DestinationRefused, pinnedLookup, type Resolve } from '../services/webhooks/destination.ts';
import { expectRefusal } from './support/answers.ts';
import { startApiWorld, type ApiWorld } from './support/api-harness.ts';

const PUBLIC_ONLY = 'webhooks go only to public internet addresses';
const literal = (host: string) => `${host} is a private address; ${PUBLIC_ONLY}`;
const named = (host: string) => `${host} resolves to a private address; ${PUBLIC_ONLY}`;

/** A resolver that answers from a table (no network); a name not in it does not resolve. */
function fakeResolver(table: Record<string, string[]>) {
  const calls: string[] = [];
  const resolve: Resolve = async (host) => {
    calls.push(host);
    const addresses = table[host];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addresses.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return { resolve, calls, table };
}

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.1', 'private network'],
    ['172.16.5.4', 'private network'],
    ['192.168.1.1', 'private network'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'shared address space (carrier-grade NAT)'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fc00::1', 'unique local'],
    ['fd12:3456::1', 'unique local'],
    ['ff02::1', 'multicast'],
    // IPv4-mapped IPv6, dotted and hexadecimal: the IPv4 ranges apply.
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private network'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['64:ff9b::a00:1', 'embedded IPv4 (NAT64)'],
    ['2002:7f00:1::', 'embedded IPv4 (6to4)'],
    ['erp.example.com', 'not an IP address'],
  ])('%s is not public: %s', (address, kind) => {
    expect(classifyAddress(address)).toEqual({ public: false, kind });
  });

  it.each(['8.8.8.8', '1.1.1.1', '93.184.215.14', '100.128.0.1', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('%s is public', (address) => {
    expect(classifyAddress(address)).toEqual({ public: true });
  });
});

describe('checkDestination (at registration)', () => {
  const { resolve } = fakeResolver({
    'erp.example.com': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
    'internal.example.com': ['10.1.2.3'],
    'mixed.example.com': ['93.184.215.14', '127.0.0.1'],
    'mapped.example.com': ['::ffff:192.168.0.10'],
  });
  const check = (url: string) => checkDestination(new URL(url), { resolve });

  it('refuses IP literals outside the public internet, localhost, and names resolving to one, with the rule', async () => {
    expect(await check('https://127.0.0.1/x')).toBe(literal('127.0.0.1'));
    expect(await check('https://[::1]/x')).toBe(literal('::1'));
    expect(await check('https://10.0.0.1/x')).toBe(literal('10.0.0.1'));
    expect(await check('https://169.254.169.254/latest')).toBe(literal('169.254.169.254'));
    expect(await check('https://[::ffff:127.0.0.1]/x')).toBe(literal('::ffff:7f00:1'));
    // WHATWG URLs read 2130706433 and 0x7f.1 as 127.0.0.1.
    expect(await check('https://2130706433/x')).toBe(literal('127.0.0.1'));
    expect(await check('https://0x7f.1/x')).toBe(literal('127.0.0.1'));
    expect(await check('https://localhost/x')).toBe(named('localhost'));
    expect(await check('https://api.localhost/x')).toBe(named('api.localhost'));
    expect(await check('https://internal.example.com/hooks')).toBe(named('internal.example.com'));
    // Every address counts, not only the first.
    expect(await check('https://mixed.example.com/hooks')).toBe(named('mixed.example.com'));
    expect(await check('https://mapped.example.com/hooks')).toBe(named('mapped.example.com'));
  });

  it('accepts public addresses and names, and a name that does not resolve yet (each delivery checks again)', async () => {
    expect(await check('https://erp.example.com/hooks')).toBeUndefined();
    expect(await check('https://93.184.215.14/hooks')).toBeUndefined();
    expect(await check('https://[2606:4700:4700::1111]/hooks')).toBeUndefined();
    expect(await check('https://not-yet.example.com/hooks')).toBeUndefined();
  });
});

describe('the send-time check', () => {
  let server: Server;
  let port: number;
  const received: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      received.push(req.url ?? '/');
      req.resume();
      res.end('internal secrets');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('the pinned lookup refuses a name that resolves to loopback, and hands over only the addresses it checked', async () => {
    const { resolve, calls } = fakeResolver({ 'rebind.example.com': ['127.0.0.1'], 'erp.example.com': ['93.184.215.14', '2606:4700:4700::1111'] });
    const lookup = pinnedLookup(resolve);
    const refused = await new Promise<unknown>((settle) => lookup('rebind.example.com', { all: true }, (error) => settle(error)));
    expect(refused).toBeInstanceOf(DestinationRefused);
    expect((refused as Error).message).toBe(`Refused: ${named('rebind.example.com')}`);
    const all = await new Promise<unknown>((settle) => lookup('erp.example.com', { all: true }, (_error, addresses) => settle(addresses)));
    expect(all).toEqual([
      { address: '93.184.215.14', family: 4 },
      { address: '2606:4700:4700::1111', family: 6 },
    ]);
    const one = await new Promise<unknown>((settle) => lookup('erp.example.com', { family: 6 }, (_error, address, family) => settle([address, family])));
    expect(one).toEqual(['2606:4700:4700::1111', 6]);
    expect(calls).toEqual(['rebind.example.com', 'erp.example.com', 'erp.example.com']);
  });

  it('a POST to a name resolving to loopback, to a loopback literal or to localhost never connects', async () => {
    const { resolve, calls } = fakeResolver({ 'rebind.example.com': ['127.0.0.1'] });
    const post = (url: string) => postWebhook({ url, headers: {}, body: '{}', allowPrivate: false, resolve });
    await expect(post(`http://rebind.example.com:${port}/a`)).rejects.toThrow(new DestinationRefused(`Refused: ${named('rebind.example.com')}`));
    await expect(post(`http://127.0.0.1:${port}/b`)).rejects.toThrow(new DestinationRefused(`Refused: ${literal('127.0.0.1')}`));
    await expect(post(`http://localhost:${port}/c`)).rejects.toThrow(new DestinationRefused(`Refused: ${named('localhost')}`));
    // Resolved once, by the connection's own lookup: no second answer for DNS rebinding to change.
    expect(calls).toEqual(['rebind.example.com']);
    expect(received).toEqual([]);
    // With the allowance (WEBHOOK_ALLOW_PRIVATE=true), the loopback receiver answers.
    expect(await postWebhook({ url: `http://127.0.0.1:${port}/d`, headers: {}, body: '{}', allowPrivate: true })).toEqual({
      statusCode: 200,
      responseBody: 'internal secrets',
    });
    expect(received).toEqual(['/d']);
  });
});

/** The API with the rule on (WEBHOOK_ALLOW_PRIVATE unset), host names resolved by a table. */
describe('webhook destinations through the API', () => {
  let api: ApiWorld;
  const dns = fakeResolver({ 'erp.example.com': ['93.184.215.14'], 'internal.example.com': ['10.1.2.3'] });
  beforeAll(async () => {
    api = await startApiWorld({ webhooks: { allowPrivate: false, resolve: dns.resolve } });
  });
  afterAll(async () => {
    await api?.stop();
  });

  it('refuses private, loopback and link-local URLs with 422 and the rule, at creation and at update', async () => {
    const partner = await api.newPartnerCompany();
    const post = (url: string) => partner.asAdmin('/api/webhook-endpoints', { method: 'POST', body: { url, events: ['stock.changed'] } });
    const refusal = (message: string) => ({ message, errors: { url: message } });
    await expectRefusal(post('https://127.0.0.1/x'), 422, refusal(literal('127.0.0.1')));
    await expectRefusal(post('https://[::1]/x'), 422, refusal(literal('::1')));
    await expectRefusal(post('https://10.0.0.1/x'), 422, refusal(literal('10.0.0.1')));
    await expectRefusal(post('https://169.254.169.254/latest'), 422, refusal(literal('169.254.169.254')));
    await expectRefusal(post('https://localhost/x'), 422, refusal(named('localhost')));
    await expectRefusal(post('https://internal.example.com/hooks'), 422, refusal(named('internal.example.com')));
    expect(await api.world.prisma.webhookEndpoint.count({ where: { companyId: partner.company.id } })).toBe(0);

    const created = await post('https://erp.example.com/hooks');
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const put = (url: string) => partner.asAdmin(`/api/webhook-endpoints/${id}`, { method: 'PUT', body: { url } });
    await expectRefusal(put('https://[fd00::1]/x'), 422, refusal(literal('fd00::1')));
    await expectRefusal(put('https://100.64.1.1/x'), 422, refusal(literal('100.64.1.1')));
    expect((await put('https://erp.example.com/other')).status).toBe(200);
  });

  it('a name that resolves to loopback at send time (DNS rebinding) is a failed attempt, not retried', async () => {
    const partner = await api.newPartnerCompany({ stock: 2 });
    const created = await partner.asAdmin('/api/webhook-endpoints', {
      method: 'POST',
      body: { url: 'https://erp.example.com/hooks', events: ['stock.changed'] },
    });
    expect(created.status).toBe(201);
    const { id: endpointId } = (await created.json()) as { id: string };
    // Accepted while it resolved to a public address; now it answers with loopback.
    dns.table['erp.example.com'] = ['127.0.0.1'];
    await createStockLedger(api.world.prisma).credit({ companyId: partner.company.id, productId: partner.product.id }, 1, `destination:${partner.tag}`);
    const delivery = await api.world.prisma.webhookDelivery.findFirstOrThrow({ where: { endpointId } });

    const sender = createWebhookSender({ prisma: api.world.prisma, masterSecret: inject('signingKeySecret'), allowPrivate: false, resolve: dns.resolve });
    const activities = createWebhookActivities({ webhooks: sender });
    const failure = await new MockActivityEnvironment({ attempt: 1 })
      .run((input: { deliveryId: string; round: number }) => activities.attemptWebhookDelivery(input), { deliveryId: delivery.id, round: delivery.round })
      .catch((error: unknown) => error);
    const message = `Refused: ${named('erp.example.com')}`;
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ message, type: 'WebhookDestinationRefused', nonRetryable: true });

    const attempts = await api.world.prisma.webhookAttempt.findMany({ where: { deliveryId: delivery.id } });
    expect(attempts.map((a) => [a.attempt, a.statusCode, a.error, a.responseBody])).toEqual([[1, null, message, null]]);
    expect(await api.world.prisma.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({
      attempts: 1,
      lastError: message,
      status: 'PENDING',
    });
  });
});
