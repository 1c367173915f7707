import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { submitRequest } from '../api/requests/lifecycle.ts';
import { generateSerial } from '../domain/serial.ts';
import { ownerConsentUpdate, rejectUpdate } from '../workflows/messages.ts';
import { balanceOf, mailTo, newPartner, useRequestWorld, waitForPhase } from './support/request-harness.ts';

/** A desk rejection ends each request type cleanly: REJECTED, the reason mailed, nothing moved. */
describe('desk rejection of every request type', () => {
  const world = useRequestWorld();

  async function partnerWithLicense() {
    const p = await newPartner(world.prisma, { stock: 10 });
    const license = await world.prisma.license.create({
      data: {
        serial: generateSerial((n) => new Uint8Array(randomBytes(n))),
        companyId: p.company.id,
        productId: p.product.id,
        channels: 16,
        lockType: 'MAC',
        macAddress: 'c8d9d29aa31b',
        endUserCompany: 'Rejected Oy',
        status: 'ACTIVE',
        currentRevision: 1,
      },
    });
    return { p, license };
  }

  async function rejectAndCheck(
    p: Awaited<ReturnType<typeof newPartner>>,
    form: Record<string, unknown>,
    beforeDecision?: (workflowId: string) => Promise<void>,
  ) {
    const request = await submitRequest(
      { prisma: world.prisma, client: world.client, taskQueue: world.worker.taskQueue },
      { companyId: p.company.id, requesterId: p.user.id, form: { deliveryEmails: [p.deliveryEmail], ...form } as never },
    );
    await beforeDecision?.(request.workflowId);
    await waitForPhase(world.client, request.workflowId, 'awaiting_decision');
    const reason = `Rejected ${String(form.type)} for the test`;
    await world.client.workflow.getHandle(request.workflowId).executeUpdate(rejectUpdate, { args: [{ actor: world.desk, reason }] });
    expect(await world.client.workflow.getHandle(request.workflowId).result()).toEqual({ outcome: 'rejected', reason });
    expect((await world.prisma.request.findUniqueOrThrow({ where: { id: request.id } })).status).toBe('REJECTED');
    expect((await mailTo(p.deliveryEmail)).some((m) => m.parsed.text?.includes(reason))).toBe(true);
    expect(await world.prisma.licenseRevision.count({ where: { requestId: request.id } })).toBe(0);
    return request;
  }

  it('stock addition: nothing is credited', async () => {
    const p = await newPartner(world.prisma, { stock: 10 });
    await rejectAndCheck(p, { type: 'STOCK_ADDITION', productId: p.product.id, channels: 50, orderReference: 'PO-9' });
    expect(await balanceOf(world.prisma, p.company.id, p.product.id)).toEqual({ available: 10, reserved: 0, consumed: 0 });
  });

  it('return confirmation: the license keeps its channels and nothing is credited', async () => {
    const { p, license } = await partnerWithLicense();
    await rejectAndCheck(p, { type: 'RETURN_CONFIRMATION', serial: license.serial, channels: 6 });
    expect(await world.prisma.license.findUniqueOrThrow({ where: { id: license.id } })).toMatchObject({ channels: 16, status: 'ACTIVE' });
    expect(await balanceOf(world.prisma, p.company.id, p.product.id)).toEqual({ available: 10, reserved: 0, consumed: 0 });
  });

  it('upgrade: the license stays on its product', async () => {
    const { p, license } = await partnerWithLicense();
    const target = await world.prisma.product.create({
      data: {
        code: `V9-ENT-${p.tag}`,
        name: `V9 Enterprise ${p.tag}`,
        family: 'Mirasys VMS',
        version: '9.0',
        tier: 'ENTERPRISE',
        maxChannels: 250,
        lockType: 'MAC',
      },
    });
    await rejectAndCheck(p, { type: 'UPGRADE', serial: license.serial, macAddress: 'c8d9d29aa31b', targetProductId: target.id });
    expect((await world.prisma.license.findUniqueOrThrow({ where: { id: license.id } })).productId).toBe(p.product.id);
  });

  it('hardware replacement: the license stays on its hardware', async () => {
    const { p, license } = await partnerWithLicense();
    await rejectAndCheck(p, {
      type: 'HARDWARE_REPLACEMENT',
      serial: license.serial,
      oldLock: { type: 'MAC', value: 'c8d9d29aa31b' },
      newLock: { type: 'MAC', value: 'c8d9d29aa31c' },
      reason: 'Mainboard failed',
      interimLicense: false,
    });
    expect(await world.prisma.license.findUniqueOrThrow({ where: { id: license.id } })).toMatchObject({ macAddress: 'c8d9d29aa31b', status: 'ACTIVE' });
  });

  it('ownership change: the owner consented, the desk rejects, and the licenses stay with the owner', async () => {
    const { p, license } = await partnerWithLicense();
    const admin = await world.prisma.user.create({
      data: { email: `admin-${p.tag}@partner.test`, name: `Admin ${p.tag}`, role: 'PARTNER_ADMIN', companyId: p.company.id, passwordHash: 'x' },
    });
    const buyer = await newPartner(world.prisma);
    await rejectAndCheck(
      p,
      { type: 'OWNERSHIP_CHANGE', serials: [license.serial], currentOwnerCompanyId: p.company.id, newOwnerCompanyId: buyer.company.id },
      async (workflowId) => {
        await waitForPhase(world.client, workflowId, 'awaiting_consent');
        await world.client.workflow
          .getHandle(workflowId)
          .executeUpdate(ownerConsentUpdate, { args: [{ actor: { userId: admin.id, name: admin.name }, consent: true }] });
      },
    );
    expect((await world.prisma.license.findUniqueOrThrow({ where: { id: license.id } })).companyId).toBe(p.company.id);
  });
});
