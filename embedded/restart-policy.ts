/**
 * When a supervised part (the worker, the API) exits unexpectedly: restart it after a backoff that
 * starts at `initialMs` and doubles with every crash in the window, up to `maxMs`, the way systemd,
 * pm2 and Kubernetes do; give up once `maxCrashes` crashes fall within `windowMs`, because a part
 * that keeps dying at once will not be saved by another restart.
 */
export interface RestartPolicy {
  initialMs: number;
  maxMs: number;
  maxCrashes: number;
  windowMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = { initialMs: 1_000, maxMs: 30_000, maxCrashes: 5, windowMs: 5 * 60_000 };

export type RestartDecision = { action: 'restart'; delayMs: number; crashesInWindow: number } | { action: 'give-up'; crashesInWindow: number };

/** `crashes`: the times (ms) of every crash so far, this one included. */
export function decideRestart(crashes: readonly number[], now: number, policy: RestartPolicy = DEFAULT_RESTART_POLICY): RestartDecision {
  const crashesInWindow = crashes.filter((at) => now - at <= policy.windowMs).length;
  if (crashesInWindow >= policy.maxCrashes) return { action: 'give-up', crashesInWindow };
  const delayMs = Math.min(policy.initialMs * 2 ** Math.max(0, crashesInWindow - 1), policy.maxMs);
  return { action: 'restart', delayMs, crashesInWindow };
}
