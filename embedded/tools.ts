import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cp, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { TOPOLOGY } from '../config/topology.ts';

const run = promisify(execFile);

/**
 * Tools that no npm package ships, built or fetched once into the ignored `.tools/` folder:
 * - the Temporal CLI (dev server + Web UI), built from the Go module proxy. v1.5.1 is the last
 *   release without a `replace` directive, so it is the newest one `go install` can build.
 * - Temporal's Java time-skipping test server, fetched from Maven Central (see its pom.xml).
 * - for `npm run cluster`: the Temporal server (`cmd/server`), its schema tool (`cmd/tools/sql`)
 *   with the PostgreSQL schemas the module ships, and the Web UI server, all from the Go proxy.
 * - for `npm run backup`: `sqlite-backup`, built from embedded/sqlite-backup/ in this repository.
 * - for `npm run test:contract`: schemathesis from PyPI, in a Python virtual environment.
 */
export const ROOT = path.resolve(import.meta.dirname, '..');
// LICENSE_DESK_TOOLS_DIR lets CI keep the tools in a cache that outlives a clean clone.
export const TOOLS_DIR = path.resolve(process.env.LICENSE_DESK_TOOLS_DIR || path.join(ROOT, '.tools'));
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
export const TEMPORAL_CLI = path.join(TOOLS_DIR, 'bin', 'temporal');
export const TEST_SERVER_LIB = path.join(TOOLS_DIR, 'temporal-test-server', 'lib');
export const TEST_SERVER_LAUNCHER = path.join(ROOT, 'scripts', 'temporal-test-server', 'run.sh');
const TEST_SERVER_POM = path.join(ROOT, 'scripts', 'temporal-test-server', 'pom.xml');

type Log = (line: string) => void;

/** The Temporal server's binaries and PostgreSQL schemas for `npm run cluster` (config/topology.ts). */
export const TEMPORAL_SERVER_DIR = path.join(TOOLS_DIR, `temporal-server-v${TOPOLOGY.temporal.version}`);
export const TEMPORAL_SERVER = {
  server: path.join(TEMPORAL_SERVER_DIR, 'server'),
  sqlTool: path.join(TEMPORAL_SERVER_DIR, 'sql'),
  /** Holds `temporal/versioned` and `visibility/versioned`. */
  schemaDir: path.join(TEMPORAL_SERVER_DIR, 'schema', 'postgresql', 'v12'),
};
export const TEMPORAL_UI_SERVER = path.join(TOOLS_DIR, `temporal-ui-server-v${TOPOLOGY.temporal.uiVersion}`, 'server');

function goInstall(what: string, gobin: string, packages: string[]) {
  return run('go', ['install', ...packages], {
    env: { ...process.env, GOBIN: gobin, CGO_ENABLED: '0' },
    maxBuffer: 64 * 1024 * 1024,
  }).catch((error: Error & { stderr?: string }) => {
    throw new Error(`Could not build ${what} (is Go installed?): ${error.stderr ?? error.message}`);
  });
}

/**
 * Builds the Temporal server and `temporal-sql-tool` once (about 2.5 minutes), and copies the
 * PostgreSQL schemas out of the Go module so the cluster does not depend on the module cache.
 */
