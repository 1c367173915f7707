import { existsSync } from 'node:fs';
import path from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { logger } from 'hono/logger';
import { requestId } from 'hono/request-id';
import { healthRoutes, type HealthDeps } from './routes/health.ts';

export type AppDeps = HealthDeps & {
  log?: (line: string) => void;
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

  app.route('/api/health', healthRoutes(deps));

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
