import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import simpleRestProvider from 'ra-data-simple-rest';
import { fetchUtils } from 'ra-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiWorld, type ApiWorld } from './support/api-harness.ts';

/**
 * react-admin's own ra-data-simple-rest provider, over real HTTP, as the back office uses it:
 * the list dialect (sort, range, filter, Content-Range through CORS) must be what it expects.
 */
describe('the API as react-admin sees it', () => {
  let api: ApiWorld;
  let server: ReturnType<typeof serve>;
  let provider: ReturnType<typeof simpleRestProvider>;
  let partner: Awaited<ReturnType<ApiWorld['newPartnerCompany']>>;
  const serials: string[] = [];
  let base: string;
  const ERP = 'https://erp.partner.example';

  beforeAll(async () => {
    // CORS_ORIGINS as an operator would set it for a partner's web integration.
    api = await startApiWorld({ corsOrigins: [ERP] });
    partner = await api.newPartnerCompany();
    const other = await api.newPartnerCompany();
    // Licenses as rows: listing does not care how they were issued.
    for (let i = 0; i < 7; i++) {
      const serial = `RA${partner.tag
        .toUpperCase()
        .replace(/[^A-Z0-9]/g, '0')
        .slice(0, 8)}${i}`
        .padEnd(12, 'X')
        .slice(0, 12);
      serials.push(serial);
      await api.world.prisma.license.create({
        data: {
          serial,
          companyId: partner.company.id,
          productId: partner.product.id,
          channels: 4 + i,
          lockType: 'MAC',
          macAddress: `001b213a4f${(0x80 + i).toString(16)}`,
          endUserCompany: i < 3 ? 'Kauppakeskus Itis' : `End user ${i}`,
          status: 'ACTIVE',
        },
      });
    }
    await api.world.prisma.license.create({
      data: {
        serial: `OT${other.tag.toUpperCase()}00`.slice(0, 12).padEnd(12, 'X'),
        companyId: other.company.id,
        productId: other.product.id,
        channels: 4,
        lockType: 'MAC',
        endUserCompany: 'Kauppakeskus Itis',
        status: 'ACTIVE',
      },
    });

    server = serve({ fetch: api.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: partner.user.email, password: 'a long enough test password' }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    // A browser sends the cookie itself; Node's fetch needs it spelled out.
    provider = simpleRestProvider(`${base}/api`, (url, options = {}) => {
      const headers = new Headers(options.headers as HeadersInit);
      headers.set('cookie', cookie);
      return fetchUtils.fetchJson(url, { ...options, headers });
    });
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await api?.stop();
  });

  it('lists, paginates and filters licenses through ra-data-simple-rest', async () => {
    const page1 = await provider.getList('licenses', { pagination: { page: 1, perPage: 3 }, sort: { field: 'serial', order: 'ASC' }, filter: {} });
    expect(page1.total).toBe(7);
    expect(page1.data.map((l) => l.serial)).toEqual(serials.slice(0, 3));
    // Each row names its owner, which the desk's Licenses list shows as its Owner column.
    expect(page1.data.map((l) => l.companyName)).toEqual(Array(3).fill(partner.company.name));
    const page3 = await provider.getList('licenses', { pagination: { page: 3, perPage: 3 }, sort: { field: 'serial', order: 'ASC' }, filter: {} });
    expect(page3.data.map((l) => l.serial)).toEqual(serials.slice(6));
    expect(page3.total).toBe(7);

    const byEndUser = await provider.getList('licenses', {
      pagination: { page: 1, perPage: 25 },
      sort: { field: 'channels', order: 'DESC' },
      filter: { q: 'itis' },
    });
    // The other company's "Kauppakeskus Itis" license is not there.
    expect(byEndUser.total).toBe(3);
    expect(byEndUser.data.map((l) => l.channels)).toEqual([6, 5, 4]);
    const byMac = await provider.getList('licenses', {
      pagination: { page: 1, perPage: 25 },
      sort: { field: 'serial', order: 'ASC' },
      filter: { mac: '00-1B-21-3A-4F-84' },
    });
    expect(byMac.data.map((l) => l.serial)).toEqual([serials[4]]);

    const one = await provider.getOne('licenses', { id: byMac.data[0]!.id });
    expect(one.data).toMatchObject({ serial: serials[4], revisions: [], history: [] });
    const many = await provider.getMany('licenses', { ids: page1.data.map((l) => l.id) });
    expect(many.data.map((l) => l.serial).sort()).toEqual(serials.slice(0, 3));

    // Server errors reach react-admin as HttpError with the message and the field errors.
    await expect(
      provider.getList('licenses', { pagination: { page: 1, perPage: 5 }, sort: { field: 'password', order: 'ASC' }, filter: {} }),
    ).rejects.toMatchObject({ status: 422, body: { errors: { 'sort.0': 'Sort by one of: createdAt, serial, channels, endUserCompany, status' } } });
    await expect(provider.getOne('licenses', { id: '00000000-0000-4000-8000-000000000000' })).rejects.toMatchObject({
      status: 404,
      message: 'License not found.',
    });
  });

  it('lets a page on an allowed origin page through licenses with an API token: preflight, Content-Range exposed, no cookies', async () => {
    const created = await partner.asAdmin('/api/api-tokens', { method: 'POST', body: { name: 'ERP web page', expiresInDays: 1 } });
    const { token } = (await created.json()) as { token: string };

    // What a browser sends before a GET with an Authorization header.
    const preflight = await fetch(`${base}/api/licenses`, {
      method: 'OPTIONS',
      headers: { origin: ERP, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(ERP);
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();

    const page = await fetch(`${base}/api/licenses?range=${encodeURIComponent('[0,1]')}&sort=${encodeURIComponent('["serial","ASC"]')}`, {
      headers: { origin: ERP, authorization: `Bearer ${token}` },
    });
    expect(page.status).toBe(200);
    expect(page.headers.get('access-control-allow-origin')).toBe(ERP);
    expect(page.headers.get('access-control-expose-headers')).toContain('Content-Range');
    expect(page.headers.get('content-range')).toBe('licenses 0-1/7');
    expect(((await page.json()) as Array<{ serial: string }>).map((l) => l.serial)).toEqual(serials.slice(0, 2));

    // Another origin's page gets no CORS grant, so its browser keeps the answer from it.
    const elsewhere = await fetch(`${base}/api/licenses`, { headers: { origin: 'https://evil.example', authorization: `Bearer ${token}` } });
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();
    const elsewherePreflight = await fetch(`${base}/api/licenses`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    expect(elsewherePreflight.headers.get('access-control-allow-origin')).toBeNull();
  });
});
