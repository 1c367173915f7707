import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Tools that no npm package ships, built or fetched once into the ignored `.tools/` folder:
 * - the Temporal CLI (dev server + Web UI), built from the Go module proxy. v1.5.1 is the last
 *   release without a `replace` directive, so it is the newest one `go install` can build.
 * - Temporal's Java time-skipping test server, fetched from Maven Central (see its pom.xml).
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

export async function ensureTemporalCli(log: Log = console.log): Promise<string> {
  if (existsSync(TEMPORAL_CLI)) return TEMPORAL_CLI;
  log(`Building the Temporal CLI ${TEMPORAL_CLI_VERSION} with Go (once; a few minutes)...`);
  await mkdir(path.dirname(TEMPORAL_CLI), { recursive: true });
  await run('go', ['install', `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`], {
    env: { ...process.env, GOBIN: path.dirname(TEMPORAL_CLI), CGO_ENABLED: '0' },
    maxBuffer: 64 * 1024 * 1024,
  }).catch((error: Error & { stderr?: string }) => {
    throw new Error(`Could not build the Temporal CLI (is Go installed?): ${error.stderr ?? error.message}`);
  });
  return TEMPORAL_CLI;
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
