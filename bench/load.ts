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
  seconds: number;
  /** Seconds of the same load first, thrown away (connection set-up, JIT, caches). */
  warmupSeconds?: number;
}

function run(options: LoadOptions, seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url: options.url,
    method: options.method ?? 'GET',
    headers: options.headers,
    body: options.body,
    connections: options.connections,
    duration: seconds,
    timeout: 30,
  });
}

/** Closed-loop load from `connections` clients (autocannon, one request in flight each). */
export async function measureLoad(options: LoadOptions): Promise<LoadResult> {
  if (options.warmupSeconds) await run(options, options.warmupSeconds);
  const result = await run(options, options.seconds);
  const failures = result.non2xx + result.errors;
  return {
    p50: result.latency.p50,
    p99: result.latency.p99,
    rps: result.requests.total / options.seconds,
    requests: result.requests.total,
    failures,
  };
}
