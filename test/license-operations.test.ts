import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createActivities } from '../activities/index.ts';
import { createServices } from '../services/index.ts';
import { createLicenseOperations } from '../services/licenses.ts';
import { createKeyStore } from '../services/signing/key-store.ts';
import { signLicense } from '../services/signing/sign-license.ts';
import { createPrismaClient, type PrismaClient } from '../prisma/client.ts';
import { newPartner } from './support/request-harness.ts';
import { fileStack } from './support/file-stack.ts';

describe('license operations', () => {
  let prisma: PrismaClient;
  beforeAll(() => {
    prisma = createPrismaClient(fileStack.databaseUrl);
  });
  afterAll(async () => {
    await prisma?.$disconnect();
  });

  it('creates and activates a license once per request, then revokes it once with the reason in its history', async () => {
    const keyStore = createKeyStore({ prisma, secret: inject('signingKeySecret') });
    const ops = createLicenseOperations(prisma, (grants) => signLicense({ keyStore, grants }));
    const p = await newPartner(prisma);
    const request = await prisma.request.create({
      data: {
        type: 'NEW_INSTALLATION',
        companyId: p.company.id,
        requesterId: p.user.id,
        payload: {},
        deliveryEmails: [p.deliveryEmail],
        workflowId: `ops-${p.tag}`,
      },
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
      ['created', 'Channels: +5, VCA channels: +1, MAC: c8:d9:d2:9a:a3:1b'],
      ['revoked', 'Status: revoked'],
    ]);
    expect(license.historyEvents[1]!.comment).toBe('Fraudulent order');
  });

  it('takes back the channels of an expansion whose fulfilment failed after its revision was written, once', async () => {
    const { outbox, signer, clock } = createServices({
      prisma,
      smtpUrl: fileStack.smtpUrl,
      mailFrom: 'desk@license-desk.test',
      signingKeySecret: inject('signingKeySecret'),
    });
    const activities = createActivities({ prisma, mailer: outbox, signer, clock, publicUrl: 'http://localhost:3000' });
    const p = await newPartner(prisma);
    const requestOf = (type: 'NEW_INSTALLATION' | 'CHANNEL_EXPANSION', tag: string) =>
      prisma.request.create({
        data: { type, companyId: p.company.id, requesterId: p.user.id, payload: {}, deliveryEmails: [p.deliveryEmail], workflowId: `ops-${tag}-${p.tag}` },
      });
    const install = await requestOf('NEW_INSTALLATION', 'install');
    const ops = createLicenseOperations(prisma, (grants) => signLicense({ keyStore: createKeyStore({ prisma, secret: inject('signingKeySecret') }), grants }));
    const { licenseId } = await ops.createAndActivate({
      requestId: install.id,
      companyId: p.company.id,
      productId: p.product.id,
      channels: 8,
      vcaChannels: 0,
      lock: { type: 'MAC', value: 'c8d9d29aa31d' },
      endUserCompany: 'Expand Oy',
    });

    // Nothing was written for this expansion: nothing to take back.
    const untouched = await requestOf('CHANNEL_EXPANSION', 'none');
    await activities.revertUndeliveredChannels({ requestId: untouched.id, step: 'expand', licenseId, delta: 4 });
    expect((await prisma.license.findUniqueOrThrow({ where: { id: licenseId } })).channels).toBe(8);

    // The expansion's revision committed, then the fulfilment failed: revert, twice (a retry).
    const expansion = await requestOf('CHANNEL_EXPANSION', 'expand');
    await activities.changeLicenseChannels({ requestId: expansion.id, step: 'expand', licenseId, delta: 4, action: 'channels_changed' });
    await activities.revertUndeliveredChannels({ requestId: expansion.id, step: 'expand', licenseId, delta: 4 });
    await activities.revertUndeliveredChannels({ requestId: expansion.id, step: 'expand', licenseId, delta: 4 });
    const license = await prisma.license.findUniqueOrThrow({ where: { id: licenseId }, include: { revisions: { orderBy: { revision: 'asc' } } } });
    expect(license.channels).toBe(8);
    expect(license.revisions.map((r) => [r.revision, r.channels])).toEqual([
      [1, 8],
      [2, 12],
      [3, 8],
    ]);
  });
});
