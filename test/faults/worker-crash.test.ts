import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveUpdate } from '../../workflows/messages.ts';
import { balanceOf, newPartner, waitForPhase } from '../support/request-harness.ts';
import { accountFor, completedInstallation, submitInstallation, type Partner } from './support/accounting.ts';
import { eventually, startFaultStack, type FaultStack } from './support/fault-stack.ts';

/**
 * The worker dies with SIGKILL while requests are at the three hard points of a fulfilment, then
 * a new worker starts. Nothing of the dead worker's in-flight work may be lost or done twice.
 *
 * One kill catches four requests at once:
 * - `reserved`: killed the moment its RESERVE entry is in the ledger (the reservation activity
 *   may not even have reported back);
 * - `signed`: approved; its license revision is signed and stored, and the CONSUME is held back
 *   by the test holding the stock's advisory lock;
 * - `mailing`: approved; its license e-mail is in the middle of the SMTP exchange, the SMTP
 *   gate holding the message body after DATA;
 * - `acceptedUnacknowledged`: approved; the SMTP server stored its license e-mail, and the gate
 *   holds the server's "250 OK", so the worker dies not knowing the mail went out.
 *
 * Recovery is bounded by the activities' heartbeat timeout (10 seconds; every activity heartbeats
 * while it runs, worker/activity-heartbeat.ts): that is when Temporal counts the dead worker's
 * activities lost and retries them on the new one. Before heartbeats it was the 2-minute
 * start-to-close timeout, and this test took over two minutes.
 */
