import { setTimeout as delay } from 'node:timers/promises';
import { spawnManaged, type ManagedProcess, type SpawnOptions } from './process.ts';
import { decideRestart, DEFAULT_RESTART_POLICY, type RestartPolicy } from './restart-policy.ts';

export interface SupervisedProcess {
  name: string;
  /** The pid of the running incarnation, if one runs. */
  readonly pid: number | undefined;
  /** How many times it was restarted after a crash. */
  readonly restarts: number;
  stop(): Promise<void>;
}

const LAST_LINES = 30;

/**
 * A child that is restarted when it exits unexpectedly (restart-policy.ts: 1 s doubling to 30 s),
 * each restart logged with the exit code or signal. After too many crashes in the window it is
 * left down and `onGiveUp` gets a message naming it, with its last log lines. `stop()` ends it
 * for good (SIGTERM, then SIGKILL after the grace period), also while a restart is pending.
 */
export function spawnSupervised(
  name: string,
  command: string,
  args: readonly string[],
  options: Omit<SpawnOptions, 'onUnexpectedExit'> & { policy?: RestartPolicy; onGiveUp: (message: string) => void },
): SupervisedProcess {
  const log = options.log ?? ((line: string) => console.log(line));
  const recent: string[] = [];
  const crashes: number[] = [];
  let current: ManagedProcess | undefined;
  let restarts = 0;
  let stopped = false;
  let pending: AbortController | undefined;

  const start = (): ManagedProcess => {
    const child = spawnManaged(name, command, args, {
      env: options.env,
      cwd: options.cwd,
      graceMs: options.graceMs,
      log: (line) => {
        recent.push(line);
        if (recent.length > LAST_LINES) recent.shift();
        log(line);
      },
      onUnexpectedExit: (code, signal) => void crashed(child, signal ? `signal ${signal}` : `exit code ${code}`),
    });
    current = child;
    return child;
  };

  const crashed = async (child: ManagedProcess, how: string) => {
    if (stopped || current !== child) return;
    current = undefined;
    const at = Date.now();
    crashes.push(at);
    const decision = decideRestart(crashes, at, options.policy ?? DEFAULT_RESTART_POLICY);
    if (decision.action === 'give-up') {
      log(`[supervisor] ${name} exited unexpectedly (${how}), crash ${decision.crashesInWindow} in a short while; not restarting it`);
      options.onGiveUp(`${name} kept crashing (${decision.crashesInWindow} times in a short while, the last with ${how}). Its last lines:\n${recent.join('\n')}`);
      return;
    }
    log(`[supervisor] ${name} exited unexpectedly (${how}); restarting it in ${decision.delayMs / 1000} s (restart ${restarts + 1})`);
    pending = new AbortController();
    try {
      await delay(decision.delayMs, undefined, { signal: pending.signal });
    } catch {
      return; // stopped while waiting
    }
    if (stopped) return;
    restarts++;
    log(`[supervisor] ${name} restarted (pid ${start().child.pid})`);
  };

  start();
  return {
    name,
    get pid() {
      return current?.child.pid;
    },
    get restarts() {
      return restarts;
    },
    async stop() {
      stopped = true;
      pending?.abort();
      await current?.stop();
    },
  };
}
