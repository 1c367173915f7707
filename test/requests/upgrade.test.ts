import { describe, expect, inject, it } from 'vitest';
import { createKeyStore } from '../../services/signing/key-store.ts';
import { verifyWithStore } from '../../services/signing/sign-license.ts';
import { submitRequest } from '../../api/requests/lifecycle.ts';
import { checkUpgrade } from '../../domain/tiers.ts';
import { approveUpdate, ownerConsentUpdate } from '../../workflows/messages.ts';
import { until } from '../support/api-harness.ts';
import { balanceOf, mailTo, newPartner, useRequestWorld, waitForPhase } from '../support/request-harness.ts';

type Partner = Awaited<ReturnType<typeof newPartner>>;
const LICENSE_ACTIONS = new Set(['created', 'channels_changed', 'upgraded', 'ownership_changed']);

describe('upgrade and ownership change on the real Temporal server, PostgreSQL and SMTP', () => {
  const world = useRequestWorld({ poolSize: 20 });

  const submit = (p: Partner, form: Record<string, unknown>) =>
    submitRequest(
      { prisma: world.prisma, client: world.client, taskQueue: world.worker.taskQueue },
      { companyId: p.company.id, requesterId: p.user.id, form: { deliveryEmails: [p.deliveryEmail], ...form } as never },
    );

  const approve = async (workflowId: string) => {
    await waitForPhase(world.client, workflowId, 'awaiting_decision');
    await world.client.workflow.getHandle(workflowId).executeUpdate(approveUpdate, { args: [{ actor: world.desk, comment: 'Checked' }] });
    return world.client.workflow.getHandle(workflowId).result();
  };

  /** A license of partner `p` on its V9 Pro product, issued through a real new-installation request. */
  const issueLicense = async (p: Partner, mac: string, channels = 6) => {
    const request = await submit(p, {
      type: 'NEW_INSTALLATION',
      productId: p.product.id,
      channels,
      lock: { type: 'MAC', value: mac },
      endUserCompany: 'Kauppakeskus Test',
    });
    const result = (await approve(request.workflowId)) as { outcome: string; serial: string };
    expect(result.outcome).toBe('completed');
    return result.serial;
  };

  const mirasysProduct = (tag: string, tier: 'BASE' | 'ENTERPRISE', label: string) =>
    world.prisma.product.create({
      data: {
        code: `V9-${tier}-${tag}`,
        name: `V9 ${label} ${tag}`,
        family: 'Mirasys VMS',
        version: '9.0',
        tier,
        maxChannels: 250,
        lockType: 'MAC',
        smaMonths: 12,
      },
    });

  const partnerAdmin = async (p: Partner) => {
    const user = await world.prisma.user.create({
      data: { email: `admin-${p.tag}@partner.test`, name: `Admin ${p.tag}`, role: 'PARTNER_ADMIN', companyId: p.company.id, passwordHash: 'x' },
    });
    return { user, actor: { userId: user.id, name: user.name } };
  };

  const verify = (text: string) => verifyWithStore(createKeyStore({ prisma: world.prisma, secret: inject('signingKeySecret') }), text);

  const attachmentText = (content: unknown) => (typeof content === 'string' ? content : Buffer.from(content as ArrayBuffer).toString('utf8'));

  it('upgrade: approval issues revision 2 on the target product, signed and e-mailed; no stock moves', async () => {
    const p = await newPartner(world.prisma, { stock: 20 });
    const enterprise = await mirasysProduct(p.tag, 'ENTERPRISE', 'Enterprise');
    const serial = await issueLicense(p, 'c8d9d29aa31b');

    const request = await submit(p, { type: 'UPGRADE', serial: serial.toLowerCase(), macAddress: 'C8-D9-D2-9A-A3-1B', targetProductId: enterprise.id });
    expect(await approve(request.workflowId)).toEqual({ outcome: 'completed', serial, revision: 2 });

    const license = await world.prisma.license.findUniqueOrThrow({
      where: { serial },
      include: { revisions: { orderBy: { revision: 'asc' } }, historyEvents: { orderBy: { id: 'asc' } } },
    });
    expect(license).toMatchObject({ productId: enterprise.id, channels: 6, currentRevision: 2, status: 'ACTIVE', companyId: p.company.id });
    expect(license.revisions.map((r) => [r.revision, r.productId])).toEqual([
      [1, p.product.id],
      [2, enterprise.id],
    ]);
    // The license's own history (the requests' timeline rows that name it aside).
    const history = license.historyEvents.filter((e) => LICENSE_ACTIONS.has(e.action));
    expect(history.map((e) => e.action)).toEqual(['created', 'upgraded']);
    expect(history[1]).toMatchObject({ changes: `Product: ${p.product.name} → ${enterprise.name}`, actorName: world.desk.name, requestId: request.id });
    // Upgrades are priced outside the desk's stock: the 6 channels consumed at installation stay so.
    expect(await balanceOf(world.prisma, p.company.id, p.product.id)).toEqual({ available: 14, reserved: 0, consumed: 6 });

    const saved = await world.prisma.request.findUniqueOrThrow({ where: { id: request.id }, include: { historyEvents: { orderBy: { id: 'asc' } } } });
    expect(saved).toMatchObject({ status: 'COMPLETED', serial, macAddress: 'c8d9d29aa31b', licenseId: license.id });
    expect(saved.historyEvents.map((e) => e.action)).toEqual(['request_submitted', 'awaiting_decision', 'request_approved', 'upgraded', 'request_completed']);

    const upgraded = (await mailTo(p.deliveryEmail)).filter((m) => m.parsed.subject?.includes(serial) && m.entry.attachments.length === 1);
    const files = await Promise.all(upgraded.map(async (m) => verify(attachmentText(m.parsed.attachments[0]!.content))));
    const revision2 = files.find((f) => f.valid && f.grants.revision === 2);
    expect(revision2).toMatchObject({
      valid: true,
      grants: {
        serial,
        revision: 2,
        channels: 6,
        product: { code: enterprise.code, name: enterprise.name, tier: 'ENTERPRISE' },
        owner: { companyId: p.company.id },
      },
    });
  }, 120_000);

  it('upgrade: a downgrade is refused with the tier rule, and the license stays as it was', async () => {
    const p = await newPartner(world.prisma, { stock: 10 });
    const base = await mirasysProduct(p.tag, 'BASE', 'Base');
    const serial = await issueLicense(p, 'c8d9d29aa31c', 4);

    const request = await submit(p, { type: 'UPGRADE', serial, macAddress: 'c8d9d29aa31c', targetProductId: base.id });
    const result = await world.client.workflow.getHandle(request.workflowId).result();
    const rule = checkUpgrade({ from: { tier: 'PRO', version: '9.0', isDemo: false }, to: { tier: 'BASE', version: '9.0', isDemo: false } });
    expect(rule.ok).toBe(false);
    expect(result).toEqual({ outcome: 'rejected', reason: (rule as { reason: string }).reason });
    expect((result as { reason: string }).reason).toContain('lower tier');

    expect(await world.prisma.license.findUniqueOrThrow({ where: { serial } })).toMatchObject({ productId: p.product.id, currentRevision: 1 });
    expect((await world.prisma.request.findUniqueOrThrow({ where: { id: request.id } })).status).toBe('REJECTED');
    expect((await mailTo(p.deliveryEmail)).some((m) => m.parsed.text?.includes('lower tier'))).toBe(true);
  }, 120_000);

  it('ownership change: consent of the current owner then desk approval move the licenses, their history and new files', async () => {
    const a = await newPartner(world.prisma, { stock: 20 });
    const b = await newPartner(world.prisma);
    const aAdmin = await partnerAdmin(a);
    const bAdmin = await partnerAdmin(b);
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
    await expect(handle.executeUpdate(approveUpdate, { args: [{ actor: world.desk }] })).rejects.toThrow();
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
        expect(await verify(attachmentText(file.content))).toMatchObject({ valid: true, grants: { revision: 2, owner: { companyId: b.company.id } } });
      }
    }
    // The previous owner is told too.
    const told = (await mailTo(aAdmin.user.email)).find((m) => m.parsed.subject?.includes('ownership changed'));
    expect(told?.parsed.text).toContain(b.company.name);
  }, 120_000);

  it('ownership change: a refused consent rejects the request and nothing moves', async () => {
    const a = await newPartner(world.prisma, { stock: 10 });
    const b = await newPartner(world.prisma);
    const aAdmin = await partnerAdmin(a);
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
    // A late answer is refused by the validator: the request is closed.
    await expect(handle.executeUpdate(ownerConsentUpdate, { args: [{ actor: aAdmin.actor, consent: true }] })).rejects.toThrow();
  }, 120_000);

  it('ownership change: licenses of another company are refused at once', async () => {
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
});
