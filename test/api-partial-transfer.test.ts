import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSerial } from '../domain/serial.ts';
import { startApiWorld, until, type ApiWorld } from './support/api-harness.ts';

type Partner = Awaited<ReturnType<ApiWorld['newPartnerCompany']>>;

/**
 * POST /api/requests refuses a partial transfer at once (422, `{ message, errors: { field } }`)
 * when the form, the catalogue or the license already rule it out, in the words a partner reads,
 * and records nothing. An accepted one goes through the owner's consent and the desk over the API.
 */
describe('partial transfer over the API', () => {
  let api: ApiWorld;
  let p: Partner;
  let other: Partner;
  let license: { id: string; serial: string };
  let othersLicense: { serial: string };

  const newLicense = (owner: Partner, channels: number, status: 'ACTIVE' | 'REVOKED' = 'ACTIVE') =>
    api.world.prisma.license.create({
      data: {
        serial: generateSerial((n) => new Uint8Array(randomBytes(n))),
        companyId: owner.company.id,
        productId: owner.product.id,
        channels,
        lockType: 'MAC',
        macAddress: 'c8d9d29aa31b',
        endUserCompany: 'Checked Oy',
        status,
        currentRevision: 0,
      },
    });

  beforeAll(async () => {
    api = await startApiWorld();
    [p, other] = await Promise.all([api.newPartnerCompany(), api.newPartnerCompany()]);
    [license, othersLicense] = await Promise.all([newLicense(p, 20), newLicense(other, 10)]);
  }, 120_000);
  afterAll(() => api?.stop());

  const transfer = (changes: Record<string, unknown> = {}) => ({
    type: 'PARTIAL_TRANSFER',
    serial: license.serial,
    channels: 5,
    targetCompanyId: other.company.id,
    lock: { type: 'MAC', value: 'c8:d9:d2:9a:a5:01' },
    deliveryEmails: [p.deliveryEmail],
    ...changes,
  });

  async function refused(body: Record<string, unknown>) {
    const before = await api.world.prisma.request.count({ where: { companyId: p.company.id } });
    const response = await p.asUser('/api/requests', { method: 'POST', body });
    const answer = (await response.json()) as { message: string; errors: Record<string, string> };
    expect(response.status, JSON.stringify(answer)).toBe(422);
    expect(await api.world.prisma.request.count({ where: { companyId: p.company.id } })).toBe(before);
    return answer;
  }
  const only = (field: string, message: string) => ({ message, errors: { [field]: message } });

  it('refuses fewer than one channel, more than the license can give, and a remainder below the minimum', async () => {
    expect(await refused(transfer({ channels: 0 }))).toEqual(only('channels', 'Channels to transfer must be at least 1'));
    expect(await refused(transfer({ channels: 25 }))).toEqual(
      only('channels', `License ${license.serial} has 20 channels; you asked to transfer 25. Transfer at most 19.`),
    );
    expect(await refused(transfer({ channels: 20 }))).toEqual(
      only('channels', `License ${license.serial} would keep 0 channels, fewer than the 1 V9 Pro ${p.tag} needs; transfer at most 19.`),
    );
    await api.world.prisma.product.update({ where: { id: p.product.id }, data: { minChannels: 8 } });
    try {
      expect(await refused(transfer({ channels: 15 }))).toEqual(
        only('channels', `License ${license.serial} would keep 5 channels, fewer than the 8 V9 Pro ${p.tag} needs; transfer at most 12.`),
      );
    } finally {
      await api.world.prisma.product.update({ where: { id: p.product.id }, data: { minChannels: 1 } });
    }
  });

  it("refuses a license that is another company's (as a missing one) or not active, and the owner as the target", async () => {
    expect(await refused(transfer({ serial: othersLicense.serial }))).toEqual(only('serial', `No license ${othersLicense.serial} belongs to your company.`));
    const revoked = await newLicense(p, 10, 'REVOKED');
    expect(await refused(transfer({ serial: revoked.serial }))).toEqual(
      only('serial', `License ${revoked.serial} is revoked, not active; only an active license can give channels.`),
    );
    expect(await refused(transfer({ targetCompanyId: p.company.id }))).toEqual(
      only('targetCompanyId', 'The channels would stay with the company that owns the license; choose the company that receives them.'),
    );
    expect(await refused(transfer({ targetCompanyId: randomUUID() }))).toEqual(
      only('targetCompanyId', 'The company that receives the channels does not exist; choose it from the list.'),
    );
  });

  it("refuses a lock that is malformed or not of the product's kind", async () => {
    expect(await refused(transfer({ lock: { type: 'MAC', value: 'c8:d9:d2' } }))).toEqual(
      only('lock.value', 'MAC address must be 12 hex digits, e.g. c8d9d29aa31b (got 6)'),
    );
    expect(await refused(transfer({ lock: { type: 'HARDWARE_KEY', value: '4410011575A6' } }))).toEqual(
      only('lock.type', `V9 Pro ${p.tag} is locked to a MAC address; choose MAC as the lock type.`),
    );
  });

  it("an accepted transfer waits for the owner's admin, then the desk, and its page lists both licenses", async () => {
    const response = await p.asUser('/api/requests', { method: 'POST', body: transfer({ channels: 6 }) });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    await until(
      async () => ((await api.world.prisma.request.findUniqueOrThrow({ where: { id } })).status === 'WAITING_FOR_CONSENT' ? true : undefined),
      'waiting for consent',
    );
    // The receiving company's admin is not the owner's: it cannot see the request, let alone consent.
    expect((await other.asAdmin(`/api/requests/${id}/consent`, { method: 'POST', body: { consent: true } })).status).toBe(404);
    const consent = await p.asAdmin(`/api/requests/${id}/consent`, { method: 'POST', body: { consent: true } });
    expect(consent.status).toBe(200);
    expect(((await consent.json()) as { message: string }).message).toMatch(/^Your consent is recorded; the desk decides LD-\d{6} next\.$/);
    await until(
      async () => ((await api.world.prisma.request.findUniqueOrThrow({ where: { id } })).status === 'PENDING_APPROVAL' ? true : undefined),
      'the desk queue',
    );
    const desk = await api.as((await api.newDeskUser('DESK_AGENT')).id);
    expect((await desk(`/api/requests/${id}/approve`, { method: 'POST', body: {} })).status).toBe(200);
    await until(async () => ((await api.world.prisma.request.findUniqueOrThrow({ where: { id } })).status === 'COMPLETED' ? true : undefined), 'the transfer');
    const shown = (await (await p.asUser(`/api/requests/${id}`)).json()) as {
      licenseId: string;
      licenses: Array<{ id: string; serial: string; companyId: string }>;
    };
    expect(shown.licenseId).toBe(license.id);
    expect(shown.licenses.map((l) => l.companyId).sort()).toEqual([p.company.id, other.company.id].sort());
    const created = shown.licenses.find((l) => l.companyId === other.company.id)!;
    expect(await api.world.prisma.license.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({ channels: 6, serial: created.serial });
    expect(await api.world.prisma.license.findUniqueOrThrow({ where: { id: license.id } })).toMatchObject({ channels: 14 });
  }, 120_000);
});
