import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createActivities } from '../../activities/index.ts';
import { recordRequest } from '../../api/requests/lifecycle.ts';
import type { PartialTransferForm } from '../../domain/request-forms.ts';
import { createServices } from '../../services/index.ts';
import { approveUpdate, ownerConsentUpdate } from '../../workflows/messages.ts';
import { fileStack } from '../support/file-stack.ts';
import { until } from '../support/api-harness.ts';
import { balanceOf, mailTo, newPartner, useRequestWorld, waitForPhase, type RequestWorld } from '../support/request-harness.ts';
import {
  attachmentText,
  expectUpdateRefused,
  expectWorkflowClosed,
  LICENSE_ACTIONS,
  outboxKeys,
  partnerAdmin,
  requestSteps,
  verifyLicenseText,
  type Partner,
} from '../support/request-steps.ts';

const form = (serial: string, target: Partner, changes: Partial<PartialTransferForm> = {}) => ({
  type: 'PARTIAL_TRANSFER' as const,
  serial,
  channels: 5,
  targetCompanyId: target.company.id,
  lock: { type: 'MAC' as const, value: 'C8:D9:D2:9A:A4:01' },
  endUserCompany: 'Kauppakeskus B',
  ...changes,
});

/** The license and its history rows (a request's own timeline rows aside), oldest first. */
const licenseOf = (world: RequestWorld, where: { serial: string } | { id: string }) =>
  world.prisma.license.findUniqueOrThrow({
    where: where as { serial: string },
    include: { revisions: { orderBy: { revision: 'asc' } }, historyEvents: { orderBy: { id: 'asc' } }, company: true },
  });

