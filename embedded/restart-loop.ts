import { setTimeout as delay } from 'node:timers/promises';
import { decideRestart, DEFAULT_RESTART_POLICY, type RestartPolicy } from './restart-policy.ts';

export interface RestartLoopOptions {
  log: (line: string) => void;
  policy?: RestartPolicy;
  /** Told, with a message naming the part and its last lines, when the part is left down. */
  onGiveUp: (message: string) => void;
  /** The part's last log lines, for the give-up message. */
  lastLines: () => readonly string[];
  /** Starts the part again; answers what to log about the new incarnation ("pid 123"). */
  restart: () => string | Promise<string>;
  /**
   * True once the whole system is shutting down. A Ctrl-C reaches every process of the terminal's
   * process group, so the parts die of it before the supervisor stops them in order: those deaths
   * are expected, and a restart then would outlive the supervisor.
   */
  shuttingDown?: () => boolean;
}

export interface RestartLoop {
  /** The part died on its own (`how`: "signal SIGKILL", "exit code 1"): restart it, or give up. */
  crashed(how: string): Promise<void>;
  /** No more restarts, also not one that is waiting for its backoff. */
  stop(): void;
  readonly restarts: number;
}

/**
 * What a supervisor does when a part dies (restart-policy.ts): log it with the exit code or
 * signal, wait the backoff, start it again; a restart that fails counts as another crash. Shared
 * by the worker and the API (child processes) and by embedded PostgreSQL and Temporal.
 */
export function createRestartLoop(name: string, options: RestartLoopOptions): RestartLoop {
  const crashes: number[] = [];
  let restarts = 0;
  let stopped = false;
  let pending: AbortController | undefined;

  const over = () => stopped || (options.shuttingDown?.() ?? false);
  const crashed = async (how: string): Promise<void> => {
    if (over()) return;
    const at = Date.now();
    crashes.push(at);
    const decision = decideRestart(crashes, at, options.policy ?? DEFAULT_RESTART_POLICY);
    if (decision.action === 'give-up') {
      options.log(`[supervisor] ${name} exited unexpectedly (${how}), crash ${decision.crashesInWindow} in a short while; not restarting it`);
      options.onGiveUp(
        `${name} kept crashing (${decision.crashesInWindow} times in a short while, the last with ${how}). Its last lines:\n${options.lastLines().join('\n')}`,
      );
      return;
    }
    options.log(`[supervisor] ${name} exited unexpectedly (${how}); restarting it in ${decision.delayMs / 1000} s (restart ${restarts + 1})`);
    pending = new AbortController();
    try {
      await delay(decision.delayMs, undefined, { signal: pending.signal });
    } catch {
      return; // stopped while waiting
    }
    if (over()) return;
    restarts++;
    let started: string;
    try {
      started = await options.restart();
    } catch (error) {
      return crashed(`its restart failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!stopped) options.log(`[supervisor] ${name} restarted (${started})`);
  };

  return {
    crashed,
    stop() {
      stopped = true;
      pending?.abort();
    },
    get restarts() {
      return restarts;
    },
  };
}

/** Keeps a part's last `max` log lines, and logs each one on. */
export function recentLines(log: (line: string) => void, max = 30) {
  const lines: string[] = [];
  return {
    lines: () => lines,
    log: (line: string) => {
      lines.push(line);
      if (lines.length > max) lines.shift();
      log(line);
    },
  };
}

export interface Supervision {
  log: (line: string) => void;
  onGiveUp: (message: string) => void;
  policy?: RestartPolicy;
  shuttingDown?: () => boolean;
}

/**
 * A service started from this process (embedded PostgreSQL, the Temporal dev server) that is
 * started again the same way, on its own data and port, when it dies: PostgreSQL recovers from
 * its write-ahead log and Temporal from its SQLite store, as after a power cut. `start` gets the
 * callback for an unexpected exit and the log to use. Without `supervision` a death is only
 * logged (the test stacks). The first start's failure is thrown, not retried.
 */
export async function startRestartable<T extends { stop(): Promise<void> }>(
  name: string,
  start: (onUnexpectedExit: (how: string) => void, log: (line: string) => void) => Promise<T>,
  log: (line: string) => void,
  supervision?: Supervision,
): Promise<{ first: T; stop(): Promise<void> }> {
  const recent = recentLines(log);
  let current: T | undefined;
  let stopped = false;

  const launch = async (): Promise<T> => {
    let live = false;
    let diedEarly: string | undefined;
    const instance: T = await start((how) => {
      if (!live) diedEarly = how;
      else if (current === instance && !stopped) {
        current = undefined;
        if (loop) void loop.crashed(how);
        else recent.log(`[supervisor] ${name} exited unexpectedly (${how})`);
      }
    }, recent.log);
    if (diedEarly !== undefined) throw new Error(`${name} exited right after it started (${diedEarly})`);
    if (stopped) {
      await instance.stop();
      throw new Error(`${name} was stopped while it started`);
    }
    current = instance;
    live = true;
    return instance;
  };
  const loop = supervision
    ? createRestartLoop(name, {
        log: supervision.log,
        policy: supervision.policy,
        onGiveUp: supervision.onGiveUp,
        shuttingDown: supervision.shuttingDown,
        lastLines: recent.lines,
        restart: async () => (await launch(), 'serving again'),
      })
    : undefined;

  const first = await launch();
  return {
    first,
    async stop() {
      stopped = true;
      loop?.stop();
      await current?.stop();
    },
  };
}
