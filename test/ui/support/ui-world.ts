import { randomUUID } from 'node:crypto';
import { serve } from '@hono/node-server';
import { inject } from 'vitest';
import { createKeyStore } from '../../../services/signing/key-store.ts';
import { createApp } from '../../../api/app.ts';
import { hashPassword } from '../../../api/auth/password.ts';
import { createSessionStore, SESSION_COOKIE } from '../../../api/auth/sessions.ts';
import { freePort } from '../../../embedded/process.ts';
import type { CompanyKind, UserRole } from '../../../prisma/client.ts';
import { DEFAULT_DECISION_POLICY } from '../../../workflows/decision.ts';
import { startRequestWorld, type RequestWorld } from '../../support/request-harness.ts';
import type { BrowserContext } from './browser.ts';
import { ensureUiBuilt, UI_DIST } from '../../../scripts/ui-build.ts';
import { fileStack } from '../../support/file-stack.ts';

export const TEST_PASSWORD = 'ui tests use a long passphrase';

export interface UiWorld extends RequestWorld {
  origin: string;
  sessions: ReturnType<typeof createSessionStore>;
  keyStore: ReturnType<typeof createKeyStore>;
  /** A user of a company of its own (or of `companyId`), with TEST_PASSWORD. */
  newUser(options: {
    role: UserRole;
    companyId?: string;
    kind?: CompanyKind;
    parentId?: string;
    seesDealers?: boolean;
  }): Promise<{ id: string; email: string; name: string; companyId: string; companyName: string }>;
  /** Logs a browser context in without the login form (the form has a rate limit of 5 a minute). */
  logIn(context: BrowserContext, userId: string): Promise<void>;
  /** Calls the API as a user, from Node (set-up steps that are not under test). */
  api(userId: string): Promise<(path: string, init?: { method?: string; body?: unknown }) => Promise<Response>>;
  close(): Promise<void>;
}

/**
 * The real system for browser tests: the request world (database, Temporal, worker, SMTP) and
 * the API serving the built admin UI over HTTP on a free port, as `npm start` does.
 */
export async function startUiWorld(): Promise<UiWorld> {
  const [world] = await Promise.all([startRequestWorld(), ensureUiBuilt()]);
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const sessions = createSessionStore(world.prisma);
  const keyStore = createKeyStore({ prisma: world.prisma, secret: inject('signingKeySecret') });
  const app = createApp({
    prisma: world.prisma,
    temporal: { connection: world.connection, namespace: fileStack.temporalNamespace },
    smtpUrl: fileStack.smtpUrl,
    sessions,
    publicUrl: origin,
    keyStore,
    requests: { client: world.client, taskQueue: world.worker.taskQueue, policy: DEFAULT_DECISION_POLICY },
    uiDir: UI_DIST,
    webhooks: { masterSecret: inject('signingKeySecret'), allowHttp: true, allowPrivate: true },
    log: () => {},
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const vendor = await world.prisma.user.findUniqueOrThrow({ where: { id: world.desk.userId } });

  const newUser: UiWorld['newUser'] = async ({ role, companyId, kind = 'DEALER', parentId, seesDealers }) => {
    const tag = randomUUID().slice(0, 8);
    const desk = role === 'DESK_AGENT' || role === 'DESK_ADMIN';
    const company = companyId
      ? await world.prisma.company.findUniqueOrThrow({ where: { id: companyId } })
      : desk
        ? await world.prisma.company.findUniqueOrThrow({ where: { id: vendor.companyId } })
        : await world.prisma.company.create({
            data: { name: `${kind === 'DISTRIBUTOR' ? 'Distributor' : 'Dealer'} ${tag} Oy`, kind, parentId, seesDealers: seesDealers ?? false },
          });
    const first = { PARTNER_USER: 'Pia', PARTNER_ADMIN: 'Anna', DESK_AGENT: 'Aki', DESK_ADMIN: 'Dana' }[role];
    const user = await world.prisma.user.create({
      data: {
        email: `${role.toLowerCase()}-${tag}@ui.test`,
        name: `${first} ${tag}`,
        role,
        companyId: company.id,
        passwordHash: await hashPassword(TEST_PASSWORD),
      },
    });
    return { id: user.id, email: user.email, name: user.name, companyId: company.id, companyName: company.name };
  };

  const logIn: UiWorld['logIn'] = async (context, userId) => {
    const token = await sessions.create(userId, { userAgent: 'ui-test' });
    await context.addCookies([{ name: SESSION_COOKIE, value: token, url: origin, httpOnly: true, sameSite: 'Lax' }]);
  };

  const api: UiWorld['api'] = async (userId) => {
    const token = await sessions.create(userId, { userAgent: 'ui-test-api' });
    return (path, init = {}) =>
      fetch(`${origin}${path}`, {
        method: init.method ?? 'GET',
        headers: { cookie: `${SESSION_COOKIE}=${token}`, origin, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
      });
  };

  return {
    ...world,
    origin,
    sessions,
    keyStore,
    newUser,
    logIn,
    api,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await world.stop();
    },
  };
}

/** Polls `probe` until it returns a value. */
export async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
