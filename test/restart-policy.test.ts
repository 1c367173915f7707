import { describe, expect, it } from 'vitest';
import { createRestartLoop } from '../embedded/restart-loop.ts';
import { decideRestart, DEFAULT_RESTART_POLICY } from '../embedded/restart-policy.ts';
import { spawnSupervised } from '../embedded/supervised-process.ts';

describe('restart policy of the npm start supervisor', () => {
  const t0 = 1_000_000_000;

  it('restarts after 1 s, doubling with each crash in the window, at most 30 s', () => {
    const delays: number[] = [];
    const crashes: number[] = [];
    const policy = { ...DEFAULT_RESTART_POLICY, maxCrashes: 10 };
    for (let i = 0; i < 8; i++) {
      crashes.push(t0 + i * 1000);
      const decision = decideRestart(crashes, t0 + i * 1000, policy);
      if (decision.action === 'restart') delays.push(decision.delayMs);
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('gives up at the fifth crash within five minutes', () => {
    const crashes = [t0, t0 + 10_000, t0 + 20_000, t0 + 30_000];
    expect(decideRestart(crashes, t0 + 30_000)).toEqual({ action: 'restart', delayMs: 8_000, crashesInWindow: 4 });
    expect(decideRestart([...crashes, t0 + 40_000], t0 + 40_000)).toEqual({ action: 'give-up', crashesInWindow: 5 });
  });

  it('forgets crashes older than the window: a crash a day starts again at 1 s', () => {
    const day = 24 * 60 * 60 * 1000;
    const crashes = [t0, t0 + day, t0 + 2 * day, t0 + 3 * day, t0 + 4 * day, t0 + 5 * day];
    expect(decideRestart(crashes, t0 + 5 * day)).toEqual({ action: 'restart', delayMs: 1_000, crashesInWindow: 1 });
  });
});

describe('spawnSupervised', () => {
  it('restarts nothing once the system is shutting down, also when the death came during the backoff', async () => {
    const lines: string[] = [];
    let shuttingDown = false;
    let restarted = 0;
    const policy = { ...DEFAULT_RESTART_POLICY, initialMs: 50 };
    const loop = createRestartLoop('postgres', {
      log: (l) => lines.push(l),
      policy,
      onGiveUp: () => {},
      lastLines: () => [],
      restart: () => `pid ${++restarted}`,
      shuttingDown: () => shuttingDown,
    });
    // Ctrl-C reached the part and the supervisor together: the part died first, the flag came after.
    const waiting = loop.crashed('exit code 0');
    shuttingDown = true;
    await waiting;
    await loop.crashed('signal SIGINT');
    expect({ restarted, lines }).toEqual({
      restarted: 0,
      lines: ['[supervisor] postgres exited unexpectedly (exit code 0); restarting it in 0.05 s (restart 1)'],
    });
  });

  it('restarts a crashing child with the backoff, then gives up naming it, with its last lines', async () => {
    const lines: string[] = [];
    const gaveUp = new Promise<string>((resolve) => {
      spawnSupervised('flaky', process.execPath, ['-e', 'console.log("starting flaky"); process.exit(3)'], {
        log: (line) => lines.push(line),
        policy: { initialMs: 20, maxMs: 80, maxCrashes: 3, windowMs: 60_000 },
        onGiveUp: resolve,
      });
    });
    const message = await gaveUp;
    expect(message).toMatch(/^flaky kept crashing \(3 times in a short while, the last with exit code 3\)\. Its last lines:\n/);
    expect(message).toContain('[flaky] starting flaky');
    expect(lines.filter((l) => l.startsWith('[supervisor]'))).toEqual([
      '[supervisor] flaky exited unexpectedly (exit code 3); restarting it in 0.02 s (restart 1)',
      expect.stringMatching(/^\[supervisor\] flaky restarted \(pid \d+\)$/),
      '[supervisor] flaky exited unexpectedly (exit code 3); restarting it in 0.04 s (restart 2)',
      expect.stringMatching(/^\[supervisor\] flaky restarted \(pid \d+\)$/),
      '[supervisor] flaky exited unexpectedly (exit code 3), crash 3 in a short while; not restarting it',
    ]);
  });
});
