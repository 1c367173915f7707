import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { createOutbox } from '../../services/mail/outbox.ts';
import { createMailTransport } from '../../services/mail/transport.ts';
import { createKeyStore } from '../../services/signing/key-store.ts';
import { createApp, type AppDeps } from '../../api/app.ts';
import { hashPassword } from '../../api/auth/password.ts';
import { createSessionStore } from '../../api/auth/sessions.ts';
import { DEFAULT_DECISION_POLICY } from '../../workflows/decision.ts';
import { newPartner, startRequestWorld, type RequestWorld } from './request-harness.ts';
import { fileStack } from './file-stack.ts';

export const ORIGIN = 'http://localhost:3000';
export const TEST_PASSWORD = 'a long enough test password';

export type Call = (
  path: string,
  init?: { method?: string; body?: unknown; raw?: BodyInit; headers?: Record<string, string>; ip?: string },
) => Promise<Response>;

let clients = 0;
/** Each logged-in caller comes from an address of its own, as real clients do (the limits are per IP). */
const nextIp = () => `10.${(++clients >> 16) & 255}.${(clients >> 8) & 255}.${clients & 255}`;
/** The socket address Hono's node adapter would see (api/app.ts reads env.incoming.socket). */
const fromAddress = (ip: string) => ({ incoming: { socket: { remoteAddress: ip } } });

/**
 * The whole API (createApp, as api/main.ts builds it) on the suite's database, Temporal server
 * and SMTP catcher, with a real worker; `as(userId)` logs a user in and returns a caller.
 */
export async function startApiWorld(
  options: {
    corsOrigins?: AppDeps['corsOrigins'];
    /** The webhook destination rule: loopback receivers are allowed unless `allowPrivate: false`. */
    webhooks?: Pick<NonNullable<AppDeps['webhooks']>, 'allowPrivate' | 'resolve'>;
  } = {},
) {
  const world: RequestWorld = await startRequestWorld();
  const transport = createMailTransport(fileStack.smtpUrl);
  const from = 'License Desk <license-desk@license-desk.test>';
  const logLines: string[] = [];
  const app = createApp({
    prisma: world.prisma,
    temporal: { connection: world.connection, namespace: fileStack.temporalNamespace },
    smtpUrl: fileStack.smtpUrl,
    sessions: createSessionStore(world.prisma),
    publicUrl: ORIGIN,
    keyStore: createKeyStore({ prisma: world.prisma, secret: inject('signingKeySecret') }),
    requests: { client: world.client, taskQueue: world.worker.taskQueue, policy: DEFAULT_DECISION_POLICY },
    mail: { mailer: { transport, from, publicUrl: ORIGIN }, outbox: createOutbox({ prisma: world.prisma, transport, from }) },
    webhooks: { masterSecret: inject('signingKeySecret'), allowHttp: true, allowPrivate: true, ...options.webhooks },
    log: (line) => logLines.push(line),
    corsOrigins: options.corsOrigins,
  });
  const vendor = await world.prisma.company.findFirstOrThrow({ where: { kind: 'VENDOR' } });

  /** A caller with no session at all (or with the given headers only). */
  const anonymousIp = nextIp();
  const anonymous: Call = async (path, init = {}) => app.request(path, requestInit(undefined, init), fromAddress(init.ip ?? anonymousIp));

  async function as(userId: string): Promise<Call> {
    const user = await world.prisma.user.update({
      where: { id: userId },
      data: { passwordHash: await hashPassword(TEST_PASSWORD), failedLogins: 0, lockedUntil: null },
    });
    const ip = nextIp();
    const response = await anonymous('/api/auth/login', { method: 'POST', body: { email: user.email, password: TEST_PASSWORD }, ip });
    if (response.status !== 200) throw new Error(`login of ${user.email} answered ${response.status}`);
    const cookie = response.headers.get('set-cookie')!.split(';')[0]!;
    return async (path, init = {}) => app.request(path, requestInit(cookie, init), fromAddress(init.ip ?? ip));
  }

  /** A desk user of its own (the demo users' passwords stay as the demo data sets them). */
  async function newDeskUser(role: 'DESK_AGENT' | 'DESK_ADMIN') {
    const tag = randomUUID().slice(0, 8);
    return world.prisma.user.create({
      data: {
        email: `${role.toLowerCase()}-${tag}@license-desk.test`,
        name: `${role === 'DESK_AGENT' ? 'Agent' : 'Admin'} ${tag}`,
        role,
        companyId: vendor.id,
        passwordHash: 'x',
      },
    });
  }

  /** A partner company (see newPartner) with a user, an admin and logged-in callers for both. */
  async function newPartnerCompany(options: Parameters<typeof newPartner>[1] = {}) {
    const partner = await newPartner(world.prisma, options);
    const admin = await world.prisma.user.create({
      data: {
        email: `admin-${partner.tag}@partner.test`,
        name: `Admin ${partner.tag}`,
        role: 'PARTNER_ADMIN',
        companyId: partner.company.id,
        passwordHash: 'x',
      },
    });
    return { ...partner, admin, asUser: await as(partner.user.id), asAdmin: await as(admin.id) };
  }

  return {
    world,
    app,
    anonymous,
    as,
    nextIp,
    newDeskUser,
    newPartnerCompany,
    vendor,
    logLines,
    stop: async () => {
      transport.close();
      await world.stop();
    },
  };
}

export type ApiWorld = Awaited<ReturnType<typeof startApiWorld>>;

function requestInit(cookie: string | undefined, init: { method?: string; body?: unknown; raw?: BodyInit; headers?: Record<string, string> }): RequestInit {
  const headers: Record<string, string> = {
    origin: ORIGIN,
    ...(cookie ? { cookie } : {}),
    ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
    ...init.headers,
  };
  return { method: init.method ?? 'GET', headers, body: init.raw ?? (init.body !== undefined ? JSON.stringify(init.body) : undefined) };
}

/** `?filter=…&range=…&sort=…` for a simple-rest list. */
export function listParams(params: { filter?: object; range?: [number, number]; sort?: [string, 'ASC' | 'DESC'] }) {
  const parts = Object.entries(params).map(([k, v]) => `${k}=${encodeURIComponent(JSON.stringify(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

export async function until<T>(probe: () => Promise<T | undefined>, what: string, attempts = 150) {
  for (let i = 0; i < attempts; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}
