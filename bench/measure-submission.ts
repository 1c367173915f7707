import { measureLoad, type LoadResult } from './load.ts';

export const SUBMISSION_CLIENTS = [50, 200] as const;
export const SUBMISSION_SECONDS = 10;

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
  const probe = await fetch(`${options.apiUrl}/api/requests`, { method: 'POST', headers: { cookie: options.cookie, origin: options.apiUrl, 'content-type': 'application/json' }, body });
  if (probe.status !== 201) throw new Error(`A submission answered ${probe.status}: ${await probe.text()}`);

  const results: SubmissionResult[] = [];
  for (const clients of SUBMISSION_CLIENTS) {
    options.progress(`submission at ${clients} clients: API ${SUBMISSION_SECONDS}s...`);
    const app = await measureLoad({
      url: `${options.apiUrl}/api/requests`,
      method: 'POST',
      headers: { cookie: options.cookie, origin: options.apiUrl, 'content-type': 'application/json' },
      body,
      connections: clients,
      seconds: SUBMISSION_SECONDS,
      warmupSeconds: 2,
    });
    options.progress(`submission at ${clients} clients: ${Math.round(app.rps)} req/s, p99 ${app.p99} ms; baseline...`);
    const baseline = await measureLoad({
      url: `${options.bareUrl}/api/requests`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      connections: clients,
      seconds: SUBMISSION_SECONDS,
      warmupSeconds: 2,
    });
    results.push({ clients, app, baseline });
  }
  return results;
}