export async function ensureTemporalServer(log: Log = console.log): Promise<typeof TEMPORAL_SERVER> {
  const { server, sqlTool, schemaDir } = TEMPORAL_SERVER;
  if (existsSync(server) && existsSync(sqlTool) && existsSync(path.join(schemaDir, 'visibility', 'versioned'))) return TEMPORAL_SERVER;
  const module = `go.temporal.io/server@v${TOPOLOGY.temporal.version}`;
  log(`Building the Temporal server v${TOPOLOGY.temporal.version} and its SQL tool with Go (once; a few minutes)...`);
  await mkdir(TEMPORAL_SERVER_DIR, { recursive: true });
  await goInstall('the Temporal server', TEMPORAL_SERVER_DIR, [
    `go.temporal.io/server/cmd/server@v${TOPOLOGY.temporal.version}`,
    `go.temporal.io/server/cmd/tools/sql@v${TOPOLOGY.temporal.version}`,
  ]);
  const { stdout } = await run('go', ['mod', 'download', '-json', module], { maxBuffer: 16 * 1024 * 1024 });
  const moduleDir = (JSON.parse(stdout) as { Dir: string }).Dir;
  // Copy then rename, so a half-copied schema folder is never taken for a complete one.
  const partial = `${schemaDir}.partial`;
  await rm(partial, { recursive: true, force: true });
  await cp(path.join(moduleDir, 'schema', 'postgresql', 'v12'), partial, { recursive: true });
  await rm(schemaDir, { recursive: true, force: true });
  await rename(partial, schemaDir);
  return TEMPORAL_SERVER;
}

/** Builds Temporal's Web UI server once; its web assets are embedded in the Go module. */
export async function ensureTemporalUiServer(log: Log = console.log): Promise<string> {
  if (existsSync(TEMPORAL_UI_SERVER)) return TEMPORAL_UI_SERVER;
  log(`Building the Temporal Web UI server v${TOPOLOGY.temporal.uiVersion} with Go (once)...`);
  await mkdir(path.dirname(TEMPORAL_UI_SERVER), { recursive: true });
  await goInstall('the Temporal Web UI server', path.dirname(TEMPORAL_UI_SERVER), [
    `github.com/temporalio/ui-server/v2/cmd/server@v${TOPOLOGY.temporal.uiVersion}`,
  ]);
  return TEMPORAL_UI_SERVER;
}

export async function ensureTemporalCli(log: Log = console.log): Promise<string> {
  if (existsSync(TEMPORAL_CLI)) return TEMPORAL_CLI;
  log(`Building the Temporal CLI ${TEMPORAL_CLI_VERSION} with Go (once; a few minutes)...`);
  await mkdir(path.dirname(TEMPORAL_CLI), { recursive: true });
  await goInstall('the Temporal CLI', path.dirname(TEMPORAL_CLI), [`github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`]);
  return TEMPORAL_CLI;
}

export const GOJQ_VERSION = 'v0.12.17';
/** A folder holding `jq` alone, to put first on a PATH. */
export const JQ_DIR = path.join(TOOLS_DIR, `gojq-${GOJQ_VERSION}`);

/**
 * `jq` for the openssl recipe of docs/license-file.md, which the tests run as written: gojq, a
 * jq in Go from the Go module proxy, built once and named `jq`, so no machine needs jq from apt.
 */
export async function ensureJq(log: Log = console.log): Promise<string> {
  const jq = path.join(JQ_DIR, 'jq');
  if (existsSync(jq)) return JQ_DIR;
  log(`Building gojq ${GOJQ_VERSION} (jq in Go) once...`);
  const build = `${JQ_DIR}.partial`;
  await rm(build, { recursive: true, force: true });
  await goInstall('gojq', build, [`github.com/itchyny/gojq/cmd/gojq@${GOJQ_VERSION}`]);
  await rename(path.join(build, 'gojq'), path.join(build, 'jq'));
  // A finished folder only: a half-built one is never taken for a built one.
  await rename(build, JQ_DIR).catch(async (error: NodeJS.ErrnoException) => {
    if (!existsSync(jq)) throw error;
    await rm(build, { recursive: true, force: true });
  });
  return JQ_DIR;
}

const SQLITE_BACKUP_SOURCE = path.join(ROOT, 'embedded', 'sqlite-backup');

/**
 * Builds `sqlite-backup` (embedded/sqlite-backup/main.go: a consistent copy of a live SQLite
 * file, for Temporal's store) once per version of its source: the folder is named after a hash
 * of main.go, go.mod and go.sum, so an edited program is rebuilt. It uses the modernc.org/sqlite
 * version the Temporal CLI is built with, so after the CLI's build it needs no download and
 * takes a few seconds.
 */
