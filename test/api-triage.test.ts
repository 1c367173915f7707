import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSerial } from '../domain/serial.ts';
import { listParams, startApiWorld, until, type ApiWorld, type Call } from './support/api-harness.ts';

type Partner = Awaited<ReturnType<ApiWorld['newPartnerCompany']>>;
interface Row {
  id: string;
  number: number;
  status: string;
  endUserCompany: string | null;
  productName: string | null;
  channels: number | null;
  license: { serial: string; productName: string; channels: number; status: string } | null;
}

/**
 * The desk's triage queue: the search finds a request by its end user (the form's, or the
 * license's for a request about a license), each row names its end user, product and channels,
 * the status tabs' counts follow the filters, and a company the licenses' history names cannot
 * be deleted, in words.
 */
describe('triage queue and company records', () => {
  let api: ApiWorld;
  let p: Partner;
  let desk: Call;
  let deskAdmin: Call;
  let license: { id: string; serial: string };
  let installation: { id: string };
  let expansion: { id: string };
  const MAC = 'c8d9d29aa31b';

  beforeAll(async () => {
    api = await startApiWorld();
    p = await api.newPartnerCompany({ stock: 100 });
    [desk, deskAdmin] = await Promise.all([api.as((await api.newDeskUser('DESK_AGENT')).id), api.as((await api.newDeskUser('DESK_ADMIN')).id)]);
    license = await api.world.prisma.license.create({
      data: {
        serial: generateSerial((n) => new Uint8Array(randomBytes(n))),
        companyId: p.company.id,
        productId: p.product.id,
        channels: 40,
        lockType: 'MAC',
        macAddress: MAC,
        endUserCompany: `Satamavarasto ${p.tag} Oy`,
        status: 'ACTIVE',
        currentRevision: 1,
      },
    });
    const submit = async (body: Record<string, unknown>) => {
      const response = await p.asUser('/api/requests', { method: 'POST', body: { deliveryEmails: [p.deliveryEmail], ...body } });
      expect(response.status, await response.clone().text()).toBe(201);
      return (await response.json()) as { id: string };
    };
    installation = await submit({
      type: 'NEW_INSTALLATION',
      productId: p.product.id,
      channels: 12,
      lock: { type: 'MAC', value: 'c8d9d29aa31c' },
      endUserCompany: `Kauppahalli ${p.tag} Tampere`,
    });
    expansion = await submit({ type: 'CHANNEL_EXPANSION', serial: license.serial, macAddress: MAC, channels: 8 });
    // Both reach the desk's queue before the counts are read.
    await until(async () => {
      const rows = await api.world.prisma.request.findMany({ where: { companyId: p.company.id } });
      return rows.every((r) => r.status === 'PENDING_APPROVAL') ? rows : undefined;
    }, 'both requests waiting for the desk');
  }, 120_000);
  afterAll(() => api?.stop());

  async function search(caller: Call, q: string) {
    const response = await caller(`/api/requests${listParams({ filter: { q } })}`);
    expect(response.status).toBe(200);
    return (await response.json()) as Row[];
  }

  it("finds a request by the form's end user, in any case, and names its end user, product and channels", async () => {
    const rows = await search(desk, `kauppahalli ${p.tag}`);
    expect(rows.map((r) => r.id)).toEqual([installation.id]);
    expect(rows[0]).toMatchObject({ endUserCompany: `Kauppahalli ${p.tag} Tampere`, productName: p.product.name, channels: 12, license: null });
    // The partner's own search finds it too.
    expect((await search(p.asUser, `KAUPPAHALLI ${p.tag}`)).map((r) => r.id)).toEqual([installation.id]);
  });

  it("finds a request about a license by the license's end user, and shows the license as it is now", async () => {
    const rows = await search(desk, `satamavarasto ${p.tag}`);
    expect(rows.map((r) => r.id)).toEqual([expansion.id]);
    expect(rows[0]).toMatchObject({
      endUserCompany: `Satamavarasto ${p.tag} Oy`,
      productName: p.product.name,
      channels: 8,
      license: { serial: license.serial, productName: p.product.name, channels: 40, status: 'ACTIVE' },
    });
    // Another company's search does not reach it.
    const other = await api.newPartnerCompany();
    expect(await search(other.asUser, `satamavarasto ${p.tag}`)).toEqual([]);
  });

  it('counts every status for the tabs, under the same filters as the list', async () => {
    const counts = async (filter: Record<string, unknown>) => {
      const response = await desk(`/api/requests/counts${listParams({ filter })}`);
      expect(response.status).toBe(200);
      return (await response.json()) as { total: number; open: number; byStatus: Record<string, number> };
    };
    const before = await counts({ companyId: p.company.id });
    expect(before).toMatchObject({ total: 2, open: 2 });
    expect(before.byStatus).toMatchObject({ PENDING_APPROVAL: 2, WAITING_FOR_RMA: 0, WAITING_CONFIRM: 0, FAILED: 0, CANCELLED: 0 });
    // Every status has its count, zero included.
    expect(Object.keys(before.byStatus).sort()).toEqual(
      [
        'SUBMITTED',
        'PENDING_APPROVAL',
        'WAITING_FOR_PARTNER',
        'WAITING_FOR_CONSENT',
        'WAITING_FOR_FILE',
        'WAITING_FOR_RMA',
        'WAITING_CONFIRM',
        'WAITING_FOR_OFFICE_HOURS',
        'PROCESSING',
        'COOLING_OFF',
        'COMPLETED',
        'REJECTED',
        'CANCELLED',
        'EXPIRED',
        'FAILED',
      ].sort(),
    );
    // A status filter does not narrow the tabs' counts; the search does.
    expect(await counts({ companyId: p.company.id, status: 'COMPLETED' })).toEqual(before);
    expect((await counts({ companyId: p.company.id, q: `kauppahalli ${p.tag}` })).total).toBe(1);

    const cancelled = await p.asUser(`/api/requests/${installation.id}/cancel`, { method: 'POST', body: { reason: 'Ordered twice' } });
    expect(cancelled.status).toBe(200);
    await until(async () => ((await counts({ companyId: p.company.id })).byStatus.CANCELLED === 1 ? true : undefined), 'the cancelled count');
    const after = await counts({ companyId: p.company.id });
    expect(after).toMatchObject({ total: 2, open: 1 });
    expect(after.byStatus).toMatchObject({ PENDING_APPROVAL: 1, CANCELLED: 1 });
    // The list under the cancelled tab holds what its count says.
    const list = await desk(`/api/requests${listParams({ filter: { companyId: p.company.id, status: 'CANCELLED' } })}`);
    expect(list.headers.get('content-range')).toBe('requests 0-0/1');
  });

  it('refuses to delete the vendor company or a company with licenses, in words, and says so on the company', async () => {
    const refusal = async (companyId: string) => {
      const response = await deskAdmin(`/api/companies/${companyId}`, { method: 'DELETE' });
      expect(response.status).toBe(409);
      return ((await response.json()) as { message: string }).message;
    };
    expect(await refusal(api.vendor.id)).toBe(`${api.vendor.name} is the vendor company; it cannot be deleted.`);
    expect(await refusal(p.company.id)).toBe(`${p.company.name} holds 1 license; a company with licenses cannot be deleted.`);

    const shown = (await (await deskAdmin(`/api/companies/${p.company.id}`)).json()) as { deleteRefusal: string | null; counts: Record<string, number> };
    expect(shown.deleteRefusal).toBe(`${p.company.name} holds 1 license; a company with licenses cannot be deleted.`);
    expect(shown.counts).toMatchObject({ licenses: 1, requests: 2, users: 2 });

    // Without licenses, what still points to the company is named.
    const unused = await api.newPartnerCompany();
    expect(await refusal(unused.company.id)).toBe(`${unused.company.name} still has 2 users; it cannot be deleted until they are moved or removed.`);
    const empty = await api.world.prisma.company.create({ data: { name: `Empty ${p.tag} Oy`, kind: 'DEALER' } });
    expect(((await (await deskAdmin(`/api/companies/${empty.id}`)).json()) as { deleteRefusal: string | null }).deleteRefusal).toBeNull();
    expect((await deskAdmin(`/api/companies/${empty.id}`, { method: 'DELETE' })).status).toBe(200);
  });
});
