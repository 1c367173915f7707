// The first-load baseline's server, a child process of `npm run bench`: the real app (createApp,
// as api/main.ts builds it) with the admin UI from BENCH_UI_DIR served the way it was before
// compression and cache headers (plain serveStatic, index.html for client-side routes). The
// benchmark builds the same sources as one bundle with no precompressed files into that folder.
import path from 'node:path';
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Connection } from '@temporalio/client';
import { createApp } from '../api/app.ts';
import { createSessionStore } from '../api/auth/sessions.ts';
import { createPrismaClient } from '../prisma/client.ts';

const port = Number(process.env.BENCH_PORT);
const prisma = createPrismaClient(process.env.DATABASE_URL!, 2);
const connection = Connection.lazy({ address: process.env.TEMPORAL_ADDRESS! });
const app = createApp({
  prisma,
  temporal: { connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' },
  smtpUrl: process.env.SMTP_URL!,
  sessions: createSessionStore(prisma),
  publicUrl: `http://127.0.0.1:${port}`,
  log: () => {},
});
const root = path.relative(process.cwd(), process.env.BENCH_UI_DIR!) || '.';
// eslint-disable-next-line @typescript-eslint/no-unsafe-argument -- the any is Hono's own (the Context's input type); the middleware takes any route's
app.use('*', async (c, next) => (c.req.path.startsWith('/api/') ? next() : serveStatic({ root })(c, next)));
app.get('*', async (c, next) => (c.req.path.startsWith('/api/') ? next() : serveStatic({ root, path: 'index.html' })(c, next)));

const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port }, () => console.log(`ui server listening on ${port}`));
process.once('SIGTERM', () => {
  server.close();
  void prisma.$disconnect().finally(() => process.exit(0));
});
