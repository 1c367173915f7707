// The check that stops `npm test` in its first seconds when the machine lacks a tool. Each case
// describes a made-up machine through the check's probes; the last two look at this machine.
import { describe, expect, it } from 'vitest';
import { DEBIAN_CHROMIUM } from '../embedded/chromium.ts';
import { JQ_DIR, TEMPORAL_CLI, TEST_SERVER_LIB, TOOLS_DIR } from '../embedded/tools.ts';

const JQ_BIN = `${JQ_DIR}/jq`;
import { checkPrerequisites, findMissingPrerequisites, machineProbes, prerequisitesMessage, type Probes } from './support/prerequisites.ts';

const JAVA_17 = 'openjdk version "17.0.15" 2025-04-15\nOpenJDK Runtime Environment (build 17.0.15+6-Debian-1deb12u1)\n';
const GO_126 = 'go version go1.26.8 linux/amd64\n';
const MAVEN = 'Apache Maven 3.8.7\n';
const OPENSSL = 'OpenSSL 3.0.18 30 Sep 2025 (Library: OpenSSL 3.0.18 30 Sep 2025)\n';
const NPM_CHROMIUM = { executablePath: '/tools/chromium-147.0.0/chromium', env: { LD_LIBRARY_PATH: '/tools/chromium-147.0.0/lib' } };

interface Machine {
  node?: string;
  /** What each command prints (openssl is there unless set to undefined); a command not listed cannot be run. */
  commands?: Record<string, string | undefined>;
  files?: string[];
  env?: NodeJS.ProcessEnv;
  npmChromium?: typeof NPM_CHROMIUM;
}

/** A machine with everything (tools built, Debian's Chromium), less what `overrides` takes away. */
function machine(overrides: Machine = {}): Probes & { ran: string[] } {
  const commands: Record<string, string | undefined> = {
    openssl: OPENSSL,
    ...(overrides.commands ?? { java: JAVA_17, go: GO_126, mvn: MAVEN, [DEBIAN_CHROMIUM]: 'Chromium 156.0.8078.129\n' }),
  };
  const files = overrides.files ?? [TEMPORAL_CLI, JQ_BIN, TEST_SERVER_LIB, DEBIAN_CHROMIUM];
  const ran: string[] = [];
  return {
    ran,
    nodeVersion: overrides.node ?? '20.20.2',
    env: overrides.env ?? {},
    exists: (file) => files.includes(file),
    output: async (command) => {
      ran.push(command);
      return commands[command];
    },
    npmChromium: async () => overrides.npmChromium,
  };
}

