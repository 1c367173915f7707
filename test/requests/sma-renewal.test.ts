import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSerial } from '../../domain/serial.ts';
import { requestReference } from '../../domain/request-labels.ts';
import { addMonthsClamped, utcMinute } from '../../domain/sma-renewal.ts';
import { cancelRenewalUpdate } from '../../workflows/messages.ts';
import { startApiWorld, type ApiWorld } from '../support/api-harness.ts';
import { mailTo, waitForPhase } from '../support/request-harness.ts';
import { attachmentText, expectWorkflowClosed, outboxKeys, requestSteps, verifyLicenseText } from '../support/request-steps.ts';

type Partner = Awaited<ReturnType<ApiWorld['newPartnerCompany']>>;
const DAY_MS = 86_400_000;

/**
 * SMA renewal on the real Temporal dev server, PostgreSQL and SMTP catcher, through the API where
 * the partner or the desk acts. The cooling-off period is the policy's (24 hours by default); these
 * requests are submitted with a short one, as SMA_RENEWAL_COOLING_OFF_HOURS would set it.
 */
describe('SMA renewal on the real Temporal server, PostgreSQL and SMTP', () => {
  let api: ApiWorld;
  beforeAll(async () => {
    api = await startApiWorld();
  }, 120_000);
  afterAll(() => api?.stop());

  const steps = () => requestSteps(api.world);
  /** An active license of the partner's product (12 months of SMA, 30 days of grace) whose SMA ends at `smaEnd`. */
  const licenseEnding = (p: Partner, smaEnd: Date | null, mac = 'c8d9d29aa31b') =>
    api.world.prisma.license.create({
      data: {
        serial: generateSerial((n) => new Uint8Array(randomBytes(n))),
        companyId: p.company.id,
        productId: p.product.id,
        channels: 8,
        lockType: 'MAC',
        macAddress: mac,
        endUserCompany: 'Renewal Oy',
        status: 'ACTIVE',
        currentRevision: 1,
        smaStart: smaEnd ? new Date(smaEnd.getTime() - 365 * DAY_MS) : null,
        smaEnd,
      },
    });
  const approveAsDesk = async (requestId: string, workflowId: string) => {
    await waitForPhase(api.world.client, workflowId, 'awaiting_decision');
    const desk = await api.as((await api.newDeskUser('DESK_AGENT')).id);
    const response = await desk(`/api/requests/${requestId}/approve`, { method: 'POST', body: { comment: 'Renewal order checked' } });
    expect(response.status).toBe(200);
  };

  it('approval renews each SMA by its term from the old end (backdated inside the grace period), signs and mails the files once, and completes after the cooling-off', async () => {
    const p = await api.newPartnerCompany();
    const now = Date.now();
    const lapsed = await licenseEnding(p, new Date(now - 10 * DAY_MS), 'c8d9d29aa301');
    const running = await licenseEnding(p, new Date(now + 20 * DAY_MS), 'c8d9d29aa302');

    const request = await steps().submit(
      p,
      { type: 'SMA_RENEWAL', serials: [running.serial, lapsed.serial.toLowerCase()] },
      { smaRenewalCoolingOffHours: 6 / 3600 },
    );
    await approveAsDesk(request.id, request.workflowId);
    await waitForPhase(api.world.client, request.workflowId, 'cooling_off');

    const during = await api.world.prisma.request.findUniqueOrThrow({ where: { id: request.id } });
    expect(during.status).toBe('COOLING_OFF');
    expect(during.coolingOffEndsAt!.getTime()).toBeGreaterThan(Date.now());

    for (const before of [lapsed, running]) {
      const after = await api.world.prisma.license.findUniqueOrThrow({
        where: { id: before.id },
        include: { revisions: true, historyEvents: { where: { action: 'sma_renewed' } } },
      });
      // The new term starts at the old end, also for the lapsed one: no gap, no free days.
      expect(after.smaEnd).toEqual(addMonthsClamped(before.smaEnd!, 12));
      expect(after.smaStart).toEqual(before.smaStart);
      expect(after.currentRevision).toBe(2);
      expect(after.historyEvents).toHaveLength(1);
      expect(after.historyEvents[0]!.changes).toBe(
        `SMA end of ${before.serial}: ${before.smaEnd!.toISOString().slice(0, 10)} → ${after.smaEnd!.toISOString().slice(0, 10)}${before === lapsed ? ' (renewed in the grace period, from its end)' : ''}`,
      );
    }

    expect(await api.world.client.workflow.getHandle(request.workflowId).result()).toMatchObject({ outcome: 'completed' });
    const done = await api.world.prisma.request.findUniqueOrThrow({ where: { id: request.id }, include: { historyEvents: { orderBy: { id: 'asc' } } } });
    expect(done.status).toBe('COMPLETED');
    expect(done.historyEvents.map((e) => e.action)).toEqual([
      'request_submitted',
      'awaiting_decision',
      'request_approved',
      'sma_renewed',
      'sma_renewed',
      'cooling_off_started',
      'request_completed',
    ]);
    expect(await outboxKeys(api.world.prisma, request.id)).toEqual(['received', 'sma_renewed']);

    const renewed = (await mailTo(p.deliveryEmail)).filter((m) => m.parsed.subject?.includes('SMA renewed'));
    expect(renewed).toHaveLength(1);
    expect(renewed[0]!.parsed.text).toContain('You can cancel this renewal until');
    expect(renewed[0]!.parsed.attachments).toHaveLength(2);
    for (const attachment of renewed[0]!.parsed.attachments) {
      const file = await verifyLicenseText(api.world.prisma, attachmentText(attachment.content));
      expect(file.valid).toBe(true);
      const license = [lapsed, running].find((l) => l.serial === (file as { grants: { serial: string } }).grants.serial)!;
      expect(file).toMatchObject({ grants: { revision: 2, sma: { end: addMonthsClamped(license.smaEnd!, 12).toISOString() } } });
    }

    // The license report names the renewal as its own action.
    const desk = await api.as((await api.newDeskUser('DESK_AGENT')).id);
    const report = await desk(`/api/reports/licenses?${new URLSearchParams({ filter: JSON.stringify({ companyId: p.company.id, action: 'sma_renewed' }) })}`);
    const rows = (await report.json()) as Array<{ action: string; serial: string }>;
    expect(rows.map((r) => [r.action, r.serial]).sort()).toEqual(
      [
        ['SMA renewal', lapsed.serial],
        ['SMA renewal', running.serial],
      ].sort(),
    );
  }, 120_000);

  it('the partner cancels within the cooling-off period: each license goes back to its previous SMA end as a new revision, mailed; a second cancel is refused', async () => {
    const p = await api.newPartnerCompany();
    const license = await licenseEnding(p, new Date(Date.now() + 5 * DAY_MS));
    const request = await steps().submit(p, { type: 'SMA_RENEWAL', serials: [license.serial] }, { smaRenewalCoolingOffHours: 1 });
    await approveAsDesk(request.id, request.workflowId);
    await waitForPhase(api.world.client, request.workflowId, 'cooling_off');
    expect((await api.world.prisma.license.findUniqueOrThrow({ where: { id: license.id } })).smaEnd).toEqual(addMonthsClamped(license.smaEnd!, 12));

    const response = await p.asUser(`/api/requests/${request.id}/cancel-renewal`, { method: 'POST', body: { reason: 'Ordered for the wrong site' } });
    const answer = (await response.json()) as { message: string };
    expect(response.status, JSON.stringify(answer)).toBe(200);
    expect(answer.message).toContain('goes back to its previous SMA end');
    expect(await api.world.client.workflow.getHandle(request.workflowId).result()).toEqual({ outcome: 'cancelled', reason: 'Ordered for the wrong site' });

    const after = await api.world.prisma.license.findUniqueOrThrow({
      where: { id: license.id },
      include: { historyEvents: { orderBy: { id: 'asc' } }, revisions: { orderBy: { revision: 'asc' } } },
    });
    expect(after.smaEnd).toEqual(license.smaEnd);
    expect(after.currentRevision).toBe(3);
    expect(after.revisions.map((r) => (r.grants as { sma: { end: string } }).sma.end)).toEqual([
      addMonthsClamped(license.smaEnd!, 12).toISOString(),
      license.smaEnd!.toISOString(),
    ]);
    const cancelledEvent = after.historyEvents.find((e) => e.action === 'sma_renewal_cancelled');
    expect(cancelledEvent).toMatchObject({ actorName: p.user.name, requestId: request.id });
    expect(cancelledEvent!.changes).toContain('(renewal cancelled in its cooling-off period)');

    const saved = await api.world.prisma.request.findUniqueOrThrow({ where: { id: request.id } });
    expect(saved.status).toBe('CANCELLED');
    expect(await outboxKeys(api.world.prisma, request.id)).toEqual(['received', 'sma_renewed', 'sma_renewal_cancelled']);
    const cancelledMail = (await mailTo(p.deliveryEmail)).filter((m) => m.parsed.subject?.includes('SMA renewal cancelled'));
    expect(cancelledMail).toHaveLength(1);
    expect(cancelledMail[0]!.parsed.attachments).toHaveLength(1);
    const file = await verifyLicenseText(api.world.prisma, attachmentText(cancelledMail[0]!.parsed.attachments[0]!.content));
    expect(file).toMatchObject({ valid: true, grants: { serial: license.serial, revision: 3, sma: { end: license.smaEnd!.toISOString() } } });

    const again = await p.asUser(`/api/requests/${request.id}/cancel-renewal`, { method: 'POST', body: {} });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { message: string }).message).toBe('This request is already cancelled and cannot take that action.');
  }, 120_000);

  it('after the cooling-off period the renewal is final: a cancel is refused and the license keeps its new end', async () => {
    const p = await api.newPartnerCompany();
    const license = await licenseEnding(p, new Date(Date.now() + 3 * DAY_MS));
    const request = await steps().submit(p, { type: 'SMA_RENEWAL', serials: [license.serial] }, { smaRenewalCoolingOffHours: 2 / 3600 });
    await approveAsDesk(request.id, request.workflowId);
    expect(await api.world.client.workflow.getHandle(request.workflowId).result()).toMatchObject({ outcome: 'completed', serial: license.serial });

    await expectWorkflowClosed(api.world.client.workflow.getHandle(request.workflowId).executeUpdate(cancelRenewalUpdate, { args: [{ actor: p.actor }] }));
    const response = await p.asUser(`/api/requests/${request.id}/cancel-renewal`, { method: 'POST', body: {} });
    expect(response.status).toBe(409);
    expect(((await response.json()) as { message: string }).message).toBe('This request is already completed and cannot take that action.');
    expect((await api.world.prisma.license.findUniqueOrThrow({ where: { id: license.id } })).smaEnd).toEqual(addMonthsClamped(license.smaEnd!, 12));
  }, 120_000);

  it('the partner makes the renewal final at once, with a reason (NEC "Process Immediately"): the request completes and a cancel is refused', async () => {
    const p = await api.newPartnerCompany();
    const license = await licenseEnding(p, new Date(Date.now() + 3 * DAY_MS));
    const request = await steps().submit(p, { type: 'SMA_RENEWAL', serials: [license.serial] }, { smaRenewalCoolingOffHours: 1 });
    await approveAsDesk(request.id, request.workflowId);
    await waitForPhase(api.world.client, request.workflowId, 'cooling_off');

    const noReason = await p.asUser(`/api/requests/${request.id}/finalize-renewal`, { method: 'POST', body: { reason: ' ' } });
    expect(noReason.status).toBe(422);
    expect(((await noReason.json()) as { errors: Record<string, string> }).errors.reason).toBe('Say why the renewal must be final now');
    const response = await p.asUser(`/api/requests/${request.id}/finalize-renewal`, { method: 'POST', body: { reason: 'Need to activate SWA immediately' } });
    expect(response.status).toBe(200);
    expect(await api.world.client.workflow.getHandle(request.workflowId).result()).toMatchObject({ outcome: 'completed', serial: license.serial });
    const done = await api.world.prisma.request.findUniqueOrThrow({
      where: { id: request.id },
      include: { historyEvents: { where: { action: 'request_completed' } } },
    });
    expect(done.status).toBe('COMPLETED');
    expect(done.historyEvents[0]).toMatchObject({ actorName: p.user.name, comment: 'Need to activate SWA immediately' });
    const cancel = await p.asUser(`/api/requests/${request.id}/cancel-renewal`, { method: 'POST', body: {} });
    expect(cancel.status).toBe(409);
    expect((await api.world.prisma.license.findUniqueOrThrow({ where: { id: license.id } })).smaEnd).toEqual(addMonthsClamped(license.smaEnd!, 12));
  }, 120_000);

  it('a cancel before the renewal is issued is refused with what to do instead', async () => {
    const p = await api.newPartnerCompany();
    const license = await licenseEnding(p, new Date(Date.now() + 3 * DAY_MS));
    const request = await steps().submit(p, { type: 'SMA_RENEWAL', serials: [license.serial] });
    await waitForPhase(api.world.client, request.workflowId, 'awaiting_decision');
    const response = await p.asUser(`/api/requests/${request.id}/cancel-renewal`, { method: 'POST', body: {} });
    expect(response.status).toBe(409);
    expect(((await response.json()) as { message: string }).message).toBe(
      'The renewal is not issued yet (the request is awaiting decision); cancel the request instead.',
    );
    const cancel = await p.asUser(`/api/requests/${request.id}/cancel`, { method: 'POST', body: {} });
    expect(cancel.status).toBe(200);
  }, 120_000);

  it('POST /api/requests refuses at once, in words, a serial that is unknown, not theirs, without an SMA, or past its grace period', async () => {
    const [p, other] = await Promise.all([api.newPartnerCompany(), api.newPartnerCompany()]);
    const [noSma, lapsed, othersLicense] = await Promise.all([
      licenseEnding(p, null),
      licenseEnding(p, new Date(Date.UTC(2020, 0, 15))),
      licenseEnding(other, new Date(Date.now() + 3 * DAY_MS)),
    ]);
    const refused = async (serials: string[]) => {
      const response = await p.asUser('/api/requests', { method: 'POST', body: { type: 'SMA_RENEWAL', serials, deliveryEmails: [p.deliveryEmail] } });
      const answer = (await response.json()) as { message: string; errors: Record<string, string> };
      expect(response.status, JSON.stringify(answer)).toBe(422);
      return answer.errors.serials;
    };
    expect(await refused(['V8WJNEE89Q6A'])).toBe('No license V8WJNEE89Q6A belongs to your company.');
    expect(await refused([othersLicense.serial])).toBe(`No license ${othersLicense.serial} belongs to your company.`);
    expect(await refused([noSma.serial])).toBe(`License ${noSma.serial} has no SMA to renew; ask the desk to start one.`);
    expect(await refused([lapsed.serial])).toBe(
      `The SMA of license ${lapsed.serial} ended on 2020-01-15, more than 30 days ago (the grace period of ${p.product.name} ended on 2020-02-14), so it can no longer be renewed here. Ask the desk for a reinstatement quote: comment on any request or e-mail the desk.`,
    );
    expect(await refused([])).toBe('Give at least one license serial');
    expect(await api.world.prisma.request.count({ where: { companyId: p.company.id } })).toBe(0);
  }, 120_000);
  it('while a renewal can still be cancelled, an ownership change or a return of its license is refused at once, in words', async () => {
    const [p, other] = await Promise.all([api.newPartnerCompany(), api.newPartnerCompany()]);
    const license = await licenseEnding(p, new Date(Date.now() + 5 * DAY_MS));
    const request = await steps().submit(p, { type: 'SMA_RENEWAL', serials: [license.serial.toLowerCase()] }, { smaRenewalCoolingOffHours: 1 });
    await approveAsDesk(request.id, request.workflowId);
    await waitForPhase(api.world.client, request.workflowId, 'cooling_off');
    const renewal = await api.world.prisma.request.findUniqueOrThrow({ where: { id: request.id } });
    expect(renewal.status).toBe('COOLING_OFF');
    const words = `License ${license.serial} has an SMA renewal (${requestReference(renewal.number)}) that can still be cancelled until ${utcMinute(renewal.coolingOffEndsAt!)}; send this request after that, or make the renewal final first.`;

    const refused = async (body: Record<string, unknown>) => {
      const response = await p.asUser('/api/requests', { method: 'POST', body: { ...body, deliveryEmails: [p.deliveryEmail] } });
      const answer = (await response.json()) as { message: string; errors: Record<string, string> };
      expect(response.status, JSON.stringify(answer)).toBe(422);
      return answer;
    };
    expect(
      await refused({ type: 'OWNERSHIP_CHANGE', serials: [license.serial], currentOwnerCompanyId: p.company.id, newOwnerCompanyId: other.company.id }),
    ).toEqual({
      message: words,
      errors: { serials: words },
    });
    expect(await refused({ type: 'RETURN_CONFIRMATION', serial: license.serial, channels: 2 })).toEqual({ message: words, errors: { serial: words } });
    expect(await api.world.prisma.request.count({ where: { companyId: p.company.id } })).toBe(1);

    // Made final, the license is free again.
    const final = await p.asUser(`/api/requests/${request.id}/finalize-renewal`, { method: 'POST', body: { reason: 'Site sold' } });
    expect(final.status).toBe(200);
    expect(await api.world.client.workflow.getHandle(request.workflowId).result()).toMatchObject({ outcome: 'completed' });
    const change = await p.asUser('/api/requests', {
      method: 'POST',
      body: {
        type: 'OWNERSHIP_CHANGE',
        serials: [license.serial],
        currentOwnerCompanyId: p.company.id,
        newOwnerCompanyId: other.company.id,
        deliveryEmails: [p.deliveryEmail],
      },
    });
    expect(change.status, await change.clone().text()).toBe(201);
  }, 120_000);

  it('a cancel after a license moved to another company or stopped being active (changed behind the checks) puts back only the rest, mails only those, and tells the desk', async () => {
    const [p, other] = await Promise.all([api.newPartnerCompany(), api.newPartnerCompany()]);
    const admin = await api.newDeskUser('DESK_ADMIN');
    const soon = new Date(Date.now() + 5 * DAY_MS);
    const [moved, revoked, kept] = await Promise.all([
      licenseEnding(p, soon, 'c8d9d29aa311'),
      licenseEnding(p, soon, 'c8d9d29aa312'),
      licenseEnding(p, soon, 'c8d9d29aa313'),
    ]);
    const request = await steps().submit(p, { type: 'SMA_RENEWAL', serials: [moved.serial, revoked.serial, kept.serial] }, { smaRenewalCoolingOffHours: 1 });
    await approveAsDesk(request.id, request.workflowId);
    await waitForPhase(api.world.client, request.workflowId, 'cooling_off');
    // What the checks now refuse, done behind them: one license is another company's, one revoked.
    await api.world.prisma.license.update({ where: { id: moved.id }, data: { companyId: other.company.id } });
    await api.world.prisma.license.update({ where: { id: revoked.id }, data: { status: 'REVOKED' } });

    const response = await p.asUser(`/api/requests/${request.id}/cancel-renewal`, { method: 'POST', body: { reason: 'Wrong sites' } });
    expect(response.status, await response.clone().text()).toBe(200);
    expect(await api.world.client.workflow.getHandle(request.workflowId).result()).toEqual({ outcome: 'cancelled', reason: 'Wrong sites' });

    const renewedEnd = addMonthsClamped(soon, 12);
    for (const [license, end, revision] of [
      [moved, renewedEnd, 2],
      [revoked, renewedEnd, 2],
      [kept, soon, 3],
    ] as const) {
      const after = await api.world.prisma.license.findUniqueOrThrow({ where: { id: license.id } });
      expect([license.serial, after.smaEnd, after.currentRevision]).toEqual([license.serial, end, revision]);
    }
    const saved = await api.world.prisma.request.findUniqueOrThrow({ where: { id: request.id }, include: { historyEvents: { orderBy: { id: 'asc' } } } });
    expect(saved.status).toBe('CANCELLED');
    const note = saved.historyEvents.find((e) => e.action === 'renewal_not_reverted');
    expect(note?.changes).toBe(
      `Not put back (the renewal stands for them): ${moved.serial}, which now belongs to another company; ${revoked.serial}, which is revoked`,
    );
    expect(saved.historyEvents.find((e) => e.action === 'renewal_cancelled')?.changes).toBe(`SMA renewal cancelled in its cooling-off period: ${kept.serial}`);
    expect(await outboxKeys(api.world.prisma, request.id)).toEqual(['received', 'sma_renewed', 'escalation:renewal_not_reverted', 'sma_renewal_cancelled']);

    const cancelledMail = (await mailTo(p.deliveryEmail)).filter((m) => m.parsed.subject?.includes('SMA renewal cancelled'));
    expect(cancelledMail).toHaveLength(1);
    expect(cancelledMail[0]!.parsed.attachments).toHaveLength(1);
    const file = await verifyLicenseText(api.world.prisma, attachmentText(cancelledMail[0]!.parsed.attachments[0]!.content));
    expect(file).toMatchObject({ valid: true, grants: { serial: kept.serial, revision: 3 } });
    expect(await mailTo(other.deliveryEmail)).toEqual([]);
    const escalation = (await mailTo(admin.email)).filter((m) => m.parsed.subject?.includes('escalated'));
    expect(escalation).toHaveLength(1);
    expect(escalation[0]!.parsed.text).toContain(moved.serial);
    expect(escalation[0]!.parsed.text).toContain(revoked.serial);
    expect(escalation[0]!.parsed.attachments).toHaveLength(0);
  }, 120_000);

  it('a cancel when no license can be put back ends the request FAILED in words, the renewal standing, and tells the desk', async () => {
    const p = await api.newPartnerCompany();
    const license = await licenseEnding(p, new Date(Date.now() + 5 * DAY_MS));
    const request = await steps().submit(p, { type: 'SMA_RENEWAL', serials: [license.serial] }, { smaRenewalCoolingOffHours: 1 });
    await approveAsDesk(request.id, request.workflowId);
    await waitForPhase(api.world.client, request.workflowId, 'cooling_off');
    await api.world.prisma.license.update({ where: { id: license.id }, data: { status: 'WAITING_CONFIRM' } });

    const response = await p.asUser(`/api/requests/${request.id}/cancel-renewal`, { method: 'POST', body: {} });
    expect(response.status).toBe(200);
    const reason = `The renewal could not be cancelled: license ${license.serial} is waiting confirm. The desk has been told.`;
    expect(await api.world.client.workflow.getHandle(request.workflowId).result()).toEqual({ outcome: 'failed', reason });
    const saved = await api.world.prisma.request.findUniqueOrThrow({ where: { id: request.id }, include: { historyEvents: { orderBy: { id: 'asc' } } } });
    expect(saved.status).toBe('FAILED');
    expect(saved.historyEvents.map((e) => e.action).slice(-2)).toEqual(['renewal_not_reverted', 'request_failed']);
    expect(saved.historyEvents.at(-1)!.comment).toBe(reason);
    expect((await api.world.prisma.license.findUniqueOrThrow({ where: { id: license.id } })).currentRevision).toBe(2);
    expect(await outboxKeys(api.world.prisma, request.id)).toEqual(['received', 'sma_renewed', 'escalation:renewal_not_reverted']);
  }, 120_000);
});
