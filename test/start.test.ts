import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import temporalProto from '@temporalio/proto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { isPortOpen, waitFor } from '../embedded/process.ts';
import { processTree } from '../embedded/process-tree.ts';
import { readCaughtMail } from '../embedded/smtp-catcher.ts';
import { createPrismaClient, type PrismaClient } from '../prisma/client.ts';
import { DEMO_PASSWORD } from '../prisma/demo-data.ts';
import { AnswerLost, approveWhenOpen, submitInstallationOverHttp, tokenPartner, type LoadedRequest, type Partner } from './cluster/support/request-load.ts';
import { accountFor, completedInstallation } from './faults/support/accounting.ts';
import { eventually } from './faults/support/fault-stack.ts';
import { npmStart, npmStartEnvironment, pressCtrlC } from './support/npm-start.ts';
import { balanceOf } from './support/request-harness.ts';

/** Requests in fulfilment when the worker is killed. */
const IN_FLIGHT = 5;
/** Partner clients submitting (and the desk approving every other request) until the power cut. */
const CLIENTS = 3;
/** The power cut comes right after this many approvals answered once the API is back from its crash. */
const CUT_AFTER_APPROVALS = 3;
const STOCK = 10;
/**
 * /api/health's worker window for the run that kills the worker (HEALTH_WORKER_SEEN_WITHIN_SECONDS).
 * With the default 90 s, Temporal still lists the dead worker (seen when its connection dropped)
 * when the new one polls a few seconds later, so a restart never shows as "degraded". 3 s is
 * shorter than the restart (1 s backoff, then the worker bundles its workflows for several
 * seconds), so the gap shows; an idle worker, whose long poll lasts a minute, also reads as gone
 * between its polls with it, which is why production keeps 90 s.
 */
const HEALTH_WINDOW_SECONDS = 3;

/**
 * `npm start` on a fresh data folder: everything up, healthy, seeded; Ctrl-C stops it all. Then,
 * on the same folder, what "runs unattended on one machine" promises (issue 20): the worker and
 * the API killed with SIGKILL are restarted, the requests the worker had in flight complete once,
 * and after a power cut (every process of `npm start` killed at once) a new `npm start` loses no
 * submitted request, completes every approved one and sends no mail twice.
 */
