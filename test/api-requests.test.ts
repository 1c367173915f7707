import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LICENSE_REPORT_COLUMNS } from '../api/reports/license-report.ts';
import { createApp } from '../api/app.ts';
import { hashPassword } from '../api/auth/password.ts';
import { createSessionStore } from '../api/auth/sessions.ts';
import { createKeyStore } from '../services/signing/key-store.ts';
import { verifyWithStore } from '../services/signing/sign-license.ts';
import { DEFAULT_DECISION_POLICY } from '../workflows/decision.ts';
import { newPartner, startRequestWorld, type RequestWorld } from './support/request-harness.ts';
import { expectRefusal } from './support/answers.ts';
import { fileStack } from './support/file-stack.ts';

const ORIGIN = 'http://localhost:3000';

/** The HTTP API from submission to download, against the real worker, database and SMTP. */
describe('request and license routes', () => {
  let world: RequestWorld;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    world = await startRequestWorld();
    app = createApp({
      prisma: world.prisma,
      temporal: { connection: world.connection, namespace: fileStack.temporalNamespace },
      smtpUrl: fileStack.smtpUrl,
      sessions: createSessionStore(world.prisma),
      publicUrl: ORIGIN,
      keyStore: createKeyStore({ prisma: world.prisma, secret: inject('signingKeySecret') }),
      requests: { client: world.client, taskQueue: world.worker.taskQueue, policy: DEFAULT_DECISION_POLICY },
      log: () => {},
    });
  });
  afterAll(() => world?.stop());

  async function loginAs(userId: string) {
    const password = 'a long enough test password';
    const user = await world.prisma.user.update({ where: { id: userId }, data: { passwordHash: await hashPassword(password) } });
    const response = await app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: JSON.stringify({ email: user.email, password }),
    });
    expect(response.status).toBe(200);
    const cookie = response.headers.get('set-cookie')!.split(';')[0]!;
    return (path: string, init: { method?: string; body?: unknown } = {}) =>
      app.request(path, {
        method: init.method ?? 'GET',
        headers: { cookie, origin: ORIGIN, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
      });
  }

  async function until<T>(probe: () => Promise<T | undefined>, what: string) {
    for (let i = 0; i < 150; i++) {
      const value = await probe();
      if (value !== undefined) return value;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  it('takes a new installation from submission to a verified download, with tenancy and roles enforced', async () => {
    const a = await newPartner(world.prisma, { stock: 10 });
    const b = await newPartner(world.prisma, { stock: 10 });
    const partnerA = await loginAs(a.user.id);
    const partnerB = await loginAs(b.user.id);
    // A desk agent of its own: the demo users' passwords stay as the demo data sets them.
    const vendor = await world.prisma.user.findUniqueOrThrow({ where: { id: world.desk.userId } });
    const agent = await world.prisma.user.create({
      data: { email: `agent-${a.tag}@license-desk.test`, name: `Agent ${a.tag}`, role: 'DESK_AGENT', companyId: vendor.companyId, passwordHash: 'x' },
    });
    const desk = await loginAs(agent.id);

    await expectRefusal(app.request('/api/products'), 401, { message: 'Please log in.' });
    const products = await partnerA(`/api/products?filter=${encodeURIComponent(JSON.stringify({ q: a.product.code }))}`);
    expect(products.headers.get('content-range')).toBe('products 0-0/1');
    expect(((await products.json()) as Array<{ id: string }>)[0]!.id).toBe(a.product.id);

    const form = {
      type: 'NEW_INSTALLATION',
      productId: a.product.id,
      channels: 5,
      vcaChannels: 0,
      lock: { type: 'MAC', value: 'C8:D9:D2:9A:A3:1B' },
      endUserCompany: 'Tapio Koistinen test',
      deliveryEmails: [a.deliveryEmail],
    };
    await expectRefusal(
      app.request('/api/requests', { method: 'POST', headers: { 'content-type': 'application/json', origin: ORIGIN }, body: JSON.stringify(form) }),
      401,
      { message: 'Please log in.' },
    );
    await expectRefusal(desk('/api/requests', { method: 'POST', body: form }), 403, { message: 'Your role does not allow this.' });
    const bad = await partnerA('/api/requests', { method: 'POST', body: { ...form, channels: 0, endUserCompany: '' } });
    await expectRefusal(bad, 422, {
      message: 'IP channels must be at least 1',
      errors: { channels: 'IP channels must be at least 1', endUserCompany: 'End user company is required' },
    });

    const submitted = await partnerA('/api/requests', { method: 'POST', body: form });
    expect(submitted.status).toBe(201);
    const { id } = (await submitted.json()) as { id: string };
    await until(async () => {
      const r = (await (await partnerA(`/api/requests/${id}`)).json()) as { status: string };
      return r.status === 'PENDING_APPROVAL' ? r : undefined;
    }, 'pending approval');

    await expectRefusal(partnerB(`/api/requests/${id}`), 404, { message: 'Request not found.' });
    await expectRefusal(partnerA(`/api/requests/${id}/approve`, { method: 'POST', body: {} }), 403, { message: 'Your role does not allow this.' });
    const listB = await partnerB(`/api/requests?filter=${encodeURIComponent('{}')}`);
    expect(((await listB.json()) as Array<{ id: string }>).some((r) => r.id === id)).toBe(false);

    expect((await desk(`/api/requests/${id}/approve`, { method: 'POST', body: { comment: 'Order checked' } })).status).toBe(200);
    const again = await desk(`/api/requests/${id}/approve`, { method: 'POST', body: {} });
    await expectRefusal(again, 409, { message: 'This request was already approved.' });

    const done = await until(async () => {
      const r = (await (await partnerA(`/api/requests/${id}`)).json()) as {
        status: string;
        serial: string;
        licenseId: string;
        timeline: Array<{ action: string }>;
      };
      return r.status === 'COMPLETED' ? r : undefined;
    }, 'completion');
    expect(done.timeline.map((e) => e.action)).toContain('request_approved');

    const list = await partnerA(
      `/api/licenses?filter=${encodeURIComponent(JSON.stringify({ mac: 'c8-d9-d2-9a-a3-1b' }))}&range=${encodeURIComponent('[0,9]')}`,
    );
    expect(list.headers.get('content-range')).toBe('licenses 0-0/1');
    expect(((await list.json()) as Array<{ serial: string }>)[0]!.serial).toBe(done.serial);
    await expectRefusal(partnerB(`/api/licenses/${done.licenseId}`), 404, { message: 'License not found.' });
    await expectRefusal(partnerB(`/api/licenses/${done.licenseId}/download`), 404, { message: 'License not found.' });

    const download = await partnerA(`/api/licenses/${done.licenseId}/download`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename="license-${done.serial}.lic"`);
    const verification = await verifyWithStore(createKeyStore({ prisma: world.prisma, secret: inject('signingKeySecret') }), await download.text());
    expect(verification).toMatchObject({ valid: true, grants: { serial: done.serial, channels: 5 } });
    const details = (await (await partnerA(`/api/licenses/${done.licenseId}`)).json()) as {
      history: Array<{ action: string; changes: string }>;
      revisions: unknown[];
    };
    expect(details.revisions).toHaveLength(1);
    expect(details.history.map((h) => h.action)).toEqual(['created', 'request_completed', 'downloaded']);

    // Anyone can check a file against the published keys; one changed byte fails.
    const file = await (await partnerA(`/api/licenses/${done.licenseId}/download`)).text();
    const verified = await app.request('/api/verify', { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json' }, body: file });
    expect(verified.status).toBe(200);
    expect(await verified.json()).toMatchObject({ valid: true, grants: { serial: done.serial } });
    const tampered = file.replace(/"data": "(.)/, (_m, ch: string) => `"data": "${ch === 'A' ? 'B' : 'A'}`);
    const refused = await app.request('/api/verify', { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json' }, body: tampered });
    const { kid } = JSON.parse(file) as { kid: string };
    await expectRefusal(refused, 422, {
      valid: false,
      reason: 'bad-signature',
      kid,
      message: `The signature does not match the license data for key ${kid}: the file was changed after signing.`,
    });
    const keys = (await (await app.request('/api/public-keys')).json()) as Array<{ kid: string; publicKeyPem: string; status: string }>;
    expect(keys.some((k) => k.status === 'ACTIVE' && k.publicKeyPem.includes('BEGIN PUBLIC KEY'))).toBe(true);
    const huge = await app.request('/api/verify', {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/json' },
      body: 'x'.repeat(70 * 1024),
    });
    await expectRefusal(huge, 413, { message: 'A license file is at most 64 KB.' });

    // The license report: the partner's own rows only, whatever company it asks for.
    const q = (filter: object) => `filter=${encodeURIComponent(JSON.stringify(filter))}`;
    const report = await partnerA(`/api/reports/licenses?${q({ action: ['created', 'downloaded'] })}`);
    expect(report.status).toBe(200);
    const reportRows = (await report.json()) as Array<{ serial: string }>;
    expect(reportRows.filter((r) => r.serial === done.serial)).toHaveLength(3);
    const sneaky = (await (await partnerB(`/api/reports/licenses?${q({ companyId: a.company.id })}`)).json()) as Array<{ serial: string }>;
    expect(sneaky.some((r) => r.serial === done.serial)).toBe(false);
    const xlsx = await partnerA(`/api/reports/licenses.xlsx?${q({})}`);
    expect(xlsx.headers.get('content-disposition')).toBe('attachment; filename="license-report.xlsx"');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as never);
    const sheet = workbook.worksheets[0]!;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(LICENSE_REPORT_COLUMNS.map((col) => col.header));
    // created, request_completed and two downloads: the same rows as the JSON report.
    const total = Number((await partnerA(`/api/reports/licenses?${q({})}`)).headers.get('content-range')!.split('/').pop());
    expect(total).toBe(4);
    expect(sheet.rowCount).toBe(1 + total);
    const csv = await (await partnerA(`/api/reports/licenses.csv?${q({})}`)).text();
    expect(csv.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe(LICENSE_REPORT_COLUMNS.map((col) => col.header).join(','));
    await expectRefusal(partnerA('/api/reports/queue'), 403, { message: 'Your role does not allow this.' });
    expect((await desk('/api/reports/queue')).status).toBe(200);
    await expectRefusal(partnerA(`/api/reports/licenses?${q({ from: '2026-13-01' })}`), 422, {
      message: 'from must be a date like 2021-08-01',
      errors: { 'filter.from': 'from must be a date like 2021-08-01' },
    });

    const notJson = 'must be JSON, e.g. ["createdAt","DESC"]';
    await expectRefusal(partnerA('/api/licenses?sort=notjson'), 422, { message: notJson, errors: { sort: notJson } });
  });
});
