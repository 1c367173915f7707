// `npm run bench`: builds its own data on a fresh embedded stack, measures each figure beside its
// baseline in the same run, prints one table and how it measured, and removes what it started.
// See bench/README.md. BENCH_LICENSES (default 1000000) sizes the license and history data sets;
// BENCH_ONLY=signing,list,export,submission,e2e,cluster,firstload runs some of the measurements (default: all).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import { migrateDatabase } from '../embedded/migrate.ts';
import { releaseEmbeddedPostgresExitHooks } from '../embedded/postgres.ts';
import { freePort } from '../embedded/process.ts';
import { configOnFreePorts, startStack, type Stack } from '../embedded/stack.ts';
import { ensureTemporalCli, ensureTemporalServer } from '../embedded/tools.ts';
import { freeClusterPorts, startCluster } from '../embedded/cluster.ts';
import { TOPOLOGY } from '../config/topology.ts';
import { createPrismaClient, type PrismaClient } from '../prisma/client.ts';
import { createBaseData, createExpansionPartners, createHistoryEvents, createLicenses, sessionCookie, settle, type BaseData } from './data-sets.ts';
import {
  anatomyOf,
  measureAutoApprovedRequests,
  measureNoopWorkflows,
  E2E_SECONDS,
  NOOP_SECONDS,
  WARMUP_SECONDS,
  type WorkflowAnatomy,
} from './measure-end-to-end.ts';
import { cpuTotal } from './cpu.ts';
import { measureExport } from './measure-export.ts';
import { LIST_CONNECTIONS, LIST_SECONDS, measureLicenseList } from './measure-license-list.ts';
import { measureSigning, SIGNING_SECONDS } from './measure-signing.ts';
import { launchChromium } from '../embedded/chromium.ts';
import { FAST_3G, FIRST_LOAD_RUNS, measureFirstLoad, type LoadFigures } from './measure-first-load.ts';
import { ensureUiBuilt } from '../scripts/ui-build.ts';
import { BASELINE_REQUESTS_PER_CLIENT, measureSubmission, SUBMISSIONS_PER_CLIENT } from './measure-submission.ts';
import { startNodeChild, stopAll, type Child } from './processes.ts';
import type { LoadResult } from './load.ts';
import { formatTable, ms, perSecond, times, type BenchLine } from './table.ts';

const LICENSES = Number(process.env.BENCH_LICENSES ?? 1_000_000);
const MEASUREMENTS = ['firstload', 'e2e', 'cluster', 'submission', 'list', 'export', 'signing'] as const;
type Measurement = (typeof MEASUREMENTS)[number];
const ONLY = new Set(
  (process.env.BENCH_ONLY ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);
const wants = (measurement: Measurement) => ONLY.size === 0 || ONLY.has(measurement);
const E2E_CLIENTS = 16;
const GOALS = {
  requestVsNoop: 0.3,
  submissionP99Ms: 50,
  listP99Ms: 100,
  exportSeconds: 60,
  exportRssMB: 300,
  signingVsRaw: 0.8,
  loginFormMs: 3000,
  initialJsKB: 350,
};
/** The API logs every request (hono/logger) as in production; the lines are dropped here. */
const ACCESS_LOG = /\] (<--|-->) /;

const startedAt = performance.now();
const elapsed = () => `${((performance.now() - startedAt) / 1000).toFixed(0).padStart(4)}s`;
const progress = (line: string) => console.log(`[${elapsed()}] ${line}`);
const count = (n: number) => n.toLocaleString('en-US');
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
/** "p50 / p99", with the failures said; a run with no answer at all says so. */
const latencies = (r: LoadResult, extra = '') =>
  r.requests === 0 ? 'no answer' : `${ms(r.p50)} / ${ms(r.p99)}${extra}${r.failures ? `, ${count(r.failures)} failed` : ''}`;
const healthy = (r: LoadResult) => r.requests > 0 && r.failures === 0;
const fixed1 = (n: number) => n.toFixed(1);
/** Per request: ordinary activities, local activities, workflow tasks (from `anatomyOf`). */
const stepCounts = (a: WorkflowAnatomy) =>
  `${fixed1(a.activities)} activities, ${fixed1(a.localActivities)} local activities, ${fixed1(a.workflowTasks)} workflow tasks`;
