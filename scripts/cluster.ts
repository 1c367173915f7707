// `npm run cluster`: the production-shaped topology (config/topology.ts) on one machine, without
// Docker. PostgreSQL (embedded, or DATABASE_URL) holds the app's and Temporal's databases; the
// Temporal server runs as four processes (history, matching, frontend, internal worker) set up
// with its own schema tool, with its Web UI; two API replicas sit behind a balancer and three
// workers poll the task queue; SMTP goes to the catcher, or SMTP_URL. Ctrl-C stops everything.
import path from 'node:path';
import { TOPOLOGY } from '../config/topology.ts';
import { defaultClusterPorts, startCluster, type Cluster } from '../embedded/cluster.ts';
import { releaseEmbeddedPostgresExitHooks, startEmbeddedPostgres } from '../embedded/postgres.ts';
import { startSmtpCatcher } from '../embedded/smtp-catcher.ts';
import { buildUiIfStale, loadConfigOrExit, localSecret, prepareDatabase, printMailAndLogins, redact, startClock, summaryLine } from './supervisor.ts';

const log = (line: string) => console.log(line);
const elapsed = startClock();
const config = loadConfigOrExit('npm run cluster', (c) =>
  c.temporal.address ? ['TEMPORAL_ADDRESS is set, but npm run cluster runs its own Temporal cluster: unset it (npm start uses it)'] : [],
);

const dataDir = path.join(config.dataDir, 'cluster');
const stops: Array<() => Promise<void>> = [];
let cluster: Cluster | undefined;
let shuttingDown = false;

async function shutdown(code: number) {
  if (shuttingDown) return;
  shuttingDown = true;
  log('\nStopping the cluster...');
  for (const stop of [...stops].reverse()) await stop().catch((error: unknown) => log(`  ${String(error)}`));
  log('Stopped.');
  process.exit(code);
}
releaseEmbeddedPostgresExitHooks();
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

const onUnexpectedExit = (name: string) => {
  if (!shuttingDown && cluster) {
    console.error(`${name} stopped unexpectedly; shutting the cluster down.`);
    void shutdown(1);
  }
};

// Temporal's services log warnings while the others join, and while they stop; keep the console
// for what a person needs.
function filterNoise(line: string) {
  if (/\[postgres\].*(checkpoint|LOG:)/.test(line)) return;
  if ((shuttingDown || !cluster) && /^\[temporal-/.test(line)) return;
  log(line);
}

try {
  let databaseUrl = config.database.url;
  let postgresVersion = '';
  if (!databaseUrl) {
    const db = await startEmbeddedPostgres({
      dataDir: path.join(dataDir, 'postgres'),
      port: config.database.embeddedPort,
      log: filterNoise,
      onUnexpectedExit: () => onUnexpectedExit('postgres'),
    });
    stops.push(() => db.stop());
    databaseUrl = db.url;
    postgresVersion = db.version;
  }
  let smtpUrl = config.smtp.url;
  let mailDir: string | undefined;
  if (!smtpUrl) {
    mailDir = path.join(dataDir, 'mail');
    const smtp = await startSmtpCatcher({ dir: mailDir, port: config.smtp.embeddedPort, log: filterNoise });
    stops.push(() => smtp.stop());
    smtpUrl = smtp.url;
  }
  log(`PostgreSQL and SMTP up after ${elapsed()}.`);

  await prepareDatabase(databaseUrl, log, elapsed);
  await buildUiIfStale(log, elapsed);

  const ports = defaultClusterPorts(config.api.port, config.temporal.embeddedPort, config.temporal.embeddedUiPort);
  log(
    `Starting Temporal ${TOPOLOGY.temporal.version} (${TOPOLOGY.temporal.services.join(', ')}), ${TOPOLOGY.apiReplicas} API replicas and ${TOPOLOGY.workers} workers...`,
  );
  cluster = await startCluster({
    databaseUrl,
    smtpUrl,
    signingKeySecret: config.signing.secret ?? (await localSecret(path.join(dataDir, 'secrets', 'signing-key-secret'))),
    dataDir,
    ports,
    ui: true,
    env: {
      LOG_LEVEL: config.logLevel,
      MAIL_FROM: config.smtp.from,
      PUBLIC_URL: config.api.publicUrl,
      ...(config.worker.bundlePath ? { WORKFLOW_BUNDLE_PATH: config.worker.bundlePath } : {}),
    },
    log: filterNoise,
    onUnexpectedExit,
  });
  stops.push(() => cluster!.stop());

  const line = summaryLine(log);
  const t = ports.temporal;
  log(`\nLicense Desk cluster is up after ${elapsed()}.\n`);
  line('API (balanced)', `${config.api.publicUrl} -> ${cluster.apiUrls.join(', ')}`);
  line('Back office / portal', config.api.publicUrl);
  for (const [i, worker] of cluster.workers.entries()) line(`Worker ${i + 1}`, `pid ${worker.pid}, health http://127.0.0.1:${ports.workerHealth[i]}/health`);
  line(
    'PostgreSQL',
    `${redact(databaseUrl)}${postgresVersion ? ` (${postgresVersion})` : ''}; Temporal in ${TOPOLOGY.temporal.databases.default}, ${TOPOLOGY.temporal.databases.visibility}`,
  );
  line('Temporal frontend', `${cluster.temporal.address} (gRPC), http://127.0.0.1:${t.frontendHttp} (HTTP), namespace ${cluster.temporal.namespace}`);
  for (const service of TOPOLOGY.temporal.services) {
    const grpc = service === 'frontend' ? t.frontend : t[service];
    line(
      `Temporal ${service}`,
      `pid ${cluster.temporal.services[service].child.pid}, gRPC ${grpc}, membership ${t.membership[service]}, metrics http://127.0.0.1:${t.metrics[service]}/metrics`,
    );
  }
  line('Temporal Web UI', cluster.temporalUiUrl ? `${cluster.temporalUiUrl}/namespaces/${cluster.temporal.namespace}/workflows` : 'not started');
  printMailAndLogins(log, smtpUrl, mailDir);
} catch (error) {
  console.error(`\nStart-up failed: ${error instanceof Error ? error.message : String(error)}`);
  await shutdown(1);
}
