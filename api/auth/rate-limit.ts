/**
 * A fixed-window counter per key (e.g. "login:<ip>"), in memory. One API process enforces its
 * own limits; behind several replicas each counts separately, which still bounds guessing.
 */
export function createRateLimiter(options: { limit: number; windowMs: number; clock?: () => number }) {
  const clock = options.clock ?? Date.now;
  const windows = new Map<string, { start: number; count: number }>();
  return {
    /** Counts one attempt; returns how many seconds to wait when over the limit. */
    hit(key: string): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
      const now = clock();
      const current = windows.get(key);
      if (!current || now - current.start >= options.windowMs) {
        windows.set(key, { start: now, count: 1 });
        if (windows.size > 10_000) for (const [k, w] of windows) if (now - w.start >= options.windowMs) windows.delete(k);
        return { allowed: true };
      }
      current.count += 1;
      if (current.count <= options.limit) return { allowed: true };
      return { allowed: false, retryAfterSeconds: Math.ceil((current.start + options.windowMs - now) / 1000) };
    },
  };
}
