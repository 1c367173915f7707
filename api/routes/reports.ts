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
import * as shapes from '../answer-shapes.ts';
import { documented, download as fileDownload, listOf } from '../route-docs.ts';
import { validate } from '../validation.ts';

// The caller's filter, without the scope: the scope always comes from the session. The report's
// own filter (licenseReportFilter) parses it again and checks the period.
const day = (field: string) => z.iso.date({ message: `${field} must be a date like 2021-08-01` }).optional();
const actionCode = z
  .string()
  .max(100)
  .regex(/^[a-z][a-z0-9_]*$/, 'action must be a history action code such as channels_changed');
const reportFilterInput = z.strictObject({
  from: day('from'),
  to: day('to'),
  productId: z.uuid({ message: 'productId must be a product id' }).optional(),
  action: z.union([actionCode, z.array(actionCode).max(50, 'Pick at most 50 actions')]).optional(),
  companyId: z.uuid({ message: 'companyId must be a company id' }).optional(),
});
/** The queue report's plain query parameters. */
const queueQuery = z.object({ from: day('from'), to: day('to'), companyId: z.uuid({ message: 'companyId must be a company id' }).optional() });
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
    .get(
      '/licenses',
      documented({
        summary: 'The License Report (Mirasys columns) as JSON pages',
        who: 'logged in',
        answers: { 200: listOf(shapes.reportRow, 'One row per history event of a license, newest first') },
      }),
      validate('query', listQuery(['utcDate'], reportFilterInput)),
      async (c) => {
        const { filter, range, sort } = c.req.valid('query');
        const parsed = await parseFilter(c.var.user, filter ?? {});
        const { skip, take } = pageOf(range);
        const { rows, total } = await licenseReportPage(prisma, parsed, { offset: skip, limit: take, sort: sort?.[1] === 'ASC' ? 'asc' : 'desc' });
        setContentRange(c, 'reports/licenses', skip, rows.length, total);
        return c.json(rows);
      },
    )
    .get(
      '/licenses.xlsx',
      documented({
        summary: 'The License Report as a streamed Excel file',
        description: 'A frozen header, and UTC Date as real dates',
        who: 'logged in',
        answers: { 200: fileDownload('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'license-report.xlsx') },
      }),
      validate('query', exportQuery),
      async (c) => {
        const { filter, sort } = c.req.valid('query');
        const parsed = await parseFilter(c.var.user, filter ?? {});
        return download(c, 'license-report.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', (out) =>
          writeLicenseReportXlsx(prisma, parsed, out, { sort }),
        );
      },
    )
    .get(
      '/licenses.csv',
      documented({
        summary: 'The License Report as CSV',
        description: "A cell starting with `= + - @`, tab or CR gets a leading `'` so that no formula runs",
        who: 'logged in',
        answers: { 200: fileDownload('text/csv', 'license-report.csv (UTF-8 with BOM)') },
      }),
      validate('query', exportQuery),
      async (c) => {
        const { filter, sort } = c.req.valid('query');
        const parsed = await parseFilter(c.var.user, filter ?? {});
        return download(c, 'license-report.csv', 'text/csv; charset=utf-8', (out) => writeLicenseReportCsv(prisma, parsed, out, { sort }));
      },
    )
    .get(
      '/queue',
      documented({
        summary: 'The queue report',
        description:
          'Open requests by type and age (< 1 day, 1–3, 3–7, > 7 days), time from submission to decision (average and median hours), and SLA breaches',
        who: 'desk',
        answers: { 200: { description: 'The queue report', json: shapes.queueReport } },
      }),
      requireRole('DESK_AGENT', 'DESK_ADMIN'),
      validate('query', queueQuery),
      async (c) => {
        const parsed = queueReportFilter.safeParse({ from: c.req.query('from'), to: c.req.query('to'), companyId: c.req.query('companyId') });
        if (!parsed.success)
          return c.json(
            { message: parsed.error.issues[0]!.message, errors: Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.'), i.message])) },
            422,
          );
        return c.json(await queueReport(prisma, parsed.data));
      },
    );
}
