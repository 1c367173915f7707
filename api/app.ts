import { existsSync } from 'node:fs';
import path from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { logger } from 'hono/logger';
import { requestId } from 'hono/request-id';
import { csrf } from 'hono/csrf';
import type { SessionStore } from './auth/sessions.ts';
import { requireUser } from './auth/middleware.ts';
import { authRoutes } from './routes/auth.ts';
import { licenseRoutes } from './routes/licenses.ts';
import { productRoutes } from './routes/products.ts';
import { publicRoutes } from './routes/public.ts';
import { reportRoutes } from './routes/reports.ts';
import type { KeyStore } from '../activities/signing/key-store.ts';
import { requestRoutes, type RequestRouteDeps } from './routes/requests.ts';
import { healthRoutes, type HealthDeps } from './routes/health.ts';

export type AppDeps = HealthDeps & {
  sessions: SessionStore;
  /** The address people use (PUBLIC_URL): the only origin allowed to post forms with cookies. */
  publicUrl: string;
  log?: (line: string) => void;
  /** The signing keys, for the public key listing and license verification. */
  keyStore?: KeyStore;
  /** Temporal client, task queue and desk policy for the request routes. */
  requests?: Omit<RequestRouteDeps, 'prisma'>;
  /** The built admin UI (admin-ui/dist); served with a fallback to index.html for its routes. */
  uiDir?: string;
};

/**
 * Builds the HTTP API. Every error leaves through `onError` as `{ message, errors? }`; an
 * unexpected one is logged with its request id and answered without internals.
 */
export function createApp(deps: AppDeps) {
  const log = deps.log ?? ((line: string) => console.log(line));
  const app = new Hono();
  app.use('*', requestId());
  app.use('*', logger(log));

  // Browsers send cross-site form posts with cookies; refuse unsafe requests from other origins.
  app.use('/api/*', csrf({ origin: (origin) => origin === new URL(deps.publicUrl).origin }));
  app.route('/api/health', healthRoutes(deps));
  app.route(
    '/api/auth',
    authRoutes({
      prisma: deps.prisma,
      sessions: deps.sessions,
      secureCookies: deps.publicUrl.startsWith('https://'),
      // The socket's address; behind a proxy every client shares the proxy's address and limit.
      clientIp: (c) => (c as unknown as { env?: { incoming?: { socket?: { remoteAddress?: string } } } }).env?.incoming?.socket?.remoteAddress ?? 'local',
    }),
  );
  for (const path of ['/api/licenses', '/api/licenses/*', '/api/requests', '/api/requests/*', '/api/products', '/api/products/*', '/api/reports/*']) app.use(path, requireUser(deps.sessions));
  app.route('/api/licenses', licenseRoutes({ prisma: deps.prisma }));
  app.route('/api/products', productRoutes({ prisma: deps.prisma }));
  app.route('/api/reports', reportRoutes({ prisma: deps.prisma }));
  if (deps.keyStore) app.route('/api', publicRoutes({ keyStore: deps.keyStore }));
  if (deps.requests) app.route('/api/requests', requestRoutes({ prisma: deps.prisma, ...deps.requests }));

  const uiDir = deps.uiDir;
  if (uiDir && existsSync(path.join(uiDir, 'index.html'))) {
    const root = path.relative(process.cwd(), uiDir) || '.';
    app.use('*', async (c, next) => (c.req.path.startsWith('/api/') ? next() : serveStatic({ root })(c, next)));
    // Client-side routes (e.g. /requests/42) load the app shell.
    app.get('*', async (c, next) => (c.req.path.startsWith('/api/') ? next() : serveStatic({ root, path: 'index.html' })(c, next)));
  }

  app.notFound((c) => c.json({ message: `No such endpoint: ${c.req.method} ${c.req.path}` }, 404));
  app.onError((error, c) => {
    if (error instanceof HTTPException) {
      return c.json({ message: error.message || 'Request failed' }, error.status);
    }
    log(`[api] ${c.get('requestId')} ${c.req.method} ${c.req.path} failed: ${error.stack ?? error.message}`);
    return c.json({ message: 'Something went wrong on our side. Please try again; if it persists, quote this id to the desk.', requestId: c.get('requestId') }, 500);
  });
  return app;
}
