// Captures the workflow histories that test/workflow-replay.test.ts replays: one scenario per
// `it`, each a real request on the test stack (the suite's Temporal dev server, or a time-skipping
// server for the waits of days), saved as test/fixtures/histories/<name>.json. Run it after a
// deliberate, patched() change to a workflow, add the new files to test/fixtures/histories/README.md,
// and commit them (docs/operations.md, "Capturing a new history"):
//   npx vitest run --config scripts/capture-histories.config.ts
// One scenario: add -t '<name>'. A fixture that exists is kept (a saved history is a record of the
// code that made it); HISTORIES_OVERWRITE=1 replaces it, HISTORIES_DIR=<dir> writes elsewhere.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createKeyStore } from '../services/signing/key-store.ts';
import { recordRequest, submitRequest } from '../api/requests/lifecycle.ts';
import type { BusinessCalendar } from '../domain/business-calendar.ts';
import { generateSerial } from '../domain/serial.ts';
import type { PrismaClient } from '../prisma/client.ts';
import type { RequestForm } from '../domain/request-forms.ts';
import type { DecisionPolicy } from '../workflows/decision.ts';
import {
  approveUpdate,
  cancelRenewalUpdate,
  cancelUpdate,
  confirmReturnUpdate,
  ownerConsentUpdate,
  partnerReplyUpdate,
  rejectUpdate,
  requestInformationUpdate,
  rmaReceivedUpdate,
} from '../workflows/messages.ts';
import { fileStack } from '../test/support/file-stack.ts';
import {
  balanceOf,
  newPartner,
  startTestWorker,
  startTimeSkippingWorld,
  useRequestWorld,
  waitForPhase,
  type TimeSkippingWorld,
} from '../test/support/request-harness.ts';
import { distributorAndDealer, mirasysProduct } from '../test/support/request-steps.ts';

const OUT_DIR = process.env.HISTORIES_DIR ? path.resolve(process.env.HISTORIES_DIR) : fileURLToPath(new URL('../test/fixtures/histories/', import.meta.url));

type Partner = Awaited<ReturnType<typeof newPartner>>;
type Desk = { userId: string; name: string };

/** Writes the workflow's whole history as JSON (the form Worker.runReplayHistories reads). */
async function save(client: Client, name: string, workflowId: string) {
  const file = path.join(OUT_DIR, `${name}.json`);
  if (existsSync(file) && process.env.HISTORIES_OVERWRITE !== '1') {
    console.log(`kept ${file}: it exists (HISTORIES_OVERWRITE=1 replaces it)`);
    return;
  }
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  await mkdir(OUT_DIR, { recursive: true });
  await writeFile(file, `${JSON.stringify(JSON.parse(historyToJSON(history)), null, 2)}\n`);
  console.log(`wrote ${file} (${history.events?.length} events)`);
}

function submitter(prisma: PrismaClient, client: Client, taskQueue: string) {
  return (p: Partner, form: Record<string, unknown>, policy?: Partial<DecisionPolicy>) =>
    submitRequest(
      { prisma, client, taskQueue },
      { companyId: p.company.id, requesterId: p.user.id, form: { deliveryEmails: [p.deliveryEmail], ...form } as RequestForm, policy },
    );
}

const installation = (p: Partner, mac: string, channels = 5) => ({
  type: 'NEW_INSTALLATION',
  productId: p.product.id,
  channels,
  lock: { type: 'MAC', value: mac },
  endUserCompany: 'History Oy',
});

/** An active license of the partner, made directly (the waits below need no installation history). */
function activeLicense(prisma: PrismaClient, p: Partner, mac: string, channels = 16, sma?: { start: Date; end: Date }) {
  return prisma.license.create({
    data: {
      ...(sma ? { smaStart: sma.start, smaEnd: sma.end } : {}),
      serial: generateSerial((n) => new Uint8Array(randomBytes(n))),
      companyId: p.company.id,
      productId: p.product.id,
      channels,
      lockType: 'MAC',
      macAddress: mac,
      endUserCompany: 'Harbour Depot Oy',
      status: 'ACTIVE',
      currentRevision: 1,
      activatedAt: new Date(),
    },
  });
}

