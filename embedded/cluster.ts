import path from 'node:path';
import { TOPOLOGY, type TemporalService } from '../config/topology.ts';
import { startBalancer } from './balancer.ts';
import { freePort, freePortBelow, spawnManaged, waitFor, type ManagedProcess } from './process.ts';
import { postgresTarget, startTemporalCluster, TEMPORAL_PORT_LIMIT, startTemporalUi, type TemporalCluster, type TemporalPorts } from './temporal-cluster.ts';
import { ROOT } from './tools.ts';
import { buildWorkflowBundle, workflowCode } from '../worker/workflow-bundle.ts';

/** The ports of one cluster: Temporal's, the balancer's, each API replica's and each worker's health port. */
export interface ClusterPorts {
  temporal: TemporalPorts;
  balancer: number;
  apis: number[];
  workerHealth: number[];
}

/**
 * The default ports, beside those of `npm start` (API 3000, Temporal 7233, Web UI 8233): the
 * replicas sit behind the balancer on 3001 and up, and Temporal's inner services follow the
 * layout of the server's own development configuration (7234, 7235, 7239; 6933 and up).
 */
export function defaultClusterPorts(apiPort: number, frontendPort: number, uiPort: number): ClusterPorts {
  const offset = { history: 1, matching: 2, frontend: 0, worker: 6 } satisfies Record<TemporalService, number>;
  const byService = (base: number) => Object.fromEntries(TOPOLOGY.temporal.services.map((s) => [s, base + offset[s]])) as Record<TemporalService, number>;
  return {
    temporal: {
      frontend: frontendPort,
      frontendHttp: frontendPort + 10,
      history: frontendPort + offset.history,
      matching: frontendPort + offset.matching,
      worker: frontendPort + offset.worker,
      membership: byService(frontendPort - 300),
      metrics: byService(frontendPort + 767),
      ui: uiPort,
    },
    balancer: apiPort,
    apis: Array.from({ length: TOPOLOGY.apiReplicas }, (_, i) => apiPort + 1 + i),
    workerHealth: Array.from({ length: TOPOLOGY.workers }, (_, i) => apiPort + 101 + i),
  };
}

/** Free ports for every part, for tests and benchmarks that run a cluster beside other servers. */
export async function freeClusterPorts(options: { apis?: number; workers?: number; ui?: boolean } = {}): Promise<ClusterPorts> {
  // Temporal's ports stay below TEMPORAL_PORT_LIMIT; the app's may be anywhere.
  const taken = new Set<number>();
  const temporalPort = async () => {
    const port = await freePortBelow(TEMPORAL_PORT_LIMIT, taken);
    taken.add(port);
    return port;
  };
  const byService = async () => {
    const ports = {} as Record<TemporalService, number>;
    for (const service of TOPOLOGY.temporal.services) ports[service] = await temporalPort();
    return ports;
  };
  const many = async (n: number) => {
    const ports: number[] = [];
    for (let i = 0; i < n; i++) ports.push(await freePort());
    return ports;
  };
  return {
    temporal: {
      frontend: await temporalPort(),
      frontendHttp: await temporalPort(),
      history: await temporalPort(),
      matching: await temporalPort(),
      worker: await temporalPort(),
      membership: await byService(),
      metrics: await byService(),
      ui: options.ui ? await freePort() : undefined,
    },
    balancer: await freePort(),
    apis: await many(options.apis ?? TOPOLOGY.apiReplicas),
    workerHealth: await many(options.workers ?? TOPOLOGY.workers),
  };
}

