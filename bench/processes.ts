import path from 'node:path';
import { spawnManaged, waitFor, type ManagedProcess } from '../embedded/process.ts';
import { ROOT } from '../embedded/tools.ts';

/**
 * The benchmark's child processes (the real API and worker, the baselines). The load generator
 * runs in the parent, so a server under test never shares its event loop with its clients.
 * Every child started here is stopped by `stopAll`, whatever happened before.
 */
const started: ManagedProcess[] = [];

export interface Child {
  name: string;
  /** Lines the child printed since it started (the last 200). */
  output: string[];
  stop(): Promise<void>;
}

/** Starts `node --import tsx <file>` and waits until it prints a line matching `ready`. */
export async function startNodeChild(options: {
  name: string;
  file: string;
  env: NodeJS.ProcessEnv;
  args?: string[];
  ready: RegExp;
  timeoutMs?: number;
  /** Lines that are only noise (e.g. the API's access log); they are neither kept nor shown. */
  quiet?: RegExp;
  /** Print the child's lines as they come (otherwise they are kept for an error message). */
  echo?: boolean;
}): Promise<Child> {
  const output: string[] = [];
  let isReady = false;
  const child = spawnManaged(options.name, process.execPath, ['--import', 'tsx', path.resolve(ROOT, options.file), ...(options.args ?? [])], {
    env: options.env,
    cwd: ROOT,
    log: (line) => {
      if (options.quiet?.test(line)) return;
      if (options.ready.test(line)) isReady = true;
      output.push(line);
      if (output.length > 200) output.shift();
      if (options.echo) console.log(`    ${line}`);
    },
    onUnexpectedExit: (code, signal) => {
      output.push(`[${options.name}] exited (code ${code}, signal ${signal})`);
    },
  });
  started.push(child);
  try {
    await waitFor(
      `${options.name} to start`,
      async () => {
        if (child.child.exitCode !== null) throw new Error(`${options.name} exited with code ${child.child.exitCode}:\n${output.join('\n')}`);
        return isReady;
      },
      { timeoutMs: options.timeoutMs ?? 120_000, intervalMs: 100 },
    );
  } catch (error) {
    await child.stop();
    throw new Error(`${String(error)}\n${output.slice(-30).join('\n')}`, { cause: error });
  }
  return { name: options.name, output, stop: () => child.stop() };
}

/** Runs a child to its end and returns the last line it printed that parses as JSON. */
export async function runNodeChild<T>(options: { name: string; file: string; env: NodeJS.ProcessEnv; args?: string[]; echo?: RegExp }): Promise<T> {
  let result: T | undefined;
  const output: string[] = [];
  const child = spawnManaged(options.name, process.execPath, ['--import', 'tsx', path.resolve(ROOT, options.file), ...(options.args ?? [])], {
    env: options.env,
    cwd: ROOT,
    log: (line) => {
      output.push(line);
      if (output.length > 200) output.shift();
      const text = line.slice(options.name.length + 3);
      if (text.startsWith('{')) {
        try {
          result = JSON.parse(text) as T;
        } catch {
          // not the result line
        }
      } else if (options.echo?.test(text)) console.log(`    ${text}`);
    },
  });
  started.push(child);
  const code = await new Promise<number | null>((resolve) => child.child.once('close', (c) => resolve(c)));
  if (code !== 0 || result === undefined) throw new Error(`${options.name} failed (exit code ${code}):\n${output.slice(-30).join('\n')}`);
  return result;
}

export async function stopAll() {
  for (const child of started.splice(0).reverse()) await child.stop().catch(() => {});
}
