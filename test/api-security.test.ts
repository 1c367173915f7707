import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRefusal } from './support/answers.ts';
import { listParams, startApiWorld, until, type ApiWorld, type Call } from './support/api-harness.ts';

type Role = 'PARTNER_USER' | 'PARTNER_ADMIN' | 'DESK_AGENT' | 'DESK_ADMIN';
const ROLES: Role[] = ['PARTNER_USER', 'PARTNER_ADMIN', 'DESK_AGENT', 'DESK_ADMIN'];
const PARTNERS: Role[] = ['PARTNER_USER', 'PARTNER_ADMIN'];
const DESK: Role[] = ['DESK_AGENT', 'DESK_ADMIN'];

/** Company B's ids, which company A must never reach. */
interface Ids {
  request: string;
  license: string;
  attachment: string;
  user: string;
  company: string;
  stock: string;
  token: string;
  product: string;
}

interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: (ids: Ids) => string;
  /** Who may call it; everybody else gets 403. */
  roles: Role[];
  /** A body that passes validation (for the unknown-field and wrong-type cases). */
  body?: (ids: Ids) => Record<string, unknown>;
  /** Its ids belong to a company: a partner of another company gets 404, "<tenant> not found.", as if they did not exist. */
  tenant?: string;
}

const ALL = ROLES;
const newInstallation = (ids: Ids) => ({
  type: 'NEW_INSTALLATION',
  productId: ids.product,
  channels: 2,
  lock: { type: 'MAC', value: '00:1b:21:3a:4f:70' },
  endUserCompany: 'Security Oy',
  deliveryEmails: ['orders@security.test'],
});

