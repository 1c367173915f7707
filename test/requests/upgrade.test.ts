import { describe, expect, it } from 'vitest';
import { checkUpgrade } from '../../domain/tiers.ts';
import { balanceOf, mailTo, newPartner, useRequestWorld } from '../support/request-harness.ts';
import { activeLicense, attachmentText, LICENSE_ACTIONS, mirasysProduct, requestSteps, verifyLicenseText } from '../support/request-steps.ts';

describe('upgrade on the real Temporal server, PostgreSQL and SMTP', () => {
  const world = useRequestWorld({ poolSize: 20 });
  const { submit, approve, issueLicense, rejectAndCheck } = requestSteps(world);

  it('approval issues revision 2 on the target product, signed and e-mailed; no stock moves', async () => {
    const p = await newPartner(world.prisma, { stock: 20 });
    const enterprise = await mirasysProduct(world.prisma, p.tag, 'ENTERPRISE', 'Enterprise');
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
    const files = await Promise.all(upgraded.map(async (m) => verifyLicenseText(world.prisma, attachmentText(m.parsed.attachments[0]!.content))));
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

  it('a downgrade is refused with the tier rule, and the license stays as it was', async () => {
    const p = await newPartner(world.prisma, { stock: 10 });
    const base = await mirasysProduct(world.prisma, p.tag, 'BASE', 'Base');
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

  it('a desk rejection leaves the license on its product', async () => {
    const p = await newPartner(world.prisma, { stock: 10 });
    const license = await activeLicense(world.prisma, p, { macAddress: 'c8d9d29aa31b', channels: 16, endUserCompany: 'Rejected Oy', currentRevision: 1 });
    const target = await mirasysProduct(world.prisma, p.tag, 'ENTERPRISE', 'Enterprise');
    await rejectAndCheck(p, { type: 'UPGRADE', serial: license.serial, macAddress: 'c8d9d29aa31b', targetProductId: target.id });
    expect((await world.prisma.license.findUniqueOrThrow({ where: { id: license.id } })).productId).toBe(p.product.id);
  });
});
