import { spawnManaged, type ManagedProcess, type SpawnOptions } from './process.ts';
import { createRestartLoop, recentLines } from './restart-loop.ts';
import type { RestartPolicy } from './restart-policy.ts';

export interface SupervisedProcess {
  name: string;
  /** The pid of the running incarnation, if one runs. */
  readonly pid: number | undefined;
  /** How many times it was restarted after a crash. */
  readonly restarts: number;
  stop(): Promise<void>;
}

/**
 * A child that is restarted when it exits unexpectedly (restart-loop.ts: 1 s doubling to 30 s),
 * each restart logged with the exit code or signal. After too many crashes in the window it is
 * left down and `onGiveUp` gets a message naming it, with its last log lines. `stop()` ends it
 * for good (SIGTERM, then SIGKILL after the grace period), also while a restart is pending.
 */
export function spawnSupervised(
  name: string,
  command: string,
  args: readonly string[],
  options: Omit<SpawnOptions, 'onUnexpectedExit'> & { policy?: RestartPolicy; onGiveUp: (message: string) => void; shuttingDown?: () => boolean },
): SupervisedProcess {
  const recent = recentLines(options.log ?? ((line: string) => console.log(line)));
  let current: ManagedProcess | undefined;

  const start = (): ManagedProcess => {
    const child = spawnManaged(name, command, args, {
      env: options.env,
      cwd: options.cwd,
      graceMs: options.graceMs,
      log: recent.log,
      onUnexpectedExit: (code, signal) => {
        if (current !== child) return;
        current = undefined;
        void loop.crashed(signal ? `signal ${signal}` : `exit code ${code}`);
      },
    });
    current = child;
    return child;
  };
  const loop = createRestartLoop(name, {
    log: recent.log,
    policy: options.policy,
    onGiveUp: options.onGiveUp,
    shuttingDown: options.shuttingDown,
    lastLines: recent.lines,
    restart: () => `pid ${start().child.pid}`,
  });

  start();
  return {
    name,
    get pid() {
      return current?.child.pid;
    },
    get restarts() {
      return loop.restarts;
    },
    async stop() {
      loop.stop();
      await current?.stop();
    },
  };
}