describe('partial transfer on the real Temporal server, PostgreSQL and SMTP', () => {
  const world = useRequestWorld({ poolSize: 20 });
  const { submit, approve, issueLicense } = requestSteps(world);

  it('consent of the current owner then desk approval split the license: a reduced source and a new license for the target', async () => {
    const a = await newPartner(world.prisma, { stock: 20 });
    const b = await newPartner(world.prisma);
    const aAdmin = await partnerAdmin(world.prisma, a);
    const bAdmin = await partnerAdmin(world.prisma, b);
    const serial = await issueLicense(a, 'c8d9d29aa401', 12);
    const before = await licenseOf(world, { serial });

    const request = await submit(a, form(serial, b));
    await waitForPhase(world.client, request.workflowId, 'awaiting_consent');
    const handle = world.client.workflow.getHandle(request.workflowId);
    await expectUpdateRefused(
      handle.executeUpdate(approveUpdate, { args: [{ actor: world.desk }] }),
      'This request cannot be approved now: it is awaiting consent.',
    );
    await until(async () => {
      const asked = await mailTo(aAdmin.user.email);
      return asked.some((m) => m.parsed.subject?.includes('consent needed') && m.parsed.text?.includes(`5 channels of license ${serial}`)) || undefined;
    }, 'the consent mail');
    expect((await world.prisma.request.findUniqueOrThrow({ where: { id: request.id } })).status).toBe('WAITING_FOR_CONSENT');

    await handle.executeUpdate(ownerConsentUpdate, { args: [{ actor: aAdmin.actor, consent: true, comment: 'Site B takes five cameras' }] });
    const result = (await approve(request.workflowId)) as { outcome: string; serial: string; revision: number };
    expect(result).toMatchObject({ outcome: 'completed', revision: 1 });
    const newSerial = result.serial;
    expect(newSerial).not.toBe(serial);

    // The source: a second revision with 7 channels, signed, the history says where the 5 went.
    const source = await licenseOf(world, { serial });
    expect(source).toMatchObject({ companyId: a.company.id, channels: 7, currentRevision: 2, status: 'ACTIVE' });
    expect(await verifyLicenseText(world.prisma, source.revisions[1]!.signedFile!)).toMatchObject({
      valid: true,
      grants: { serial, revision: 2, channels: 7, owner: { companyId: a.company.id } },
    });
    const sourceHistory = source.historyEvents.filter((e) => LICENSE_ACTIONS.has(e.action));
    expect(sourceHistory.map((e) => e.action)).toEqual(['created', 'channels_changed']);
    expect(sourceHistory[1]).toMatchObject({ changes: `Channels: -5, 5 channels moved to ${b.company.name} as ${newSerial}`, requestId: request.id });

    // The new license: the target's, 5 channels, the source's product and SMA dates, the new lock.
    const created = await licenseOf(world, { serial: newSerial });
    expect(created).toMatchObject({
      companyId: b.company.id,
      productId: before.productId,
      channels: 5,
      vcaChannels: 0,
      currentRevision: 1,
      status: 'ACTIVE',
      lockType: 'MAC',
      macAddress: 'c8d9d29aa401',
      endUserCompany: 'Kauppakeskus B',
      smaStart: before.smaStart,
      smaEnd: before.smaEnd,
      expiresAt: before.expiresAt,
    });
    expect(await verifyLicenseText(world.prisma, created.revisions[0]!.signedFile!)).toMatchObject({
      valid: true,
      grants: { serial: newSerial, revision: 1, channels: 5, owner: { companyId: b.company.id, name: b.company.name } },
    });
    const createdHistory = created.historyEvents.filter((e) => LICENSE_ACTIONS.has(e.action));
    expect(createdHistory).toHaveLength(1);
    expect(createdHistory[0]).toMatchObject({ action: 'created', companyId: b.company.id, requestId: request.id });
    expect(createdHistory[0]!.changes).toContain(`Created from ${serial}: 5 channels from ${a.company.name}`);

    const saved = await world.prisma.request.findUniqueOrThrow({ where: { id: request.id } });
    expect(saved).toMatchObject({ status: 'COMPLETED', licenseId: source.id });
    // No stock moves: the channels leave one license for another.
    expect(await balanceOf(world.prisma, a.company.id, a.product.id)).toEqual({ available: 8, reserved: 0, consumed: 12 });

    // Mails, once each: the target's admin and the delivery address get the new file, the owner's admin the reduced one.
    const keys = await outboxKeys(world.prisma, request.id);
    expect(keys.filter((k) => k.startsWith('partial_transfer:')).sort()).toEqual(['partial_transfer:owner', 'partial_transfer:target']);
    await until(async () => ((await mailTo(bAdmin.user.email)).some((m) => m.parsed.subject?.includes('new license')) ? true : undefined), 'the new file');
    for (const address of [bAdmin.user.email, a.deliveryEmail]) {
      const got = (await mailTo(address)).filter((m) => m.parsed.subject?.includes(`new license ${newSerial}`));
      expect(got, address).toHaveLength(1);
      expect(got[0]!.parsed.attachments.map((f) => f.filename)).toEqual([`license-${newSerial}.lic`]);
      expect(await verifyLicenseText(world.prisma, attachmentText(got[0]!.parsed.attachments[0]!.content))).toMatchObject({
        valid: true,
        grants: { channels: 5 },
      });
    }
    await until(async () => ((await mailTo(aAdmin.user.email)).some((m) => m.parsed.subject?.includes('moved to')) ? true : undefined), 'the reduced file');
    const reduced = (await mailTo(aAdmin.user.email)).filter((m) => m.parsed.subject?.includes(`of license ${serial} moved to`));
    expect(reduced).toHaveLength(1);
    expect(reduced[0]!.parsed.text).toContain(`as license ${newSerial}`);
    expect(reduced[0]!.parsed.attachments.map((f) => f.filename)).toEqual([`license-${serial}.lic`]);
    expect(await verifyLicenseText(world.prisma, attachmentText(reduced[0]!.parsed.attachments[0]!.content))).toMatchObject({
      valid: true,
      grants: { revision: 2, channels: 7 },
    });
  }, 120_000);

  it('a refused consent rejects the request and nothing moves', async () => {
    const a = await newPartner(world.prisma, { stock: 10 });
    const b = await newPartner(world.prisma);
    const aAdmin = await partnerAdmin(world.prisma, a);
    const serial = await issueLicense(a, 'c8d9d29aa402', 8);

    const request = await submit(a, form(serial, b, { channels: 3 }));
    await waitForPhase(world.client, request.workflowId, 'awaiting_consent');
    const handle = world.client.workflow.getHandle(request.workflowId);
    // Someone who is not an admin of the owner is ignored; the admin's refusal ends it.
    await handle.executeUpdate(ownerConsentUpdate, { args: [{ actor: a.actor, consent: true }] });
    await handle.executeUpdate(ownerConsentUpdate, { args: [{ actor: aAdmin.actor, consent: false, comment: 'Site B has not paid' }] });
    expect(await handle.result()).toEqual({ outcome: 'rejected', reason: `${a.company.name} did not consent to the transfer: Site B has not paid` });

    expect(await world.prisma.license.findUniqueOrThrow({ where: { serial } })).toMatchObject({ channels: 8, currentRevision: 1 });
    expect(await world.prisma.license.count({ where: { companyId: b.company.id } })).toBe(0);
    expect(await world.prisma.licenseRevision.count({ where: { requestId: request.id } })).toBe(0);
    expect((await world.prisma.request.findUniqueOrThrow({ where: { id: request.id } })).status).toBe('REJECTED');
    expect((await outboxKeys(world.prisma, request.id)).filter((k) => k.startsWith('partial_transfer:'))).toEqual([]);
    await expectWorkflowClosed(handle.executeUpdate(ownerConsentUpdate, { args: [{ actor: aAdmin.actor, consent: true }] }));
  }, 120_000);

  it('a retried fulfilment answers what the first wrote and creates no second license', async () => {
    const a = await newPartner(world.prisma, { stock: 10 });
    const b = await newPartner(world.prisma);
    const serial = await issueLicense(a, 'c8d9d29aa403', 10);
    const request = await recordRequest(world.prisma, {
      companyId: a.company.id,
      requesterId: a.user.id,
      form: { ...form(serial, b, { channels: 4 }), deliveryEmails: [a.deliveryEmail] },
    });
    const { outbox, signer, clock } = createServices({
      prisma: world.prisma,
      smtpUrl: fileStack.smtpUrl,
      mailFrom: 'License Desk <license-desk@license-desk.test>',
      signingKeySecret: inject('signingKeySecret'),
    });
    const acts = createActivities({ prisma: world.prisma, mailer: outbox, signer, clock, publicUrl: 'http://localhost:3000' });
    const transfer = await acts.preparePartialTransfer({ requestId: request.id });
    expect(transfer).toMatchObject({ channels: 4, remaining: 6, target: { id: b.company.id }, lock: { type: 'MAC', value: 'c8d9d29aa401' } });

    // Two attempts at once (a retry while the first still runs), then one more after both.
    const attempts = await Promise.allSettled([
      acts.transferChannels({ requestId: request.id, transfer, actor: world.desk }),
      acts.transferChannels({ requestId: request.id, transfer, actor: world.desk }),
    ]);
    const first = attempts.find((r) => r.status === 'fulfilled')!.value;
    const again = await acts.transferChannels({ requestId: request.id, transfer, actor: world.desk });
    expect(again).toEqual(first);
    expect(await world.prisma.license.count({ where: { companyId: b.company.id } })).toBe(1);
    expect(await world.prisma.license.findUniqueOrThrow({ where: { serial } })).toMatchObject({ channels: 6, currentRevision: 2 });
    expect(await world.prisma.licenseRevision.count({ where: { requestId: request.id } })).toBe(2);
  }, 120_000);
});