/** How many times each local activity type ran per request, most first; "none" when none did. */
const localTypes = (a: WorkflowAnatomy) => a.localActivityTypes.map((t) => `${t.name} ${fixed1(t.perWorkflow)}`).join(', ') || 'none';
/** Per request: activities queued + ran, workflow tasks queued + ran, of the whole. Local activities run inside workflow tasks. */
const stepTimes = (a: WorkflowAnatomy) =>
  `activities ${ms(a.activityQueuedMs)} + ${ms(a.activityRunMs)}, workflow tasks ${ms(a.workflowTaskQueuedMs)} + ${ms(a.workflowTaskRunMs)}, of ${ms(a.totalMs)}`;

/** What every section needs: the stack, its clients, the base data and the children's environment. */
interface Bench {
  stack: Stack;
  namespace: string;
  db: pg.Client;
  prisma: PrismaClient;
  secret: string;
  env: NodeJS.ProcessEnv;
  base: BaseData;
  cookies: { desk: string; distributor: string; dealer: string };
  dataDir: string;
  /** The table's lines, per measurement; printed in MEASUREMENTS order. */
  lines: Record<Measurement, BenchLine[]>;
}

let stack: Stack | undefined;
let dataDir: string | undefined;
let db: pg.Client | undefined;
let prisma: PrismaClient | undefined;
let temporal: Connection | undefined;
let cleaning: Promise<void> | undefined;

function cleanUp() {
  cleaning ??= (async () => {
    await stopAll();
    await temporal?.close().catch(() => {});
    await prisma?.$disconnect().catch(() => {});
    await db?.end().catch(() => {});
    await stack?.stop().catch(() => {});
    if (dataDir) await rm(dataDir, { recursive: true, force: true }).catch(() => {});
  })();
  return cleaning;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    progress(`${signal}: stopping what the benchmark started...`);
    void cleanUp().then(() => process.exit(130));
  });
}

/** The real API (api/main.ts) on a free port, with `extra` environment. */
async function startApi(bench: Bench, extra: NodeJS.ProcessEnv): Promise<Child & { url: string; env: NodeJS.ProcessEnv }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = { ...bench.env, API_HOST: '127.0.0.1', API_PORT: String(port), PUBLIC_URL: url, ...extra };
  const api = await startNodeChild({ name: 'api', file: 'api/main.ts', env, ready: /API listening on/, quiet: ACCESS_LOG });
  return { ...api, url, env };
}

async function startBareServer(bench: Bench) {
  const port = await freePort();
  await startNodeChild({ name: 'bare', file: 'bench/bare-server.ts', env: { ...bench.env, BENCH_PORT: String(port) }, ready: /bare server listening/ });
  return `http://127.0.0.1:${port}`;
}