describe('npm start (the embedded default)', () => {
  let dataDir: string;
  let running: ChildProcess | undefined;
  const prismas: PrismaClient[] = [];
  afterAll(async () => {
    if (running?.pid && running.exitCode === null && running.signalCode === null) await gone(powerCut(running.pid));
    for (const prisma of prismas) await prisma.$disconnect().catch(() => {});
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const start = (env: NodeJS.ProcessEnv) => npmStart(env, (child) => (running = child));

  it('starts everything on fresh data, answers health, keeps data across a restart, heals a crashed worker or API, survives a power cut, and stops cleanly', async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'license-desk-start-'));
    const { env, ports, databaseUrl } = await npmStartEnvironment(dataDir);

    const first = await start(env);
    const out = first.output();
    expect(out).toContain(`http://localhost:${ports.API_PORT}`);
    expect(out).toContain(`http://127.0.0.1:${ports.EMBEDDED_TEMPORAL_UI_PORT}/namespaces/license-desk/workflows`);
    expect(out).toContain('desk.admin@license-desk.test');
    expect(out).toContain('admin@tapsan-turva.test');

    const health = await fetch(`http://127.0.0.1:${ports.API_PORT}/api/health`);
    expect(health.status).toBe(200);
    const body = (await health.json()) as { checks: Record<string, { status: string }> };
    expect(Object.fromEntries(Object.entries(body.checks).map(([name, c]) => [name, c.status]))).toEqual({
      database: 'up',
      temporal: 'up',
      smtp: 'up',
      workers: 'up',
    });

    const ui = await fetch(`http://127.0.0.1:${ports.EMBEDDED_TEMPORAL_UI_PORT}/api/v1/namespaces/license-desk`);
    expect(ui.status).toBe(200);

    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    const users = await db.query('SELECT count(*)::int AS n FROM "User"');
    const stocks = await db.query('SELECT count(*)::int AS n FROM "StockBalance" WHERE available > 0');
    await db.query(`INSERT INTO "Company" (id, name, kind, "updatedAt") VALUES (gen_random_uuid(), 'Survives Restart Oy', 'DEALER', now())`);
    await db.end();
    expect(users.rows[0].n).toBe(6);
    expect(stocks.rows[0].n).toBe(8);

    expect(['SIGINT', 'code 0']).toContain(await pressCtrlC(first));
    await expectClosed(ports, 'after Ctrl-C');

    const second = await start({ ...env, HEALTH_WORKER_SEEN_WITHIN_SECONDS: String(HEALTH_WINDOW_SECONDS) });
    const again = new pg.Client({ connectionString: databaseUrl });
    await again.connect();
    const kept = await again.query(`SELECT count(*)::int AS n FROM "Company" WHERE name = 'Survives Restart Oy'`);
    const usersAfter = await again.query('SELECT count(*)::int AS n FROM "User"');
    await again.end();
    expect(kept.rows[0].n).toBe(1);
    expect(usersAfter.rows[0].n).toBe(6);

    // A crashed worker or API is restarted by the supervisor, and the rest keeps running.
    const origin = `http://localhost:${ports.API_PORT}`;
    const api = (p: string, init: RequestInit = {}) =>
      fetch(`http://127.0.0.1:${ports.API_PORT}${p}`, { ...init, headers: { origin, 'content-type': 'application/json', ...init.headers } });
    const loggedIn = await api('/api/auth/login', { method: 'POST', body: JSON.stringify({ email: 'desk.admin@license-desk.test', password: DEMO_PASSWORD }) });
    expect(loggedIn.status).toBe(200);
    const cookie = loggedIn.headers.get('set-cookie')!.split(';')[0]!;
    const [, workerPid, apiPid] = /Worker\s+pid (\d+), task queue .*; the API pid (\d+)/.exec(second.output())!.map(Number);
    const restartedPid = async (part: string, killedAt: number) => {
      const line = await waitFor(
        `the supervisor to restart the ${part}`,
        async () => new RegExp(`\\[supervisor\\] ${part} restarted \\(pid (\\d+)\\)`).exec(second.output()),
        { timeoutMs: 30_000, intervalMs: 100 },
      );
      console.log(`[npm start] the ${part} was restarted ${seconds(Date.now() - killedAt)} after SIGKILL`);
      return Number(line![1]);
    };
    const healthyWith = (workerIdentity: string) =>
      waitFor(
        'health to see the restarted worker',
        async () => {
          const response = await api('/api/health').catch(() => undefined);
          const body = response?.status === 200 ? ((await response.json()) as { checks: { workers: { identities: string[] } } }) : undefined;
          return body?.checks.workers.identities.some((id) => id.startsWith(workerIdentity));
        },
        { timeoutMs: 60_000, intervalMs: 250 },
      );

    const prisma = createPrismaClient(databaseUrl);
    prismas.push(prisma);
    const mail = () => readCaughtMail(path.join(dataDir, 'mail'));

    // 1. The worker dies with SIGKILL while IN_FLIGHT approved requests are in fulfilment: each
    // is signed, and its CONSUME waits on the stock's advisory lock, which the test holds (as in
    // test/faults/worker-crash.test.ts); their "received" mails have gone out.
    const inFlight: LoadedRequest[] = [];
    for (let n = 0; n < IN_FLIGHT; n++) inFlight.push(await submitInstallationOverHttp({ baseUrl: origin, partner: await tokenPartner(prisma, STOCK), n }));
    await eventually('every request open for the desk, its "received" mail sent', async () => {
      const open = await prisma.request.count({ where: { id: { in: inFlight.map((r) => r.id) }, status: 'PENDING_APPROVAL' } });
      const sent = await prisma.outboxEmail.count({ where: { requestId: { in: inFlight.map((r) => r.id) }, status: 'SENT' } });
      return open === IN_FLIGHT && sent === IN_FLIGHT;
    });
    const lockHolder = new pg.Client({ connectionString: databaseUrl });
    await lockHolder.connect();
    for (const { partner } of inFlight)
      await lockHolder.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [`stock:${partner.company.id}:${partner.product.id}`]);
    const healthSeen = watchHealth(`http://127.0.0.1:${ports.API_PORT}/api/health`);
    for (const r of inFlight) await approveWhenOpen({ baseUrl: origin, prisma, id: r.id, deskCookie: cookie });
    await eventually('every approved request signed, its CONSUME held back', async () => {
      const ids = inFlight.map((r) => r.id);
      const signed = await prisma.licenseRevision.count({ where: { requestId: { in: ids } } });
      const consumed = await prisma.stockLedgerEntry.count({ where: { requestId: { in: ids }, kind: 'CONSUME' } });
      return signed === IN_FLIGHT && consumed === 0;
    });

    const workerKilledAt = Date.now();
    process.kill(workerPid!, 'SIGKILL');
    await lockHolder.end();
    const newWorker = await restartedPid('worker', workerKilledAt);
    const workerRestartedAt = Date.now();
    expect(second.output()).toContain('[supervisor] worker exited unexpectedly (signal SIGKILL); restarting it in 1 s (restart 1)');
    await eventually(
      'every in-flight request completed',
      async () => (await prisma.request.count({ where: { id: { in: inFlight.map((r) => r.id) }, status: 'COMPLETED' } })) === IN_FLIGHT,
      60_000,
    );
    const completedAt = Date.now();
    const atKill = (at: number) => `${at < workerKilledAt ? '-' : '+'}${seconds(Math.abs(at - workerKilledAt))}`;
    // Health saw the worker gone, then the new one polling. (Temporal counts the killed worker's
    // dropped connection as its last poll, so health may list it for a moment after the kill.)
    const { lastSeenAt, degradedAt, okAt } = await waitFor(
      'health to list the old worker, then go degraded after the kill, then ok with the new worker',
      async () => healthSeen.degradedThenOk(workerKilledAt, `${workerPid}@`, `${newWorker}@`),
      { timeoutMs: 60_000, intervalMs: 100 },
    );
    await healthSeen.stop();
    console.log(
      `[npm start] worker killed with ${IN_FLIGHT} requests in fulfilment: restarted ${seconds(workerRestartedAt - workerKilledAt)} after the kill; ` +
        `/api/health listed the old worker last at kill${atKill(lastSeenAt)}, was degraded at kill${atKill(degradedAt)} and ok with the new worker at kill${atKill(okAt)}; ` +
        `all ${IN_FLIGHT} completed ${seconds(completedAt - workerRestartedAt)} after the restart`,
    );
    // What brought the killed worker's activities back is the heartbeat timeout (10 s), not the
    // 2-minute start-to-close: the histories hold retries whose last failure is a missed heartbeat
    // (a request whose next activity was not yet running at the kill has none). Wall time alone
    // would flake on a shared machine; it only has to stay under the start-to-close timeout.
    const temporal = await Connection.connect({ address: `127.0.0.1:${ports.EMBEDDED_TEMPORAL_PORT}` });
    const retriedAfterMissedHeartbeat: string[] = [];
    try {
      const client = new Client({ connection: temporal, namespace: 'license-desk' });
      for (const r of inFlight) {
        const history = await client.workflow.getHandle(`request-${r.id}`).fetchHistory();
        const retried = (history.events ?? []).some(
          (e) =>
            (e.activityTaskStartedEventAttributes?.attempt ?? 1) > 1 &&
            e.activityTaskStartedEventAttributes?.lastFailure?.timeoutFailureInfo?.timeoutType ===
              temporalProto.temporal.api.enums.v1.TimeoutType.TIMEOUT_TYPE_HEARTBEAT,
        );
        if (retried) retriedAfterMissedHeartbeat.push(r.id);
      }
    } finally {
      await temporal.close();
    }
    console.log(`[npm start] ${retriedAfterMissedHeartbeat.length} of ${IN_FLIGHT} requests had an activity retried after a missed heartbeat`);
    expect(retriedAfterMissedHeartbeat.length).toBeGreaterThan(0);
    expect(completedAt - workerRestartedAt).toBeLessThan(120_000);
    const caughtAfterKill = await mail();
    for (const r of inFlight) {
      expect({ id: r.id, ...(await accountFor(prisma, caughtAfterKill, r.id)) }).toEqual({ id: r.id, ...completedInstallation(['received', 'approved']) });
      expect(await balanceOf(prisma, r.partner.company.id, r.partner.product.id)).toEqual({ available: STOCK - r.channels, reserved: 0, consumed: r.channels });
    }

    // 2. Partners submit from CLIENTS clients and the desk approves every other request; the API
    // dies with SIGKILL under that load (the clients retry a refused connection), and once it is
    // back and a few more approvals went through, the power goes: every process of npm start
    // stops at once, right after an approval answered, so that request is mid-fulfilment.
    const partners: Partner[] = [];
    const submitted: LoadedRequest[] = [];
    const approved = new Set<string>();
    let answersLost = 0;
    let cutting = false;
    /** When every process of npm start had stopped. */
    let cutAt = 0;
    let cutPids: number[] = [];
    let approvalsBeforeCut = Number.POSITIVE_INFINITY;
    let cutDone!: () => void;
    const cut = new Promise<void>((resolve) => (cutDone = resolve));
    const stopped = () => cutting;
    let next = IN_FLIGHT;
    const partnerClient = async () => {
      try {
        while (!stopped()) {
          const partner = await tokenPartner(prisma, STOCK);
          partners.push(partner);
          // A submission whose answer the API's crash cut off is not sent again (that would make a
          // second request); whether it was made, the checks after the restart find out.
          const request = await submitInstallationOverHttp({ baseUrl: origin, partner, n: next++, resend: false, stopped }).catch((error: unknown) => {
            if (!(error instanceof AnswerLost) || stopped()) throw error;
            answersLost++;
          });
          if (!request) continue;
          submitted.push(request);
          if (submitted.length % 2 === 1) continue;
          await approveWhenOpen({ baseUrl: origin, prisma, id: request.id, deskCookie: cookie, stopped });
          approved.add(request.id);
          if (approved.size >= approvalsBeforeCut && !stopped()) {
            cutting = true;
            cutPids = powerCut(second.child.pid!);
            cutAt = Date.now();
            cutDone();
          }
        }
      } catch (error) {
        if (!stopped()) throw error;
      }
    };
    const clients = Promise.all(Array.from({ length: CLIENTS }, partnerClient));
    clients.catch(() => {});
    await eventually('the clients under way', async () => submitted.length >= CLIENTS);
    const apiKilledAt = Date.now();
    process.kill(apiPid!, 'SIGKILL');
    await restartedPid('api', apiKilledAt);
    await healthyWith(`${newWorker}@`);
    // Sessions live in PostgreSQL: the desk stays logged in across the API's crash.
    expect((await api('/api/auth/me', { headers: { cookie } })).status).toBe(200);
    approvalsBeforeCut = approved.size + CUT_AFTER_APPROVALS;
    await Promise.race([cut, clients.then(() => Promise.reject(new Error('The clients stopped before the power cut')))]);
    await clients;
    await gone(cutPids);
    running = undefined;
    await prisma.$disconnect().catch(() => {});
    await expectClosed(ports, 'after the power cut');

    // 3. npm start again on the same data folder, after the power cut.
    const restartStartedAt = Date.now();
    const third = await start(env);
    const restartSeconds = seconds(Date.now() - restartStartedAt);
    const prismaAfter = createPrismaClient(databaseUrl);
    prismas.push(prismaAfter);
    const requests = await prismaAfter.request.findMany({
      where: { companyId: { in: partners.map((p) => p.company.id) } },
      select: { id: true, companyId: true, status: true },
    });
    // No submitted request is lost: everything a client got 201 for is there...
    expect(submitted.map((r) => r.id).filter((id) => !requests.some((row) => row.id === id))).toEqual([]);
    // ...and every request that exists (also one whose 201 the cut swallowed) goes on: it opens
    // for the desk, which approves it, or it was approved and completes.
    const waitingAtRestart = requests.filter((r) => r.status === 'SUBMITTED' || r.status === 'PENDING_APPROVAL').length;
    for (const request of requests) await approveWhenOpen({ baseUrl: origin, prisma: prismaAfter, id: request.id, deskCookie: cookie });
    const ids = requests.map((r) => r.id);
    await eventually(
      'every request completed after the restart',
      async () => (await prismaAfter.request.count({ where: { id: { in: ids }, status: 'COMPLETED' } })) === ids.length,
      90_000,
    );
    const allCompletedSeconds = seconds(Date.now() - restartStartedAt);

    const caught = await mail();
    for (const request of requests) {
      const account = await accountFor(prismaAfter, caught, request.id);
      // Copies are judged below, per Message-ID.
      expect({ id: request.id, ...account, outbox: account.outbox.map((o) => ({ ...o, copies: Math.min(o.copies, 1) })) }).toEqual({
        id: request.id,
        ...completedInstallation(['received', 'approved']),
      });
      const partner = partners.find((p) => p.company.id === request.companyId)!;
      const channels = (await prismaAfter.stockLedgerEntry.findFirstOrThrow({ where: { requestId: request.id, kind: 'CONSUME' } })).channels;
      // The StockBalance view agrees with the ledger: what was approved is consumed, nothing held.
      expect(await balanceOf(prismaAfter, partner.company.id, partner.product.id)).toEqual({ available: STOCK - channels, reserved: 0, consumed: channels });
    }
    // No mail twice. The one window the outbox documents (services/mail/outbox.ts) is a mail the
    // SMTP server stored just before the cut whose "250 OK" the dead worker never read: it is sent
    // again after the restart, under the same Message-ID. Any other second copy fails.
    const byMessageId = new Map<string, typeof caught>();
    for (const m of caught) byMessageId.set(m.messageId ?? m.id, [...(byMessageId.get(m.messageId ?? m.id) ?? []), m]);
    const twice = [...byMessageId.values()].filter((copies) => copies.length > 1);
    for (const copies of twice) {
      expect(copies.map((m) => m.subject)).toHaveLength(2);
      expect(Date.parse(copies[0]!.receivedAt)).toBeLessThanOrEqual(cutAt);
      expect(Date.parse(copies[1]!.receivedAt)).toBeGreaterThan(restartStartedAt);
    }
    // Requests an API recorded and died before starting (api/requests/lifecycle.ts, startUnstartedRequests).
    const neverStarted = [second.output(), third.output()]
      .flatMap((out) => [...out.matchAll(/Started the workflows of (\d+) request\(s\) recorded but never started/g)])
      .reduce((n, m) => n + Number(m[1]), 0);
    const completedEvents = await prismaAfter.historyEvent.findMany({
      where: { requestId: { in: ids }, action: 'request_completed' },
      select: { requestId: true, occurredAt: true },
    });
    const approvedInFulfilment = completedEvents.filter((e) => approved.has(e.requestId!) && e.occurredAt.getTime() > cutAt).length;
    console.log(
      `[npm start] power cut under load from ${CLIENTS} clients: ${submitted.length} submissions answered 201, ${answersLost} cut off by the API's crash (${requests.length} requests exist), ` +
        `${approved.size} approvals answered, ${approvedInFulfilment} of them still in fulfilment at the cut; ${waitingAtRestart} found waiting for the desk after the restart were approved then; ` +
        `${neverStarted} recorded by an API that died before starting its workflow were started by the API after its restart; ` +
        `npm start up again in ${restartSeconds}, all ${requests.length} completed ${allCompletedSeconds} after it was started; ` +
        `${caught.length} mails caught, ${twice.length} stored before the cut and sent again after it`,
    );

    expect(['SIGINT', 'code 0']).toContain(await pressCtrlC(third));
    running = undefined;
    await expectClosed(ports, 'after Ctrl-C');
  }, 600_000);
});

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

