import { spawn, type ChildProcess } from 'node:child_process';
import { expect } from 'vitest';
import { embeddedDatabaseUrl } from '../../embedded/postgres.ts';
import { freePortBelow } from '../../embedded/process.ts';

const EPHEMERAL_PORTS_START = 32_768;
import { ROOT } from '../../embedded/tools.ts';

export interface StartedSystem {
  child: ChildProcess;
  output(): string;
}

/**
 * The environment of an `npm start` of its own in `dataDir`, on free ports. The suite's own stack
 * is in this process's environment; the system under test must embed its own services.
 */
export async function npmStartEnvironment(dataDir: string) {
  // Below Linux's ephemeral range (32768-60999): the API binds its port some 20 s after it was
  // found free, and meanwhile outgoing connections (Prisma's, Temporal's own) and the Temporal
  // dev server's metrics listener take ports from that range. CI once lost a run to
  // EADDRINUSE on the API's port that way.
  const taken = new Set<number>();
  const pick = async () => {
    const port = await freePortBelow(EPHEMERAL_PORTS_START, taken);
    taken.add(port);
    return port;
  };
  const ports = {
    EMBEDDED_PG_PORT: await pick(),
    EMBEDDED_TEMPORAL_PORT: await pick(),
    EMBEDDED_TEMPORAL_UI_PORT: await pick(),
    EMBEDDED_SMTP_PORT: await pick(),
    API_PORT: await pick(),
  };
  const env: Record<string, string> & { DATA_DIR: string } = {
    DATA_DIR: dataDir,
    DATABASE_URL: '',
    TEMPORAL_ADDRESS: '',
    SMTP_URL: '',
    ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
  };
  return { env, ports, databaseUrl: embeddedDatabaseUrl(ports.EMBEDDED_PG_PORT) };
}

/** `npm start`, as a person runs it in a terminal (its own process group), once it says it is up. */
export async function npmStart(env: NodeJS.ProcessEnv, onSpawn: (child: ChildProcess) => void = () => {}): Promise<StartedSystem> {
  const child = spawn('npm', ['start'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  onSpawn(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start was not up within 150s:\n${output}`)), 150_000);
    child.stdout!.on('data', () => {
      if (output.includes('Press Ctrl-C to stop.')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${output}`));
    });
  });
  return { child, output: () => output };
}

/**
 * A terminal's Ctrl-C signals the whole foreground process group. npm itself then ends by that
 * signal; the supervisor under it must have stopped every part and said so. Answers how npm ended.
 */
export async function pressCtrlC(started: StartedSystem): Promise<string> {
  const exited = new Promise<string>((resolve) => started.child.once('exit', (code, signal) => resolve(signal ?? `code ${code}`)));
  process.kill(-started.child.pid!, 'SIGINT');
  const how = await exited;
  expect(started.output()).toContain('Stopping License Desk...');
  expect(started.output().trimEnd().endsWith('Stopped.'), started.output().slice(-2000)).toBe(true);
  return how;
}