export async function ensureSqliteBackup(log: Log = console.log): Promise<string> {
  const hash = createHash('sha256');
  for (const file of ['main.go', 'go.mod', 'go.sum']) hash.update(readFileSync(path.join(SQLITE_BACKUP_SOURCE, file)));
  const binary = path.join(TOOLS_DIR, `sqlite-backup-${hash.digest('hex').slice(0, 12)}`, 'sqlite-backup');
  if (existsSync(binary)) return binary;
  log('Building sqlite-backup with Go (once)...');
  await mkdir(path.dirname(binary), { recursive: true });
  // Build beside it, then rename: a half-written binary is never taken for a built one.
  const partial = `${binary}.partial`;
  await run('go', ['build', '-buildvcs=false', '-o', partial, '.'], {
    cwd: SQLITE_BACKUP_SOURCE,
    env: { ...process.env, CGO_ENABLED: '0' },
    maxBuffer: 64 * 1024 * 1024,
  }).catch((error: Error & { stderr?: string }) => {
    throw new Error(`Could not build sqlite-backup (is Go installed?): ${error.stderr ?? error.message}`);
  });
  await rename(partial, binary);
  return binary;
}

export async function ensureTemporalTestServer(log: Log = console.log): Promise<string> {
  const hasJars = existsSync(TEST_SERVER_LIB) && readdirSync(TEST_SERVER_LIB).some((f) => f.startsWith('temporal-test-server-'));
  if (hasJars) return TEST_SERVER_LAUNCHER;
  log('Fetching the Temporal time-skipping test server from Maven Central (once)...');
  await run('mvn', ['-q', '-B', '-f', TEST_SERVER_POM, 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${TEST_SERVER_LIB}`], {
    maxBuffer: 64 * 1024 * 1024,
  }).catch((error: Error & { stdout?: string; stderr?: string }) => {
    throw new Error(`Could not fetch the Temporal test server (are Java and Maven installed?): ${error.stdout ?? ''}${error.stderr ?? error.message}`);
  });
  return TEST_SERVER_LAUNCHER;
}

/** The schemathesis release `npm run test:contract` runs; a new one is a deliberate change. */
export const SCHEMATHESIS_VERSION = '4.32.5';
const SCHEMATHESIS_DIR = path.join(TOOLS_DIR, `schemathesis-${SCHEMATHESIS_VERSION}`);
export const SCHEMATHESIS = path.join(SCHEMATHESIS_DIR, 'bin', 'schemathesis');

/**
 * Installs schemathesis into a virtual environment of its own (about a minute, once). A venv
 * cannot be moved after it is made (its scripts name their own interpreter), so a marker file
 * written last says the install finished; a folder without it is made again.
 */
export async function ensureSchemathesis(log: Log = console.log): Promise<string> {
  const done = path.join(SCHEMATHESIS_DIR, 'installed');
  if (existsSync(done) && existsSync(SCHEMATHESIS)) return SCHEMATHESIS;
  log(`Installing schemathesis ${SCHEMATHESIS_VERSION} from PyPI into a Python virtual environment (once)...`);
  await rm(SCHEMATHESIS_DIR, { recursive: true, force: true });
  const fail = (step: string) => (error: Error & { stderr?: string }) => {
    throw new Error(`Could not ${step} (are python3, its venv module and pip available?): ${error.stderr ?? error.message}`);
  };
  await run('python3', ['-m', 'venv', SCHEMATHESIS_DIR]).catch(fail('create a Python virtual environment'));
  await run(path.join(SCHEMATHESIS_DIR, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', `schemathesis==${SCHEMATHESIS_VERSION}`], {
    maxBuffer: 64 * 1024 * 1024,
  }).catch(fail(`install schemathesis ${SCHEMATHESIS_VERSION}`));
  await writeFile(done, `${new Date().toISOString()}\n`);
  return SCHEMATHESIS;
}
