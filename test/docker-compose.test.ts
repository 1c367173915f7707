// Static checks of the production-shaped stack (docker-compose.yml and Dockerfile).
// No Docker engine runs in CI, so nothing here starts a container: the file is validated against
// the Compose Specification's JSON schema (test/vendor/compose-spec.json, the one Docker Compose
// itself validates with) and cross-checked. The one-shot service's script runs against the
// suite's Temporal.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import { TOPOLOGY } from '../config/topology.ts';
import { clusterAppEnvironment } from '../embedded/cluster.ts';
import { temporalServerConfig } from '../embedded/temporal-cluster.ts';
import { ensureTemporalCli } from '../embedded/tools.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const composePath = path.join(root, 'docker-compose.yml');
const composeText = readFileSync(composePath, 'utf8');
const dockerfileText = readFileSync(path.join(root, 'Dockerfile'), 'utf8');

/** The secrets compose demands; any value will do for validation. */
const SECRETS = { SIGNING_KEY_SECRET: 'x' };

/** What the app refuses to start without (config/env.ts `requireServices`). */
const REQUIRED_APP_ENV = ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'SMTP_URL'];

type Env = Record<string, string>;
interface Service {
  image?: string;
  build?: unknown;
  command?: string | string[];
  environment?: Record<string, unknown> | string[];
  ports?: Array<string | number | { target: number; published?: number | string; host_ip?: string }>;
  expose?: Array<string | number>;
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[]; disable?: boolean };
  entrypoint?: string | string[];
  restart?: string;
  deploy?: { replicas?: number };
}
interface ComposeFile {
  services: Record<string, Service>;
}

// ---------- helpers ----------

/**
 * Compose-style variable interpolation: `$$`, `$VAR`, `${VAR}`, `${VAR:-default}`,
 * `${VAR-default}`, `${VAR:?message}`, `${VAR?message}`, `${VAR:+alt}`, `${VAR+alt}`.
 */
function interpolate(value: string, env: Env): string {
  return value.replace(
    /\$(?:(\$)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (_match, dollar?: string, name?: string, op?: string, arg?: string, bare?: string) => {
      if (dollar) return '$';
      if (bare) return env[bare] ?? '';
      const key = name!;
      const set = key in env;
      const nonEmpty = set && env[key] !== '';
      switch (op) {
        case undefined:
          return env[key] ?? '';
        case ':-':
          return nonEmpty ? env[key]! : arg!;
        case '-':
          return set ? env[key]! : arg!;
        case ':?':
        case '?':
          if (op === ':?' ? !nonEmpty : !set) throw new Error(`${key} is required: ${arg}`);
          return env[key]!;
        case ':+':
          return nonEmpty ? arg! : '';
        case '+':
          return set ? arg! : '';
        default:
          throw new Error(`unsupported interpolation ${op}`);
      }
    },
  );
}

function interpolateTree<T>(node: T, env: Env): T {
  if (typeof node === 'string') return interpolate(node, env) as T;
  if (Array.isArray(node)) return node.map((item) => interpolateTree(item, env)) as T;
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, interpolateTree(v, env)])) as T;
  }
  return node;
}