/** Every authenticated route, with who may call it. */
const ROUTES: Route[] = [
  { method: 'GET', path: () => '/api/auth/me', roles: ALL },
  { method: 'POST', path: () => '/api/auth/impersonate', roles: DESK, body: () => ({ userId: randomUUID() }) },
  { method: 'GET', path: () => '/api/requests', roles: ALL },
  { method: 'POST', path: () => '/api/requests', roles: PARTNERS, body: newInstallation },
  { method: 'GET', path: (i) => `/api/requests/${i.request}`, roles: ALL, tenant: 'Request' },
  { method: 'POST', path: (i) => `/api/requests/${i.request}/approve`, roles: DESK, body: () => ({ comment: 'ok' }) },
  { method: 'POST', path: (i) => `/api/requests/${i.request}/reject`, roles: DESK, body: () => ({ reason: 'no' }) },
  { method: 'POST', path: (i) => `/api/requests/${i.request}/request-information`, roles: DESK, body: () => ({ question: 'why?' }) },
  { method: 'POST', path: (i) => `/api/requests/${i.request}/reply`, roles: PARTNERS, body: () => ({ message: 'because' }), tenant: 'Request' },
  { method: 'POST', path: (i) => `/api/requests/${i.request}/cancel`, roles: ALL, body: () => ({ reason: 'changed my mind' }), tenant: 'Request' },
  { method: 'POST', path: (i) => `/api/requests/${i.request}/confirm-return`, roles: PARTNERS, tenant: 'Request' },
  { method: 'POST', path: (i) => `/api/requests/${i.request}/consent`, roles: ['PARTNER_ADMIN'], body: () => ({ consent: true }), tenant: 'Request' },
  { method: 'POST', path: (i) => `/api/requests/${i.request}/assign`, roles: DESK, body: () => ({ assigneeId: null }) },
  { method: 'POST', path: (i) => `/api/requests/${i.request}/external-file`, roles: DESK },
  { method: 'POST', path: (i) => `/api/requests/${i.request}/rma-received`, roles: DESK, body: () => ({ note: 'arrived' }) },
  { method: 'POST', path: (i) => `/api/requests/${i.request}/comments`, roles: ALL, body: () => ({ body: 'hello' }), tenant: 'Request' },
  { method: 'GET', path: (i) => `/api/requests/${i.request}/attachments/${i.attachment}`, roles: ALL, tenant: 'Request' },
  { method: 'GET', path: () => '/api/licenses', roles: ALL },
  { method: 'GET', path: (i) => `/api/licenses/${i.license}`, roles: ALL, tenant: 'License' },
  { method: 'GET', path: (i) => `/api/licenses/${i.license}/download`, roles: ALL, tenant: 'License' },
  { method: 'GET', path: () => '/api/products', roles: ALL },
  { method: 'GET', path: (i) => `/api/products/${i.product}`, roles: ALL },
  {
    method: 'POST',
    path: () => '/api/products',
    roles: ['DESK_ADMIN'],
    body: () => ({ code: `SEC-${randomUUID().slice(0, 8)}`, name: 'Sec', family: 'F', version: '1', maxChannels: 8, lockType: 'MAC' }),
  },
  { method: 'PUT', path: (i) => `/api/products/${i.product}`, roles: ['DESK_ADMIN'], body: () => ({ name: 'Renamed' }) },
  { method: 'DELETE', path: () => `/api/products/${randomUUID()}`, roles: ['DESK_ADMIN'] },
  { method: 'GET', path: () => '/api/companies', roles: ALL },
  { method: 'GET', path: (i) => `/api/companies/${i.company}`, roles: ALL, tenant: 'Company' },
  { method: 'POST', path: () => '/api/companies', roles: ['DESK_ADMIN'], body: () => ({ name: `Sec ${randomUUID()}`, kind: 'DEALER' }) },
  { method: 'PUT', path: (i) => `/api/companies/${i.company}`, roles: ['DESK_ADMIN'], body: () => ({ contactEmail: 'x@example.com' }) },
  { method: 'DELETE', path: () => `/api/companies/${randomUUID()}`, roles: ['DESK_ADMIN'] },
  { method: 'GET', path: () => '/api/users', roles: ['PARTNER_ADMIN', ...DESK] },
  { method: 'GET', path: (i) => `/api/users/${i.user}`, roles: ['PARTNER_ADMIN', ...DESK], tenant: 'User' },
  {
    method: 'POST',
    path: () => '/api/users',
    roles: ['PARTNER_ADMIN', 'DESK_ADMIN'],
    body: () => ({ email: `sec-${randomUUID().slice(0, 8)}@partner.test`, name: 'Sec', role: 'PARTNER_USER' }),
  },
  { method: 'PUT', path: (i) => `/api/users/${i.user}`, roles: ['PARTNER_ADMIN', 'DESK_ADMIN'], body: () => ({ name: 'Renamed' }), tenant: 'User' },
  { method: 'POST', path: (i) => `/api/users/${i.user}/invite`, roles: ['PARTNER_ADMIN', 'DESK_ADMIN'], tenant: 'User' },
  { method: 'DELETE', path: (i) => `/api/users/${i.user}`, roles: ['PARTNER_ADMIN', 'DESK_ADMIN'], tenant: 'User' },
  { method: 'GET', path: () => '/api/stocks', roles: ALL },
  { method: 'GET', path: (i) => `/api/stocks/${i.stock}`, roles: ALL, tenant: 'Stock' },
  {
    method: 'POST',
    path: () => '/api/stocks/adjust',
    roles: ['DESK_ADMIN'],
    body: (i) => ({ companyId: randomUUID(), productId: i.product, channels: 1, reason: 'test' }),
  },
  { method: 'GET', path: () => '/api/stock-ledger', roles: ALL },
  { method: 'GET', path: () => '/api/outbox', roles: DESK },
  { method: 'GET', path: () => `/api/outbox/${randomUUID()}`, roles: DESK },
  { method: 'POST', path: () => `/api/outbox/${randomUUID()}/resend`, roles: DESK },
  { method: 'GET', path: () => '/api/signing-keys', roles: DESK },
  { method: 'POST', path: () => '/api/signing-keys/rotate', roles: ['DESK_ADMIN'] },
  { method: 'GET', path: () => '/api/api-tokens', roles: ['PARTNER_ADMIN'] },
  { method: 'GET', path: (i) => `/api/api-tokens/${i.token}`, roles: ['PARTNER_ADMIN'], tenant: 'API token' },
  { method: 'POST', path: () => '/api/api-tokens', roles: ['PARTNER_ADMIN'], body: () => ({ name: 'ERP' }) },
  { method: 'DELETE', path: (i) => `/api/api-tokens/${i.token}`, roles: ['PARTNER_ADMIN'], tenant: 'API token' },
  { method: 'GET', path: () => '/api/reports/licenses', roles: ALL },
  { method: 'GET', path: () => `/api/reports/licenses.xlsx${listParams({ filter: {} })}`, roles: ALL },
  { method: 'GET', path: () => `/api/reports/licenses.csv${listParams({ filter: {} })}`, roles: ALL },
  { method: 'GET', path: () => '/api/reports/queue', roles: DESK },
];

const label = (r: Route) =>
  `${r.method} ${r.path({ request: ':id', license: ':id', attachment: ':id', user: ':id', company: ':id', stock: ':id', token: ':id', product: ':id' })}`;

const INJECTIONS = [
  '\'; DROP TABLE "User"; --',
  '<script>alert(1)</script>',
  '{{7*7}}${7*7}',
  '../../../etc/passwd',
  'a\u0000b',
  '\u202Egnp.exe',
  '%00%0d%0aSet-Cookie: x=1',
  'x'.repeat(5000),
];

