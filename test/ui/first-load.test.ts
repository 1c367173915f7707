import { readdir, readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { serve } from '@hono/node-server';
import { Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { createApp } from '../../api/app.ts';
import { createSessionStore } from '../../api/auth/sessions.ts';
import { createPrismaClient } from '../../prisma/client.ts';
import { ensureUiBuilt, UI_DIST } from '../../scripts/ui-build.ts';
import { fileStack } from '../support/file-stack.ts';

/** The raw answer, as the bytes went over the wire (fetch would decompress them silently). */
interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/**
 * What the login page downloads before it can render: the entry and its preloaded chunks (React
 * and the quick login form, about 62 KB as brotli; the app follows behind the form).
 */
const INITIAL_JS_BUDGET_BYTES = 350 * 1024;

/**
 * The first load of the back office over real HTTP: the API (createApp, as api/main.ts builds
 * it) serves the real build of admin-ui. Assets come precompressed (brotli, gzip) and are cached
 * as immutable; index.html is revalidated with its ETag.
 */
describe('first load: compressed, cacheable UI', () => {
  let origin: string;
  let server: ReturnType<typeof serve>;
  let prisma: ReturnType<typeof createPrismaClient>;
  let connection: Connection;
  let indexHtml: Buffer;
  /** The entry script and the chunks index.html preloads, as URLs ("/assets/…"). */
  let initialJs: string[];

  const get = (url: string, headers: Record<string, string> = {}, method = 'GET') =>
    new Promise<RawAnswer>((resolve, reject) => {
      const request = http.request(`${origin}${url}`, { method, headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
        response.on('error', reject);
      });
      request.on('error', reject);
      request.end();
    });
  const fileOf = (url: string) => readFile(path.join(UI_DIST, url));

  beforeAll(async () => {
    await ensureUiBuilt();
    prisma = createPrismaClient(fileStack.databaseUrl, 2);
    connection = Connection.lazy({ address: inject('temporalAddress') });
    const app = createApp({
      prisma,
      temporal: { connection, namespace: fileStack.temporalNamespace },
      smtpUrl: fileStack.smtpUrl,
      sessions: createSessionStore(prisma),
      publicUrl: 'http://127.0.0.1',
      uiDir: UI_DIST,
      log: () => {},
    });
    server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    indexHtml = await readFile(path.join(UI_DIST, 'index.html'));
    const html = indexHtml.toString('utf8');
    const entry = [...html.matchAll(/<script type="module"[^>]* src="\.?(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
    const preloaded = [...html.matchAll(/<link rel="modulepreload"[^>]* href="\.?(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
    initialJs = [...entry, ...preloaded];
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await connection?.close().catch(() => {});
    await prisma?.$disconnect();
  });

  it('sends each initial script as brotli, as gzip, or as it is, by Accept-Encoding; every answer decodes to the file', async () => {
    expect(initialJs.length, 'index.html loads an entry script').toBeGreaterThan(0);
    for (const url of initialJs) {
      const file = await fileOf(url);
      const br = await get(url, { 'accept-encoding': 'gzip, deflate, br, zstd' });
      expect(br.status, url).toBe(200);
      expect(br.headers['content-encoding'], url).toBe('br');
      expect(br.headers.vary, url).toMatch(/accept-encoding/i);
      expect(br.headers['content-type'], url).toMatch(/javascript/);
      expect(br.body.length, `${url}: brotli is smaller`).toBeLessThan(file.length / 2);
      expect(brotliDecompressSync(br.body).equals(file), `${url}: brotli body decodes to the file`).toBe(true);

      const gz = await get(url, { 'accept-encoding': 'gzip' });
      expect(gz.headers['content-encoding'], url).toBe('gzip');
      expect(gz.headers.vary, url).toMatch(/accept-encoding/i);
      expect(gunzipSync(gz.body).equals(file), `${url}: gzip body decodes to the file`).toBe(true);

      const identity = await get(url);
      expect(identity.headers['content-encoding'], url).toBeUndefined();
      expect(identity.headers.vary, `${url}: caches keep the encodings apart`).toMatch(/accept-encoding/i);
      expect(identity.body.equals(file), url).toBe(true);
    }
  });

  it('caches the hashed assets for a year as immutable; a missing asset is a 404, not the app shell', async () => {
    for (const url of initialJs) {
      const answer = await get(url, { 'accept-encoding': 'br' });
      expect(answer.headers['cache-control'], url).toBe('public, max-age=31536000, immutable');
    }
    const missing = await get('/assets/index-00000000.js');
    expect(missing.status).toBe(404);
    expect(missing.headers['cache-control']).not.toMatch(/immutable/);
  });

  it('revalidates index.html: no-cache with an ETag, 304 on a matching If-None-Match, for / and client-side routes', async () => {
    const first = await get('/');
    expect(first.status).toBe(200);
    expect(first.headers['cache-control']).toBe('no-cache');
    expect(first.headers['content-type']).toMatch(/text\/html/);
    expect(first.body.equals(indexHtml)).toBe(true);
    const etag = first.headers.etag!;
    expect(etag).toMatch(/^"[^"]+"$/);

    const again = await get('/', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers.etag).toBe(etag);

    // A client-side route is the same shell, under the same ETag; a weak match counts for GET.
    const route = await get('/requests/42/show', { 'if-none-match': `W/${etag}` });
    expect(route.status).toBe(304);
    const other = await get('/index.html', { 'if-none-match': '"an-older-build"' });
    expect(other.status).toBe(200);
    expect(other.headers.etag).toBe(etag);
    // The API is not the shell.
    expect((await get('/api/no-such-thing')).status).toBe(404);
  });

  it(`keeps the login page's initial JavaScript under ${INITIAL_JS_BUDGET_BYTES / 1024} KB as transferred (brotli)`, async () => {
    let transferred = 0;
    let raw = 0;
    for (const url of initialJs) {
      transferred += (await get(url, { 'accept-encoding': 'br' })).body.length;
      raw += (await fileOf(url)).length;
    }
    console.log(`initial JS: ${initialJs.length} file(s), ${(raw / 1024).toFixed(0)} KB, ${(transferred / 1024).toFixed(0)} KB as brotli`);
    expect(transferred).toBeLessThanOrEqual(INITIAL_JS_BUDGET_BYTES);
  });

  it('shows the login form without the app: react-admin (ra-core) and MUI are not in the initial JavaScript; the entry loads the app by import()', async () => {
    // Strings that survive minifying: a message key of ra-core's own, and MUI's class names.
    const carriesReactAdmin = (code: string) => code.includes('ra.notification.logged_out');
    const carriesMui = (code: string) => code.includes('MuiButtonBase');
    const chunks = (await readdir(path.join(UI_DIST, 'assets'))).filter((f) => f.endsWith('.js'));
    const withReactAdmin: string[] = [];
    const withMui: string[] = [];
    for (const file of chunks) {
      const code = await readFile(path.join(UI_DIST, 'assets', file), 'utf8');
      if (carriesReactAdmin(code)) withReactAdmin.push(file);
      if (carriesMui(code)) withMui.push(file);
    }
    expect(withReactAdmin.length, 'a lazy chunk carries ra-core').toBeGreaterThan(0);
    expect(withMui.length, 'a lazy chunk carries MUI').toBeGreaterThan(0);
    for (const file of [...withReactAdmin, ...withMui]) expect(initialJs, file).not.toContain(`/assets/${file}`);
    expect(indexHtml.toString('utf8'), 'index.html preloads no react-admin chunk').not.toMatch(/react-admin/);
    // The entry imports the app (App-<hash>.js) on demand, after the form is on screen (src/boot.tsx).
    const entry = (await fileOf(initialJs[0]!)).toString('utf8');
    expect(entry).toMatch(/import\(.*App-[\w-]+\.js/s);
  });

  it('leaves the request forms’ validation (zod and its resolver) to the request form’s own chunk, out of the initial JavaScript', async () => {
    // zod's core names its classes in strings ("$ZodType"), which minifying keeps.
    const carriesZod = (code: string) => code.includes('$ZodType');
    for (const url of initialJs) expect(carriesZod((await fileOf(url)).toString('utf8')), url).toBe(false);
    const chunks = (await readdir(path.join(UI_DIST, 'assets'))).filter((f) => f.endsWith('.js'));
    const withZod: string[] = [];
    for (const file of chunks) if (carriesZod(await readFile(path.join(UI_DIST, 'assets', file), 'utf8'))) withZod.push(file);
    expect(withZod.length, 'a lazy chunk carries zod for the request forms').toBeGreaterThan(0);
    for (const file of withZod) expect(initialJs, file).not.toContain(`/assets/${file}`);
  });
});
