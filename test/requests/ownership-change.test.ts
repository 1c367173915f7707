import { describe, expect, it } from 'vitest';
import { approveUpdate, ownerConsentUpdate } from '../../workflows/messages.ts';
import { until } from '../support/api-harness.ts';
import { balanceOf, mailTo, newPartner, useRequestWorld, waitForPhase } from '../support/request-harness.ts';
import {
  activeLicense,
  attachmentText,
  expectUpdateRefused,
  expectWorkflowClosed,
  LICENSE_ACTIONS,
  partnerAdmin,
  requestSteps,
  verifyLicenseText,
} from '../support/request-steps.ts';

describe('ownership change on the real Temporal server, PostgreSQL and SMTP', () => {
  const world = useRequestWorld({ poolSize: 20 });
  const { submit, approve, issueLicense, rejectAndCheck } = requestSteps(world);

  it('consent of the current owner then desk approval move the licenses, their history and new files', async () => {
    const a = await newPartner(world.prisma, { stock: 20 });
    const b = await newPartner(world.prisma);
    const aAdmin = await partnerAdmin(world.prisma, a);
    const bAdmin = await partnerAdmin(world.prisma, b);
    const [s1, s2] = await Promise.all([issueLicense(a, 'c8d9d29aa301', 3), issueLicense(a, 'c8d9d29aa302', 5)]);

    // The new owner asks to receive the licenses.
    const request = await submit(b, {
      type: 'OWNERSHIP_CHANGE',
      serials: [s1!.toLowerCase(), s2],
      currentOwnerCompanyId: a.company.id,
      newOwnerCompanyId: b.company.id,
    });
    await waitForPhase(world.client, request.workflowId, 'awaiting_consent');
    const handle = world.client.workflow.getHandle(request.workflowId);

    // The desk cannot decide before the owner has consented.
    await expectUpdateRefused(
      handle.executeUpdate(approveUpdate, { args: [{ actor: world.desk }] }),
      'This request cannot be approved now: it is awaiting consent.',
    );
    // The current owner's admins were asked (the request opens for consent just before that).
    await until(async () => {
      const asked = await mailTo(aAdmin.user.email);
      return asked.some((m) => m.parsed.subject?.includes('consent needed') && m.parsed.text?.includes(s1!)) || undefined;
    }, 'the consent mail');
    expect((await world.prisma.request.findUniqueOrThrow({ where: { id: request.id } })).status).toBe('WAITING_FOR_CONSENT');

    // Someone who is not an admin of the current owner cannot consent: the answer is ignored.
    await handle.executeUpdate(ownerConsentUpdate, { args: [{ actor: b.actor, consent: true }] });
    await handle.executeUpdate(ownerConsentUpdate, { args: [{ actor: aAdmin.actor, consent: true, comment: 'The site was sold' }] });
    await waitForPhase(world.client, request.workflowId, 'awaiting_decision');
    const timeline = await world.prisma.historyEvent.findMany({ where: { requestId: request.id }, orderBy: { id: 'asc' } });
    expect(timeline.find((e) => e.action === 'owner_consent_ignored')).toMatchObject({ actorUserId: b.user.id, partnerVisible: false });
    expect(timeline.find((e) => e.action === 'owner_consented')).toMatchObject({ actorUserId: aAdmin.user.id, comment: 'The site was sold' });

    expect(await approve(request.workflowId)).toEqual({ outcome: 'completed' });

    for (const serial of [s1!, s2!]) {
      const license = await world.prisma.license.findUniqueOrThrow({
        where: { serial },
        include: { revisions: { orderBy: { revision: 'asc' } }, historyEvents: { orderBy: { id: 'asc' } } },
      });
      expect(license).toMatchObject({ companyId: b.company.id, currentRevision: 2, status: 'ACTIVE' });
      // The history moves with the license: its earlier rows are still there, unchanged.
      const history = license.historyEvents.filter((e) => LICENSE_ACTIONS.has(e.action));
      expect(history.map((e) => e.action)).toEqual(['created', 'ownership_changed']);
      expect(history[0]!.companyId).toBe(a.company.id);
      expect(license.historyEvents.filter((e) => e.action === 'ownership_changed')).toHaveLength(1);
      expect(history[1]).toMatchObject({ companyId: b.company.id, changes: `Owner: ${a.company.name} → ${b.company.name}`, requestId: request.id });
      expect(license.revisions[1]!.grants).toMatchObject({ revision: 2, owner: { companyId: b.company.id, name: b.company.name } });
      expect(license.revisions[0]!.grants).toMatchObject({ owner: { companyId: a.company.id } });
    }
    expect((await world.prisma.request.findUniqueOrThrow({ where: { id: request.id } })).status).toBe('COMPLETED');
    // Nothing moves in the stocks.
    expect(await balanceOf(world.prisma, a.company.id, a.product.id)).toEqual({ available: 12, reserved: 0, consumed: 8 });

    // The new owner's admin gets the re-issued files; so do the delivery addresses.
    for (const address of [bAdmin.user.email, b.deliveryEmail]) {
      const changed = (await mailTo(address)).find((m) => m.parsed.subject?.includes('ownership changed'));
      expect(changed, address).toBeDefined();
      expect(changed!.parsed.attachments.map((f) => f.filename).sort()).toEqual([`license-${s1}.lic`, `license-${s2}.lic`].sort());
      for (const file of changed!.parsed.attachments) {
        expect(await verifyLicenseText(world.prisma, attachmentText(file.content))).toMatchObject({
          valid: true,
          grants: { revision: 2, owner: { companyId: b.company.id } },
        });
      }
    }
    // The previous owner is told too.
    const told = (await mailTo(aAdmin.user.email)).find((m) => m.parsed.subject?.includes('ownership changed'));
    expect(told?.parsed.text).toContain(b.company.name);
  }, 120_000);

  it('a refused consent rejects the request and nothing moves', async () => {
    const a = await newPartner(world.prisma, { stock: 10 });
    const b = await newPartner(world.prisma);
    const aAdmin = await partnerAdmin(world.prisma, a);
    const serial = await issueLicense(a, 'c8d9d29aa303', 2);

    // This time the current owner asks to hand the license over.
    const request = await submit(a, { type: 'OWNERSHIP_CHANGE', serials: [serial], currentOwnerCompanyId: a.company.id, newOwnerCompanyId: b.company.id });
    await waitForPhase(world.client, request.workflowId, 'awaiting_consent');
    const handle = world.client.workflow.getHandle(request.workflowId);
    await handle.executeUpdate(ownerConsentUpdate, { args: [{ actor: aAdmin.actor, consent: false, comment: 'The end user has not paid yet' }] });
    const result = await handle.result();
    expect(result).toEqual({ outcome: 'rejected', reason: `${a.company.name} did not consent to the transfer: The end user has not paid yet` });

    expect(await world.prisma.license.findUniqueOrThrow({ where: { serial } })).toMatchObject({ companyId: a.company.id, currentRevision: 1 });
    expect(await world.prisma.historyEvent.count({ where: { action: 'ownership_changed', license: { serial } } })).toBe(0);
    const saved = await world.prisma.request.findUniqueOrThrow({ where: { id: request.id } });
    expect(saved.status).toBe('REJECTED');
    expect(await world.prisma.outboxEmail.count({ where: { requestId: request.id, idempotencyKey: { contains: 'ownership_changed' } } })).toBe(0);
    expect((await mailTo(a.deliveryEmail)).some((m) => m.parsed.text?.includes('The end user has not paid yet'))).toBe(true);
    // A late answer is refused: the request is closed.
    await expectWorkflowClosed(handle.executeUpdate(ownerConsentUpdate, { args: [{ actor: aAdmin.actor, consent: true }] }));
  }, 120_000);

  it('licenses of another company are refused at once', async () => {
    const a = await newPartner(world.prisma, { stock: 10 });
    const b = await newPartner(world.prisma);
    const serial = await issueLicense(a, 'c8d9d29aa304', 2);
    // b claims to be the current owner of a's license.
    const request = await submit(b, { type: 'OWNERSHIP_CHANGE', serials: [serial], currentOwnerCompanyId: b.company.id, newOwnerCompanyId: a.company.id });
    expect(await world.client.workflow.getHandle(request.workflowId).result()).toEqual({
      outcome: 'rejected',
      reason: `License ${serial} does not belong to ${b.company.name}.`,
    });
    // A requester that is neither owner is refused as well.
    const c = await newPartner(world.prisma);
    const third = await submit(c, { type: 'OWNERSHIP_CHANGE', serials: [serial], currentOwnerCompanyId: a.company.id, newOwnerCompanyId: b.company.id });
    expect(await world.client.workflow.getHandle(third.workflowId).result()).toEqual({
      outcome: 'rejected',
      reason: 'Your company must be the current owner or the new owner of the licenses.',
    });
    expect(await world.prisma.license.findUniqueOrThrow({ where: { serial } })).toMatchObject({ companyId: a.company.id, currentRevision: 1 });
  }, 120_000);

  it('the owner consented, the desk rejects, and the licenses stay with the owner', async () => {
    const p = await newPartner(world.prisma, { stock: 10 });
    const license = await activeLicense(world.prisma, p, { macAddress: 'c8d9d29aa31b', channels: 16, endUserCompany: 'Rejected Oy', currentRevision: 1 });
    const admin = await partnerAdmin(world.prisma, p);
    const buyer = await newPartner(world.prisma);
    await rejectAndCheck(
      p,
      { type: 'OWNERSHIP_CHANGE', serials: [license.serial], currentOwnerCompanyId: p.company.id, newOwnerCompanyId: buyer.company.id },
      async (workflowId) => {
        await waitForPhase(world.client, workflowId, 'awaiting_consent');
        await world.client.workflow.getHandle(workflowId).executeUpdate(ownerConsentUpdate, { args: [{ actor: admin.actor, consent: true }] });
      },
    );
    expect((await world.prisma.license.findUniqueOrThrow({ where: { id: license.id } })).companyId).toBe(p.company.id);
  });
});