/**
 * The security suites of the API: every route refuses anonymous callers, each role is refused
 * what it may not do, a partner never reaches another company's ids (404, as if they did not
 * exist), and bad input always gets a 4xx with a message, never a 5xx.
 */
describe('API security', () => {
  let api: ApiWorld;
  let callers: Record<Role, Call>;
  let ids: Ids;
  let a: Awaited<ReturnType<ApiWorld['newPartnerCompany']>>;
  beforeAll(async () => {
    api = await startApiWorld();
    a = await api.newPartnerCompany({ stock: 10 });
    const b = await api.newPartnerCompany({ stock: 10 });
    const agent = await api.newDeskUser('DESK_AGENT');
    const admin = await api.newDeskUser('DESK_ADMIN');
    callers = { PARTNER_USER: a.asUser, PARTNER_ADMIN: a.asAdmin, DESK_AGENT: await api.as(agent.id), DESK_ADMIN: await api.as(admin.id) };
    // Company B's request, license (issued through the workflow), attachment, stock and token.
    const submitted = (await (
      await b.asUser('/api/requests', { method: 'POST', body: { ...newInstallation({ product: b.product.id } as Ids), deliveryEmails: [b.deliveryEmail] } })
    ).json()) as { id: string };
    await until(
      async () => ((await api.world.prisma.request.findUniqueOrThrow({ where: { id: submitted.id } })).status === 'PENDING_APPROVAL' ? true : undefined),
      'B pending',
    );
    await callers.DESK_AGENT(`/api/requests/${submitted.id}/approve`, { method: 'POST', body: {} });
    const done = await until(async () => {
      const r = await api.world.prisma.request.findUniqueOrThrow({ where: { id: submitted.id } });
      return r.status === 'COMPLETED' ? r : undefined;
    }, 'B completed');
    const attachment = await api.world.prisma.requestAttachment.create({
      data: {
        requestId: submitted.id,
        uploadedById: b.user.id,
        kind: 'OTHER',
        fileName: 'b.txt',
        contentType: 'text/plain',
        size: 1,
        sha256: '0'.repeat(64),
        content: new Uint8Array([66]),
      },
    });
    const token = (await (await b.asAdmin('/api/api-tokens', { method: 'POST', body: { name: 'B integration' } })).json()) as { id: string };
    ids = {
      request: submitted.id,
      license: done.licenseId!,
      attachment: attachment.id,
      user: b.user.id,
      company: b.company.id,
      stock: `${b.company.id}_${b.product.id}`,
      token: token.id,
      product: b.product.id,
    };
  }, 120_000);
  afterAll(() => api?.stop());

  it('answers 401 to anonymous callers on every route', async () => {
    for (const route of ROUTES) {
      const response = await api.anonymous(route.path(ids), { method: route.method, body: route.body?.(ids) });
      expect(response.status, label(route)).toBe(401);
      expect(((await response.json()) as { message: string }).message, label(route)).toBe('Please log in.');
    }
  });

  it('refuses each role what it may not do (403)', async () => {
    const checked: string[] = [];
    for (const route of ROUTES) {
      for (const role of ROLES.filter((r) => !route.roles.includes(r))) {
        const response = await callers[role](route.path(ids), { method: route.method, body: route.body?.(ids) });
        await expectRefusal(response, 403, { message: 'Your role does not allow this.' }, `${role} ${label(route)}`);
        checked.push(`${role} ${label(route)}`);
      }
    }
    expect(checked.length).toBeGreaterThan(60);
  });

  it("gives a partner of company A 404 for company B's ids on every route a partner can reach", async () => {
    const reached: string[] = [];
    for (const route of ROUTES.filter((r) => r.tenant)) {
      for (const role of PARTNERS.filter((r) => route.roles.includes(r))) {
        const response = await callers[role](route.path(ids), { method: route.method, body: route.body?.(ids) });
        await expectRefusal(response, 404, { message: `${route.tenant} not found.` }, `${role} ${label(route)}`);
        reached.push(`${role} ${label(route)}`);
      }
    }
    expect(reached.length).toBeGreaterThanOrEqual(15);
    // Lists never show B's rows, whatever the filter asks for.
    for (const [resource, filter] of [
      ['requests', { companyId: ids.company }],
      ['licenses', { companyId: ids.company }],
      ['stocks', { companyId: ids.company }],
      ['stock-ledger', { companyId: ids.company }],
      ['companies', { id: [ids.company] }],
      ['users', { companyId: ids.company }],
      ['reports/licenses', { companyId: ids.company }],
    ] as const) {
      const response = await a.asAdmin(`/api/${resource}${listParams({ filter })}`);
      expect(response.status, resource).toBe(200);
      expect(await response.json(), resource).toEqual([]);
    }
    // B's license is untouched: no download was recorded by A's attempts.
    expect(await api.world.prisma.historyEvent.count({ where: { licenseId: ids.license, action: 'downloaded' } })).toBe(0);
  });

  it('answers bad input with a 4xx and a message, never a 5xx', async () => {
    const seen = new Map<number, number>();
    const check = async (what: string, response: Response, expected?: number) => {
      const text = await response.text();
      expect(response.status, `${what}: ${text.slice(0, 200)}`).toBeLessThan(500);
      if (expected) expect(response.status, `${what}: ${text.slice(0, 200)}`).toBe(expected);
      seen.set(response.status, (seen.get(response.status) ?? 0) + 1);
      if (response.status >= 400) {
        const body = JSON.parse(text) as { message?: unknown; errors?: Record<string, string> };
        expect(typeof body.message, what).toBe('string');
        expect((body.message as string).length, what).toBeGreaterThan(3);
        expect(text, what).not.toMatch(/at .*\.ts:\d+|PrismaClient|stack/);
        if (response.status === 422) expect(Object.keys(body.errors ?? {}).length, what).toBeGreaterThan(0);
      }
      return text;
    };

    for (const route of ROUTES.filter((r) => r.body)) {
      const caller = callers[route.roles[0]!];
      const path = route.path(ids);
      const valid = route.body!(ids);
      const send = (init: Parameters<Call>[1]) => caller(path, { method: route.method, ...init });
      await check(`${label(route)} malformed JSON`, await send({ raw: '{"oops": ', headers: { 'content-type': 'application/json' } }), 400);
      const unknown = await check(`${label(route)} unknown field`, await send({ body: { ...valid, bogusField: 1 } }), 422);
      expect(JSON.parse(unknown).errors.bogusField, label(route)).toMatch(/Unknown field "bogusField"/);
      await check(`${label(route)} oversized`, await send({ body: { ...valid, padding: 'x'.repeat(300 * 1024) } }), 413);
      await check(`${label(route)} not an object`, await send({ body: [valid] }), 422);
      for (const field of Object.keys(valid)) {
        // Wrong types: a string field given a number and the other way round, or an object.
        const wrong = typeof valid[field] === 'string' ? 12345 : typeof valid[field] === 'number' ? 'twelve' : typeof valid[field] === 'boolean' ? 'yes' : 'x';
        await check(`${label(route)} ${field} wrong type`, await send({ body: { ...valid, [field]: wrong } }), 422);
        const missing = { ...valid };
        delete missing[field];
        await check(`${label(route)} ${field} missing`, await send({ body: missing }));
        for (const injection of INJECTIONS) {
          if (typeof valid[field] !== 'string') continue;
          await check(`${label(route)} ${field} = ${JSON.stringify(injection.slice(0, 30))}`, await send({ body: { ...valid, [field]: injection } }));
        }
      }
    }

    // Query strings and path parameters.
    const partner = callers.PARTNER_USER;
    for (const query of [
      'filter=%7Bnot-json',
      'filter=%7B%22bogus%22%3A1%7D',
      'sort=%5B%22password%22%2C%22ASC%22%5D',
      'range=%5B10%2C0%5D',
      'range=%5B0%2C100000%5D',
      'filter=%7B%22q%22%3A%22%27%3B%20DROP%20TABLE%20x%3B--%22%7D',
    ]) {
      for (const resource of ['requests', 'licenses', 'products', 'companies', 'stocks', 'stock-ledger']) {
        await check(`GET /api/${resource}?${query}`, await partner(`/api/${resource}?${query}`));
      }
    }
    for (const path of [
      '/api/requests/not-a-uuid',
      '/api/licenses/1%20OR%201=1',
      "/api/companies/'%3B--",
      '/api/stocks/x_y',
      '/api/requests/00000000-0000-0000-0000-000000000000/attachments/..%2F..%2Fetc',
    ]) {
      await check(`GET ${path}`, await partner(path));
    }
    // Uploads: too big, wrong kind, empty, not multipart.
    const desk = callers.DESK_AGENT;
    const upload = (name: string, bytes: number) => {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(bytes).fill(65)]), name);
      return desk(`/api/requests/${ids.request}/external-file`, { method: 'POST', raw: form });
    };
    await check('upload over 5 MB', await upload('big.lic', 6 * 1024 * 1024), 413);
    await check('upload of an .exe', await upload('tool.exe', 10));
    await check('upload not multipart', await desk(`/api/requests/${ids.request}/external-file`, { method: 'POST', body: { file: 'x' } }));
    expect([...seen.keys()].every((s) => s < 500)).toBe(true);
    expect(seen.get(422)).toBeGreaterThan(100);
  }, 180_000);
});
