import { randomBytes } from 'node:crypto';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { expect, inject } from 'vitest';
import { createKeyStore } from '../../services/signing/key-store.ts';
import { verifyWithStore } from '../../services/signing/sign-license.ts';
import { recordRequest, submitRequest } from '../../api/requests/lifecycle.ts';
import { generateSerial } from '../../domain/serial.ts';
import type { BusinessCalendar } from '../../domain/business-calendar.ts';
import type { HardwareReplacementForm } from '../../domain/request-forms.ts';
import type { PrismaClient } from '../../prisma/client.ts';
import type { DecisionPolicy } from '../../workflows/decision.ts';
import type { requestHardwareReplacement } from '../../workflows/hardware-replacement.ts';
import { approveUpdate, rejectUpdate } from '../../workflows/messages.ts';
import { mailTo, newPartner, waitForPhase } from './request-harness.ts';

/**
 * The steps the request-type files (test/requests/) take on a request world: submit a form as a
 * partner, approve or reject as the desk, and the licenses and products they start from.
 */

export type Partner = Awaited<ReturnType<typeof newPartner>>;

/** What the steps need of a world: useRequestWorld() and useTimeSkippingWorld() both give it. */
export interface StepWorld {
  prisma: PrismaClient;
  client: Client;
  worker: { taskQueue: string };
  desk: { userId: string; name: string };
}

/** The license history rows (a request's own timeline rows aside). */
export const LICENSE_ACTIONS = new Set(['created', 'channels_changed', 'upgraded', 'ownership_changed']);

