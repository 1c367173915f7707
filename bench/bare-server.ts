// The baselines' HTTP server, a child process of `npm run bench`: a bare Hono app on
// @hono/node-server with no middleware, no session, no validation and no Prisma.
//   POST /api/requests        parses the JSON body and answers 201 with it (no database, no Temporal)
//   GET  /bench/licenses/:case?p= the license list's page and total by hand-written SQL on a pg pool
import { randomUUID } from 'node:crypto';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import pg from 'pg';
import { LIST_CASES, type ListCaseName } from './list-cases.ts';

const port = Number(process.env.BENCH_PORT);
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

const app = new Hono()
  .post('/api/requests', async (c) => {
    const form = await c.req.json<Record<string, unknown>>();
    return c.json({ id: randomUUID(), status: 'SUBMITTED', payload: form }, 201);
  })
  .get('/bench/licenses/:case', async (c) => {
    const listCase = LIST_CASES[c.req.param('case') as ListCaseName];
    if (!listCase) return c.json({ message: 'no such case' }, 404);
    const params = listCase.param ? [c.req.query('p') ?? ''] : [];
    const [page, total] = await Promise.all([pool.query(listCase.pageSql, params), pool.query<{ total: string }>(listCase.countSql, params)]);
    c.header('Content-Range', `licenses 0-${page.rows.length - 1}/${total.rows[0]!.total}`);
    return c.json(page.rows);
  });

const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port }, () => console.log(`bare server listening on ${port}`));
process.once('SIGTERM', () => {
  server.close();
  void pool.end().then(() => process.exit(0));
});