async function expectClosed(ports: Record<string, number>, when: string) {
  for (const [name, port] of Object.entries(ports)) expect(await isPortOpen(port), `${name} ${port} closed ${when}`).toBe(false);
}

/** Samples /api/health every 200 ms, so a test can tell what it answered when. */
function watchHealth(url: string) {
  const samples: Array<{ at: number; status: string; identities: string[] }> = [];
  let watching = true;
  const loop = (async () => {
    while (watching) {
      const response = await fetch(url).catch(() => undefined);
      const body = (await response?.json().catch(() => undefined)) as { status?: string; checks?: { workers?: { identities?: string[] } } } | undefined;
      samples.push({ at: Date.now(), status: body?.status ?? 'no answer', identities: body?.checks?.workers?.identities ?? [] });
      await delay(200);
    }
  })();
  return {
    /**
     * After `since` (a kill) and after health last listed the old worker (`gone`, an identity
     * prefix): when it first answered "degraded", and then "ok" listing the new worker (`back`).
     */
    degradedThenOk(since: number, gone: string, back: string) {
      const lists = (prefix: string) => (s: (typeof samples)[number]) => s.status === 'ok' && s.identities.some((id) => id.startsWith(prefix));
      const lastSeen = samples.filter(lists(gone)).at(-1);
      const degraded = lastSeen && samples.find((s) => s.at > Math.max(since, lastSeen.at) && s.status === 'degraded');
      const ok = degraded && samples.find((s) => s.at > degraded.at && lists(back)(s));
      return ok ? { lastSeenAt: lastSeen.at, degradedAt: degraded.at, okAt: ok.at } : undefined;
    },
    stop: async () => {
      watching = false;
      await loop;
    },
  };
}

