import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import pg from 'pg';
import { TOPOLOGY, type TemporalService } from '../config/topology.ts';
import { registerSearchAttributes } from './search-attributes.ts';
import { ensureTemporalServer, ensureTemporalUiServer } from './tools.ts';
import { GiveUp, isPortOpen, spawnManaged, waitFor, type ManagedProcess } from './process.ts';

const run = promisify(execFile);

/** Where Temporal keeps its data: a PostgreSQL server reached with a role that may create databases. */
export interface PostgresTarget {
  host: string;
  port: number;
  user: string;
  password: string;
}

/**
 * Temporal's ports must be below this: it stores its services' membership and gRPC ports in a
 * SMALLINT column (cluster_membership.rpc_port), and a service given a higher one crashes at start.
 */
export const TEMPORAL_PORT_LIMIT = 32_768;

/** Every port the cluster's Temporal processes listen on (all bound to 127.0.0.1). */
export interface TemporalPorts {
  frontend: number;
  frontendHttp: number;
  history: number;
  matching: number;
  worker: number;
  /** ringpop membership, one per service */
  membership: Record<TemporalService, number>;
  /** Prometheus metrics, one per service */
  metrics: Record<TemporalService, number>;
  ui?: number;
}

export function postgresTarget(databaseUrl: string): PostgresTarget {
  const url = new URL(databaseUrl);
  return { host: url.hostname, port: Number(url.port || 5432), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
}

/**
 * Creates Temporal's two databases and brings their schemas to the release's version with
 * Temporal's own `temporal-sql-tool`, as its auto-setup image does: create-database, then
 * setup-schema -v 0.0 (the version tables), then update-schema from the versioned folder. Each
 * step is skipped when already done, so it is safe on every start and for a newer release.
 */
export async function setupTemporalSchema(
  target: PostgresTarget,
  databases: { default: string; visibility: string },
  log: (line: string) => void = () => {},
  tools?: Awaited<ReturnType<typeof ensureTemporalServer>>,
) {
  tools ??= await ensureTemporalServer(log);
  const common = ['--plugin', TOPOLOGY.temporal.persistence, '--ep', target.host, '-p', String(target.port), '-u', target.user, '--pw', target.password];
  const sqlTool = async (database: string, args: string[]) => {
    await run(tools.sqlTool, [...common, '--db', database, ...args], { maxBuffer: 16 * 1024 * 1024 }).catch((error: Error & { stderr?: string }) => {
      throw new Error(`temporal-sql-tool ${args[0]} on ${database} failed: ${error.stderr ?? error.message}`);
    });
  };
  const admin = new pg.Client({ ...target, database: 'postgres' });
  await admin.connect();
  try {
    for (const [kind, database] of [
      ['temporal', databases.default],
      ['visibility', databases.visibility],
    ] as const) {
      const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])).rowCount === 1;
      if (!exists) await sqlTool(database, ['create-database']);
      const inDb = new pg.Client({ ...target, database });
      await inDb.connect();
      const versioned = await inDb.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'schema_version'").finally(() => inDb.end());
      if (versioned.rowCount === 0) await sqlTool(database, ['setup-schema', '-v', '0.0']);
      await sqlTool(database, ['update-schema', '-d', path.join(tools.schemaDir, kind, 'versioned')]);
      log(`[temporal-schema] ${database}: ${exists ? 'brought up to date' : 'created'}`);
    }
  } finally {
    await admin.end();
  }
}

/**
 * The server configuration a real deployment writes: PostgreSQL persistence for history and
 * visibility, ringpop membership, one gRPC and membership port per service, Prometheus metrics.
 * All four processes read this one file; each takes its metrics address from the environment
 * (the file is a template), since that is the only line in which they differ.
 */