function envOf(service: Service | undefined): Env {
  const environment = service?.environment ?? {};
  if (Array.isArray(environment)) {
    return Object.fromEntries(
      environment.map((entry) => {
        const at = entry.indexOf('=');
        return at < 0 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(environment).map(([k, v]) => [k, v == null ? '' : String(v)]));
}

/** Container ports with the host port each is published on (undefined: not published). */
function portsOf(service: Service | undefined): Array<{ target: number; published?: number }> {
  return (service?.ports ?? []).map((port) => {
    if (typeof port === 'object') {
      return { target: Number(port.target), published: port.published == null ? undefined : Number(port.published) };
    }
    // [host_ip:][published:]target[/protocol]; host_ip may be [ipv6].
    const parts = String(port)
      .replace(/\/\w+$/, '')
      .replace(/^\[[^\]]*\]:/, '')
      .split(':');
    const target = Number(parts.at(-1));
    const published = parts.length >= 2 ? Number(parts.at(-2)) : undefined;
    return { target, published };
  });
}

/** The ports a service is known to listen on inside the network: its ports and `expose`. */
function containerPortsOf(service: Service | undefined): number[] {
  return [...portsOf(service).map((p) => p.target), ...(service?.expose ?? []).map((p) => Number(String(p).split('/')[0]))];
}

function dependsOn(service: Service | undefined): Record<string, string | undefined> {
  const deps = service?.depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((name) => [name, 'service_started']));
  return Object.fromEntries(Object.entries(deps).map(([name, spec]) => [name, spec?.condition]));
}

function healthcheckText(service: Service | undefined): string {
  const test = service?.healthcheck?.test;
  return Array.isArray(test) ? test.join(' ') : (test ?? '');
}

/**
 * An image reference is pinned when it has a digest, or an explicit tag other than `latest`.
 * The tag is what follows the last `:` after the last `/` (so a registry port is not a tag).
 */
function isPinned(reference: string): boolean {
  if (/@sha256:[0-9a-f]{64}$/.test(reference)) return true;
  const lastSegment = reference.slice(reference.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  if (colon < 0) return false;
  const tag = lastSegment.slice(colon + 1);
  return /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag) && tag !== 'latest';
}

/** The Dockerfile's FROM lines, with the stage names defined before each one. */
function dockerfileFroms(text: string): Array<{ image: string; earlierStages: string[] }> {
  const stages: string[] = [];
  const froms: Array<{ image: string; earlierStages: string[] }> = [];
  // Join continuation lines, then read each FROM instruction.
  for (const line of text.replace(/\\\r?\n/g, ' ').split(/\r?\n/)) {
    const match = /^\s*FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?\s*$/i.exec(line);
    if (!match) continue;
    froms.push({ image: match[1]!, earlierStages: [...stages] });
    if (match[2]) stages.push(match[2].toLowerCase());
  }
  return froms;
}

/**
 * The Compose Specification's schema (draft 2020-12), compiled once. Its types are unions such as
 * ["integer", "string"] (a value may still hold a ${VAR}), which ajv's strict mode refuses.
 */
const validateCompose = new Ajv2020({ allErrors: true, allowUnionTypes: true }).compile(
  JSON.parse(readFileSync(path.join(root, 'test', 'vendor', 'compose-spec.json'), 'utf8')) as object,
);

/** The schema's complaints about a compose document, one line each: where, and what is wrong. */
function schemaErrors(document: unknown): string[] {
  if (validateCompose(document)) return [];
  const where = (error: ErrorObject) => error.instancePath.slice(1).replaceAll('/', '.') || '(top level)';
  return (validateCompose.errors ?? []).map((error) =>
    error.keyword === 'additionalProperties'
      ? `${where(error)}: '${String(error.params.additionalProperty)}' is not a compose key`
      : `${where(error)}: ${error.message}`,
  );
}

// ---------- the file as compose sees it ----------

/** Parsed with YAML merge keys (`<<: *app-env`), as compose reads them. */
const raw = parse(composeText, { merge: true }) as ComposeFile;
/** Interpolated with only the required secrets set, i.e. with the file's own defaults. */
const compose = interpolateTree(raw, SECRETS);
const services = compose?.services ?? {};
const apiEnv = envOf(services.api);
const workerEnv = envOf(services.worker);

// ---------- tests ----------

describe('docker-compose.yml', () => {
  it('parses as a compose file with services', () => {
    expect(raw).toBeTypeOf('object');
    expect(raw.services).toBeTypeOf('object');
  });

  it('has the whole stack: postgres, temporal, temporal-ui, mailpit, api, worker', () => {
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['postgres', 'temporal', 'temporal-ui', 'mailpit', 'api', 'worker']));
  });

  describe('image pinning', () => {
    it('recognises pinned and unpinned references', () => {
      expect(isPinned('postgres:16.6')).toBe(true);
      expect(isPinned('temporalio/auto-setup:1.29.1')).toBe(true);
      expect(isPinned(`node@sha256:${'a'.repeat(64)}`)).toBe(true);
      expect(isPinned('postgres')).toBe(false);
      expect(isPinned('postgres:latest')).toBe(false);
      expect(isPinned('registry.example.com:5000/license-desk')).toBe(false);
    });

    it('pins every image: with a tag that is not latest, or a digest', () => {
      const images = Object.entries(services).filter(([, service]) => service.image !== undefined);
      expect(images.length).toBeGreaterThanOrEqual(4);
      for (const [name, service] of images) {
        expect(isPinned(service.image!), `service ${name} uses unpinned image "${service.image}"`).toBe(true);
      }
      for (const [name, service] of Object.entries(services)) {
        expect(service.image ?? service.build, `service ${name} needs an image or a build`).toBeDefined();
      }
    });

    it('pins every FROM line of the Dockerfile (or names an earlier stage)', () => {
      const froms = dockerfileFroms(dockerfileText);
      expect(froms.length).toBeGreaterThan(0);
      for (const { image, earlierStages } of froms) {
        const ok = earlierStages.includes(image.toLowerCase()) || image === 'scratch' || isPinned(image);
        expect(ok, `Dockerfile FROM ${image} is not pinned`).toBe(true);
      }
    });

    it('builds the workflow bundle into the image, and the runtime points the worker at it', () => {
      const built = /^RUN npm run build:workflows -- (\S+)$/m.exec(dockerfileText)?.[1];
      expect(built).toBe('/app/dist/workflow-bundle.js');
      const runtime = dockerfileText.slice(dockerfileText.indexOf('AS runtime'));
      expect(runtime).toContain(`WORKFLOW_BUNDLE_PATH=${built}`);
    });
  });

  describe('the api and the worker agree with the services they use', () => {
    const roles = [
      ['api', apiEnv],
      ['worker', workerEnv],
    ] as const;

    it.each(roles)('%s has every variable the app requires', (_role, env) => {
      for (const name of REQUIRED_APP_ENV) {
        expect(env[name], `${name} missing`).toBeTruthy();
      }
    });

    it('api and worker share one environment (apart from API_* and WORKER_*)', () => {
      const shared = (env: Env) => Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('API_') && !k.startsWith('WORKER_')));
      expect(shared(workerEnv)).toEqual(shared(apiEnv));
    });

    it.each(roles)('%s: TEMPORAL_ADDRESS is the temporal service on a port it serves (7233)', (_role, env) => {
      const [host, port] = env.TEMPORAL_ADDRESS!.split(':');
      expect(host).toBe('temporal');
      expect(services[host!]).toBeDefined();
      expect(Number(port)).toBe(7233);
      expect(containerPortsOf(services.temporal)).toContain(7233);
    });

    it.each(roles)('%s: TEMPORAL_NAMESPACE is the namespace temporal creates', (_role, env) => {
      expect(env.TEMPORAL_NAMESPACE).toBe(envOf(services.temporal).DEFAULT_NAMESPACE);
    });

    it.each(roles)('%s: SMTP_URL is mailpit on port 1025', (_role, env) => {
      const url = new URL(env.SMTP_URL!);
      expect(url.protocol).toBe('smtp:');
      expect(url.hostname).toBe('mailpit');
      expect(url.port).toBe('1025');
      expect(services[url.hostname]).toBeDefined();
    });

    it.each(roles)('%s: DATABASE_URL is the postgres service, with its user, password and database', (_role, env) => {
      const url = new URL(env.DATABASE_URL!);
      const postgres = envOf(services.postgres);
      expect(url.protocol).toMatch(/^postgres(ql)?:$/);
      expect(url.hostname).toBe('postgres');
      expect(services[url.hostname]).toBeDefined();
      expect(url.port === '' || url.port === '5432').toBe(true);
      expect(decodeURIComponent(url.username)).toBe(postgres.POSTGRES_USER);
      expect(decodeURIComponent(url.password)).toBe(postgres.POSTGRES_PASSWORD);
      expect(url.pathname).toBe(`/${postgres.POSTGRES_DB}`);
    });

    it('temporal stores its data in the same postgres, with the same credentials', () => {
      const temporal = envOf(services.temporal);
      const postgres = envOf(services.postgres);
      expect(temporal.DB).toBe('postgres12');
      expect(temporal.POSTGRES_SEEDS).toBe('postgres');
      expect(temporal.DB_PORT).toBe('5432');
      expect(temporal.POSTGRES_USER).toBe(postgres.POSTGRES_USER);
      expect(temporal.POSTGRES_PWD).toBe(postgres.POSTGRES_PASSWORD);
    });

    it('temporal-ui talks to the temporal service', () => {
      expect(envOf(services['temporal-ui']).TEMPORAL_ADDRESS).toBe(apiEnv.TEMPORAL_ADDRESS);
    });

    it('the api publishes API_PORT on the same host port, and PUBLIC_URL uses it', () => {
      const apiPort = Number(apiEnv.API_PORT);
      expect(apiPort).toBeGreaterThan(0);
      expect(apiEnv.API_HOST).toBe('0.0.0.0');
      const published = portsOf(services.api).find((p) => p.target === apiPort);
      expect(published, `api does not publish container port ${apiPort}`).toBeDefined();
      expect(published!.published).toBe(apiPort);
      expect(Number(new URL(apiEnv.PUBLIC_URL!).port || 80)).toBe(apiPort);
    });

    it('the worker is not given the API settings and scales to more than one replica', () => {
      expect(Object.keys(workerEnv).filter((k) => k.startsWith('API_'))).toEqual([]);
      expect(workerEnv.WORKER_HEALTH_PORT).toBeTruthy();
      expect(services.worker!.deploy?.replicas).toBeGreaterThanOrEqual(2);
      expect(services.worker!.ports ?? []).toEqual([]); // fixed host ports would block --scale
    });

    it('api and worker run the same image in their own role', () => {
      expect(services.api!.build).toBeDefined();
      expect(services.worker!.build).toBeDefined();
      expect(services.worker!.image).toBe(services.api!.image);
      expect([services.api!.command].flat().join(' ')).toBe('npm run api');
      expect([services.worker!.command].flat().join(' ')).toBe('npm run worker');
    });
  });

  describe('agrees with config/topology.ts, which `npm run cluster` runs', () => {
    const temporalEnv = envOf(services.temporal);
    const tagOf = (service: string) => services[service]?.image?.split(':').at(-1);
    // What the cluster script gives its Temporal services and app processes, built by its own code.
    const clusterConfig = temporalServerConfig({
      target: { host: '127.0.0.1', port: 5432, user: 'u', password: 'p' },
      databases: TOPOLOGY.temporal.databases,
      ports: {
        frontend: 1,
        frontendHttp: 2,
        history: 3,
        matching: 4,
        worker: 5,
        membership: { history: 6, matching: 7, frontend: 8, worker: 9 },
        metrics: { history: 10, matching: 11, frontend: 12, worker: 13 },
      },
      dynamicConfigFile: 'dynamic.yaml',
    });
    const clusterEnv = clusterAppEnvironment({
      databaseUrl: 'postgresql://x',
      smtpUrl: 'smtp://x',
      signingKeySecret: 'x',
      dataDir: '/tmp/x',
      publicUrl: 'http://x',
      temporalAddress: 'x:1',
      temporalNamespace: TOPOLOGY.namespace,
    });

    it('runs the same Temporal release and Web UI release', () => {
      expect({ server: tagOf('temporal'), ui: tagOf('temporal-ui') }).toEqual({ server: TOPOLOGY.temporal.version, ui: TOPOLOGY.temporal.uiVersion });
    });

    it('keeps Temporal in the same persistence: plugin, databases and history shards', () => {
      const compose = {
        plugin: temporalEnv.DB,
        databases: { default: temporalEnv.DBNAME, visibility: temporalEnv.VISIBILITY_DBNAME },
        shards: Number(temporalEnv.NUM_HISTORY_SHARDS),
      };
      const cluster = {
        plugin: clusterConfig.persistence.datastores.default.sql.pluginName,
        databases: {
          default: clusterConfig.persistence.datastores.default.sql.databaseName,
          visibility: clusterConfig.persistence.datastores.visibility.sql.databaseName,
        },
        shards: clusterConfig.persistence.numHistoryShards,
      };
      const topology = { plugin: TOPOLOGY.temporal.persistence, databases: TOPOLOGY.temporal.databases, shards: TOPOLOGY.temporal.numHistoryShards };
      expect(compose).toEqual(topology);
      expect(cluster).toEqual(topology);
    });

    it('registers the same namespace with the same retention, and the Web UI opens it', () => {
      expect(temporalEnv.DEFAULT_NAMESPACE).toBe(TOPOLOGY.namespace);
      expect(temporalEnv.DEFAULT_NAMESPACE_RETENTION).toBe(`${TOPOLOGY.temporal.retentionDays * 24}h`);
      expect(envOf(services['temporal-ui']).TEMPORAL_DEFAULT_NAMESPACE).toBe(TOPOLOGY.namespace);
    });

    it.each([
      ['api', apiEnv],
      ['worker', workerEnv],
    ] as const)('gives the %s exactly the app environment of the topology, with the same namespace and task queue as the cluster', (_role, env) => {
      const appKeys = (e: Record<string, unknown>) =>
        Object.keys(e)
          .filter((k) => !/^(API_|WORKER_)/.test(k))
          .sort();
      expect(appKeys(env)).toEqual([...TOPOLOGY.appEnvironment].sort());
      // The cluster's processes get the same keys, and the DATA_DIR they share (compose mounts /app/data).
      expect(appKeys(clusterEnv).filter((k) => k !== 'DATA_DIR')).toEqual([...TOPOLOGY.appEnvironment].sort());
      expect({ namespace: env.TEMPORAL_NAMESPACE, taskQueue: env.TEMPORAL_TASK_QUEUE }).toEqual({
        namespace: TOPOLOGY.namespace,
        taskQueue: TOPOLOGY.taskQueue,
      });
      expect({ namespace: clusterEnv.TEMPORAL_NAMESPACE, taskQueue: clusterEnv.TEMPORAL_TASK_QUEUE }).toEqual({
        namespace: TOPOLOGY.namespace,
        taskQueue: TOPOLOGY.taskQueue,
      });
    });

    it('runs as many workers as the topology', () => {
      expect(services.worker?.deploy?.replicas).toBe(TOPOLOGY.workers);
    });

    describe('registers the search attributes of the topology before the api and the workers start', () => {
      const oneShot = services['temporal-search-attributes'];
      const script = [oneShot?.command].flat().join(' ');

      it('once, on the namespace of the temporal service, from the same Temporal release', () => {
        expect([oneShot?.entrypoint].flat()).toEqual(['sh', '-c']);
        expect(oneShot?.restart).toBe('no');
        expect(tagOf('temporal-search-attributes')).toBe(TOPOLOGY.temporal.version);
        expect(dependsOn(oneShot).temporal).toBe('service_healthy');
        const create = /temporal operator search-attribute create (.*?) &&/s.exec(script)?.[1] ?? '';
        expect(create).toContain(`--address ${apiEnv.TEMPORAL_ADDRESS} --namespace ${TOPOLOGY.namespace} `);
        const registered = [...create.matchAll(/--name (\S+) --type (\S+)/g)].map(([, name, type]) => ({ name, type: type!.toUpperCase() }));
        expect(registered).toEqual(TOPOLOGY.searchAttributes.map(({ name, type }) => ({ name, type })));
      });

      it.each(['api', 'worker'])('%s waits until it has exited with 0', (role) => {
        expect(dependsOn(services[role])['temporal-search-attributes']).toBe('service_completed_successfully');
      });

      it("runs against a Temporal server, also when the attributes are there already (this suite's dev server)", async () => {
        // The image's `temporal` is the CLI; the suite's is the same tool, a release apart.
        const cli = await ensureTemporalCli(() => {});
        const run = promisify(execFile);
        const { stdout } = await run('sh', ['-c', script.replaceAll(apiEnv.TEMPORAL_ADDRESS!, inject('temporalAddress'))], {
          env: { PATH: `${path.dirname(cli)}:${process.env.PATH}`, HOME: os.tmpdir() },
          timeout: 60_000,
        });
        expect(stdout).toContain('Search attributes have been added');
      });
    });
  });

  describe('health and start order', () => {
    it('api and worker have healthchecks on their own ports', () => {
      expect(healthcheckText(services.api)).toContain(`http://127.0.0.1:${apiEnv.API_PORT}/api/health`);
      expect(healthcheckText(services.worker)).toContain(`http://127.0.0.1:${workerEnv.WORKER_HEALTH_PORT}/health`);
      expect(services.api!.healthcheck?.disable).not.toBe(true);
      expect(services.worker!.healthcheck?.disable).not.toBe(true);
    });

    it.each(['api', 'worker'])('%s waits for postgres and temporal to be healthy', (role) => {
      const deps = dependsOn(services[role]);
      expect(deps.postgres).toBe('service_healthy');
      expect(deps.temporal).toBe('service_healthy');
    });

    it('every service_healthy dependency has a healthcheck to satisfy it', () => {
      for (const [name, service] of Object.entries(services)) {
        for (const [dep, condition] of Object.entries(dependsOn(service))) {
          expect(services[dep], `${name} depends on unknown service ${dep}`).toBeDefined();
          if (condition === 'service_healthy') {
            expect(healthcheckText(services[dep]), `${name} waits for ${dep}, which has no healthcheck`).not.toBe('');
          }
        }
      }
    });
  });

  describe('secrets', () => {
    it.each(['SIGNING_KEY_SECRET'])('%s comes from the environment, never a literal', (name) => {
      for (const role of ['api', 'worker']) {
        const value = envOf(raw.services[role])[name];
        // ${NAME}, ${NAME:?msg} or ${NAME?msg}; a ${NAME:-default} would be a literal secret.
        expect(value, `${role} ${name}`).toMatch(/^\$\{[A-Za-z_][A-Za-z0-9_]*(?::?\?[^}]*)?\}$/);
      }
    });

    it('stops compose when SIGNING_KEY_SECRET is not set, with the message the file gives', () => {
      expect(() => interpolateTree(raw, {})).toThrow('SIGNING_KEY_SECRET is required: set SIGNING_KEY_SECRET');
    });
  });

  describe("the Compose Specification's JSON schema", () => {
    it('accepts the file, as compose reads it (merge keys resolved, variables interpolated)', () => {
      expect(schemaErrors(compose)).toEqual([]);
    });

    it('refuses a misspelt key and a value of the wrong type, naming where', () => {
      const broken = structuredClone(compose) as unknown as { services: Record<string, Record<string, unknown>> };
      broken.services.api!.depend_on = broken.services.api!.depends_on;
      broken.services.worker!.restart = 3;
      expect(schemaErrors(broken)).toEqual(["services.api: 'depend_on' is not a compose key", 'services.worker.restart: must be string']);
    });
  });
});