export function requestSteps(world: StepWorld) {
  /** Submits `form` as the partner's user, to the partner's delivery address, as the API does. */
  const submit = (p: Partner, form: Record<string, unknown>, policy?: Partial<DecisionPolicy>) =>
    submitRequest(
      { prisma: world.prisma, client: world.client, taskQueue: world.worker.taskQueue },
      { companyId: p.company.id, requesterId: p.user.id, form: { deliveryEmails: [p.deliveryEmail], ...form } as never, policy },
    );

  /** Approves the request once it waits for the desk, and waits for its result. */
  const approve = async (workflowId: string, comment = 'Checked') => {
    await waitForPhase(world.client, workflowId, 'awaiting_decision');
    await world.client.workflow.getHandle(workflowId).executeUpdate(approveUpdate, { args: [{ actor: world.desk, comment }] });
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

  /**
   * A desk rejection ends the request cleanly: REJECTED, the reason mailed, no license revision.
   * `beforeDecision` runs once the workflow started (an ownership change needs the owner's consent first).
   */
  const rejectAndCheck = async (p: Partner, form: Record<string, unknown>, beforeDecision?: (workflowId: string) => Promise<void>) => {
    const request = await submit(p, form);
    await beforeDecision?.(request.workflowId);
    await waitForPhase(world.client, request.workflowId, 'awaiting_decision');
    const reason = `Rejected ${String(form.type)} for the test`;
    await world.client.workflow.getHandle(request.workflowId).executeUpdate(rejectUpdate, { args: [{ actor: world.desk, reason }] });
    expect(await world.client.workflow.getHandle(request.workflowId).result()).toEqual({ outcome: 'rejected', reason });
    expect((await world.prisma.request.findUniqueOrThrow({ where: { id: request.id } })).status).toBe('REJECTED');
    expect((await mailTo(p.deliveryEmail)).some((m) => m.parsed.text?.includes(reason))).toBe(true);
    expect(await world.prisma.licenseRevision.count({ where: { requestId: request.id } })).toBe(0);
    return request;
  };

  return { submit, approve, issueLicense, rejectAndCheck };
}

/** An active MAC-locked license of the partner, made directly (no request, no ledger entry). */
export function activeLicense(
  prisma: PrismaClient,
  p: Partner,
  license: { macAddress: string; channels: number; endUserCompany: string; vcaChannels?: number; currentRevision?: number; activatedAt?: Date },
) {
  return prisma.license.create({
    data: {
      serial: generateSerial((n) => new Uint8Array(randomBytes(n))),
      companyId: p.company.id,
      productId: p.product.id,
      lockType: 'MAC',
      status: 'ACTIVE',
      ...license,
    },
  });
}

/** A Mirasys VMS 9.0 product of another tier, for upgrades. */
export function mirasysProduct(prisma: PrismaClient, tag: string, tier: 'BASE' | 'ENTERPRISE', label: string) {
  return prisma.product.create({
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
}

/** A partner admin of `p`'s company: the one who may consent to an ownership change. */
export async function partnerAdmin(prisma: PrismaClient, p: Partner) {
  const user = await prisma.user.create({
    data: { email: `admin-${p.tag}@partner.test`, name: `Admin ${p.tag}`, role: 'PARTNER_ADMIN', companyId: p.company.id, passwordHash: 'x' },
  });
  return { user, actor: { userId: user.id, name: user.name } };
}

export /** A distributor (with an admin) holding `stock` channels, and one of its dealers (with an admin who reads Finnish). */
async function distributorAndDealer(prisma: PrismaClient, { stock = 50, reshipNeedsApproval = true } = {}) {
  const distributor: Partner = await newPartner(prisma, { stock });
  await prisma.company.update({ where: { id: distributor.company.id }, data: { kind: 'DISTRIBUTOR', reshipNeedsApproval } });
  const distributorAdmin = await partnerAdmin(prisma, distributor);
  const dealer = await prisma.company.create({ data: { name: `Dealer ${distributor.tag}`, kind: 'DEALER', parentId: distributor.company.id } });
  const dealerAdmin = await prisma.user.create({
    data: {
      email: `dealer-admin-${distributor.tag}@partner.test`,
      name: `Dealer admin ${distributor.tag}`,
      role: 'PARTNER_ADMIN',
      companyId: dealer.id,
      passwordHash: 'x',
      locale: 'fi',
    },
  });
  return { distributor, distributorAdmin, dealer, dealerAdmin };
}

/** Verifies a license file's text with the suite's signing keys. */
export const verifyLicenseText = (prisma: PrismaClient, text: string) => verifyWithStore(createKeyStore({ prisma, secret: inject('signingKeySecret') }), text);

/** A mail attachment's content as text. */
export const attachmentText = (content: unknown) => (typeof content === 'string' ? content : Buffer.from(content as ArrayBuffer).toString('utf8'));

/** The steps of the request's outbox mails, in the order they were queued (`received`, `approved`, …). */
export const outboxKeys = async (prisma: PrismaClient, requestId: string) =>
  (await prisma.outboxEmail.findMany({ where: { requestId }, orderBy: { createdAt: 'asc' } })).map((m) => m.idempotencyKey.slice(requestId.length + 1));

/**
 * The update was refused by the workflow's validator, in `message`: the words the API answers 409
 * with (api/routes/requests.ts), so a refusal is asserted as its caller reads it.
 */
export async function expectUpdateRefused(update: Promise<unknown>, message: string) {
  const error = await update.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'the update was accepted').toBeInstanceOf(WorkflowUpdateFailedError);
  expect((error as WorkflowUpdateFailedError).cause?.message).toBe(message);
}

/**
 * The update reached a workflow that has already closed: Temporal refuses it in these words (the
 * dev server's; Java's time-skipping server answers that the update is not found), and the API
 * answers 409 "This request is already <status> and cannot take that action." instead.
 */
export async function expectWorkflowClosed(update: Promise<unknown>) {
  const error = await update.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'the update was accepted').toBeInstanceOf(WorkflowNotFoundError);
  expect((error as WorkflowNotFoundError).message).toMatch(/^(workflow execution already completed|update [0-9a-f-]{36} not found)$/);
}

/** Office hours around the clock: license files move only in office hours, and a suite may run on a Sunday. */
export const ALWAYS_OPEN: BusinessCalendar = { timeZone: 'UTC', workingDays: [1, 2, 3, 4, 5, 6, 7], open: '00:00', close: '24:00', holidays: [] };

/**
 * A hardware replacement recorded as submitRequest records it, but started with office hours
 * around the clock (ALWAYS_OPEN), so that an approval at any hour moves the license at once.
 */
export async function startAlwaysOpenReplacement(
  world: Pick<StepWorld, 'prisma' | 'client' | 'worker'>,
  p: { company: { id: string }; user: { id: string } },
  form: HardwareReplacementForm,
) {
  const request = await recordRequest(world.prisma, { companyId: p.company.id, requesterId: p.user.id, form });
  await world.client.workflow.start<typeof requestHardwareReplacement>('requestHardwareReplacement', {
    workflowId: request.workflowId,
    taskQueue: world.worker.taskQueue,
    args: [{ requestId: request.id, officeCalendar: ALWAYS_OPEN }],
  });
  return request;
}
