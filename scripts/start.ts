// `npm start`: the whole system on one machine. Starts what is not configured to run elsewhere
// (PostgreSQL, Temporal with its Web UI, an SMTP catcher), migrates, loads the demo data, then
// runs the worker and the API as child processes. Ctrl-C stops everything in reverse order.
import { existsSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import path from 'node:path';
import { releaseEmbeddedPostgresExitHooks } from '../embedded/postgres.ts';
import { waitFor } from '../embedded/process.ts';
import { spawnSupervised, type SupervisedProcess } from '../embedded/supervised-process.ts';
import { startStack, type Stack } from '../embedded/stack.ts';
import { ROOT } from '../embedded/tools.ts';
import { buildWorkflowBundle, workflowCode } from '../worker/workflow-bundle.ts';
import { buildUiIfStale, loadConfigOrExit, localSecret, prepareDatabase, printMailAndLogins, redact, startClock, summaryLine } from './supervisor.ts';

const log = (line: string) => console.log(line);
const elapsed = startClock();
const config = loadConfigOrExit('npm start');

let stack: Stack | undefined;
const children: SupervisedProcess[] = [];
let shuttingDown = false;

async function shutdown(code: number) {
  if (shuttingDown) return;
  shuttingDown = true;
  log('\nStopping License Desk...');
  for (const child of [...children].reverse()) await child.stop();
  await stack?.stop();
  log('Stopped.');
  process.exit(code);
}
releaseEmbeddedPostgresExitHooks();
// `on`, not `once`: tsx relays the terminal's SIGINT, so it can arrive twice.
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

// Every part is restarted when it dies (embedded/restart-loop.ts: 1 s doubling to 30 s): the
// worker and the API, and embedded PostgreSQL and Temporal, which recover from their own data as
// after a power cut. Only when one keeps dying does the supervisor give up and stop everything.
const onGiveUp = (message: string) => {
  if (shuttingDown) return;
  console.error(`\n${message}\n\nShutting License Desk down.`);
  void shutdown(1);
};

try {
  // A given bundle that is not there stops the start here, not each worker in a restart loop.
  if (config.worker.bundlePath) workflowCode(config.worker.bundlePath);
  stack = await startStack(config, { ui: true, persistTemporal: true, log: filterNoise, supervision: { log, onGiveUp, shuttingDown: () => shuttingDown } });
  log(`Services up after ${elapsed()}.`);

  // The workflows bundled once, beside the database's work: a worker the supervisor restarts after a
  // crash then polls again in about a second instead of bundling for several (see worker/workflow-bundle.ts).
  const workflowBundle = config.worker.bundlePath
    ? Promise.resolve(config.worker.bundlePath)
    : buildWorkflowBundle(path.join(config.dataDir, 'workflow-bundle.js'));
  workflowBundle.catch(() => {}); // awaited (and so reported) below, once the database is ready
  await prepareDatabase(stack.databaseUrl, log, elapsed);

  await buildUiIfStale(log, elapsed);

  const env = {
    ...process.env,
    DATABASE_URL: stack.databaseUrl,
    TEMPORAL_ADDRESS: stack.temporalAddress,
    TEMPORAL_NAMESPACE: config.temporal.namespace,
    SMTP_URL: stack.smtpUrl,
    WORKFLOW_BUNDLE_PATH: await workflowBundle,
    SIGNING_KEY_SECRET: config.signing.secret ?? (await localSecret(path.join(config.dataDir, 'secrets', 'signing-key-secret'))),
  };
  // `node --import tsx` rather than the tsx CLI, whose signal relay can kill a child that is
  // still shutting down gracefully.
  const node = (file: string) => [process.execPath, ['--import', 'tsx', path.join(ROOT, file)]] as const;
  let workerReady!: () => void;
  const workerReadyLine = new Promise<void>((resolve) => (workerReady = resolve));
  const workerLog = (line: string) => {
    if (line.includes('Worker ready')) workerReady();
    log(line);
  };
  const worker = spawnSupervised('worker', ...node('worker/main.ts'), { env, log: workerLog, onGiveUp, shuttingDown: () => shuttingDown });
  const api = spawnSupervised('api', ...node('api/main.ts'), { env, log, onGiveUp, shuttingDown: () => shuttingDown });
  children.push(worker, api);

  const apiHost = config.api.host === '0.0.0.0' || config.api.host === '::' ? '127.0.0.1' : config.api.host;
  const healthUrl = `http://${apiHost}:${config.api.port}/api/health`;
  const health = await waitFor(
    'the API to report healthy',
    async () => {
      const response = await fetch(healthUrl);
      return response.ok ? ((await response.json()) as { checks: Record<string, { version?: string }> }) : undefined;
    },
    { timeoutMs: 90_000, intervalMs: 300 },
  );

  await Promise.race([workerReadyLine, delay(120_000).then(() => Promise.reject(new Error('The worker did not start polling within 120s.')))]);

  const uiBuilt = existsSync(path.join(ROOT, 'admin-ui', 'dist', 'index.html'));
  const line = summaryLine(log);
  log(`\nLicense Desk is up (healthy after ${elapsed()}).\n`);
  line('API', config.api.publicUrl);
  line('Health', healthUrl);
  line('Worker', `pid ${worker.pid}, task queue ${config.temporal.taskQueue}; the API pid ${api.pid}; both restarted if they crash`);
  line('Back office / portal', uiBuilt ? config.api.publicUrl : 'not built yet');
  line('PostgreSQL', `${redact(stack.databaseUrl)} (${health.checks.database?.version ?? '?'})`);
  line('Temporal', `${stack.temporalAddress}, namespace ${config.temporal.namespace} (${health.checks.temporal?.version ?? '?'})`);
  if (stack.temporalUiUrl) line('Temporal Web UI', `${stack.temporalUiUrl}/namespaces/${config.temporal.namespace}/workflows`);
  printMailAndLogins(log, stack.smtpUrl, stack.mailDir);
} catch (error) {
  console.error(`\nStart-up failed: ${error instanceof Error ? error.message : String(error)}`);
  await shutdown(1);
}

// Postgres logs every checkpoint, and Temporal's internal workers complain while it stops; keep
// the console for what a person needs.
function filterNoise(line: string) {
  if (/\[postgres\].*(checkpoint|LOG:)/.test(line)) return;
  if (shuttingDown && line.startsWith('[temporal]')) return;
  log(line);
}
