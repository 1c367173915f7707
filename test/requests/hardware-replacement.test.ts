import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formatDate } from '../../services/mail/templates.ts';
import { submitRequest } from '../../api/requests/lifecycle.ts';
import { DESK_CALENDAR, formatOfficeTime, isOfficeTime, nextOfficeTime } from '../../domain/business-calendar.ts';
import { formatMac } from '../../domain/mac-address.ts';
import { requestReference } from '../../domain/request-forms.ts';
import { generateSerial } from '../../domain/serial.ts';
import type { PrismaClient } from '../../prisma/client.ts';
import { approveUpdate, rejectUpdate, rmaReceivedSignal, stateQuery } from '../../workflows/messages.ts';
import { mailTo, newPartner, useRequestWorld, waitForPhase } from '../support/request-harness.ts';
import {
  activeLicense,
  attachmentText,
  outboxKeys,
  requestSteps,
  startAlwaysOpenReplacement,
  verifyLicenseText,
  type Partner,
} from '../support/request-steps.ts';
import { useTimeSkippingWorld } from '../support/time-skipping-world.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
/** Office hours around the clock: the real-server tests must not wait for Monday morning. */

/** A network card's MAC (even first byte), different on every call. */
const randomMac = () => `c8d9d2${randomBytes(3).toString('hex')}`;

/** An active license of the partner at revision 1, locked to `mac`. */
const licenseOn = (prisma: PrismaClient, p: Partner, mac: string) =>
  activeLicense(prisma, p, { macAddress: mac, channels: 16, vcaChannels: 2, endUserCompany: 'Harbour Depot Oy', currentRevision: 1, activatedAt: new Date() });

const replacementForm = (p: Partner, serial: string, oldMac: string, newMac: string, interimLicense = false) => ({
  type: 'HARDWARE_REPLACEMENT' as const,
  serial,
  oldLock: { type: 'MAC' as const, value: oldMac },
  newLock: { type: 'MAC' as const, value: newMac },
  reason: 'Recording server mainboard failed',
  interimLicense,
  deliveryEmails: [p.deliveryEmail],
});

const timeline = async (prisma: PrismaClient, requestId: string) => prisma.historyEvent.findMany({ where: { requestId }, orderBy: { id: 'asc' } });