export function temporalServerConfig(options: {
  target: PostgresTarget;
  databases: { default: string; visibility: string };
  ports: TemporalPorts;
  dynamicConfigFile: string;
  logLevel?: string;
}) {
  const { target, databases, ports } = options;
  const sql = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: TOPOLOGY.temporal.persistence,
      databaseName,
      connectAddr: `${target.host}:${target.port}`,
      connectProtocol: 'tcp',
      user: target.user,
      password: target.password,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const service = (grpcPort: number, membershipPort: number, extra: object = {}) => ({ rpc: { grpcPort, membershipPort, bindOnLocalHost: true, ...extra } });
  return {
    log: { stdout: true, level: options.logLevel ?? 'warn' },
    persistence: {
      defaultStore: 'default',
      visibilityStore: 'visibility',
      numHistoryShards: TOPOLOGY.temporal.numHistoryShards,
      datastores: { default: sql(databases.default, 10), visibility: sql(databases.visibility, 4) },
    },
    global: {
      membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' },
      metrics: { prometheus: { framework: 'tally', timerType: 'histogram', listenAddress: '{{ env `TEMPORAL_METRICS_ADDRESS` }}' } },
    },
    services: {
      frontend: service(ports.frontend, ports.membership.frontend, { httpPort: ports.frontendHttp }),
      history: service(ports.history, ports.membership.history),
      matching: service(ports.matching, ports.membership.matching),
      worker: service(ports.worker, ports.membership.worker),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: { active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: `127.0.0.1:${ports.frontend}` } },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } },
    namespaceDefaults: { archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } } },
    dynamicConfigClient: { filepath: options.dynamicConfigFile, pollInterval: '10s' },
  };
}

/** Dynamic configuration: what License Desk relies on, stated rather than left to defaults. */
const DYNAMIC_CONFIG = `# Written by embedded/temporal-cluster.ts for npm run cluster.
limit.maxIDLength:
  - value: 255
# The desk's decisions are workflow updates.
frontend.enableUpdateWorkflowExecution:
  - value: true
history.hostLevelCacheMaxSize:
  - value: 8192
`;

