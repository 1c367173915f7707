import { measureLoad, type LoadResult } from './load.ts';

export const SUBMISSION_CLIENTS = [50, 200] as const;
/**
 * Each client sends this many requests, and every one is awaited and counted. The bare route
 * answers in well under a millisecond, so its run is longer, to be more than a blip.
 */
export const SUBMISSIONS_PER_CLIENT = 5;
export const BASELINE_REQUESTS_PER_CLIENT = 50;

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
}

/**
 * POST /api/requests on the real API (session, CSRF, zod, the Request row, the workflow start
 * on Temporal) against a bare Hono route that parses the same JSON and answers 201.
 */
export async function measureSubmission(options: {
  apiUrl: string;
  bareUrl: string;
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
    results.push({ clients, app, baseline });
  }
  return results;
}