async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('hardware replacement on the real Temporal server, PostgreSQL and SMTP', () => {
  const world = useRequestWorld({ poolSize: 10 });
  const { rejectAndCheck } = requestSteps(world);

  it('issues an interim license at once, rebinds the license on approval as revision 2, mails the file, and completes when the RMA arrives', async () => {
    const { prisma, client, desk } = world;
    const p = await newPartner(prisma);
    const oldMac = randomMac();
    const newMac = randomMac();
    const license = await licenseOn(prisma, p, oldMac);
    const request = await startAlwaysOpenReplacement(
      world,
      p,
      replacementForm(p, license.serial.toLowerCase(), formatMac(oldMac).toUpperCase(), formatMac(newMac).replaceAll(':', '-'), true),
    );
    const handle = client.workflow.getHandle(request.workflowId);
    await waitForPhase(client, request.workflowId, 'awaiting_decision');
    // The request is open to the desk while the interim license is still being issued.
    await waitForTimeline(prisma, request.id, 'interim_license_issued');

    // The interim license: its own serial, same product and channels, on the new hardware, 30 days.
    const interim = await prisma.license.findFirstOrThrow({ where: { companyId: p.company.id, id: { not: license.id } } });
    expect(interim).toMatchObject({ productId: p.product.id, macAddress: newMac, channels: 16, vcaChannels: 2, status: 'ACTIVE', currentRevision: 1 });
    expect(interim.expiresAt).not.toBeNull();
    expect(Math.abs(interim.expiresAt!.getTime() - (Date.now() + 30 * DAY_MS))).toBeLessThan(HOUR_MS);
    const interimMail = await eventually(
      async () => (await mailTo(p.deliveryEmail)).find((m) => m.parsed.attachments.some((a) => a.filename === `license-${interim.serial}.lic`)),
      (m) => m !== undefined,
    );
    // Sent before the desk decided anything: it says interim, not approved.
    expect(interimMail?.parsed.subject).toBe(
      `${requestReference(request.number)} interim license ${interim.serial}, valid until ${formatDate(interim.expiresAt!, p.company.timeZone)} (request not yet approved)`,
    );
    expect(interimMail?.parsed.text).toContain('This is an interim license for your new hardware');
    // The license itself has not moved yet.
    expect(await prisma.license.findUniqueOrThrow({ where: { id: license.id } })).toMatchObject({ macAddress: oldMac, currentRevision: 1 });

    await handle.executeUpdate(approveUpdate, { args: [{ actor: desk, comment: 'RMA case 5521' }] });
    await waitForPhase(client, request.workflowId, 'waiting_for_rma');
    expect((await prisma.request.findUniqueOrThrow({ where: { id: request.id } })).status).toBe('WAITING_FOR_RMA');

    const rebound = await prisma.license.findUniqueOrThrow({ where: { id: license.id }, include: { revisions: true } });
    expect(rebound).toMatchObject({ macAddress: newMac, currentRevision: 2, status: 'ACTIVE', channels: 16 });
    expect(rebound.revisions.map((r) => [r.revision, r.macAddress])).toEqual([[2, newMac]]);
    const replaced = await prisma.historyEvent.findFirstOrThrow({ where: { licenseId: license.id, action: 'hardware_replaced' } });
    expect(replaced).toMatchObject({
      changes: `MAC: ${formatMac(oldMac)} → ${formatMac(newMac)}`,
      actorName: desk.name,
      requestId: request.id,
      details: { revision: 2 },
    });

    const approved = await eventually(
      async () => (await mailTo(p.deliveryEmail)).find((m) => m.parsed.attachments.some((a) => a.filename === `license-${license.serial}.lic`)),
      (m) => m !== undefined,
    );
    expect(approved!.parsed.subject).toContain(license.serial);
    const verification = await verifyLicenseText(prisma, attachmentText(approved!.parsed.attachments[0]!.content));
    expect(verification).toMatchObject({ valid: true, grants: { serial: license.serial, revision: 2, channels: 16, lock: { type: 'MAC', value: newMac } } });

    await handle.signal(rmaReceivedSignal, { actor: desk, note: 'Board arrived at the repair centre' });
    expect(await handle.result()).toEqual({ outcome: 'completed', serial: license.serial, revision: 2 });
    const saved = await prisma.request.findUniqueOrThrow({ where: { id: request.id } });
    expect(saved).toMatchObject({ status: 'COMPLETED', serial: license.serial, licenseId: license.id, macAddress: oldMac });
    expect(saved.completedAt).not.toBeNull();
    expect((await timeline(prisma, request.id)).map((e) => e.action)).toEqual([
      'request_submitted',
      'awaiting_decision',
      'interim_issued',
      'interim_license_issued',
      'request_approved',
      'hardware_replaced',
      'waiting_for_rma',
      'rma_received',
      'request_completed',
    ]);
    expect(await outboxKeys(prisma, request.id)).toEqual(['received', 'interim', 'approved']);
  });

  it('refuses an old MAC the license is not locked to, and a new MAC equal to the old one, in words the partner understands', async () => {
    const { prisma, client, worker } = world;
    const p = await newPartner(prisma);
    const oldMac = randomMac();
    const license = await licenseOn(prisma, p, oldMac);

    const wrongOld = await submitRequest(
      { prisma, client, taskQueue: worker.taskQueue },
      { companyId: p.company.id, requesterId: p.user.id, form: replacementForm(p, license.serial, randomMac(), randomMac()) },
    );
    const r1 = await client.workflow.getHandle(wrongOld.workflowId).result();
    expect(r1).toEqual({ outcome: 'rejected', reason: expect.stringContaining(`License ${license.serial} is not locked to MAC`) });
    expect((await prisma.request.findUniqueOrThrow({ where: { id: wrongOld.id } })).status).toBe('REJECTED');
    const rejectedMail = await eventually(
      async () => (await mailTo(p.deliveryEmail)).find((m) => m.parsed.text?.includes('is not locked to MAC')),
      (m) => m !== undefined,
    );
    expect(rejectedMail).toBeDefined();

    const sameMac = await submitRequest(
      { prisma, client, taskQueue: worker.taskQueue },
      { companyId: p.company.id, requesterId: p.user.id, form: replacementForm(p, license.serial, oldMac, formatMac(oldMac)) },
    );
    const r2 = await client.workflow.getHandle(sameMac.workflowId).result();
    expect(r2).toEqual({ outcome: 'rejected', reason: expect.stringContaining('is the same as the old one') });

    // Nothing moved, no interim license was made.
    expect(await prisma.license.findUniqueOrThrow({ where: { id: license.id } })).toMatchObject({ macAddress: oldMac, currentRevision: 1 });
    expect(await prisma.license.count({ where: { companyId: p.company.id } })).toBe(1);
  });

  it('refuses a third interim license on the same hardware but lets the request go on without it', async () => {
    const { prisma, client, worker, desk } = world;
    const p = await newPartner(prisma);
    const oldMac = randomMac();
    const newMac = randomMac();
    const license = await licenseOn(prisma, p, oldMac);
    // The new hardware already ran two demo licenses (of another company, even).
    const other = await newPartner(prisma);
    for (let i = 0; i < 2; i++) {
      await prisma.license.create({
        data: {
          serial: generateSerial((n) => new Uint8Array(randomBytes(n))),
          companyId: other.company.id,
          productId: other.product.id,
          channels: 4,
          lockType: 'MAC',
          macAddress: newMac,
          endUserCompany: 'Demo',
          expiresAt: new Date(Date.now() - DAY_MS),
          status: 'EXPIRED',
        },
      });
    }
    const request = await submitRequest(
      { prisma, client, taskQueue: worker.taskQueue },
      { companyId: p.company.id, requesterId: p.user.id, form: replacementForm(p, license.serial, oldMac, newMac, true) },
    );
    await waitForPhase(client, request.workflowId, 'awaiting_decision');
    await waitForTimeline(prisma, request.id, 'interim_license_refused');
    const refused = await prisma.historyEvent.findFirstOrThrow({ where: { requestId: request.id, action: 'interim_license_refused' } });
    expect(refused.comment).toContain('has already had its 2 interim or demo licenses');
    expect(refused.partnerVisible).toBe(true);
    expect(await prisma.license.count({ where: { companyId: p.company.id } })).toBe(1);

    const handle = client.workflow.getHandle(request.workflowId);
    await handle.executeUpdate(rejectUpdate, { args: [{ actor: desk, reason: 'The new server is not on the service contract.' }] });
    expect(await handle.result()).toEqual({ outcome: 'rejected', reason: 'The new server is not on the service contract.' });
    expect(await prisma.license.findUniqueOrThrow({ where: { id: license.id } })).toMatchObject({ macAddress: oldMac, currentRevision: 1 });
  });

  it('a desk rejection leaves the license on its hardware', async () => {
    const p = await newPartner(world.prisma, { stock: 10 });
    const license = await activeLicense(world.prisma, p, { macAddress: 'c8d9d29aa31b', channels: 16, endUserCompany: 'Rejected Oy', currentRevision: 1 });
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
});

describe('hardware replacement under time skipping: office hours and the RMA wait', () => {
  const world = useTimeSkippingWorld({ poolSize: 10 });

  /** Advances workflow time to `t` (epoch ms). */
  const sleepUntil = async (t: number) => {
    const now = await world.env.currentTimeMs();
    if (t > now) await world.env.sleep(t - now);
  };

  it('approved outside office hours, rebinds at opening time; with no RMA, reminds the partner on days 7 and 14 and escalates once on day 30', async () => {
    const { env, prisma, worker, desk } = world;
    // Go to a closed moment at least a day before the office opens again (a weekend or holiday).
    let closed = await env.currentTimeMs();
    while (isOfficeTime(DESK_CALENDAR, closed) || nextOfficeTime(DESK_CALENDAR, closed) - closed < DAY_MS) closed += HOUR_MS;
    await sleepUntil(closed);
    const opens = nextOfficeTime(DESK_CALENDAR, closed);

    const p = await newPartner(prisma);
    const oldMac = randomMac();
    const newMac = randomMac();
    const license = await licenseOn(prisma, p, oldMac);
    const request = await submitRequest(
      { prisma, client: env.client, taskQueue: worker.taskQueue },
      { companyId: p.company.id, requesterId: p.user.id, form: replacementForm(p, license.serial, oldMac, newMac) },
    );
    const handle = env.client.workflow.getHandle(request.workflowId);
    await waitForPhase(env.client, request.workflowId, 'awaiting_decision');
    await handle.executeUpdate(approveUpdate, { args: [{ actor: desk }] });

    const waiting = await eventually(
      () => prisma.historyEvent.findFirst({ where: { requestId: request.id, action: 'waiting_for_office_hours' } }),
      (e) => e !== null,
    );
    expect(waiting).toMatchObject({ details: { until: new Date(opens).toISOString() } });
    expect(waiting!.changes).toBe(`Approved outside office hours; the license moves to the new hardware at ${formatOfficeTime(DESK_CALENDAR, opens)}`);
    // The wait is a status of its own, in the lists and in the live state, not "processing".
    await waitForPhase(env.client, request.workflowId, 'waiting_for_office_hours');
    expect((await prisma.request.findUniqueOrThrow({ where: { id: request.id } })).status).toBe('WAITING_FOR_OFFICE_HOURS');
    // Half a day later the office is still closed: the license has not moved.
    await env.sleep('12 hours');
    expect(await prisma.license.findUniqueOrThrow({ where: { id: license.id } })).toMatchObject({ macAddress: oldMac, currentRevision: 1 });

    await sleepUntil(opens + HOUR_MS);
    await waitForPhase(env.client, request.workflowId, 'waiting_for_rma');
    expect((await timeline(prisma, request.id)).map((e) => e.action)).toEqual([
      'request_submitted',
      'awaiting_decision',
      'request_approved',
      'waiting_for_office_hours',
      'office_hours_began',
      'hardware_replaced',
      'waiting_for_rma',
    ]);
    expect(await prisma.license.findUniqueOrThrow({ where: { id: license.id } })).toMatchObject({ macAddress: newMac, currentRevision: 2 });

    const count = async (key: string) => (await outboxKeys(prisma, request.id)).filter((k) => k.startsWith(key)).length;
    const expectCounts = async (reminders: number, escalations: number) => {
      await eventually(
        async () => [await count('rma_reminder:'), await count('rma_escalation')],
        ([r, e]) => r === reminders && e === escalations,
        10_000,
      );
      expect(await count('rma_reminder:')).toBe(reminders);
      expect(await count('rma_escalation')).toBe(escalations);
    };
    // The RMA wait starts when the license moved, just after opening time.
    await sleepUntil(opens + 6.5 * DAY_MS);
    await expectCounts(0, 0);
    await sleepUntil(opens + 7.5 * DAY_MS);
    await expectCounts(1, 0);
    await sleepUntil(opens + 13.5 * DAY_MS);
    await expectCounts(1, 0);
    await sleepUntil(opens + 14.5 * DAY_MS);
    await expectCounts(2, 0);
    await sleepUntil(opens + 29.5 * DAY_MS);
    await expectCounts(2, 0);
    await sleepUntil(opens + 30.5 * DAY_MS);
    await expectCounts(2, 1);
    // After the escalation the request just waits: no more timers, no more mail.
    await sleepUntil(opens + 60 * DAY_MS);
    await expectCounts(2, 1);

    expect(await outboxKeys(prisma, request.id)).toEqual(['received', 'approved', 'rma_reminder:1', 'rma_reminder:2', 'rma_escalation']);
    expect((await prisma.request.findUniqueOrThrow({ where: { id: request.id } })).status).toBe('WAITING_FOR_RMA');
    expect(await handle.query(stateQuery)).toMatchObject({ phase: 'waiting_for_rma', remindersSent: 2, escalated: true });
    const reminders = (await mailTo(p.deliveryEmail)).filter((m) => m.parsed.subject?.includes('RMA reminder'));
    expect(reminders).toHaveLength(2);
    expect(reminders[0]!.parsed.text).toContain(`MAC: ${formatMac(oldMac)}`);
    const escalation = await prisma.outboxEmail.findFirstOrThrow({ where: { idempotencyKey: `${request.id}:rma_escalation` } });
    expect(escalation.to).toContain('desk.admin@license-desk.test');
    expect(escalation.to).not.toContain(p.deliveryEmail);

    // The part comes back at last.
    await handle.signal(rmaReceivedSignal, { actor: desk });
    expect(await handle.result()).toEqual({ outcome: 'completed', serial: license.serial, revision: 2 });
    expect((await prisma.request.findUniqueOrThrow({ where: { id: request.id } })).status).toBe('COMPLETED');
  });
});

/** Waits until the request's timeline has an event with `action` (written by an activity). */
async function waitForTimeline(prisma: PrismaClient, requestId: string, action: string) {
  for (let i = 0; i < 150; i++) {
    if (await prisma.historyEvent.findFirst({ where: { requestId, action } })) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`No ${action} event on request ${requestId}`);
}
