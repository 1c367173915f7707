import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  stop(): Promise<void>;
  /** SIGKILL to the whole process group, as a crash would; not reported as unexpected. */
  kill(): Promise<void>;
}

/**
 * Spawns a long-running child whose output is prefixed with its name, and that stops with
 * SIGTERM (then SIGKILL after `graceMs`). A child that dies on its own is reported through
 * `onUnexpectedExit` so the supervisor can shut the rest down instead of limping on.
 */
export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  log?: (line: string) => void;
  graceMs?: number;
  onUnexpectedExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
}

export function spawnManaged(name: string, command: string, args: readonly string[], options: SpawnOptions = {}): ManagedProcess {
  const log = options.log ?? ((line: string) => console.log(line));
  const child = spawn(command, [...args], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so a Ctrl-C in the terminal reaches only the supervisor, which
    // then stops the children in order.
    detached: true,
  });
  let stopping = false;
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) log(`[${name}] ${line}`);
  };
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', (code, signal) => {
    if (!stopping) options.onUnexpectedExit?.(code, signal);
  });
  child.once('error', (error) => log(`[${name}] failed to start: ${error.message}`));

  // The child leads its own process group; signal the whole group so wrappers such as tsx and
  // what they spawn stop together.
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      child.kill(signal);
    }
  };

  return {
    name,
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      stopping = true;
      signalGroup('SIGTERM');
      const graceful = await Promise.race([exited.then(() => true), delay(options.graceMs ?? 10_000).then(() => false)]);
      if (!graceful) {
        signalGroup('SIGKILL');
        await exited;
      }
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      stopping = true;
      signalGroup('SIGKILL');
      await exited;
    },
  };
}

export function isPortOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Thrown from a `waitFor` probe to stop waiting at once: the thing will never come up. */
export class GiveUp extends Error {}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, { timeoutMs = 60_000, intervalMs = 250 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      if (error instanceof GiveUp) throw new Error(`Gave up waiting for ${what}: ${error.message}`, { cause: error });
      lastError = error;
    }
    await delay(intervalMs);
  }
  throw new Error(`Timed out after ${timeoutMs / 1000}s waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
}

/**
 * A free TCP port on loopback below `limit`, not one of `taken`, for servers that cannot take a
 * high port (Temporal, TEMPORAL_PORT_LIMIT). Linux hands out ephemeral ports from 32768 up, so
 * asking the OS for port 0 cannot give one of these.
 */
export async function freePortBelow(limit: number, taken: ReadonlySet<number> = new Set()): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * (limit - 20_000));
    if (taken.has(port)) continue;
    const free = await new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.unref();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`No free port found between 20000 and ${limit}`);
}

/** Asks the OS for a free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
