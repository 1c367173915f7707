import autocannon from 'autocannon';

export interface LoadResult {
  /** Latency percentiles in milliseconds. */
  p50: number;
  p99: number;
  /** Completed requests per second. */
  rps: number;
  requests: number;
  /** Responses outside 2xx, and connection errors (timeouts included). */
  failures: number;
}

export interface LoadOptions {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  /**
   * How long: a number of seconds, or a number of requests per client. The latter waits for
   * every request it sent, so a slow server's latencies are all counted; a timed run drops the
   * requests still in flight when the time is up.
   */
  length: { seconds: number } | { requestsPerClient: number };
  /** The same load first, thrown away (connection set-up, JIT, caches): seconds or requests per client. */
  warmup?: { seconds: number } | { requestsPerClient: number };
}

function run(options: LoadOptions, length: LoadOptions['length']): Promise<autocannon.Result> {
  return autocannon({
    ...('seconds' in length ? { duration: length.seconds } : { amount: length.requestsPerClient * options.connections }),
    url: options.url,
    method: options.method ?? 'GET',
    headers: options.headers,
    body: options.body,
    connections: options.connections,
    timeout: 60,
  });
}

/** Closed-loop load from `connections` clients (autocannon, one request in flight each). */
export async function measureLoad(options: LoadOptions): Promise<LoadResult> {
  if (options.warmup) await run(options, options.warmup);
  const result = await run(options, options.length);
  const failures = result.non2xx + result.errors;
  return {
    p50: result.latency.p50,
    p99: result.latency.p99,
    rps: result.requests.total / Math.max((result.finish.getTime() - result.start.getTime()) / 1000, 0.001),
    requests: result.requests.total,
    failures,
  };
}
