import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLicenseOperations } from '../activities/licenses.ts';
import { createKeyStore } from '../activities/signing/key-store.ts';
import { signLicense } from '../activities/signing/sign-license.ts';
import { createPrismaClient, type PrismaClient } from '../prisma/client.ts';
import { newPartner } from './support/request-harness.ts';

describe('license operations', () => {
  let prisma: PrismaClient;
  beforeAll(() => {
    prisma = createPrismaClient(inject('databaseUrl'));
  });
  afterAll(async () => {
    await prisma?.$disconnect();
  });

  it('creates and activates a license once per request, then revokes it once with the reason in its history', async () => {
    const keyStore = createKeyStore({ prisma, secret: inject('signingKeySecret') });
    const ops = createLicenseOperations(prisma, (grants) => signLicense({ keyStore, grants }));
    const p = await newPartner(prisma);
    const request = await prisma.request.create({
      data: { type: 'NEW_INSTALLATION', companyId: p.company.id, requesterId: p.user.id, payload: {}, deliveryEmails: [p.deliveryEmail], workflowId: `ops-${p.tag}` },
    });
    const input = {
      requestId: request.id,
      companyId: p.company.id,
      productId: p.product.id,
      channels: 5,
      vcaChannels: 1,
      lock: { type: 'MAC' as const, value: 'c8d9d29aa31b' },
      endUserCompany: 'Revoke Oy',
    };
    const first = await ops.createAndActivate(input);
    const again = await ops.createAndActivate(input);
    expect(again).toEqual(first);
    expect(await prisma.license.count({ where: { companyId: p.company.id } })).toBe(1);

    await ops.revoke({ requestId: request.id, step: 'revoke', licenseId: first.licenseId, reason: 'Fraudulent order' });
    await ops.revoke({ requestId: request.id, step: 'revoke', licenseId: first.licenseId, reason: 'Fraudulent order' });
    const license = await prisma.license.findUniqueOrThrow({ where: { id: first.licenseId }, include: { historyEvents: { orderBy: { id: 'asc' } } } });
    expect(license.status).toBe('REVOKED');
    expect(license.historyEvents.map((e) => [e.action, e.changes])).toEqual([
      ['created', 'Channels: +5, VCA channels: +1, MAC: c8d9d29aa31b'],
      ['revoked', 'Status: revoked'],
    ]);
    expect(license.historyEvents[1]!.comment).toBe('Fraudulent order');
  });
});
