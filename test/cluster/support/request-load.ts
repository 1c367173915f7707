import { request as httpRequest } from 'node:http';
import { createApiToken } from '../../../api/auth/api-tokens.ts';
import { createSessionStore, SESSION_COOKIE } from '../../../api/auth/sessions.ts';
import type { PrismaClient } from '../../../prisma/client.ts';
import { newPartner } from '../../support/request-harness.ts';

export type Partner = Awaited<ReturnType<typeof newPartner>> & { token: string };

export interface HttpAnswer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the answer's JSON, which the load's callers read field by field
  body: any;
}

/**
 * One HTTP call on a connection of its own (no keep-alive), so that a round-robin TCP balancer
 * spreads consecutive calls over the replicas the way separate clients would.
 */
export function call(baseUrl: string, path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<HttpAnswer> {
  const url = new URL(path, baseUrl);
  const payload = init.body === undefined ? undefined : JSON.stringify(init.body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: init.method ?? 'GET',
        agent: false,
        headers: {
          origin: new URL(baseUrl).origin,
          ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
          ...init.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // not JSON: keep the text, the caller prints it
          }
          resolve({ status: res.statusCode ?? 0, body });
        });
      },
    );
    req.setTimeout(60_000, () => req.destroy(new Error(`${init.method ?? 'GET'} ${path} timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** A call whose connection was cut after it was sent: it may or may not have been carried out. */
export class AnswerLost extends Error {}

/**
 * Retries what a careful client retries: a refused or cut connection and a 502/503/504 (a replica
 * or a Temporal service going away). Anything else is the answer. Options:
 * - `resend: false`: a call that must not be carried out twice (a submission) is sent again only
 *   when the connection was refused, so nothing was sent; a cut connection throws AnswerLost;
 * - `stopped`: the client gives up at once instead (everything was switched off on purpose).
 */
export async function callRetrying(
  baseUrl: string,
  path: string,
  init: Parameters<typeof call>[2],
  options: { budgetMs?: number; resend?: boolean; stopped?: () => boolean } = {},
) {
  const deadline = Date.now() + (options.budgetMs ?? 60_000);
  const giveUp = () => Date.now() > deadline || (options.stopped?.() ?? false);
  let retries = 0;
  for (;;) {
    try {
      const answer = await call(baseUrl, path, init);
      if (![502, 503, 504].includes(answer.status) || giveUp()) return { ...answer, retries };
    } catch (error) {
      if (giveUp()) throw error;
      if (options.resend === false && (error as NodeJS.ErrnoException).code !== 'ECONNREFUSED') {
        throw new AnswerLost(`${init?.method ?? 'GET'} ${path}: the connection was cut after the call was sent (${String(error)})`);
      }
    }
    retries++;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A partner with a stock and an API token (partners of an integration use tokens, not logins). */
export async function tokenPartner(prisma: PrismaClient, stock: number): Promise<Partner> {
  const partner = await newPartner(prisma, { stock });
  const { token } = await createApiToken(prisma, { companyId: partner.company.id, createdById: partner.user.id, name: 'cluster load' });
  return { ...partner, token };
}

/** A desk agent's session cookie, made the way a login makes it (logins are rate-limited per process). */
export async function deskCookie(prisma: PrismaClient) {
  const vendor = await prisma.company.findFirstOrThrow({ where: { kind: 'VENDOR' } });
  const tag = Math.random().toString(36).slice(2, 10);
  const agent = await prisma.user.create({
    data: { email: `agent-${tag}@license-desk.test`, name: `Agent ${tag}`, role: 'DESK_AGENT', companyId: vendor.id, passwordHash: 'x' },
  });
  return `${SESSION_COOKIE}=${await createSessionStore(prisma).create(agent.id)}`;
}

export function installationForm(partner: Partner, n: number) {
  return {
    type: 'NEW_INSTALLATION',
    productId: partner.product.id,
    channels: 1 + (n % 4),
    vcaChannels: 0,
    lock: { type: 'MAC', value: `c8d9d2${(0x100000 + n).toString(16).slice(-6)}` },
    endUserCompany: `Site ${n} of ${partner.company.name}`,
    deliveryEmails: [partner.deliveryEmail],
  };
}

export interface LoadedRequest {
  id: string;
  workflowId: string;
  partner: Partner;
  channels: number;
  /** HTTP retries this request's submission and approval needed. */
  retries: number;
}

type LoadOptions = { baseUrl: string; prisma: PrismaClient; stopped?: () => boolean };

/**
 * What a partner does, over HTTP through `baseUrl`: submits a new installation (201, or this
 * throws). `resend: false`: not again after a cut connection (AnswerLost), see callRetrying.
 */
export async function submitInstallationOverHttp(
  options: Omit<LoadOptions, 'prisma'> & { partner: Partner; n: number; resend?: boolean },
): Promise<LoadedRequest> {
  const { partner } = options;
  const form = installationForm(partner, options.n);
  const submitted = await callRetrying(
    options.baseUrl,
    '/api/requests',
    { method: 'POST', body: form, headers: { authorization: `Bearer ${partner.token}` } },
    { resend: options.resend, stopped: options.stopped },
  );
  if (submitted.status !== 201) throw new Error(`Submission ${options.n} answered ${submitted.status}: ${JSON.stringify(submitted.body)}`);
  const { id, workflowId } = submitted.body as { id: string; workflowId: string };
  return { id, workflowId, partner, channels: form.channels, retries: submitted.retries };
}

/** What the desk does: waits until the request is open for a decision and approves it. Answers the HTTP retries it took. */
export async function approveWhenOpen(options: LoadOptions & { id: string; deskCookie: string }): Promise<number> {
  const { baseUrl, prisma, id } = options;
  const deadline = Date.now() + 90_000;
  let retries = 0;
  for (;;) {
    const { status } = await prisma.request.findUniqueOrThrow({ where: { id }, select: { status: true } });
    if (status !== 'SUBMITTED' && status !== 'PENDING_APPROVAL') return retries; // approved (by an attempt whose answer was lost) or closed
    if (status === 'PENDING_APPROVAL') {
      const approved = await callRetrying(
        baseUrl,
        `/api/requests/${id}/approve`,
        { method: 'POST', body: { comment: 'ok' }, headers: { cookie: options.deskCookie } },
        { stopped: options.stopped },
      );
      retries += approved.retries;
      if (approved.status === 200) return retries;
      // 409 while the workflow is still opening the request for a decision: ask again.
      if (approved.status !== 409) throw new Error(`Approval of ${id} answered ${approved.status}: ${JSON.stringify(approved.body)}`);
    }
    if (Date.now() > deadline) throw new Error(`Request ${id} was never open for a decision (status ${status})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A partner submits a new installation and the desk approves it, both over HTTP through `baseUrl`. */
export async function submitAndApprove(options: LoadOptions & { partner: Partner; deskCookie: string; n: number }): Promise<LoadedRequest> {
  const request = await submitInstallationOverHttp(options);
  return { ...request, retries: request.retries + (await approveWhenOpen({ ...options, id: request.id })) };
}
