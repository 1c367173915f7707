import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitRequest } from '../api/requests/lifecycle.ts';
import { generateSerial } from '../domain/serial.ts';
import type { PrismaClient } from '../prisma/client.ts';
import { ownerConsentUpdate, rejectUpdate } from '../workflows/messages.ts';
import { balanceOf, mailTo, newPartner, startRequestWorld, waitForPhase, type RequestWorld } from './support/request-harness.ts';

/** A desk rejection ends each request type cleanly: REJECTED, the reason mailed, nothing moved. */
describe('desk rejection of every request type', () => {
  let world: RequestWorld;
  let prisma: PrismaClient;
  let client: Client;
  beforeAll(async () => {
    world = await startRequestWorld();
    ({ prisma, client } = world);
  });
  afterAll(() => world?.stop());

  async function partnerWithLicense() {
    const p = await newPartner(prisma, { stock: 10 });
    const license = await prisma.license.create({
      data: { serial: generateSerial((n) => new Uint8Array(randomBytes(n))), companyId: p.company.id, productId: p.product.id, channels: 16, lockType: 'MAC', macAddress: 'c8d9d29aa31b', endUserCompany: 'Rejected Oy', status: 'ACTIVE', currentRevision: 1 },
    });
    return { p, license };
  }

  async function rejectAndCheck(p: Awaited<ReturnType<typeof newPartner>>, form: Record<string, unknown>, beforeDecision?: (workflowId: string) => Promise<void>) {
    const request = await submitRequest(
      { prisma, client, taskQueue: world.worker.taskQueue },
      { companyId: p.company.id, requesterId: p.user.id, form: { deliveryEmails: [p.deliveryEmail], ...form } as never },
    );
    await beforeDecision?.(request.workflowId);
    await waitForPhase(client, request.workflowId, 'awaiting_decision');
    const reason = `Rejected ${String(form.type)} for the test`;
    await client.workflow.getHandle(request.workflowId).executeUpdate(rejectUpdate, { args: [{ actor: world.desk, reason }] });
    expect(await client.workflow.getHandle(request.workflowId).result()).toEqual({ outcome: 'rejected', reason });
    expect((await prisma.request.findUniqueOrThrow({ where: { id: request.id } })).status).toBe('REJECTED');
    expect((await mailTo(p.deliveryEmail)).some((m) => m.parsed.text?.includes(reason))).toBe(true);
    expect(await prisma.licenseRevision.count({ where: { requestId: request.id } })).toBe(0);
    return request;
  }

  it('stock addition: nothing is credited', async () => {
    const p = await newPartner(prisma, { stock: 10 });
    await rejectAndCheck(p, { type: 'STOCK_ADDITION', productId: p.product.id, channels: 50, orderReference: 'PO-9' });
    expect(await balanceOf(prisma, p.company.id, p.product.id)).toEqual({ available: 10, reserved: 0, consumed: 0 });
  });

  it('return confirmation: the license keeps its channels and nothing is credited', async () => {
    const { p, license } = await partnerWithLicense();
    await rejectAndCheck(p, { type: 'RETURN_CONFIRMATION', serial: license.serial, channels: 6 });
    expect(await prisma.license.findUniqueOrThrow({ where: { id: license.id } })).toMatchObject({ channels: 16, status: 'ACTIVE' });
    expect(await balanceOf(prisma, p.company.id, p.product.id)).toEqual({ available: 10, reserved: 0, consumed: 0 });
  });

  it('upgrade: the license stays on its product', async () => {
    const { p, license } = await partnerWithLicense();
    const target = await prisma.product.create({
      data: { code: `V9-ENT-${p.tag}`, name: `V9 Enterprise ${p.tag}`, family: 'Mirasys VMS', version: '9.0', tier: 'ENTERPRISE', maxChannels: 250, lockType: 'MAC' },
    });
    await rejectAndCheck(p, { type: 'UPGRADE', serial: license.serial, macAddress: 'c8d9d29aa31b', targetProductId: target.id });
    expect((await prisma.license.findUniqueOrThrow({ where: { id: license.id } })).productId).toBe(p.product.id);
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
    expect(await prisma.license.findUniqueOrThrow({ where: { id: license.id } })).toMatchObject({ macAddress: 'c8d9d29aa31b', status: 'ACTIVE' });
  });

  it('ownership change: the owner consented, the desk rejects, and the licenses stay with the owner', async () => {
    const { p, license } = await partnerWithLicense();
    const admin = await prisma.user.create({ data: { email: `admin-${p.tag}@partner.test`, name: `Admin ${p.tag}`, role: 'PARTNER_ADMIN', companyId: p.company.id, passwordHash: 'x' } });
    const buyer = await newPartner(prisma);
    await rejectAndCheck(p, { type: 'OWNERSHIP_CHANGE', serials: [license.serial], currentOwnerCompanyId: p.company.id, newOwnerCompanyId: buyer.company.id }, async (workflowId) => {
      await waitForPhase(client, workflowId, 'awaiting_consent');
      await client.workflow.getHandle(workflowId).executeUpdate(ownerConsentUpdate, { args: [{ actor: { userId: admin.id, name: admin.name }, consent: true }] });
    });
    expect((await prisma.license.findUniqueOrThrow({ where: { id: license.id } })).companyId).toBe(p.company.id);
  });
});
