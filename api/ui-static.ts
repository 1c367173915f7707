import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Context, Hono } from 'hono';

/** Vite names every file under assets/ by its content's hash: a new build is a new URL. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** index.html names the current build's assets; browsers keep it but ask each time (ETag → 304). */
export const REVALIDATE = 'no-cache';

/** index.html's bytes and strong ETag, read again only when the file changes (a new build). */
function indexFile(uiDir: string) {
  const file = path.join(uiDir, 'index.html');
  let cached: { mtimeMs: number; size: number; body: Buffer; etag: string } | undefined;
  return async () => {
    const { mtimeMs, size } = await stat(file);
    if (!cached || cached.mtimeMs !== mtimeMs || cached.size !== size) {
      const body = await readFile(file);
      cached = { mtimeMs, size, body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
    }
    return cached;
  };
}

/** If-None-Match holds this ETag (or `*`); weak comparison, as RFC 9110 asks for GET. */
function matches(ifNoneMatch: string | undefined, etag: string) {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === etag;
  });
}

/**
 * Serves the built admin UI (admin-ui/dist) on `app`, after the API's routes:
 * - /assets/*: the hashed files, precompressed at build time (vite.config.ts writes .br and
 *   .gz): brotli or gzip by Accept-Encoding, `Vary: Accept-Encoding`, cached for a year as
 *   immutable; a missing asset is a 404 (never the app shell under an immutable header);
 * - index.html, for `/` and for every client-side route: `Cache-Control: no-cache` with an
 *   ETag, and 304 when If-None-Match holds it.
 */
export function serveUi(app: Hono, uiDir: string) {
  const root = path.relative(process.cwd(), uiDir) || '.';
  const assets = serveStatic({ root, precompressed: true });
  const index = indexFile(uiDir);
  const isApi = (c: Context) => c.req.path === '/api' || c.req.path.startsWith('/api/');

  app.use('/assets/*', async (c, next) => {
    await next();
    if (c.res.status === 200 || c.res.status === 206) {
      c.res.headers.set('Cache-Control', IMMUTABLE);
      // Also on the identity answer: a shared cache must not hand it to a brotli client, or back.
      if (!c.res.headers.get('Vary')) c.res.headers.set('Vary', 'Accept-Encoding');
    }
  });
  app.use('/assets/*', assets);
  app.on(['GET', 'HEAD'], '/assets/*', (c) => c.text('No such file in this build of the UI.', 404, { 'Cache-Control': 'no-store' }));

  const shell = async (c: Context) => {
    const { body, etag } = await index();
    const headers = { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': REVALIDATE, ETag: etag };
    if (matches(c.req.header('If-None-Match'), etag)) return c.body(null, 304, headers);
    const full = { ...headers, 'Content-Length': String(body.length) };
    return c.req.method === 'HEAD' ? c.body(null, 200, full) : c.body(new Uint8Array(body), 200, full);
  };
  app.on(['GET', 'HEAD'], ['/', '/index.html'], shell);
  // Other files at the build's root (none today), then the client-side routes (e.g. /requests/42).
  // eslint-disable-next-line @typescript-eslint/no-unsafe-argument -- the any is Hono's own (the Context's input type); the middleware takes any route's
  app.use('*', async (c, next) => (isApi(c) ? next() : assets(c, next)));
  app.on(['GET', 'HEAD'], '*', async (c, next) => (isApi(c) ? next() : shell(c)));
}