/**
 * A power cut: every process of `npm start` under `root` (npm, the supervisor, PostgreSQL and its
 * backends, the Temporal dev server, the worker and the API) stops at once, with SIGSTOP until no
 * new one appears, so that none runs on while the others die; then all get SIGKILL. Synchronous,
 * so nothing of the test runs in between either.
 */
function powerCut(root: number): number[] {
  const signal = (pid: number, name: NodeJS.Signals) => {
    try {
      process.kill(pid, name);
    } catch {
      // already gone
    }
  };
  const frozen = new Set<number>();
  for (let fresh = [root]; fresh.length; fresh = processTree(root).filter((pid) => !frozen.has(pid))) {
    for (const pid of fresh) {
      signal(pid, 'SIGSTOP');
      frozen.add(pid);
    }
  }
  for (const pid of frozen) signal(pid, 'SIGKILL');
  return [...frozen];
}

/**
 * Waits until each process is gone, reaped too: PostgreSQL takes the pid in its lock file for a
 * running server while that process is a zombie, which init reaps a moment after a power cut.
 */
async function gone(pids: number[]) {
  const exists = (pid: number) => {
    try {
      readFileSync(`/proc/${pid}/stat`);
      return true;
    } catch {
      return false;
    }
  };
  await waitFor('every process of npm start to be gone', async () => !pids.some(exists), { timeoutMs: 30_000, intervalMs: 50 });
}
