import { PassThrough, Readable } from 'node:stream';
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import type { PrismaClient } from '../../prisma/client.ts';
import { requireRole, type AuthEnv } from '../auth/middleware.ts';
import { licenseReportFilter, licenseReportPage, writeLicenseReportCsv, writeLicenseReportXlsx, type LicenseReportFilter } from '../reports/license-report.ts';
import { queueReport, queueReportFilter } from '../reports/queue-report.ts';
import { listQuery, pageOf, setContentRange } from '../simple-rest.ts';
import { visibleCompanyIds } from '../tenancy.ts';
import { validate } from '../validation.ts';

// The caller's filter, without the scope: the scope always comes from the session.
const reportFilterInput = z.strictObject({
  from: z.string().optional(),
  to: z.string().optional(),
  productId: z.string().optional(),
  action: z.union([z.string(), z.array(z.string())]).optional(),
  companyId: z.string().optional(),
});
const exportQuery = z.object({ filter: listQuery(['utcDate'], reportFilterInput).shape.filter, sort: z.enum(['asc', 'desc']).optional() });

/**
 * The Mirasys "License Report" as JSON (simple-rest), `.xlsx` and `.csv`, and the desk's queue
 * report. A partner's report covers its own companies whatever the query says.
 */
export function reportRoutes(deps: { prisma: PrismaClient }) {
  const { prisma } = deps;

  async function parseFilter(user: AuthEnv['Variables']['user'], input: unknown): Promise<LicenseReportFilter> {
    const scope = await visibleCompanyIds(prisma, user);
    const parsed = licenseReportFilter.safeParse({ ...(input as object), ...(scope ? { companyScope: scope } : {}) });
    if (!parsed.success) {
      const errors = Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.') || '_', i.message]));
      throw new HTTPException(422, { res: Response.json({ message: Object.values(errors)[0], errors }, { status: 422 }) });
    }
    return parsed.data;
  }

  function download(c: Context, fileName: string, contentType: string, write: (out: NodeJS.WritableStream) => Promise<unknown>) {
    const out = new PassThrough();
    // Rows stream out as they are read; a failure part-way ends the download with an error.
    write(out).then(
      () => out.end(),
      (error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))),
    );
    c.header('Content-Disposition', `attachment; filename="${fileName}"`);
    return c.body(Readable.toWeb(out) as ReadableStream, 200, { 'content-type': contentType });
  }

  return new Hono<AuthEnv>()
    .get('/licenses', validate('query', listQuery(['utcDate'], reportFilterInput)), async (c) => {
      const { filter, range, sort } = c.req.valid('query');
      const parsed = await parseFilter(c.var.user, filter ?? {});
      const { skip, take } = pageOf(range);
      const { rows, total } = await licenseReportPage(prisma, parsed, { offset: skip, limit: take, sort: sort?.[1] === 'ASC' ? 'asc' : 'desc' });
      setContentRange(c, 'reports/licenses', skip, rows.length, total);
      return c.json(rows);
    })
    .get('/licenses.xlsx', validate('query', exportQuery), async (c) => {
      const { filter, sort } = c.req.valid('query');
      const parsed = await parseFilter(c.var.user, filter ?? {});
      return download(c, 'license-report.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', (out) => writeLicenseReportXlsx(prisma, parsed, out, { sort }));
    })
    .get('/licenses.csv', validate('query', exportQuery), async (c) => {
      const { filter, sort } = c.req.valid('query');
      const parsed = await parseFilter(c.var.user, filter ?? {});
      return download(c, 'license-report.csv', 'text/csv; charset=utf-8', (out) => writeLicenseReportCsv(prisma, parsed, out, { sort }));
    })
    .get('/queue', requireRole('DESK_AGENT', 'DESK_ADMIN'), async (c) => {
      const parsed = queueReportFilter.safeParse({ from: c.req.query('from'), to: c.req.query('to'), companyId: c.req.query('companyId') });
      if (!parsed.success) return c.json({ message: parsed.error.issues[0]!.message, errors: Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.'), i.message])) }, 422);
      return c.json(await queueReport(prisma, parsed.data));
    });
}