export interface TemporalCluster {
  address: string;
  namespace: string;
  uiUrl?: string;
  services: Record<TemporalService, ManagedProcess>;
  /** Stops one service with SIGKILL, as a crash would. */
  kill(service: TemporalService): Promise<void>;
  /** Starts a service again (after kill), and waits until the cluster answers through it. */
  restart(service: TemporalService): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs the Temporal server as a real deployment does, one process per service (history,
 * matching, frontend, internal worker) on PostgreSQL, registers the namespace and the request
 * workflows' search attributes, and optionally runs the Web UI server beside it.
 */
export async function startTemporalCluster(options: {
  target: PostgresTarget;
  databases?: { default: string; visibility: string };
  ports: TemporalPorts;
  configDir: string;
  namespace?: string;
  log?: (line: string) => void;
  onUnexpectedExit?: (service: string) => void;
}): Promise<TemporalCluster> {
  const log = options.log ?? (() => {});
  const databases = options.databases ?? TOPOLOGY.temporal.databases;
  const namespace = options.namespace ?? TOPOLOGY.namespace;
  const { ports } = options;
  for (const port of [ports.frontend, ports.history, ports.matching, ports.worker, ...Object.values(ports.membership)]) {
    if (port >= TEMPORAL_PORT_LIMIT)
      throw new Error(
        `Port ${port} is too high for Temporal, which keeps its services' ports in a SMALLINT: choose a Temporal port below ${TEMPORAL_PORT_LIMIT}.`,
      );
    if (await isPortOpen(port)) throw new Error(`Port ${port} is taken, so the Temporal cluster cannot start there.`);
  }
  const tools = await ensureTemporalServer(log);
  await setupTemporalSchema(options.target, databases, log, tools);

  await mkdir(options.configDir, { recursive: true });
  const dynamicConfigFile = path.join(options.configDir, 'dynamicconfig.yaml');
  await writeFile(dynamicConfigFile, DYNAMIC_CONFIG);
  const config = temporalServerConfig({ target: options.target, databases, ports, dynamicConfigFile });
  // "enable-template" in a comment turns on the server's Go templating for this file.
  await writeFile(path.join(options.configDir, 'cluster.yaml'), `# enable-template\n${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });

  const services = {} as Record<TemporalService, ManagedProcess>;
  const spawnService = (service: TemporalService) => {
    services[service] = spawnManaged(
      `temporal-${service}`,
      tools.server,
      ['--root', options.configDir, '--config', '.', '--env', 'cluster', '--allow-no-auth', 'start', '--service', service],
      {
        env: { ...process.env, TEMPORAL_METRICS_ADDRESS: `127.0.0.1:${ports.metrics[service]}` },
        log,
        onUnexpectedExit: (code, signal) => {
          log(`[temporal-${service}] exited unexpectedly (${signal ?? `code ${code}`})`);
          options.onUnexpectedExit?.(`temporal-${service}`);
        },
      },
    );
  };
  const address = `127.0.0.1:${ports.frontend}`;
  const stopAll = async () => {
    for (const service of [...TOPOLOGY.temporal.services].reverse()) await services[service]?.stop();
  };

  try {
    const exited = () => {
      for (const service of TOPOLOGY.temporal.services) {
        const child = services[service]?.child;
        if (child && child.exitCode !== null) throw new GiveUp(`temporal-${service} exited with code ${child.exitCode} (see its output above)`);
      }
    };
    // On a fresh database every service writes the cluster metadata record when it starts, and
    // all but the first then fail on its version ("SaveClusterMetadata encountered version
    // mismatch") and exit. So the first service starts alone, and the rest once it has joined
    // the membership ring, which it does only after the metadata is written.
    const [first, ...rest] = TOPOLOGY.temporal.services;
    spawnService(first);
    await waitFor(
      `temporal-${first} to join the membership ring`,
      async () => {
        exited();
        return isPortOpen(ports.membership[first]);
      },
      { timeoutMs: 120_000, intervalMs: 100 },
    );
    for (const service of rest) spawnService(service);
    await registerNamespace(address, namespace, exited);
    await registerSearchAttributes({ address, namespace, log });
    log(`[temporal] cluster up at ${address}, namespace ${namespace}`);
  } catch (error) {
    await stopAll();
    throw error;
  }

  return {
    address,
    namespace,
    services,
    kill: (service) => services[service].kill(),
    async restart(service) {
      spawnService(service);
      await waitForNamespaceReady(address, namespace);
    },
    stop: stopAll,
  };
}

/** Registers the namespace once the frontend answers, and waits until it can take work. */
async function registerNamespace(address: string, namespace: string, check: () => void) {
  await waitFor(
    `the Temporal frontend on ${address} to register namespace ${namespace}`,
    async () => {
      check();
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.describeNamespace({ namespace }).catch(async (error: { code?: number }) => {
          if (error.code !== 5) throw error; // 5 = NOT_FOUND
          await connection.workflowService
            .registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs(TOPOLOGY.temporal.retentionDays * 24 * 3600 * 1000) })
            .catch((e: { code?: number }) => {
              if (e.code !== 6) throw e; // 6 = ALREADY_EXISTS: another starter won the race
            });
        });
        return true;
      } finally {
        await connection.close();
      }
    },
    { timeoutMs: 120_000, intervalMs: 500 },
  );
  await waitForNamespaceReady(address, namespace, check);
}

/**
 * A namespace is readable in the database at once, but each frontend and history host learns
 * of it through its namespace cache; describing a task queue goes through that cache.
 */
async function waitForNamespaceReady(address: string, namespace: string, check: () => void = () => {}) {
  await waitFor(
    `namespace ${namespace} to be served at ${address}`,
    async () => {
      check();
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.describeTaskQueue({ namespace, taskQueue: { name: TOPOLOGY.taskQueue }, taskQueueType: 1 });
        return true;
      } finally {
        await connection.close();
      }
    },
    { timeoutMs: 120_000, intervalMs: 500 },
  );
}

/** Temporal's Web UI server, built from the Go module (its assets are embedded). */
export async function startTemporalUi(options: {
  frontend: string;
  port: number;
  namespace?: string;
  configDir: string;
  log?: (line: string) => void;
  onUnexpectedExit?: () => void;
}) {
  const log = options.log ?? (() => {});
  const binary = await ensureTemporalUiServer(log);
  await mkdir(options.configDir, { recursive: true });
  const config = {
    temporalGrpcAddress: options.frontend,
    host: '127.0.0.1',
    port: options.port,
    enableUi: true,
    defaultNamespace: options.namespace ?? TOPOLOGY.namespace,
    cors: { cookieInsecure: true, allowOrigins: [] },
    hideLogs: true,
  };
  await writeFile(path.join(options.configDir, 'cluster.yaml'), `${JSON.stringify(config, null, 2)}\n`);
  const child = spawnManaged('temporal-ui', binary, ['--root', options.configDir, '--config', '.', '--env', 'cluster', 'start'], {
    log,
    onUnexpectedExit: () => {
      log('[temporal-ui] exited unexpectedly');
      options.onUnexpectedExit?.();
    },
  });
  const url = `http://127.0.0.1:${options.port}`;
  await waitFor(
    `the Temporal Web UI on ${url}`,
    async () => {
      if (child.child.exitCode !== null) throw new GiveUp(`the UI server exited with code ${child.child.exitCode}`);
      return (await fetch(url)).ok;
    },
    { timeoutMs: 30_000, intervalMs: 300 },
  );
  return { url, process: child, stop: () => child.stop() };
}
