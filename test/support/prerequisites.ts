import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { TEST_SERVER_LIB } from '../../embedded/tools.ts';

const run = promisify(execFile);

interface Missing {
  tool: string;
  why: string;
  install: string;
}

async function has(command: string, args: string[] = ['--version']): Promise<boolean> {
  return run(command, args, { timeout: 20_000 }).then(
    () => true,
    () => false,
  );
}

/**
 * What the suite needs and npm does not install, checked in its first seconds: each missing tool
 * is named with the command that installs it, in one message, instead of a stack trace minutes in.
 */
export async function findMissingPrerequisites(): Promise<Missing[]> {
  const missing: Missing[] = [];
  const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
  if (major < 20 || (major === 20 && minor < 18)) missing.push({ tool: `Node.js ≥ 20.18 (this is ${process.versions.node})`, why: 'the test runner and the system', install: 'https://nodejs.org/en/download' });
  if (!(await has('java', ['-version']))) missing.push({ tool: 'Java 17', why: "Temporal's time-skipping test server", install: 'apt-get install openjdk-17-jre-headless' });
  // Go builds the Temporal CLI once, and the documented Go license verifier on every run.
  if (!(await has('go', ['version']))) missing.push({ tool: 'Go ≥ 1.25', why: 'building the Temporal CLI once (npm run tools) and the license verifier of docs/verifiers', install: 'https://go.dev/doc/install' });
  if (!(await has('jq'))) missing.push({ tool: 'jq ≥ 1.6', why: 'the openssl recipe of docs/license-file.md, which the signing tests run', install: 'apt-get install jq' });
  if (!existsSync(TEST_SERVER_LIB) && !(await has('mvn'))) missing.push({ tool: 'Maven', why: "fetching Temporal's test server once (npm run tools)", install: 'apt-get install maven' });
  return missing;
}

export async function checkPrerequisites(): Promise<void> {
  const missing = await findMissingPrerequisites();
  if (missing.length === 0) return;
  const lines = missing.map((m) => `  - ${m.tool}: needed for ${m.why}. Install: ${m.install}`);
  throw new Error(`npm test cannot run on this machine yet. Missing:\n${lines.join('\n')}\nThen run \`npm run tools\` once and \`npm test\` again.`);
}
