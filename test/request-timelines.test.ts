import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDate } from '../services/mail/templates.ts';
import { submitRequest } from '../api/requests/lifecycle.ts';
import type { BusinessCalendar } from '../domain/business-calendar.ts';
import { REQUEST_TYPE_LABELS, requestReference } from '../domain/request-forms.ts';
import { generateSerial } from '../domain/serial.ts';
import type { PrismaClient } from '../prisma/client.ts';
import type { DecisionPolicy } from '../workflows/decision.ts';
import { approveUpdate, confirmReturnUpdate, ownerConsentUpdate, rmaReceivedSignal } from '../workflows/messages.ts';
import { until } from './support/api-harness.ts';
import { mailTo, newPartner, startRequestWorld, waitForPhase, type RequestWorld } from './support/request-harness.ts';

/** Office hours around the clock: a hardware replacement approved on a Sunday night moves at once. */
const ALWAYS_OPEN: BusinessCalendar = { timeZone: 'UTC', workingDays: [1, 2, 3, 4, 5, 6, 7], open: '00:00', close: '24:00', holidays: [] };

type Partner = Awaited<ReturnType<typeof newPartner>>;

/**
 * What a partner and the desk read of each of the ten request types, from submission to the end:
 * the ordered timeline and the subjects of the mails the request sent. Every type that is
 * fulfilled ends with the same `request_completed` event (an SMA renewal once its cooling-off
 * period has passed: a two-second one here, as SMA_RENEWAL_COOLING_OFF_HOURS would set it).
 */