describe('prerequisites', () => {
  it('finds nothing missing on a machine with every tool', async () => {
    expect(await findMissingPrerequisites(machine())).toEqual([]);
    await expect(checkPrerequisites(machine(), (message) => expect.fail(message))).resolves.toBeUndefined();
  });

  it('names each missing tool with its install command, in one message', async () => {
    const bare = machine({ node: '20.17.0', commands: { openssl: undefined }, files: [] });
    const stops: string[] = [];
    // The real stop ends the process (exit code 1); this one keeps what it was given.
    await expect(checkPrerequisites(bare, (message) => (stops.push(message), undefined as never))).resolves.toBeUndefined();
    const message = [
      'npm test cannot run on this machine yet. Missing:',
      '  - Node.js ≥ 20.18 (this is 20.17.0): needed for the test runner and the system. Install: https://nodejs.org/en/download',
      "  - Java 17: needed for Temporal's time-skipping test server. Install: apt-get install openjdk-17-jre-headless",
      '  - Go ≥ 1.25: needed for building the Temporal CLI and jq once (npm run tools). Install: https://go.dev/doc/install',
      "  - Maven: needed for fetching Temporal's test server once (npm run tools). Install: apt-get install maven",
      "  - OpenSSL 3: needed for docs/license-file.md's openssl recipe (Ed25519 with -rawin). Install: apt-get install openssl",
      '  - Chromium: needed for the browser tests in test/ui/. Install: npm ci (the @sparticuz/chromium devDependency ships one)',
      'Then run `npm run tools` once and `npm test` again.',
    ].join('\n');
    expect(stops).toEqual([message]);
  });

  it('says which version is too old', async () => {
    const old = machine({
      commands: {
        java: 'openjdk version "11.0.24" 2024-07-16\n',
        go: 'go version go1.24.4 linux/amd64\n',
        mvn: MAVEN,
        openssl: 'OpenSSL 1.1.1w  11 Sep 2023\n',
        [DEBIAN_CHROMIUM]: 'Chromium\n',
      },
      files: [TEST_SERVER_LIB, DEBIAN_CHROMIUM],
    });
    expect(prerequisitesMessage(await findMissingPrerequisites(old))).toBe(
      [
        'npm test cannot run on this machine yet. Missing:',
        "  - Java 17 (this is 11): needed for Temporal's time-skipping test server. Install: apt-get install openjdk-17-jre-headless",
        '  - Go ≥ 1.25 (this is 1.24): needed for building the Temporal CLI and jq once (npm run tools). Install: https://go.dev/doc/install',
        "  - OpenSSL 3 (this is 1.1): needed for docs/license-file.md's openssl recipe (Ed25519 with -rawin). Install: apt-get install openssl",
        'Then run `npm run tools` once and `npm test` again.',
      ].join('\n'),
    );
  });

  it('reads Java 8 as 8, not 1', async () => {
    const missing = await findMissingPrerequisites(machine({ commands: { java: 'java version "1.8.0_292"\n', [DEBIAN_CHROMIUM]: 'Chromium\n' } }));
    expect(missing.map((m) => m.tool)).toEqual(['Java 17 (this is 8)']);
  });

  it('asks for Go and Maven only while the tools they build are missing', async () => {
    const built = machine({ commands: { java: JAVA_17, [DEBIAN_CHROMIUM]: 'Chromium\n' } });
    expect(await findMissingPrerequisites(built)).toEqual([]);
    expect(built.ran).not.toContain('go');
    expect(built.ran).not.toContain('mvn');
  });

  describe('the browser', () => {
    it("is there when Debian's is missing and the npm-shipped one runs", async () => {
      const npmOnly = machine({
        commands: { java: JAVA_17, [NPM_CHROMIUM.executablePath]: 'Chromium 147.0.7727.0\n' },
        files: [TEMPORAL_CLI, JQ_BIN, TEST_SERVER_LIB],
        npmChromium: NPM_CHROMIUM,
      });
      expect(await findMissingPrerequisites(npmOnly)).toEqual([]);
    });

    it('is missing when neither runs', async () => {
      const neither = machine({ commands: { java: JAVA_17 }, files: [TEMPORAL_CLI, JQ_BIN, TEST_SERVER_LIB, DEBIAN_CHROMIUM], npmChromium: NPM_CHROMIUM });
      expect(await findMissingPrerequisites(neither)).toEqual([
        { tool: 'Chromium', why: 'the browser tests in test/ui/', install: 'npm ci (the @sparticuz/chromium devDependency ships one)' },
      ]);
    });

    it('is missing when CHROMIUM_PATH names one that does not run, whatever else there is', async () => {
      const wrongPath = machine({ env: { CHROMIUM_PATH: '/opt/nothing/chrome' } });
      expect(prerequisitesMessage(await findMissingPrerequisites(wrongPath))).toBe(
        [
          'npm test cannot run on this machine yet. Missing:',
          '  - Chromium (CHROMIUM_PATH=/opt/nothing/chrome does not run): needed for the browser tests in test/ui/. Install: unset CHROMIUM_PATH to use the one npm ci installs (@sparticuz/chromium)',
          'Then run `npm run tools` once and `npm test` again.',
        ].join('\n'),
      );
    });
  });

  describe('on this machine', () => {
    it('finds nothing missing', async () => {
      expect(await findMissingPrerequisites()).toEqual([]);
    });

    it("runs the npm-shipped Chromium when Debian's is passed over (LICENSE_DESK_BROWSER=npm)", async () => {
      const npmOnly: Probes = { ...machineProbes, env: { ...process.env, CHROMIUM_PATH: '', LICENSE_DESK_BROWSER: 'npm' } };
      const asked: string[] = [];
      const missing = await findMissingPrerequisites({
        ...npmOnly,
        output: (command, args, env) => (asked.push(command), machineProbes.output(command, args, env)),
      });
      expect(missing).toEqual([]);
      expect(asked).not.toContain(DEBIAN_CHROMIUM);
      expect(asked.filter((command) => command.startsWith(TOOLS_DIR))).toEqual([expect.stringMatching(/\/chromium-[\d.]+\/chromium$/)]);
    });
  });
});