async function partnerAdmin(prisma: PrismaClient, p: Partner) {
  const user = await prisma.user.create({
    data: { email: `admin-${p.tag}@partner.test`, name: `Admin ${p.tag}`, role: 'PARTNER_ADMIN', companyId: p.company.id, passwordHash: 'x' },
  });
  return { userId: user.id, name: user.name };
}

const reship = (p: Partner, dealerCompanyId: string, channels: number) => ({
  type: 'STOCK_RESHIP',
  productId: p.product.id,
  dealerCompanyId,
  channels,
  note: 'SO-12345',
});

const DAY_MS = 86_400_000;
/** 12 months of SMA (the partner's product) ending in `days` days. */
const smaEndingIn = (days: number) => ({ start: new Date(Date.now() + (days - 365) * DAY_MS), end: new Date(Date.now() + days * DAY_MS) });

async function until<T>(what: string, read: () => Promise<T | null | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('histories on the dev server', { timeout: 180_000 }, () => {
  const world = useRequestWorld({ poolSize: 10 });
  const submit = (p: Partner, form: Record<string, unknown>, policy?: Partial<DecisionPolicy>) =>
    submitter(world.prisma, world.client, world.worker.taskQueue)(p, form, policy);
  const handle = (workflowId: string) => world.client.workflow.getHandle(workflowId);
  const approve = async (workflowId: string, desk: Desk, comment?: string) => {
    await waitForPhase(world.client, workflowId, 'awaiting_decision');
    await handle(workflowId).executeUpdate(approveUpdate, { args: [{ actor: desk, comment }] });
    return (await handle(workflowId).result()) as unknown;
  };
  const issueLicense = async (p: Partner, mac: string, channels = 5) => {
    const request = await submit(p, installation(p, mac, channels));
    const result = (await approve(request.workflowId, world.desk)) as { outcome: string; serial: string };
    expect(result.outcome).toBe('completed');
    return result.serial;
  };

  /**
   * A worker whose SIGNING_KEY_SECRET cannot open the active key (made with the good secret): every
   * signing fails with SigningKeySecretError, which fulfilment does not retry. A real, permanent failure.
   */
  async function withBrokenSigning<T>(run: (taskQueue: string) => Promise<T>): Promise<T> {
    await createKeyStore({ prisma: world.prisma, secret: inject('signingKeySecret') }).activeSigner();
    const broken = await startTestWorker({
      connection: world.nativeConnection,
      namespace: fileStack.temporalNamespace,
      prisma: world.prisma,
      signingKeySecret: randomBytes(32).toString('base64'),
    });
    try {
      return await run(broken.taskQueue);
    } finally {
      await broken.stop();
    }
  }

  it('new-installation-question-answered', async () => {
    const p = await newPartner(world.prisma, { stock: 20 });
    const request = await submit(p, installation(p, 'c8d9d29ab001'));
    await waitForPhase(world.client, request.workflowId, 'awaiting_decision');
    await handle(request.workflowId).executeUpdate(requestInformationUpdate, { args: [{ actor: world.desk, question: 'Which site is this for?' }] });
    await waitForPhase(world.client, request.workflowId, 'waiting_for_partner');
    await handle(request.workflowId).executeUpdate(partnerReplyUpdate, { args: [{ actor: p.actor, message: 'The harbour depot, camera hall B.' }] });
    expect(await approve(request.workflowId, world.desk, 'Site confirmed')).toMatchObject({ outcome: 'completed' });
    await save(world.client, 'new-installation-question-answered', request.workflowId);
  });

  it('new-installation-two-answers-at-once', async () => {
    // Both answers reach the workflow in one task: its worker is stopped while they are sent. The
    // history then shows what the workflow does with answers that come together (every one on the
    // timeline, every-reply-recorded), which one answer at a time cannot.
    const p = await newPartner(world.prisma, { stock: 20 });
    const taskQueue = `two-answers-${p.tag}`;
    const startWorker = () => startTestWorker({ connection: world.nativeConnection, namespace: fileStack.temporalNamespace, prisma: world.prisma, taskQueue });
    let worker = await startWorker();
    try {
      const request = await submitter(world.prisma, world.client, taskQueue)(p, installation(p, 'c8d9d29ab00b'));
      await waitForPhase(world.client, request.workflowId, 'awaiting_decision');
      await handle(request.workflowId).executeUpdate(requestInformationUpdate, { args: [{ actor: world.desk, question: 'Which site is this for?' }] });
      await waitForPhase(world.client, request.workflowId, 'waiting_for_partner');
      await worker.stop();
      const answers = ['The harbour depot.', 'Camera hall B, to be exact.'].map((message) =>
        handle(request.workflowId).executeUpdate(partnerReplyUpdate, { args: [{ actor: p.actor, message }] }),
      );
      await new Promise((r) => setTimeout(r, 2_000));
      worker = await startWorker();
      await Promise.all(answers);
      expect(await approve(request.workflowId, world.desk, 'Site confirmed')).toMatchObject({ outcome: 'completed' });
      const replies = await world.prisma.historyEvent.findMany({ where: { requestId: request.id, action: 'partner_replied' }, orderBy: { id: 'asc' } });
      expect(replies.map((e) => e.comment)).toEqual(['The harbour depot.', 'Camera hall B, to be exact.']);
      await save(world.client, 'new-installation-two-answers-at-once', request.workflowId);
    } finally {
      await worker.stop();
    }
  });

  it('new-installation-signing-failed', async () => {
    const p = await newPartner(world.prisma, { stock: 20 });
    await withBrokenSigning(async (taskQueue) => {
      const request = await submitter(world.prisma, world.client, taskQueue)(p, installation(p, 'c8d9d29ab002'));
      expect(await approve(request.workflowId, world.desk)).toMatchObject({ outcome: 'failed' });
      await save(world.client, 'new-installation-signing-failed', request.workflowId);
    });
  });

  it('channel-expansion-signing-failed', async () => {
    const p = await newPartner(world.prisma, { stock: 20 });
    const serial = await issueLicense(p, 'c8d9d29ab003');
    await withBrokenSigning(async (taskQueue) => {
      const request = await submitter(world.prisma, world.client, taskQueue)(p, { type: 'CHANNEL_EXPANSION', serial, macAddress: 'c8d9d29ab003', channels: 3 });
      expect(await approve(request.workflowId, world.desk)).toMatchObject({ outcome: 'failed' });
      await save(world.client, 'channel-expansion-signing-failed', request.workflowId);
    });
  });

  it('channel-expansion-auto-approved', async () => {
    const p = await newPartner(world.prisma, { stock: 20 });
    const serial = await issueLicense(p, 'c8d9d29ab004');
    const request = await submit(p, { type: 'CHANNEL_EXPANSION', serial, macAddress: 'c8d9d29ab004', channels: 2 }, { autoApproveExpansionUpTo: 4 });
    expect(await handle(request.workflowId).result()).toMatchObject({ outcome: 'completed', revision: 2 });
    await save(world.client, 'channel-expansion-auto-approved', request.workflowId);
  });

  it('stock-addition-cancelled', async () => {
    const p = await newPartner(world.prisma, { stock: 5 });
    const request = await submit(p, { type: 'STOCK_ADDITION', productId: p.product.id, channels: 10, orderReference: 'PO-2040' });
    await waitForPhase(world.client, request.workflowId, 'awaiting_decision');
    await handle(request.workflowId).executeUpdate(cancelUpdate, { args: [{ actor: p.actor, reason: 'Ordered twice' }] });
    expect(await handle(request.workflowId).result()).toEqual({ outcome: 'cancelled', reason: 'Ordered twice' });
    await save(world.client, 'stock-addition-cancelled', request.workflowId);
  });

  it('upgrade-approved', async () => {
    const p = await newPartner(world.prisma, { stock: 20 });
    const serial = await issueLicense(p, 'c8d9d29ab005');
    const enterprise = await mirasysProduct(world.prisma, p.tag, 'ENTERPRISE', 'Enterprise');
    const request = await submit(p, { type: 'UPGRADE', serial, macAddress: 'c8d9d29ab005', targetProductId: enterprise.id });
    expect(await approve(request.workflowId, world.desk, 'Invoiced')).toEqual({ outcome: 'completed', serial, revision: 2 });
    await save(world.client, 'upgrade-approved', request.workflowId);
  });

  it('upgrade-refused-downgrade', async () => {
    const p = await newPartner(world.prisma, { stock: 20 });
    const serial = await issueLicense(p, 'c8d9d29ab006');
    const base = await mirasysProduct(world.prisma, p.tag, 'BASE', 'Base');
    const request = await submit(p, { type: 'UPGRADE', serial, macAddress: 'c8d9d29ab006', targetProductId: base.id });
    const result = (await handle(request.workflowId).result()) as { outcome: string; reason: string };
    expect(result.outcome).toBe('rejected');
    expect(result.reason).toContain('lower tier');
    await save(world.client, 'upgrade-refused-downgrade', request.workflowId);
  });

  it('upgrade-signing-failed', async () => {
    const p = await newPartner(world.prisma, { stock: 20 });
    const serial = await issueLicense(p, 'c8d9d29ab007');
    const enterprise = await mirasysProduct(world.prisma, p.tag, 'ENTERPRISE', 'Enterprise');
    await withBrokenSigning(async (taskQueue) => {
      const request = await submitter(
        world.prisma,
        world.client,
        taskQueue,
      )(p, { type: 'UPGRADE', serial, macAddress: 'c8d9d29ab007', targetProductId: enterprise.id });
      expect(await approve(request.workflowId, world.desk)).toMatchObject({ outcome: 'failed' });
      await save(world.client, 'upgrade-signing-failed', request.workflowId);
    });
  });

  it('ownership-change-consented', async () => {
    const a = await newPartner(world.prisma, { stock: 20 });
    const b = await newPartner(world.prisma);
    const aAdmin = await partnerAdmin(world.prisma, a);
    const serial = await issueLicense(a, 'c8d9d29ab008');
    const request = await submit(b, { type: 'OWNERSHIP_CHANGE', serials: [serial], currentOwnerCompanyId: a.company.id, newOwnerCompanyId: b.company.id });
    await waitForPhase(world.client, request.workflowId, 'awaiting_consent');
    await handle(request.workflowId).executeUpdate(ownerConsentUpdate, { args: [{ actor: aAdmin, consent: true, comment: 'The site was sold' }] });
    expect(await approve(request.workflowId, world.desk)).toEqual({ outcome: 'completed', serial, revision: 2 });
    await save(world.client, 'ownership-change-consented', request.workflowId);
  });

  it('partial-transfer-consented', async () => {
    const a = await newPartner(world.prisma, { stock: 20 });
    const b = await newPartner(world.prisma);
    const aAdmin = await partnerAdmin(world.prisma, a);
    const serial = await issueLicense(a, 'c8d9d29ab00c', 12);
    const request = await submit(a, {
      type: 'PARTIAL_TRANSFER',
      serial,
      channels: 5,
      targetCompanyId: b.company.id,
      lock: { type: 'MAC', value: 'c8d9d29ab00d' },
      endUserCompany: 'Kauppakeskus B',
    });
    await waitForPhase(world.client, request.workflowId, 'awaiting_consent');
    await handle(request.workflowId).executeUpdate(ownerConsentUpdate, { args: [{ actor: aAdmin, consent: true, comment: 'Site B takes five cameras' }] });
    expect(await approve(request.workflowId, world.desk)).toMatchObject({ outcome: 'completed', revision: 1 });
    expect(await world.prisma.license.findUniqueOrThrow({ where: { serial } })).toMatchObject({ channels: 7, currentRevision: 2 });
    await save(world.client, 'partial-transfer-consented', request.workflowId);
  });

  it('stock-reship-approved', async () => {
    const { distributor, dealer } = await distributorAndDealer(world.prisma);
    const request = await submit(distributor, reship(distributor, dealer.id, 20));
    expect(await approve(request.workflowId, world.desk)).toEqual({ outcome: 'completed' });
    expect(await balanceOf(world.prisma, dealer.id, distributor.product.id)).toEqual({ available: 20, reserved: 0, consumed: 0 });
    await save(world.client, 'stock-reship-approved', request.workflowId);
  });

  it('stock-reship-auto-approved', async () => {
    const { distributor, dealer } = await distributorAndDealer(world.prisma, { reshipNeedsApproval: false });
    const request = await submit(distributor, reship(distributor, dealer.id, 8));
    expect(await handle(request.workflowId).result()).toEqual({ outcome: 'completed' });
    expect(await balanceOf(world.prisma, dealer.id, distributor.product.id)).toEqual({ available: 8, reserved: 0, consumed: 0 });
    await save(world.client, 'stock-reship-auto-approved', request.workflowId);
  });

  it('sma-renewal-cooled-off', async () => {
    // A cooling-off period of 5 seconds (the policy's, as SMA_RENEWAL_COOLING_OFF_HOURS sets it): the same durable timer as the 24 hours.
    const p = await newPartner(world.prisma);
    const license = await activeLicense(world.prisma, p, 'c8d9d29ab00e', 8, smaEndingIn(20));
    const request = await submit(p, { type: 'SMA_RENEWAL', serials: [license.serial] }, { smaRenewalCoolingOffHours: 5 / 3600 });
    expect(await approve(request.workflowId, world.desk, 'Renewal order checked')).toEqual({ outcome: 'completed', serial: license.serial, revision: 2 });
    await save(world.client, 'sma-renewal-cooled-off', request.workflowId);
  });

  it('sma-renewal-cancelled', async () => {
    const p = await newPartner(world.prisma);
    const license = await activeLicense(world.prisma, p, 'c8d9d29ab00f', 8, smaEndingIn(5));
    const request = await submit(p, { type: 'SMA_RENEWAL', serials: [license.serial] }, { smaRenewalCoolingOffHours: 1 });
    await waitForPhase(world.client, request.workflowId, 'awaiting_decision');
    await handle(request.workflowId).executeUpdate(approveUpdate, { args: [{ actor: world.desk, comment: 'Renewal order checked' }] });
    // Cancelled once the workflow waits on its cooling-off timer (the phase is set before the renewal mail is sent).
    await until('the cooling-off timer', async () => (await handle(request.workflowId).fetchHistory()).events?.some((e) => e.timerStartedEventAttributes));
    await handle(request.workflowId).executeUpdate(cancelRenewalUpdate, { args: [{ actor: p.actor, reason: 'Ordered for the wrong site' }] });
    expect(await handle(request.workflowId).result()).toEqual({ outcome: 'cancelled', reason: 'Ordered for the wrong site' });
    expect(await world.prisma.license.findUniqueOrThrow({ where: { id: license.id } })).toMatchObject({ smaEnd: license.smaEnd, currentRevision: 3 });
    await save(world.client, 'sma-renewal-cancelled', request.workflowId);
  });

  it('hardware-replacement-rejected', async () => {
    const p = await newPartner(world.prisma);
    const license = await activeLicense(world.prisma, p, 'c8d9d29ab009');
    const request = await submit(p, {
      type: 'HARDWARE_REPLACEMENT',
      serial: license.serial,
      oldLock: { type: 'MAC', value: 'c8d9d29ab009' },
      newLock: { type: 'MAC', value: 'c8d9d29ab00a' },
      reason: 'Recording server mainboard failed',
      interimLicense: false,
    });
    await waitForPhase(world.client, request.workflowId, 'awaiting_decision');
    await handle(request.workflowId).executeUpdate(rejectUpdate, { args: [{ actor: world.desk, reason: 'No RMA case for this server' }] });
    expect(await handle(request.workflowId).result()).toEqual({ outcome: 'rejected', reason: 'No RMA case for this server' });
    await save(world.client, 'hardware-replacement-rejected', request.workflowId);
  });
});

describe('histories on a time-skipping server (waits of days)', { timeout: 180_000 }, () => {
  let world: TimeSkippingWorld;
  beforeAll(async () => {
    world = await startTimeSkippingWorld({ poolSize: 10 });
  });
  afterAll(() => world?.stop());
  const client = () => world.env.client;
  const submit = (p: Partner, form: Record<string, unknown>) => submitter(world.prisma, client(), world.worker.taskQueue)(p, form);

  async function approvedReturn(mac: string) {
    const p = await newPartner(world.prisma, { stock: 20 });
    const license = await activeLicense(world.prisma, p, mac, 32);
    const request = await submit(p, { type: 'RETURN_CONFIRMATION', serial: license.serial, channels: 12 });
    await waitForPhase(client(), request.workflowId, 'awaiting_decision');
    await client()
      .workflow.getHandle(request.workflowId)
      .executeUpdate(approveUpdate, { args: [{ actor: world.desk }] });
    await waitForPhase(client(), request.workflowId, 'waiting_confirm');
    return { p, request, handle: client().workflow.getHandle(request.workflowId) };
  }

  it('return-confirmation-expired', async () => {
    const { request, handle } = await approvedReturn('c8d9d29ab101');
    expect(await handle.result()).toEqual({ outcome: 'expired' });
    await save(client(), 'return-confirmation-expired', request.workflowId);
  });

  it('return-confirmation-reminded-then-confirmed', async () => {
    const { p, request, handle } = await approvedReturn('c8d9d29ab102');
    // Past the first reminder (day 7), then the partner confirms.
    await world.env.sleep('8 days');
    await until('the first return reminder', () => world.prisma.historyEvent.findFirst({ where: { requestId: request.id, action: 'return_reminded' } }));
    await handle.executeUpdate(confirmReturnUpdate, { args: [{ actor: p.actor }] });
    expect(await handle.result()).toMatchObject({ outcome: 'completed' });
    await save(client(), 'return-confirmation-reminded-then-confirmed', request.workflowId);
  });

  it('hardware-replacement-interim-after-hours-rma-received', async () => {
    // Office hours on every day but today: the approval falls outside them and waits for tomorrow.
    const today = new Date(await world.env.currentTimeMs()).getUTCDay() || 7;
    const officeCalendar: BusinessCalendar = {
      timeZone: 'UTC',
      workingDays: [1, 2, 3, 4, 5, 6, 7].filter((d) => d !== today),
      open: '00:00',
      close: '24:00',
      holidays: [],
    };
    const p = await newPartner(world.prisma);
    const license = await activeLicense(world.prisma, p, 'c8d9d29ab103');
    const form = {
      type: 'HARDWARE_REPLACEMENT' as const,
      serial: license.serial,
      oldLock: { type: 'MAC' as const, value: 'c8d9d29ab103' },
      newLock: { type: 'MAC' as const, value: 'c8d9d29ab104' },
      reason: 'Recording server mainboard failed',
      interimLicense: true,
      deliveryEmails: [p.deliveryEmail],
    };
    // As submitRequest records it, but started with the office calendar above.
    const request = await recordRequest(world.prisma, { companyId: p.company.id, requesterId: p.user.id, form });
    const id = request.id;
    const handle = await client().workflow.start('requestHardwareReplacement', {
      workflowId: request.workflowId,
      taskQueue: world.worker.taskQueue,
      args: [{ requestId: id, officeCalendar }],
    });
    await waitForPhase(client(), request.workflowId, 'awaiting_decision');
    await until('the interim mail', () => world.prisma.outboxEmail.findFirst({ where: { idempotencyKey: `${id}:interim` } }));
    await handle.executeUpdate(approveUpdate, { args: [{ actor: world.desk, comment: 'RMA case 5521' }] });
    await waitForPhase(client(), request.workflowId, 'waiting_for_office_hours');
    await world.env.sleep('1 day');
    await waitForPhase(client(), request.workflowId, 'waiting_for_rma');
    // Past the first RMA reminder (day 7), then the part comes back.
    await world.env.sleep('8 days');
    await until('the first RMA reminder', () => world.prisma.historyEvent.findFirst({ where: { requestId: id, action: 'rma_reminded' } }));
    await handle.executeUpdate(rmaReceivedUpdate, { args: [{ actor: world.desk, note: 'Board arrived at the repair centre' }] });
    expect(await handle.result()).toEqual({ outcome: 'completed', serial: license.serial, revision: 2 });
    await save(client(), 'hardware-replacement-interim-after-hours-rma-received', request.workflowId);
  });
});