/** An app process (API replica or worker) that can be killed and started again. */
export interface AppProcess {
  name: string;
  readonly running: boolean;
  readonly pid?: number;
  start(): Promise<void>;
  /** SIGKILL, as a crash would. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

function appProcess(options: {
  name: string;
  file: string;
  env: NodeJS.ProcessEnv;
  ready: RegExp;
  log: (line: string) => void;
  onUnexpectedExit?: (name: string) => void;
}): AppProcess {
  let current: ManagedProcess | undefined;
  return {
    name: options.name,
    get running() {
      return current !== undefined;
    },
    get pid() {
      return current?.child.pid;
    },
    async start() {
      if (current) throw new Error(`${options.name} is already running`);
      let ready = false;
      const recent: string[] = [];
      // `node --import tsx` rather than the tsx CLI, whose signal relay can kill a child that is
      // still shutting down gracefully.
      const child = spawnManaged(options.name, process.execPath, ['--import', 'tsx', path.join(ROOT, options.file)], {
        cwd: ROOT,
        env: options.env,
        log: (line) => {
          if (options.ready.test(line)) ready = true;
          recent.push(line);
          if (recent.length > 40) recent.shift();
          options.log(line);
        },
        onUnexpectedExit: (code, signal) => {
          if (current === child) current = undefined;
          options.log(`[${options.name}] exited unexpectedly (${signal ?? `code ${code}`})`);
          options.onUnexpectedExit?.(options.name);
        },
      });
      current = child;
      await waitFor(
        `${options.name} to start`,
        async () => {
          if (child.child.exitCode !== null) throw new Error(`${options.name} exited with code ${child.child.exitCode}:\n${recent.join('\n')}`);
          return ready;
        },
        { timeoutMs: 180_000, intervalMs: 100 },
      );
    },
    async kill() {
      const child = current;
      current = undefined;
      await child?.kill();
    },
    async stop() {
      const child = current;
      current = undefined;
      await child?.stop();
    },
  };
}

/**
 * The environment every API replica and worker of the cluster gets: TOPOLOGY.appEnvironment, as
 * compose gives the api and the worker (test/docker-compose.test.ts holds both to that list), and
 * the DATA_DIR the replicas share. Each process adds its own port.
 */
export function clusterAppEnvironment(options: {
  databaseUrl: string;
  smtpUrl: string;
  signingKeySecret: string;
  dataDir: string;
  publicUrl: string;
  temporalAddress: string;
  temporalNamespace: string;
  env?: NodeJS.ProcessEnv;
}): NodeJS.ProcessEnv {
  return {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    PUBLIC_URL: options.publicUrl,
    MAIL_FROM: process.env.MAIL_FROM ?? 'License Desk <license-desk@localhost>',
    CORS_ORIGINS: process.env.CORS_ORIGINS ?? '',
    ...options.env,
    DATABASE_URL: options.databaseUrl,
    TEMPORAL_ADDRESS: options.temporalAddress,
    TEMPORAL_NAMESPACE: options.temporalNamespace,
    TEMPORAL_TASK_QUEUE: TOPOLOGY.taskQueue,
    SMTP_URL: options.smtpUrl,
    SIGNING_KEY_SECRET: options.signingKeySecret,
    DATA_DIR: path.join(options.dataDir, 'app'),
  };
}

export interface Cluster {
  temporal: TemporalCluster;
  temporalUiUrl?: string;
  balancerUrl: string;
  apiUrls: string[];
  apis: AppProcess[];
  workers: AppProcess[];
  /** Connections the balancer handed to each replica. */
  balanced(): Record<string, number>;
  /** Kills one Temporal service with SIGKILL. */
  killService(service: TemporalService): Promise<void>;
  restartService(service: TemporalService): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The production-shaped topology of config/topology.ts on one machine: the Temporal cluster on
 * the given PostgreSQL (each service a process), its Web UI, `apis` API replicas behind a
 * balancer and `workers` workers, all with the same app environment. The database must already
 * be migrated; SMTP is wherever `smtpUrl` points.
 */
export async function startCluster(options: {
  databaseUrl: string;
  smtpUrl: string;
  signingKeySecret: string;
  dataDir: string;
  ports: ClusterPorts;
  ui?: boolean;
  /** The extra app environment (LOG_LEVEL, MAIL_FROM, PUBLIC_URL, desk policy...). */
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  onUnexpectedExit?: (name: string) => void;
}): Promise<Cluster> {
  const log = options.log ?? (() => {});
  const { ports } = options;
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => log(`[cluster] stopping: ${String(error)}`));
    stops.length = 0;
  };
  // One workflow bundle for every worker replica and every restart of one (worker/workflow-bundle.ts),
  // built while the Temporal services start; a given WORKFLOW_BUNDLE_PATH is used as it is.
  const given = options.env?.WORKFLOW_BUNDLE_PATH;
  if (given) workflowCode(given); // a path that names no file stops the start here, in words
  const workflowBundle = given ? Promise.resolve(given) : buildWorkflowBundle(path.join(options.dataDir, 'workflow-bundle.js'));
  workflowBundle.catch(() => {}); // awaited (and so reported) below
  try {
    const temporal = await startTemporalCluster({
      target: postgresTarget(options.databaseUrl),
      ports: ports.temporal,
      configDir: path.join(options.dataDir, 'temporal'),
      log,
      onUnexpectedExit: options.onUnexpectedExit,
    });
    stops.push(() => temporal.stop());

    let temporalUiUrl: string | undefined;
    if (options.ui && ports.temporal.ui) {
      const ui = await startTemporalUi({
        frontend: temporal.address,
        port: ports.temporal.ui,
        configDir: path.join(options.dataDir, 'temporal-ui'),
        log,
        onUnexpectedExit: () => options.onUnexpectedExit?.('temporal-ui'),
      });
      temporalUiUrl = ui.url;
      stops.push(() => ui.stop());
    }

    const balancerUrl = `http://127.0.0.1:${ports.balancer}`;
    const appEnv = {
      ...process.env,
      ...clusterAppEnvironment({ ...options, publicUrl: balancerUrl, temporalAddress: temporal.address, temporalNamespace: temporal.namespace }),
      WORKFLOW_BUNDLE_PATH: await workflowBundle,
    };

    const workers = ports.workerHealth.map((healthPort, i) =>
      appProcess({
        name: `worker-${i + 1}`,
        file: 'worker/main.ts',
        env: { ...appEnv, WORKER_HEALTH_PORT: String(healthPort) },
        ready: /Worker ready/,
        log,
        onUnexpectedExit: options.onUnexpectedExit,
      }),
    );
    const apis = ports.apis.map((port, i) =>
      appProcess({
        name: `api-${i + 1}`,
        file: 'api/main.ts',
        env: { ...appEnv, API_HOST: '127.0.0.1', API_PORT: String(port) },
        ready: /API listening/,
        log,
        onUnexpectedExit: options.onUnexpectedExit,
      }),
    );
    stops.push(async () => {
      await Promise.all(apis.map((api) => api.stop()));
      await Promise.all(workers.map((worker) => worker.stop()));
    });
    // The first worker creates the SMA schedule; the rest start once it has, so they do not race.
    await workers[0]!.start();
    await Promise.all([...workers.slice(1), ...apis].map((p) => p.start()));

    const balancer = await startBalancer({ port: ports.balancer, backends: ports.apis });
    stops.push(() => balancer.stop());

    return {
      temporal,
      temporalUiUrl,
      balancerUrl,
      apiUrls: ports.apis.map((port) => `http://127.0.0.1:${port}`),
      apis,
      workers,
      balanced: () => Object.fromEntries(Object.entries(balancer.served()).map(([port, n]) => [`http://127.0.0.1:${port}`, n])),
      killService: (service) => temporal.kill(service),
      restartService: (service) => temporal.restart(service),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