describe('the timeline and the mails of each request type, submitted to completed', () => {
  let world: RequestWorld;
  let prisma: PrismaClient;
  let client: Client;
  beforeAll(async () => {
    world = await startRequestWorld();
    ({ prisma, client } = world);
  });
  afterAll(() => world?.stop());
  /** The types whose story a test told, for the last test. */
  const typesTold = new Set<string>();

  const submit = (p: Partner, form: Record<string, unknown>, policy: Partial<DecisionPolicy> = {}) =>
    submitRequest(
      { prisma, client, taskQueue: world.worker.taskQueue },
      {
        companyId: p.company.id,
        requesterId: p.user.id,
        form: { deliveryEmails: [p.deliveryEmail], ...form } as never,
        policy: { calendar: ALWAYS_OPEN, ...policy },
      },
    );

  const approve = async (workflowId: string) => {
    await waitForPhase(client, workflowId, 'awaiting_decision');
    await client.workflow.getHandle(workflowId).executeUpdate(approveUpdate, { args: [{ actor: world.desk }] });
  };

  /** An admin of the partner's company: the one who consents to what leaves it, and reads its mails. */
  const adminOf = (p: Partner) =>
    prisma.user.create({
      data: { email: `admin-${p.tag}@partner.test`, name: `Admin ${p.tag}`, role: 'PARTNER_ADMIN', companyId: p.company.id, passwordHash: 'x' },
    });

  /** A license of the partner, made directly: the request under test is the only one on it. */
  const activeLicense = async (p: Partner, mac: string, sma: { smaStart?: Date; smaEnd?: Date } = {}) =>
    (
      await prisma.license.create({
        data: {
          serial: generateSerial((n) => new Uint8Array(randomBytes(n))),
          companyId: p.company.id,
          productId: p.product.id,
          channels: 16,
          lockType: 'MAC',
          macAddress: mac,
          endUserCompany: 'Harbour Depot Oy',
          status: 'ACTIVE',
          currentRevision: 1,
          activatedAt: new Date(),
          ...sma,
        },
      })
    ).serial;

  /**
   * The request's timeline (actions, oldest first) and its mails (subjects, in the order they
   * were recorded). Each mail was sent, and every one addressed to the partner arrived there.
   */
  const story = async (request: { id: string; number: number }, partner: Partner) => {
    const result = await client.workflow.getHandle(`request-${request.id}`).result();
    expect(result).toMatchObject({ outcome: 'completed' });
    const saved = await prisma.request.findUniqueOrThrow({ where: { id: request.id } });
    expect(saved.status).toBe('COMPLETED');
    typesTold.add(saved.type);
    const timeline = (await prisma.historyEvent.findMany({ where: { requestId: request.id }, orderBy: { id: 'asc' } })).map((e) => e.action);
    const outbox = await prisma.outboxEmail.findMany({ where: { requestId: request.id }, orderBy: { createdAt: 'asc' } });
    const subjects = outbox.map((m) => m.subject.replaceAll(requestReference(request.number), 'LD-n'));
    const toPartner = outbox.filter((m) => m.to.includes(partner.deliveryEmail)).map((m) => m.subject);
    await until(
      async () => {
        const arrived = (await mailTo(partner.deliveryEmail)).map((m) => m.parsed.subject);
        return toPartner.every((subject) => arrived.includes(subject)) || undefined;
      },
      `the mails of ${requestReference(request.number)} at ${partner.deliveryEmail}`,
    );
    expect(outbox.every((m) => m.status === 'SENT')).toBe(true);
    return { timeline, subjects };
  };

  it('new installation', async () => {
    const p = await newPartner(prisma, { stock: 20 });
    const request = await submit(p, {
      type: 'NEW_INSTALLATION',
      productId: p.product.id,
      channels: 5,
      lock: { type: 'MAC', value: 'c8d9d29aa31b' },
      endUserCompany: 'Harbour Depot Oy',
    });
    await approve(request.workflowId);
    const told = await story(request, p);
    const license = await prisma.license.findFirstOrThrow({ where: { companyId: p.company.id } });
    expect(told).toEqual({
      timeline: ['request_submitted', 'stock_reserved', 'request_approved', 'created', 'request_completed'],
      subjects: [`LD-n received: New installation for ${p.company.name}`, `LD-n approved: license ${license.serial}`],
    });
  });

  it('channel expansion', async () => {
    const p = await newPartner(prisma, { stock: 20 });
    const serial = await activeLicense(p, 'c8d9d29aa31c');
    const request = await submit(p, { type: 'CHANNEL_EXPANSION', serial, macAddress: 'c8d9d29aa31c', channels: 4 });
    await approve(request.workflowId);
    expect(await story(request, p)).toEqual({
      timeline: ['request_submitted', 'stock_reserved', 'request_approved', 'channels_changed', 'request_completed'],
      subjects: [`LD-n received: Channel expansion for ${p.company.name}`, `LD-n approved: license ${serial}`],
    });
  });

  it('stock addition', async () => {
    const p = await newPartner(prisma);
    const request = await submit(p, { type: 'STOCK_ADDITION', productId: p.product.id, channels: 30, orderReference: 'PO-4711' });
    await approve(request.workflowId);
    expect(await story(request, p)).toEqual({
      timeline: ['request_submitted', 'awaiting_decision', 'request_approved', 'stock_credited', 'request_completed'],
      subjects: [`LD-n received: Stock addition for ${p.company.name}`, `LD-n stock credited: 30 channels of ${p.product.name}`],
    });
  });

  it('upgrade', async () => {
    const p = await newPartner(prisma);
    const serial = await activeLicense(p, 'c8d9d29aa31d');
    const enterprise = await prisma.product.create({
      data: {
        code: `V9-ENT-${p.tag}`,
        name: `V9 Enterprise ${p.tag}`,
        family: 'Mirasys VMS',
        version: '9.0',
        tier: 'ENTERPRISE',
        maxChannels: 250,
        lockType: 'MAC',
        smaMonths: 12,
      },
    });
    const request = await submit(p, { type: 'UPGRADE', serial, macAddress: 'c8d9d29aa31d', targetProductId: enterprise.id });
    await approve(request.workflowId);
    expect(await story(request, p)).toEqual({
      timeline: ['request_submitted', 'awaiting_decision', 'request_approved', 'upgraded', 'request_completed'],
      subjects: [`LD-n received: Upgrade for ${p.company.name}`, `LD-n approved: license ${serial}`],
    });
  });

  it('ownership change', async () => {
    const owner = await newPartner(prisma);
    const buyer = await newPartner(prisma);
    const ownerAdmin = await adminOf(owner);
    const serial = await activeLicense(owner, 'c8d9d29aa31e');
    const request = await submit(buyer, {
      type: 'OWNERSHIP_CHANGE',
      serials: [serial],
      currentOwnerCompanyId: owner.company.id,
      newOwnerCompanyId: buyer.company.id,
    });
    await waitForPhase(client, request.workflowId, 'awaiting_consent');
    await client.workflow
      .getHandle(request.workflowId)
      .executeUpdate(ownerConsentUpdate, { args: [{ actor: { userId: ownerAdmin.id, name: ownerAdmin.name }, consent: true }] });
    await approve(request.workflowId);
    expect(await story(request, buyer)).toEqual({
      timeline: ['request_submitted', 'consent_requested', 'owner_consented', 'request_approved', 'ownership_changed', 'request_completed'],
      // To the new owner (the requester), the current owner's admins, then each company.
      subjects: [
        `LD-n received: Ownership change for ${buyer.company.name}`,
        `LD-n consent needed: transfer of 1 license to ${buyer.company.name}`,
        `LD-n ownership changed: 1 license moved to ${buyer.company.name}`,
        `LD-n ownership changed: 1 license moved to ${buyer.company.name}`,
      ],
    });
  });

  it('hardware replacement, with an interim license', async () => {
    const p = await newPartner(prisma);
    const serial = await activeLicense(p, 'c8d9d29aa320');
    const request = await submit(p, {
      type: 'HARDWARE_REPLACEMENT',
      serial,
      oldLock: { type: 'MAC', value: 'c8d9d29aa320' },
      newLock: { type: 'MAC', value: 'c8d9d29aa322' },
      reason: 'Recording server mainboard failed',
      interimLicense: true,
    });
    await approve(request.workflowId);
    await waitForPhase(client, request.workflowId, 'waiting_for_rma');
    await client.workflow.getHandle(request.workflowId).signal(rmaReceivedSignal, { actor: world.desk, note: 'Board arrived' });
    const told = await story(request, p);
    const interim = await prisma.license.findFirstOrThrow({ where: { companyId: p.company.id, serial: { not: serial } } });
    expect(told).toEqual({
      timeline: [
        'request_submitted',
        'awaiting_decision',
        'interim_issued',
        'interim_license_issued',
        'request_approved',
        'hardware_replaced',
        'waiting_for_rma',
        'rma_received',
        'request_completed',
      ],
      // The interim license goes out before the desk decides, and says so.
      subjects: [
        `LD-n received: Hardware replacement for ${p.company.name}`,
        `LD-n interim license ${interim.serial}, valid until ${formatDate(interim.expiresAt!, p.company.timeZone)} (request not yet approved)`,
        `LD-n approved: license ${serial}`,
      ],
    });
  });

  it('return confirmation', async () => {
    const p = await newPartner(prisma);
    const serial = await activeLicense(p, 'c8d9d29aa324');
    const request = await submit(p, { type: 'RETURN_CONFIRMATION', serial, channels: 6 });
    await approve(request.workflowId);
    await waitForPhase(client, request.workflowId, 'waiting_confirm');
    await client.workflow.getHandle(request.workflowId).executeUpdate(confirmReturnUpdate, { args: [{ actor: p.actor }] });
    expect(await story(request, p)).toEqual({
      timeline: [
        'request_submitted',
        'awaiting_decision',
        'request_approved',
        'return_issued',
        'return_waiting_confirm',
        'return_credited',
        'request_completed',
      ],
      subjects: [
        `LD-n received: Return confirmation for ${p.company.name}`,
        `LD-n return waiting for confirmation: 6 channels of license ${serial}`,
        'LD-n return confirmed: 6 channels credited to stock',
      ],
    });
  });

  it('partial transfer', async () => {
    const owner = await newPartner(prisma);
    const target = await newPartner(prisma);
    const ownerAdmin = await adminOf(owner);
    const serial = await activeLicense(owner, 'c8d9d29aa326');
    const request = await submit(owner, {
      type: 'PARTIAL_TRANSFER',
      serial,
      channels: 5,
      targetCompanyId: target.company.id,
      lock: { type: 'MAC', value: 'c8d9d29aa328' },
    });
    await waitForPhase(client, request.workflowId, 'awaiting_consent');
    await client.workflow
      .getHandle(request.workflowId)
      .executeUpdate(ownerConsentUpdate, { args: [{ actor: { userId: ownerAdmin.id, name: ownerAdmin.name }, consent: true }] });
    await approve(request.workflowId);
    const told = await story(request, owner);
    const created = await prisma.license.findFirstOrThrow({ where: { companyId: target.company.id } });
    expect(created).toMatchObject({ channels: 5, macAddress: 'c8d9d29aa328' });
    expect(told).toEqual({
      // The new license is written first, then the source's reduced revision, in one transaction.
      timeline: ['request_submitted', 'consent_requested', 'owner_consented', 'request_approved', 'created', 'channels_changed', 'request_completed'],
      // To the requester, the owner's admins (asked, then told), and the new license to the target and the delivery address.
      subjects: [
        `LD-n received: Partial transfer for ${owner.company.name}`,
        `LD-n consent needed: 5 channels of license ${serial} to ${target.company.name}`,
        `LD-n new license ${created.serial}: 5 channels from ${owner.company.name}`,
        `LD-n 5 channels of license ${serial} moved to ${target.company.name}`,
      ],
    });
  });

  it('stock reship', async () => {
    const distributor = await newPartner(prisma, { stock: 30 });
    await prisma.company.update({ where: { id: distributor.company.id }, data: { kind: 'DISTRIBUTOR' } });
    const dealer = await newPartner(prisma);
    await prisma.company.update({ where: { id: dealer.company.id }, data: { parentId: distributor.company.id } });
    await adminOf(dealer);
    const request = await submit(distributor, { type: 'STOCK_RESHIP', productId: distributor.product.id, dealerCompanyId: dealer.company.id, channels: 12 });
    await approve(request.workflowId);
    expect(await story(request, distributor)).toEqual({
      timeline: ['request_submitted', 'stock_reserved', 'request_approved', 'stock_transferred', 'request_completed'],
      // To the distributor (the delivery address), then the dealer's admin.
      subjects: [
        `LD-n received: Stock reship for ${distributor.company.name}`,
        `LD-n reshipped: 12 channels of ${distributor.product.name} to ${dealer.company.name}`,
        `LD-n stock received: 12 channels of ${distributor.product.name} from ${distributor.company.name}`,
      ],
    });
  });

  it('SMA renewal, completed when its cooling-off period has passed', async () => {
    const p = await newPartner(prisma);
    const smaEnd = new Date(Date.now() + 20 * 86_400_000);
    const serial = await activeLicense(p, 'c8d9d29aa32a', { smaStart: new Date(smaEnd.getTime() - 365 * 86_400_000), smaEnd });
    const request = await submit(p, { type: 'SMA_RENEWAL', serials: [serial] }, { smaRenewalCoolingOffHours: 2 / 3600 });
    await approve(request.workflowId);
    expect(await story(request, p)).toEqual({
      timeline: ['request_submitted', 'awaiting_decision', 'request_approved', 'sma_renewed', 'cooling_off_started', 'request_completed'],
      subjects: [`LD-n received: SMA renewal for ${p.company.name}`, 'LD-n SMA renewed: 1 license'],
    });
  });

  it('told the story of every request type', () => {
    expect([...typesTold].sort()).toEqual(Object.keys(REQUEST_TYPE_LABELS).sort());
  });
});