describe('worker killed with SIGKILL mid-fulfilment', () => {
  let stack: FaultStack;
  beforeAll(async () => {
    stack = await startFaultStack({ name: 'worker-crash' });
    await stack.worker.start();
  }, 120_000);
  afterAll(() => stack?.stop(), 60_000);

  const approve = (workflowId: string) =>
    stack.client.workflow.getHandle(workflowId).executeUpdate(approveUpdate, { args: [{ actor: stack.desk, comment: 'ok' }] });
  const outboxRow = (requestId: string, mail: string) => stack.prisma.outboxEmail.findUnique({ where: { idempotencyKey: `${requestId}:${mail}` } });

  it('completes every request after a restart, with one consume per request and each e-mail delivered once', async () => {
    const { prisma, client, gate } = stack;
    const partners: Record<'reserved' | 'signed' | 'mailing' | 'acceptedUnacknowledged', Partner> = {
      reserved: await newPartner(prisma, { stock: 10 }),
      signed: await newPartner(prisma, { stock: 10 }),
      mailing: await newPartner(prisma, { stock: 10 }),
      acceptedUnacknowledged: await newPartner(prisma, { stock: 10 }),
    };
    const channels = { reserved: 3, signed: 4, mailing: 5, acceptedUnacknowledged: 6 };

    // Three requests wait for the desk, their reservations made and "received" mails sent.
    const signed = await submitInstallation(stack, partners.signed, channels.signed);
    const mailing = await submitInstallation(stack, partners.mailing, channels.mailing);
    const unacknowledged = await submitInstallation(stack, partners.acceptedUnacknowledged, channels.acceptedUnacknowledged);
    for (const r of [signed, mailing, unacknowledged]) {
      await waitForPhase(client, r.workflowId, 'awaiting_decision');
      await eventually(`the received mail of ${r.id}`, async () => (await outboxRow(r.id, 'received'))?.status === 'SENT');
    }

    // `signed`: hold the stock's lock (the ledger's own advisory lock), so the CONSUME waits.
    const lockHolder = new pg.Client({ connectionString: stack.databaseUrl });
    await lockHolder.connect();
    const stockKey = `stock:${partners.signed.company.id}:${partners.signed.product.id}`;
    await lockHolder.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [stockKey]);
    // `mailing` and `acceptedUnacknowledged`: the gate hangs their next session.
    gate.hold(partners.mailing.deliveryEmail, 'body');
    gate.hold(partners.acceptedUnacknowledged.deliveryEmail, 'reply');
    for (const r of [signed, mailing, unacknowledged]) await approve(r.workflowId);

    await eventually('the signed revision of `signed`, its CONSUME held back', async () => {
      const revisions = await prisma.licenseRevision.count({ where: { license: { companyId: partners.signed.company.id } } });
      const consumed = await prisma.stockLedgerEntry.count({ where: { requestId: signed.id, kind: 'CONSUME' } });
      return revisions === 1 && consumed === 0;
    });
    await eventually(
      'the license mail of `mailing` hanging after DATA',
      async () => gate.held(partners.mailing.deliveryEmail) === 1 && (await outboxRow(mailing.id, 'approved'))?.status === 'PENDING',
    );
    await eventually('the license mail of `acceptedUnacknowledged` stored but unacknowledged', async () => {
      const stored = (await stack.caught()).filter((m) => m.envelopeTo.includes(partners.acceptedUnacknowledged.deliveryEmail)).length;
      return (
        gate.held(partners.acceptedUnacknowledged.deliveryEmail) === 1 && stored === 2 && (await outboxRow(unacknowledged.id, 'approved'))?.status === 'PENDING'
      );
    });

    // `reserved`: kill the worker the moment the reservation is in the ledger.
    const reserved = await submitInstallation(stack, partners.reserved, channels.reserved);
    await waitFor10ms(async () => (await prisma.stockLedgerEntry.count({ where: { requestId: reserved.id, kind: 'RESERVE' } })) === 1);
    await stack.worker.kill();

    // Nothing moved on after the kill: the held steps did not complete behind our back.
    expect(await prisma.stockLedgerEntry.count({ where: { requestId: signed.id, kind: 'CONSUME' } })).toBe(0);
    expect((await outboxRow(mailing.id, 'approved'))?.status).toBe('PENDING');

    await lockHolder.end();
    gate.clearHolds();
    await stack.worker.start();
    const restartedAt = Date.now();

    await waitForPhase(client, reserved.workflowId, 'awaiting_decision', 60_000);
    await approve(reserved.workflowId);
    const outcomes = await Promise.all([reserved, signed, mailing, unacknowledged].map((r) => client.workflow.getHandle(r.workflowId).result()));
    const recoverySeconds = (Date.now() - restartedAt) / 1000;
    console.log(`[worker-crash] all four requests completed ${recoverySeconds.toFixed(1)}s after the new worker was ready`);
    // A heartbeat timeout and a retry, not the start-to-close timeout: loose enough not to flake on
    // a busy machine, far below the 120 s the dead worker's activities took before.
    expect(recoverySeconds).toBeLessThan(60);
    expect(outcomes.map((o) => o.outcome)).toEqual(['completed', 'completed', 'completed', 'completed']);

    const caught = await stack.caught();
    for (const [name, request] of [
      ['reserved', reserved],
      ['signed', signed],
      ['mailing', mailing],
    ] as const) {
      expect({ name, ...(await accountFor(prisma, caught, request.id)) }).toEqual({ name, ...completedInstallation(['received', 'approved']) });
      expect(await balanceOf(prisma, partners[name].company.id, partners[name].product.id)).toEqual({
        available: 10 - channels[name],
        reserved: 0,
        consumed: channels[name],
      });
    }

    // The one window the outbox documents (services/mail/outbox.ts): the server took the
    // message, the sender died before it knew. The retry sends it again, under the same
    // Message-ID, so there is one delivery as far as Message-ID de-duplication goes.
    const acct = await accountFor(prisma, caught, unacknowledged.id);
    expect({ ...acct, outbox: acct.outbox.map((o) => ({ ...o, copies: Math.min(o.copies, 1) })) }).toEqual(completedInstallation(['received', 'approved']));
    const copies = acct.outbox.find((o) => o.mail === 'approved')!.copies;
    console.log(`[worker-crash] the unacknowledged license mail reached the SMTP server ${copies} time(s), all under one Message-ID`);
    expect(await balanceOf(prisma, partners.acceptedUnacknowledged.company.id, partners.acceptedUnacknowledged.product.id)).toEqual({
      available: 10 - channels.acceptedUnacknowledged,
      reserved: 0,
      consumed: channels.acceptedUnacknowledged,
    });
  }, 240_000);
});

async function waitFor10ms(probe: () => Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('Timed out waiting for the kill point');
    await new Promise((r) => setTimeout(r, 10));
  }
}