async function signingSection({ prisma, secret, lines: { signing: lines } }: Bench) {
  progress(`signing: ${SIGNING_SECONDS}s each for signLicense, signLicense with a cached signer, and node:crypto...`);
  const signing = await measureSigning(prisma, secret);
  lines.push({
    measurement: 'Signing a license file (signLicense)',
    figure: perSecond(signing.app, 'ops'),
    baseline: `${perSecond(signing.raw, 'ops')} raw Ed25519`,
    ratio: times(signing.app / signing.raw),
    goal: `≥ ${GOALS.signingVsRaw}× raw`,
    met: signing.app / signing.raw >= GOALS.signingVsRaw,
  });
  lines.push({
    measurement: '  same, signer fetched once (no key lookup)',
    figure: perSecond(signing.appCachedSigner, 'ops'),
    baseline: `${perSecond(signing.raw, 'ops')} raw Ed25519`,
    ratio: times(signing.appCachedSigner / signing.raw),
  });
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
const seconds = (msValue: number) => `${(msValue / 1000).toFixed(2)} s`;
const loadFigure = (l: LoadFigures) => `${seconds(l.formMs)} (${l.jsFiles} JS file${l.jsFiles === 1 ? '' : 's'}, ${kb(l.jsBytes)})`;

/**
 * The login page on Fast 3G in Chromium: the UI as built now (route-level chunks, brotli/gzip
 * precompressed, immutable assets), served by api/main.ts, against the same sources built as one
 * bundle with no precompressed files, served as before (bench/ui-server.ts).
 */
async function firstLoadSection(bench: Bench) {
  progress('first load: building the UI (admin-ui/dist) and the one-bundle baseline...');
  const singleDir = path.join(bench.dataDir, 'ui-single-bundle');
  await ensureUiBuilt();
  await ensureUiBuilt({ outDir: singleDir, env: { LICENSE_DESK_UI_SINGLE_BUNDLE: '1' } });
  const api = await startApi(bench, {});
  const port = await freePort();
  await startNodeChild({
    name: 'ui-baseline',
    file: 'bench/ui-server.ts',
    env: { ...bench.env, BENCH_PORT: String(port), BENCH_UI_DIR: singleDir },
    ready: /ui server listening/,
  });
  const baselineUrl = `http://127.0.0.1:${port}`;
  const browser = await launchChromium();
  try {
    progress(`first load: ${FIRST_LOAD_RUNS} loads each of ${baselineUrl}/#/login (one bundle) and ${api.url}/#/login (split, compressed) on Fast 3G...`);
    const before = await measureFirstLoad(browser, baselineUrl);
    const after = await measureFirstLoad(browser, api.url);
    progress(
      `first load: one bundle ${loadFigure(before.cold)}, ${kb(before.cold.totalBytes)} in all; split and compressed ${loadFigure(after.cold)}, ${kb(after.cold.totalBytes)} in all; ` +
        `repeat visit ${loadFigure(before.repeat)} vs ${loadFigure(after.repeat)}; load ${load()}`,
    );
    bench.lines.firstload.push(
      {
        measurement: 'Login page on Fast 3G, first visit: time to the form',
        figure: loadFigure(after.cold),
        baseline: `${loadFigure(before.cold)} one bundle, uncompressed`,
        ratio: times(after.cold.formMs / before.cold.formMs),
        goal: `≤ ${GOALS.loginFormMs / 1000} s`,
        met: after.cold.formMs <= GOALS.loginFormMs,
      },
      {
        measurement: 'Login page, initial JavaScript as transferred',
        figure: kb(after.cold.jsBytes),
        baseline: `${kb(before.cold.jsBytes)} one bundle, uncompressed`,
        ratio: times(after.cold.jsBytes / before.cold.jsBytes),
        goal: `≤ ${GOALS.initialJsKB} KB`,
        met: after.cold.jsBytes <= GOALS.initialJsKB * 1024,
      },
      {
        measurement: 'Login page on Fast 3G, repeat visit (warm cache)',
        figure: `${loadFigure(after.repeat)}, ${kb(after.repeat.totalBytes)} in all`,
        baseline: `${loadFigure(before.repeat)}, ${kb(before.repeat.totalBytes)} in all`,
        ratio: times(after.repeat.formMs / before.repeat.formMs),
      },
    );
  } finally {
    await browser.close();
    await stopAll();
  }
}

async function buildLargeDataSets({ db }: Bench) {
  let step = performance.now();
  const took = () => `${((performance.now() - step) / 1000).toFixed(0)} s`;
  progress(`data: ${count(LICENSES)} licenses (INSERT … SELECT FROM generate_series)...`);
  await createLicenses(db, LICENSES);
  progress(`data: licenses in ${took()}; ${count(LICENSES)} history events, one per license...`);
  step = performance.now();
  await createHistoryEvents(db);
  progress(`data: history in ${took()}; VACUUM ANALYZE...`);
  step = performance.now();
  await settle(db);
  progress(`data: settled in ${took()}`);
}

async function listSection(bench: Bench, apiUrl: string, bareUrl: string) {
  const { db, base, cookies } = bench;
  const lines = bench.lines.list;
  const distributorCompanyId = (await db.query<{ id: string }>(`SELECT "companyId" AS id FROM "User" WHERE id = $1`, [base.distributorUserId])).rows[0]!.id;
  const lists = await measureLicenseList({ db, apiUrl, bareUrl, cookies, distributorCompanyId, progress });
  for (const list of lists) {
    lines.push({
      measurement: `License list p50/p99: ${list.label} (${count(list.total)})`,
      figure: latencies(list.app),
      baseline: `${latencies(list.baseline)} SQL by hand`,
      ratio: times(list.app.p99 / list.baseline.p99),
      goal: `p99 ≤ ${GOALS.listP99Ms} ms`,
      met: healthy(list.app) && list.app.p99 <= GOALS.listP99Ms,
    });
  }
}

async function exportSection(bench: Bench, apiUrl: string) {
  const { cookies, env, dataDir } = bench;
  const lines = bench.lines.export;
  const report = await fetch(`${apiUrl}/api/reports/licenses?range=${encodeURIComponent('[0,0]')}`, { headers: { cookie: cookies.desk } });
  const reportTotal = Number(report.headers.get('content-range')?.split('/').pop());
  progress(`export: the license report holds ${count(reportTotal)} rows`);
  const exported = await measureExport({ env, dir: dataDir, deskCookie: cookies.desk, progress });
  if (exported.raw.rows !== reportTotal) throw new Error(`The raw export wrote ${exported.raw.rows} rows; the report has ${reportTotal}.`);
  lines.push({
    measurement: `Excel export of ${count(reportTotal)} history rows: time`,
    figure: `${exported.app.seconds.toFixed(1)} s`,
    baseline: `${exported.raw.seconds.toFixed(1)} s raw exceljs`,
    ratio: times(exported.app.seconds / exported.raw.seconds),
    goal: `≤ ${GOALS.exportSeconds} s`,
    met: exported.app.seconds <= GOALS.exportSeconds,
  });
  const peakMB = exported.app.peakRssMiB * 1.048576;
  const mb = (mib: number) => Math.round(mib * 1.048576);
  lines.push({
    measurement: `Excel export of ${count(reportTotal)} history rows: peak RSS`,
    figure: `${Math.round(peakMB)} MB (${mb(exported.app.loadedRssMiB)} loaded)`,
    baseline: `${mb(exported.raw.peakRssMiB)} MB (${mb(exported.raw.loadedRssMiB)} loaded) raw exceljs`,
    ratio: times(exported.app.peakRssMiB / exported.raw.peakRssMiB),
    goal: `≤ ${GOALS.exportRssMB} MB`,
    met: peakMB <= GOALS.exportRssMB,
  });
}

async function submissionSection(bench: Bench, apiUrl: string, bareUrl: string) {
  const connection = await Connection.connect({ address: bench.stack.temporalAddress });
  const client = new Client({ connection, namespace: bench.namespace });
  const submissions = await measureSubmission({
    apiUrl,
    bareUrl,
    client,
    cookie: bench.cookies.dealer,
    productId: bench.base.productIds[0]!,
    progress,
  }).finally(() => connection.close());
  for (const s of submissions) {
    const starts = `${latencies(s.starts, ` (${count(Math.round(s.starts.rps))} starts/s)`)} bare client.workflow.start`;
    bench.lines.submission.push({
      measurement: `Request submission p50/p99, ${s.clients} clients`,
      figure: latencies(s.app, ` (${count(Math.round(s.app.rps))} req/s)`),
      baseline: `${latencies(s.baseline, ` (${count(Math.round(s.baseline.rps))} req/s)`)} bare Hono`,
      ratio: times(s.app.p99 / s.baseline.p99),
      goal: s.clients === 200 ? `p99 ≤ ${GOALS.submissionP99Ms} ms` : undefined,
      met: s.clients === 200 ? healthy(s.app) && s.app.p99 <= GOALS.submissionP99Ms : undefined,
    });
    bench.lines.submission.push(
      {
        measurement: `  same, p99 vs bare workflow starts, ${s.clients} clients`,
        figure: latencies(s.app),
        baseline: starts,
        ratio: times(s.app.p99 / s.starts.p99),
      },
      {
        measurement: `  same, throughput vs bare workflow starts, ${s.clients} clients`,
        figure: perSecond(s.app.rps, 'req'),
        baseline: `${perSecond(s.starts.rps, 'starts')} bare client.workflow.start`,
        ratio: times(s.app.rps / s.starts.rps),
      },
    );
    if (s.app.failures || s.baseline.failures || s.starts.failures)
      progress(
        `submission at ${s.clients} clients: ${s.app.failures} API failures, ${s.baseline.failures} bare Hono failures, ${s.starts.failures} failed workflow starts`,
      );
  }
}

/** "worker 157 ms, Temporal 32 ms, … = 265 ms": CPU per item by kind of process, and the sum. */
function cpuLine(cpu: Array<{ label: string; ms: number }>): string {
  return `${cpu.map((c) => `${c.label} ${ms(c.ms)}`).join(', ')} = ${ms(cpuTotal(cpu))}`;
}

async function endToEndSection(bench: Bench) {
  progress(`end-to-end: ${E2E_CLIENTS} partners, each with a stock and a license; starting worker/main.ts, the API and the no-op worker...`);
  const partners = await createExpansionPartners(bench.db, bench.prisma, E2E_CLIENTS);
  const queue = { TEMPORAL_TASK_QUEUE: 'bench-requests', AUTO_APPROVE_EXPANSION_MAX_CHANNELS: '5' };
  await startNodeChild({ name: 'worker', file: 'worker/main.ts', env: { ...bench.env, ...queue }, ready: /Worker ready/ });
  const api = await startApi(bench, queue);
  await startNodeChild({
    name: 'noop-worker',
    file: 'bench/noop-worker.ts',
    env: { ...bench.env, TEMPORAL_TASK_QUEUE: 'bench-noop' },
    ready: /noop worker ready/,
  });
  temporal = await Connection.connect({ address: bench.stack.temporalAddress });
  const client = new Client({ connection: temporal, namespace: bench.namespace });
  const e2e = await measureAutoApprovedRequests({ apiUrl: api.url, client, partners, progress });
  const anatomy = await anatomyOf(client, e2e.workflowIds.slice(-20));
  progress(
    `end-to-end: ${e2e.completed} requests completed (${e2e.failures} did not). Per request (last ${anatomy.workflows}): ${stepCounts(anatomy)} ` +
      `(${fixed1(anatomy.retries)} activity retries; local: ${localTypes(anatomy)}); ${ms(anatomy.totalMs)} in all, of which activities ` +
      `queued ${ms(anatomy.activityQueuedMs)} and ran ${ms(anatomy.activityRunMs)}, workflow tasks queued ${ms(anatomy.workflowTaskQueuedMs)} and ran ${ms(anatomy.workflowTaskRunMs)}; ` +
      `slowest activities: ${anatomy.activityTypes
        .slice(0, 4)
        .map((a) => `${a.name} ${ms(a.runMs)}`)
        .join(', ')}`,
  );
  progress(`end-to-end: no-op workflows ${NOOP_SECONDS}s...`);
  const noop = await measureNoopWorkflows({ client, taskQueue: 'bench-noop', slots: E2E_CLIENTS });
  const noopAnatomy = await anatomyOf(client, noop.workflowIds.slice(-20));
  progress(
    `end-to-end: no-op workflows: ${noop.completed} completed; per workflow (last ${noopAnatomy.workflows}): ${stepCounts(noopAnatomy)}; ${stepTimes(noopAnatomy)}`,
  );
  bench.lines.e2e.push({
    measurement: `Auto-approved request, end to end, ${E2E_CLIENTS} clients`,
    figure: `${perSecond(e2e.perSecond, 'req')} (p50 ${ms(e2e.p50 * 1000)})`,
    baseline: `${perSecond(noop.perSecond, 'wf')} (p50 ${ms(noop.p50 * 1000)}) no-op workflow`,
    ratio: times(e2e.perSecond / noop.perSecond),
    goal: `≥ ${GOALS.requestVsNoop}× no-op`,
    met: e2e.perSecond / noop.perSecond >= GOALS.requestVsNoop && e2e.failures === 0,
  });
  bench.lines.e2e.push(
    {
      measurement: `  per request (last ${anatomy.workflows}): activities, local activities, workflow tasks`,
      figure: stepCounts(anatomy),
      baseline: `${stepCounts(noopAnatomy)} no-op workflow`,
    },
    { measurement: '  local activities per request, by type', figure: localTypes(anatomy), baseline: localTypes(noopAnatomy) },
    { measurement: '  per request: time queued + ran', figure: stepTimes(anatomy), baseline: `${stepTimes(noopAnatomy)} no-op workflow` },
  );
  if (e2e.cpu && noop.cpu) {
    const budget = (os.cpus().length * 1000) / (GOALS.requestVsNoop * noop.perSecond);
    bench.lines.e2e.push(
      { measurement: '  CPU per request, by process (all cores)', figure: cpuLine(e2e.cpu), baseline: `${cpuLine(noop.cpu)} no-op workflow` },
      {
        measurement: `  CPU per request vs the most the goal leaves (${os.cpus().length} CPUs × 1000 ÷ (${GOALS.requestVsNoop} × no-op rate))`,
        figure: ms(cpuTotal(e2e.cpu)),
        baseline: `${ms(budget)} at ${perSecond(GOALS.requestVsNoop * noop.perSecond, 'req')}`,
        ratio: times(cpuTotal(e2e.cpu) / budget),
      },
    );
  }
  await stopAll();
}

/**
 * The end-to-end loop on the production-shaped cluster (embedded/cluster.ts: Temporal as four
 * processes on this PostgreSQL, two API replicas behind the balancer), first with one worker,
 * then with three. The ratio says whether more workers buy throughput on this machine.
 */
async function clusterSection(bench: Bench) {
  progress(
    `cluster: starting Temporal ${TOPOLOGY.temporal.version} as ${TOPOLOGY.temporal.services.length} processes, ${TOPOLOGY.apiReplicas} API replicas and ${TOPOLOGY.workers} workers...`,
  );
  await ensureTemporalServer(progress);
  const cluster = await startCluster({
    databaseUrl: bench.stack.databaseUrl,
    smtpUrl: bench.stack.smtpUrl,
    signingKeySecret: bench.secret,
    dataDir: path.join(bench.dataDir, 'cluster'),
    ports: await freeClusterPorts(),
    env: { AUTO_APPROVE_EXPANSION_MAX_CHANNELS: '5', LOG_LEVEL: 'warn' },
    log: (line) => (/error|fatal/i.test(line) ? progress(line) : undefined),
  });
  try {
    const connection = await Connection.connect({ address: cluster.temporal.address });
    const client = new Client({ connection, namespace: cluster.temporal.namespace });
    const run = async (workers: number) => {
      for (const [i, worker] of cluster.workers.entries()) {
        if (i < workers && !worker.running) await worker.start();
        if (i >= workers && worker.running) await worker.stop();
      }
      const partners = await createExpansionPartners(bench.db, bench.prisma, E2E_CLIENTS, `CLUSTER${workers}`);
      progress(`cluster: ${workers} worker(s), ${E2E_CLIENTS} clients through the balancer...`);
      const result = await measureAutoApprovedRequests({ apiUrl: cluster.balancerUrl, client, partners, progress });
      const anatomy = await anatomyOf(client, result.workflowIds.slice(-20));
      progress(
        `cluster: ${workers} worker(s): ${result.completed} completed (${result.failures} did not), ${perSecond(result.perSecond, 'req')}, p50 ${ms(result.p50 * 1000)}; ` +
          `per request ${stepCounts(anatomy)} (local: ${localTypes(anatomy)}), activities queued ${ms(anatomy.activityQueuedMs)} and ran ${ms(anatomy.activityRunMs)}, workflow tasks queued ${ms(anatomy.workflowTaskQueuedMs)} ` +
          `and ran ${ms(anatomy.workflowTaskRunMs)}; slowest activities: ${anatomy.activityTypes
            .slice(0, 3)
            .map((a) => `${a.name} ${ms(a.runMs)}`)
            .join(', ')}; load ${load()}`,
      );
      return { ...result, anatomy };
    };
    const single = await run(1);
    const three = await run(TOPOLOGY.workers);
    bench.lines.cluster.push({
      measurement: `Auto-approved request on the cluster, ${TOPOLOGY.workers} workers vs 1, ${E2E_CLIENTS} clients, ${os.cpus().length} CPUs`,
      figure: `${perSecond(three.perSecond, 'req')} (p50 ${ms(three.p50 * 1000)})`,
      baseline: `${perSecond(single.perSecond, 'req')} (p50 ${ms(single.p50 * 1000)}) with 1 worker`,
      ratio: times(three.perSecond / single.perSecond),
    });
    bench.lines.cluster.push(
      {
        measurement: `  per request (last ${three.anatomy.workflows}): activities, local activities, workflow tasks`,
        figure: stepCounts(three.anatomy),
        baseline: `${stepCounts(single.anatomy)} with 1 worker`,
      },
      { measurement: '  local activities per request, by type', figure: localTypes(three.anatomy), baseline: localTypes(single.anatomy) },
      { measurement: '  per request: time queued + ran', figure: stepTimes(three.anatomy), baseline: `${stepTimes(single.anatomy)} with 1 worker` },
    );
    const served = cluster.balanced();
    progress(`cluster: connections per API replica ${Object.values(served).join(' / ')}`);
    await connection.close();
  } finally {
    await cluster.stop();
  }
}

const HOW_MEASURED = `How it measured (details in bench/README.md). Every server ran in its own process on this machine, the load
generator in this one; the machine is shared, so read the load averages above.
- End to end: ${E2E_CLIENTS} clients in a closed loop for ${E2E_SECONDS}s (after ${WARMUP_SECONDS}s warm-up), each POSTing a 1-channel expansion of its
  own license to api/main.ts and awaiting the workflow's result from worker/main.ts (AUTO_APPROVE_EXPANSION_MAX_CHANNELS=5):
  reserve, auto-approve, signed revision, stock consumed, 2 e-mails. Baseline: the same clients executing a workflow that
  does nothing (bench/workflows/noop.ts, its own worker process) on the same Temporal dev server, ${NOOP_SECONDS}s.
- Cluster: the same loop through the balancer of the production-shaped cluster (embedded/cluster.ts: Temporal
  ${TOPOLOGY.temporal.version} as four processes on the same PostgreSQL, ${TOPOLOGY.apiReplicas} API replicas), first with 1 worker, then with ${TOPOLOGY.workers}, each on
  fresh partners. Baseline: the 1-worker run. On a machine with few cores the ratio shows where the design serialises.
- End-to-end and cluster anatomy: read from the last 20 workflow histories, per request: activity tasks scheduled,
  local activity markers (by activity type), completed workflow tasks, and the time queued and running; local
  activities run inside a workflow task, so their time is in the workflow tasks' running time.
- Submission: autocannon, ${SUBMISSIONS_PER_CLIENT} requests per client, every one awaited (after 1 each as warm-up): POST /api/requests
  (a new installation) with a partner's session cookie. No worker polls that task queue, so the API alone is measured
  (session, CSRF, zod, the Request row, the workflow start). Baselines: a Hono route without middleware that parses the
  same JSON and answers 201 (${BASELINE_REQUESTS_PER_CLIENT} requests per client after 5 as warm-up); and bare client.workflow.start from this
  process, as many clients, ${SUBMISSIONS_PER_CLIENT} starts each after 1 (fresh workflowId, a type and task queue nobody polls, no memo or search
  attributes), so the API's ratio to it is what it adds to the one Temporal call it must make.
- License list: autocannon, ${LIST_CONNECTIONS} clients, ${LIST_SECONDS}s after 2s warm-up, GET /api/licenses range [0,24] sorted by createdAt DESC
  over ${count(LICENSES)} licenses. Baseline: the same page and total written by hand in SQL (pg pool) behind a bare Hono route.
- Export: GET /api/reports/licenses.xlsx (desk, no filter) in a fresh process, streamed to a file; peak RSS is that
  process's maxRSS ("loaded": its maxRSS with the code loaded and the database connected, before exporting).
  Baseline: a fresh process reading the same rows with plain pg (keyset, same batch size) and writing them with
  exceljs's streaming WorkbookWriter, same columns and options.
- Signing: sequential calls for ${SIGNING_SECONDS}s each: signLicense (validate, encode, active key from PostgreSQL, sign) against
  node:crypto sign(null, bytes, ed25519Key) over the same bytes.
- First load: Chromium opens /#/login in a fresh context under DevTools' Fast 3G (${FAST_3G.downloadThroughput / 1000} kB/s down, ${FAST_3G.latency} ms latency;
  CDP Network.emulateNetworkConditions), ${FIRST_LOAD_RUNS} times, median: the time from navigation start to the password field, and
  the JavaScript received until then (encoded bytes, KB = 1024 bytes); then again in the same context (repeat visit).
  Figure: admin-ui/dist as built (route-level chunks, precompressed brotli/gzip) served by api/main.ts. Baseline: the
  same sources built as one bundle without precompressed files (LICENSE_DESK_UI_SINGLE_BUNDLE=1), served by the same
  app the way it was before (bench/ui-server.ts: plain serveStatic, no Cache-Control, no ETag).
- Ratio: figure ÷ baseline. For req/s and ops/s higher is better; for latencies, seconds and MB lower is better.`;

async function main() {
  progress(`License Desk benchmarks: ${os.cpus().length} CPUs, Node ${process.version}, ${count(LICENSES)} licenses and history rows; load average ${load()}`);
  await ensureTemporalCli(progress);
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'license-desk-bench-'));
  const config = await configOnFreePorts(dataDir, 'production');
  releaseEmbeddedPostgresExitHooks();
  stack = await startStack(config, { ui: false, persistTemporal: false });
  await migrateDatabase(stack.databaseUrl);
  const postgresVersion = stack.parts.find((p) => p.name === 'postgres')?.version ?? '?';
  progress(`embedded PostgreSQL ${postgresVersion}, Temporal dev server (in memory) and SMTP catcher up and migrated; data in ${dataDir}`);

  db = new pg.Client({ connectionString: stack.databaseUrl });
  await db.connect();
  prisma = createPrismaClient(stack.databaseUrl);
  const secret = randomBytes(32).toString('base64');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DATABASE_URL: stack.databaseUrl,
    TEMPORAL_ADDRESS: stack.temporalAddress,
    TEMPORAL_NAMESPACE: config.temporal.namespace,
    SMTP_URL: stack.smtpUrl,
    SIGNING_KEY_SECRET: secret,
  };
  const base = await createBaseData(db);
  const cookies = {
    desk: await sessionCookie(prisma, base.deskUserId),
    distributor: await sessionCookie(prisma, base.distributorUserId),
    dealer: await sessionCookie(prisma, base.dealerUserId),
  };
  const bench: Bench = {
    stack,
    namespace: config.temporal.namespace,
    db,
    prisma,
    secret,
    env,
    base,
    cookies,
    dataDir,
    lines: { firstload: [], e2e: [], cluster: [], submission: [], list: [], export: [], signing: [] },
  };

  // Signing first, before any load; the end-to-end run last, on the full database.
  if (wants('signing')) await signingSection(bench);
  if (wants('firstload')) await firstLoadSection(bench);
  if (wants('list') || wants('export')) await buildLargeDataSets(bench);
  if (wants('list') || wants('export') || wants('submission')) {
    // No worker polls this API's task queue: submissions start workflows that wait.
    const api = await startApi(bench, { TEMPORAL_TASK_QUEUE: 'bench-submissions' });
    const bareUrl = await startBareServer(bench);
    progress(`API (api/main.ts) on ${api.url} and the bare Hono baseline on ${bareUrl} are up`);
    if (wants('list')) await listSection(bench, api.url, bareUrl);
    if (wants('export')) await exportSection(bench, api.url);
    if (wants('submission')) await submissionSection(bench, api.url, bareUrl);
    await stopAll();
  }
  if (wants('e2e')) await endToEndSection(bench);
  if (wants('cluster')) await clusterSection(bench);

  const lines = MEASUREMENTS.flatMap((m) => bench.lines[m]);
  const cpu = os.cpus()[0]?.model.trim() ?? '';
  console.log(`\nLicense Desk benchmarks: ${os.cpus().length} × ${cpu}, Node ${process.version}, PostgreSQL ${postgresVersion}, Temporal dev server;`);
  console.log(`${((performance.now() - startedAt) / 60_000).toFixed(1)} min; load average (1/5/15 min) at the end ${load()}\n`);
  console.log(formatTable(lines));
  console.log(`\n${HOW_MEASURED}`);
}

try {
  await main();
} finally {
  progress('stopping the processes and removing the temporary data...');
  await cleanUp();
  progress('done');
}
