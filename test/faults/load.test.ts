import { describe, expect, it } from 'vitest';
import { submitRequest } from '../../api/requests/lifecycle.ts';
import type { RequestForm } from '../../domain/request-forms.ts';
import { approveUpdate, cancelUpdate, rejectUpdate } from '../../workflows/messages.ts';
import { newPartner, useRequestWorld, waitForPhase } from '../support/request-harness.ts';

/**
 * Load: many partners submit at once against small stocks, the desk approves, rejects and the
 * partners cancel while the others are still being reserved, and some partners' stock
 * additions land in the middle of it. Afterwards every request is accounted for, by its
 * outcome and by its ledger entries, and no stock balance went below zero at any moment: not
 * in the samples taken during the run, and not at any point of the ledger replayed in order.
 */
const PARTNERS = 10;
const INSTALLATIONS_PER_PARTNER = 6;
const OPENING_STOCK = 6;
const ADDITION_CHANNELS = 3;

type Plan = 'approve' | 'reject' | 'cancel';
interface Submitted {
  partner: Awaited<ReturnType<typeof newPartner>>;
  kind: 'installation' | 'addition';
  channels: number;
  plan: Plan;
  request: Awaited<ReturnType<typeof submitRequest>>;
}

describe('load: many partners against small stocks', () => {
  const world = useRequestWorld({ poolSize: 30 });

  it(`${PARTNERS} partners × ${INSTALLATIONS_PER_PARTNER} installations + 1 stock addition each, all at once: every request accounted for, no balance below zero`, async () => {
    const { prisma, client, worker, desk } = world;
    // A fixed pseudo-random sequence, so a failure can be replayed.
    let seed = 20261122;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;

    const partners = await Promise.all(Array.from({ length: PARTNERS }, () => newPartner(prisma, { stock: OPENING_STOCK })));
    const companyIds = partners.map((p) => p.company.id);
    const jobs: Array<Omit<Submitted, 'request'> & { form: RequestForm }> = [];
    for (const partner of partners) {
      for (let i = 0; i < INSTALLATIONS_PER_PARTNER; i++) {
        const channels = 1 + Math.floor(random() * 3);
        const draw = random();
        const plan: Plan = draw < 0.15 ? 'reject' : draw < 0.25 ? 'cancel' : 'approve';
        jobs.push({
          partner,
          kind: 'installation',
          channels,
          plan,
          form: {
            type: 'NEW_INSTALLATION',
            productId: partner.product.id,
            channels,
            vcaChannels: 0,
            lock: { type: 'MAC', value: `c8d9d29a${(0x1000 + i).toString(16)}` },
            endUserCompany: `Site ${i}`,
            deliveryEmails: [partner.deliveryEmail],
          },
        });
      }
      jobs.push({
        partner,
        kind: 'addition',
        channels: ADDITION_CHANNELS,
        plan: 'approve',
        form: {
          type: 'STOCK_ADDITION',
          productId: partner.product.id,
          channels: ADDITION_CHANNELS,
          orderReference: `PO-${partner.tag}`,
          deliveryEmails: [partner.deliveryEmail],
        },
      });
    }

    // Sample every stock of the run while it goes on.
    let sampling = true;
    const lowest = { available: Number.POSITIVE_INFINITY, reserved: Number.POSITIVE_INFINITY, samples: 0 };
    const sampler = (async () => {
      while (sampling) {
        const [row] = await prisma.$queryRaw<Array<{ available: number | null; reserved: number | null }>>`
          SELECT min(available) AS available, min(reserved) AS reserved FROM "StockBalance" WHERE "companyId" = ANY(${companyIds}::uuid[])`;
        lowest.available = Math.min(lowest.available, row?.available ?? 0);
        lowest.reserved = Math.min(lowest.reserved, row?.reserved ?? 0);
        lowest.samples += 1;
        await new Promise((r) => setTimeout(r, 50));
      }
    })();

    const startedAt = Date.now();
    const submitted: Submitted[] = await Promise.all(
      jobs.map(async ({ form, ...job }) => ({
        ...job,
        request: await submitRequest(
          { prisma, client, taskQueue: worker.taskQueue },
          { companyId: job.partner.company.id, requesterId: job.partner.user.id, form },
        ),
      })),
    );

    // The desk and the partners act as soon as each request waits for them. A request the
    // stock could not cover is refused before that and closes on its own.
    const outcomes = await Promise.all(
      submitted.map(async ({ request, plan, partner }) => {
        const handle = client.workflow.getHandle(request.workflowId);
        for (;;) {
          const { status } = await prisma.request.findUniqueOrThrow({ where: { id: request.id }, select: { status: true } });
          if (status === 'PENDING_APPROVAL') break;
          if (status === 'REJECTED') return handle.result();
          await new Promise((r) => setTimeout(r, 100));
        }
        await waitForPhase(client, request.workflowId, 'awaiting_decision', 60_000);
        if (plan === 'approve') await handle.executeUpdate(approveUpdate, { args: [{ actor: desk }] });
        if (plan === 'reject') await handle.executeUpdate(rejectUpdate, { args: [{ actor: desk, reason: 'Not on the order' }] });
        if (plan === 'cancel') await handle.executeUpdate(cancelUpdate, { args: [{ actor: partner.actor, reason: 'Ordered twice' }] });
        return handle.result();
      }),
    );
    const seconds = (Date.now() - startedAt) / 1000;
    sampling = false;
    await sampler;

    // Every request: its outcome, status and ledger entries agree with what happened to it.
    const accounted = await Promise.all(
      submitted.map(async (s, i) => {
        const entries = await prisma.stockLedgerEntry.findMany({ where: { requestId: s.request.id }, select: { kind: true, channels: true } });
        const row = await prisma.request.findUniqueOrThrow({ where: { id: s.request.id }, select: { status: true, licenseId: true } });
        return {
          kind: s.kind,
          plan: s.plan,
          outcome: outcomes[i]!.outcome,
          status: row.status,
          license: row.licenseId !== null,
          ledger: entries.map((e) => `${e.kind} ${e.channels}`).sort(),
        };
      }),
    );
    const expected = accounted.map((a, i) => {
      const { kind, plan, channels } = submitted[i]!;
      if (kind === 'addition') return { kind, plan, outcome: 'completed', status: 'COMPLETED', license: false, ledger: [`CREDIT ${channels}`] };
      // Refused for stock: nothing reserved, nothing decided.
      if (a.ledger.length === 0) return { kind, plan, outcome: 'rejected', status: 'REJECTED', license: false, ledger: [] };
      if (plan === 'approve')
        return { kind, plan, outcome: 'completed', status: 'COMPLETED', license: true, ledger: [`CONSUME ${channels}`, `RESERVE ${channels}`] };
      return {
        kind,
        plan,
        outcome: plan === 'reject' ? 'rejected' : 'cancelled',
        status: plan === 'reject' ? 'REJECTED' : 'CANCELLED',
        license: false,
        ledger: [`RELEASE ${channels}`, `RESERVE ${channels}`],
      };
    });
    expect(accounted).toEqual(expected);
    const refused = accounted.filter((a) => a.kind === 'installation' && a.ledger.length === 0);
    for (const r of await prisma.request.findMany({
      where: { id: { in: submitted.filter((_, i) => accounted[i]!.kind === 'installation' && accounted[i]!.ledger.length === 0).map((s) => s.request.id) } },
      include: { historyEvents: true },
    })) {
      expect(r.historyEvents.some((e) => /channels? available/.test(e.comment ?? ''))).toBe(true);
    }

    // Every stock: the ledger replayed in its order never dips below zero, and the final
    // balance is the opening stock plus the additions minus what the licenses took.
    for (const partner of partners) {
      const ledger = await prisma.stockLedgerEntry.findMany({
        where: { companyId: partner.company.id, productId: partner.product.id },
        orderBy: { id: 'asc' },
      });
      let available = 0;
      let reserved = 0;
      let minimum = { available: 0, reserved: 0 };
      for (const e of ledger) {
        if (e.kind === 'CREDIT' || e.kind === 'RETURN' || e.kind === 'RELEASE') available += e.channels;
        if (e.kind === 'RESERVE' || e.kind === 'DEBIT') available -= e.channels;
        if (e.kind === 'RESERVE') reserved += e.channels;
        if (e.kind === 'RELEASE' || e.kind === 'CONSUME') reserved -= e.channels;
        minimum = { available: Math.min(minimum.available, available), reserved: Math.min(minimum.reserved, reserved) };
      }
      const licensed = submitted
        .filter((s, i) => s.partner === partner && s.kind === 'installation' && accounted[i]!.outcome === 'completed')
        .reduce((n, s) => n + s.channels, 0);
      const licenses = await prisma.license.findMany({ where: { companyId: partner.company.id }, select: { channels: true } });
      expect({ company: partner.tag, minimum, available, reserved, licensedChannels: licenses.reduce((n, l) => n + l.channels, 0) }).toEqual({
        company: partner.tag,
        minimum: { available: 0, reserved: 0 },
        available: OPENING_STOCK + ADDITION_CHANNELS - licensed,
        reserved: 0,
        licensedChannels: licensed,
      });
    }
    expect(lowest.available).toBeGreaterThanOrEqual(0);
    expect(lowest.reserved).toBeGreaterThanOrEqual(0);

    const count = (f: (a: (typeof accounted)[number]) => boolean) => accounted.filter(f).length;
    console.log(
      `[load] ${submitted.length} requests in ${seconds.toFixed(1)}s: ${count((a) => a.kind === 'installation' && a.outcome === 'completed')} licenses issued, ` +
        `${refused.length} refused for stock, ${count((a) => a.ledger.some((l) => l.startsWith('RELEASE')))} released (rejected or cancelled), ` +
        `${count((a) => a.kind === 'addition')} additions; ${lowest.samples} balance samples, lowest available ${lowest.available}`,
    );
    // The run must exercise the refusal path, or the stocks were not small enough.
    expect(refused.length).toBeGreaterThan(0);
  }, 240_000);
});
