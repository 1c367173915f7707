import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { measureLoad, type LoadResult } from './load.ts';

export const SUBMISSION_CLIENTS = [50, 200] as const;
/**
 * Each client sends this many requests, and every one is awaited and counted. The bare route
 * answers in well under a millisecond, so its run is longer, to be more than a blip.
 */
export const SUBMISSIONS_PER_CLIENT = 5;
export const BASELINE_REQUESTS_PER_CLIENT = 50;
/**
 * The second baseline's workflow type and task queue: no worker has either, so a started
 * workflow waits, as the API's submissions on 'bench-submissions' do.
 */
export const UNPOLLED_WORKFLOW_TYPE = 'benchUnpolled';
export const UNPOLLED_TASK_QUEUE = 'bench-submission-starts';

/** A new installation as the portal's form posts it. */
export const SUBMISSION_FORM = {
  type: 'NEW_INSTALLATION',
  productId: '',
  channels: 16,
  vcaChannels: 2,
  lock: { type: 'MAC', value: 'C8:D9:D2:9A:A3:1B' },
  endUserCompany: 'Tapio Koistinen Oy',
  endUserContact: 'tapio@example.com',
  orderType: 'New',
  vendorRef: 'V-1',
  ordererRef: 'PO-1',
  deliveryEmails: ['orders@bench.test'],
  comments: 'Benchmark request',
};

export interface SubmissionResult {
  clients: number;
  app: LoadResult;
  baseline: LoadResult;
  /** Bare `client.workflow.start` calls: as many clients, as many starts each as the API's submissions. */
  starts: LoadResult;
}

function percentile(sorted: number[], p: number) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
}

/**
 * `clients` concurrent loops, each starting `perClient` workflows one after the other (a fresh
 * workflowId each, a type and task queue nobody polls), after `warmup` starts each that are
 * thrown away. The same closed loop autocannon runs against the API, with the client's own call
 * in place of the HTTP request.
 */
export async function measureWorkflowStarts(client: Client, clients: number, perClient: number, warmup: number): Promise<LoadResult> {
  const loop = async (count: number, latencies: number[]) => {
    let failures = 0;
    await Promise.all(
      Array.from({ length: clients }, async () => {
        for (let i = 0; i < count; i++) {
          const begun = performance.now();
          try {
            await client.workflow.start(UNPOLLED_WORKFLOW_TYPE, { taskQueue: UNPOLLED_TASK_QUEUE, workflowId: `bench-start-${randomUUID()}`, args: [] });
            latencies.push(performance.now() - begun);
          } catch {
            failures++;
          }
        }
      }),
    );
    return failures;
  };
  await loop(warmup, []);
  const latencies: number[] = [];
  const started = performance.now();
  const failures = await loop(perClient, latencies);
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    rps: latencies.length / Math.max(seconds, 0.001),
    requests: latencies.length,
    failures,
  };
}

/**
 * POST /api/requests on the real API (session, CSRF, zod, the Request row, the workflow start
 * on Temporal) against a bare Hono route that parses the same JSON and answers 201, and against
 * bare `client.workflow.start` calls on the same Temporal server (what the API's own start costs
 * at the least).
 */
export async function measureSubmission(options: {
  apiUrl: string;
  bareUrl: string;
  client: Client;
  cookie: string;
  productId: string;
  progress: (line: string) => void;
}): Promise<SubmissionResult[]> {
  const body = JSON.stringify({ ...SUBMISSION_FORM, productId: options.productId });
  const probe = await fetch(`${options.apiUrl}/api/requests`, {
    method: 'POST',
    headers: { cookie: options.cookie, origin: options.apiUrl, 'content-type': 'application/json' },
    body,
  });
  if (probe.status !== 201) throw new Error(`A submission answered ${probe.status}: ${await probe.text()}`);

  const results: SubmissionResult[] = [];
  for (const clients of SUBMISSION_CLIENTS) {
    options.progress(`submission at ${clients} clients: API, ${SUBMISSIONS_PER_CLIENT} requests each...`);
    const app = await measureLoad({
      url: `${options.apiUrl}/api/requests`,
      method: 'POST',
      headers: { cookie: options.cookie, origin: options.apiUrl, 'content-type': 'application/json' },
      body,
      connections: clients,
      length: { requestsPerClient: SUBMISSIONS_PER_CLIENT },
      warmup: { requestsPerClient: 1 },
    });
    options.progress(`submission at ${clients} clients: ${Math.round(app.rps)} req/s, p99 ${app.p99} ms; baseline...`);
    const baseline = await measureLoad({
      url: `${options.bareUrl}/api/requests`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      connections: clients,
      length: { requestsPerClient: BASELINE_REQUESTS_PER_CLIENT },
      warmup: { requestsPerClient: 5 },
    });
    options.progress(
      `submission at ${clients} clients: bare Hono ${Math.round(baseline.rps)} req/s, p99 ${baseline.p99} ms; bare client.workflow.start, ${SUBMISSIONS_PER_CLIENT} each...`,
    );
    const starts = await measureWorkflowStarts(options.client, clients, SUBMISSIONS_PER_CLIENT, 1);
    options.progress(`submission at ${clients} clients: bare client.workflow.start ${Math.round(starts.rps)} starts/s, p99 ${starts.p99.toFixed(1)} ms`);
    results.push({ clients, app, baseline, starts });
  }
  return results;
}
