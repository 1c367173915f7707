import type { Stream } from 'node:stream';
import { finished } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import { z } from 'zod';
import type { PrismaClient } from '../../prisma/client.ts';
import { Prisma } from '../../prisma/generated/client.ts';
import { checkPeriod, companyScopeSchema, isoDay, periodOf } from './period.ts';
import { canonicalMacsIn } from '../../domain/mac-address.ts';
import { LICENSE_ACTION_LABELS } from '../../domain/license-actions.ts';

/**
 * The Mirasys "License Report": every history event of a license, filtered by period, stock
 * (product), action and company, as a JSON page, an xlsx export or a CSV export.
 *
 * What each column reads, for an event `e` of license `l`:
 * - UTC Date: `e.occurredAt`, in UTC.
 * - Action: a readable label of `e.action` (`created` reads "License created"; see licenseActionLabel).
 * - Serial, Orderer Ref., Vendor Ref., Order Type, End User Company, End User Contact: the
 *   license's current values (its revisions do not carry them).
 * - MAC, Channels, VCA Channels, Stock Name, Product Name: the license's revision current at
 *   the event, i.e. the revision named in `e.details.revision` (events that issue a file record
 *   it), otherwise the latest revision created at or before the event; when there is none (an
 *   event older than any revision) the license's current values. MAC holds the hardware key for
 *   a license locked to one.
 * - Stock Name and Product Name: that product's name (a company's stock is per product).
 * - Orderer: the name of the company that owns the license now.
 * - Changes, Comment: `e.changes` and `e.comment`.
 *
 * Tenancy: `companyScope` and `companyId` match the license's current owner, as the license
 * pages do, and a scoped (partner) caller sees only partner-visible events. The desk passes no
 * scope and sees everything.
 */

export const LICENSE_REPORT_COLUMNS = [
  { key: 'utcDate', header: 'UTC Date', width: 20 },
  { key: 'action', header: 'Action', width: 22 },
  { key: 'serial', header: 'Serial', width: 15 },
  { key: 'mac', header: 'MAC', width: 15 },
  { key: 'channels', header: 'Channels', width: 10 },
  { key: 'vcaChannels', header: 'VCA Channels', width: 13 },
  { key: 'changes', header: 'Changes', width: 40 },
  { key: 'stockName', header: 'Stock Name', width: 22 },
  { key: 'productName', header: 'Product Name', width: 22 },
  { key: 'ordererRef', header: 'Orderer Ref.', width: 16 },
  { key: 'vendorRef', header: 'Vendor Ref.', width: 16 },
  { key: 'orderer', header: 'Orderer', width: 28 },
  { key: 'orderType', header: 'Order Type', width: 14 },
  { key: 'endUserCompany', header: 'End User Company', width: 28 },
  { key: 'endUserContact', header: 'End User Contact', width: 24 },
  { key: 'comment', header: 'Comment', width: 40 },
] as const;

export type LicenseReportColumnKey = (typeof LICENSE_REPORT_COLUMNS)[number]['key'];

/** One report line. Keys are the column keys (react-admin `source`s); `id` is the event's id. */
export interface LicenseReportRow {
  id: string;
  utcDate: Date;
  action: string;
  serial: string;
  mac: string | null;
  channels: number;
  vcaChannels: number;
  changes: string | null;
  stockName: string;
  productName: string;
  ordererRef: string | null;
  vendorRef: string | null;
  orderer: string;
  orderType: string | null;
  endUserCompany: string;
  endUserContact: string | null;
  comment: string | null;
}

/** The report's Action words (domain/license-actions.ts): "channels_changed" reads "Channels changed"; an unknown code is spelled out the same way. */
export function licenseActionLabel(action: string): string {
  const known = (LICENSE_ACTION_LABELS as Readonly<Record<string, string>>)[action];
  if (known) return known;
  const words = action.replace(/_/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const actionCode = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]*$/, 'action must be a history action code such as channels_changed');

/**
 * The report's filter. `from`/`to` are days (`to` counts its whole day, UTC); `action` is one
 * code or a list. `companyScope` is set by the server from the session, after the caller's
 * fields (`{ ...query, companyScope }`), never read from the query; undefined means the desk.
 */
export const licenseReportFilter = z
  .strictObject({
    from: isoDay('from').optional(),
    to: isoDay('to').optional(),
    productId: z.uuid({ message: 'productId must be a product (stock) id' }).optional(),
    action: z.union([actionCode, z.array(actionCode).max(50, 'Pick at most 50 actions')]).optional(),
    companyId: z.uuid({ message: 'companyId must be a company id' }).optional(),
    companyScope: companyScopeSchema.optional(),
  })
  .superRefine(checkPeriod)
  .transform(({ from, to, action, ...rest }) => ({
    ...periodOf({ from, to }),
    actions: action === undefined ? undefined : Array.isArray(action) ? action : [action],
    ...rest,
  }));

export type LicenseReportFilterInput = z.input<typeof licenseReportFilter>;
/** A parsed filter: the period is the half-open interval [from, before). */
export type LicenseReportFilter = z.output<typeof licenseReportFilter>;

export type LicenseReportSort = 'asc' | 'desc';

// --- SQL ---------------------------------------------------------------------------------------

/** The revision current at event `e`: the one it names, else the latest created by then. */
const revisionMatch = Prisma.sql`r."licenseId" = e."licenseId" AND CASE
    WHEN jsonb_typeof(e.details -> 'revision') = 'number' THEN r.revision = (e.details ->> 'revision')::numeric
    ELSE r."createdAt" <= e."occurredAt" END`;

function conditions(filter: LicenseReportFilter): Prisma.Sql {
  const where = [Prisma.sql`e."licenseId" IS NOT NULL`];
  if (filter.from) where.push(Prisma.sql`e."occurredAt" >= ${filter.from}::timestamp`);
  if (filter.before) where.push(Prisma.sql`e."occurredAt" < ${filter.before}::timestamp`);
  if (filter.actions) where.push(Prisma.sql`e.action = ANY(${filter.actions}::text[])`);
  if (filter.companyId) where.push(Prisma.sql`l."companyId" = ${filter.companyId}::uuid`);
  if (filter.companyScope) {
    where.push(Prisma.sql`l."companyId" = ANY(${filter.companyScope}::uuid[])`);
    where.push(Prisma.sql`e."partnerVisible"`);
  }
  if (filter.productId) {
    where.push(Prisma.sql`COALESCE(
      (SELECT r."productId" FROM "LicenseRevision" r WHERE ${revisionMatch} ORDER BY r.revision DESC LIMIT 1),
      l."productId") = ${filter.productId}::uuid`);
  }
  return Prisma.join(where, ' AND ');
}

const direction = (sort: LicenseReportSort) => Prisma.raw(sort === 'asc' ? 'ASC' : 'DESC');

/** Picks the events (cheap columns only), then reads the columns of just those rows. */
function reportQuery(filter: LicenseReportFilter, sort: LicenseReportSort, page: { limit: number; offset?: number; after?: Cursor }) {
  const dir = direction(sort);
  const keyset = page.after
    ? Prisma.sql`AND (e."occurredAt", e.id) ${Prisma.raw(sort === 'asc' ? '>' : '<')} (${page.after.occurredAt}::timestamp, ${page.after.id}::bigint)`
    : Prisma.empty;
  return Prisma.sql`
    WITH picked AS (
      SELECT e.id, e."occurredAt", e.action, e.changes, e.comment, e.details, e."licenseId"
      FROM "HistoryEvent" e JOIN "License" l ON l.id = e."licenseId"
      WHERE ${conditions(filter)} ${keyset}
      ORDER BY e."occurredAt" ${dir}, e.id ${dir}
      LIMIT ${page.limit} OFFSET ${page.offset ?? 0}
    )
    SELECT e.id::text AS id, e."occurredAt" AS "utcDate", e.action, e.changes, e.comment,
      l.serial::text AS serial,
      CASE WHEN r.id IS NULL THEN COALESCE(l."macAddress"::text, l."hardwareKey") ELSE COALESCE(r."macAddress"::text, r."hardwareKey") END AS mac,
      CASE WHEN r.id IS NULL THEN l.channels ELSE r.channels END AS channels,
      CASE WHEN r.id IS NULL THEN l."vcaChannels" ELSE r."vcaChannels" END AS "vcaChannels",
      p.name AS "productName", l."ordererRef", l."vendorRef", c.name AS orderer, l."orderType",
      l."endUserCompany", l."endUserContact"
    FROM picked e
    JOIN "License" l ON l.id = e."licenseId"
    JOIN "Company" c ON c.id = l."companyId"
    LEFT JOIN LATERAL (
      SELECT r.id, r."productId", r.channels, r."vcaChannels", r."macAddress", r."hardwareKey"
      FROM "LicenseRevision" r WHERE ${revisionMatch} ORDER BY r.revision DESC LIMIT 1
    ) r ON true
    JOIN "Product" p ON p.id = COALESCE(r."productId", l."productId")
    ORDER BY e."occurredAt" ${dir}, e.id ${dir}`;
}

type SqlRow = Omit<LicenseReportRow, 'stockName'>;

function toRow(row: SqlRow): LicenseReportRow {
  const { productName, ...rest } = row;
  // Older events wrote a MAC in whatever form it was typed; the report shows the canonical one.
  return {
    ...rest,
    changes: rest.changes === null ? null : canonicalMacsIn(rest.changes),
    action: licenseActionLabel(row.action),
    stockName: productName,
    productName,
  };
}

interface Cursor {
  occurredAt: Date;
  id: string;
}

// --- JSON page ---------------------------------------------------------------------------------

/** One page for the screen, newest first unless `sort` says otherwise, with the filter's total. */
export async function licenseReportPage(
  prisma: PrismaClient,
  filter: LicenseReportFilter,
  page: { offset?: number; limit?: number; sort?: LicenseReportSort } = {},
): Promise<{ rows: LicenseReportRow[]; total: number }> {
  const offset = page.offset ?? 0;
  const limit = page.limit ?? 25;
  if (!Number.isInteger(offset) || offset < 0) throw new RangeError(`offset must be a whole number from 0, e.g. 0 or 25; got ${offset}`);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new RangeError(`limit must be a whole number from 1 to 1000, e.g. 25; got ${limit}`);
  const [rows, counted] = await Promise.all([
    prisma.$queryRaw<SqlRow[]>(reportQuery(filter, page.sort ?? 'desc', { limit, offset })),
    prisma.$queryRaw<Array<{ total: number }>>`
      SELECT COUNT(*)::int AS total FROM "HistoryEvent" e JOIN "License" l ON l.id = e."licenseId" WHERE ${conditions(filter)}`,
  ]);
  return { rows: rows.map(toRow), total: counted[0]?.total ?? 0 };
}

// --- Streaming -----------------------------------------------------------------------------------

/** Receives the report a batch at a time; the next batch is read after the returned promise settles. */
export type LicenseReportSink = (batch: LicenseReportRow[]) => void | Promise<void>;

export const LICENSE_REPORT_BATCH = 2_000;

/**
 * Reads the whole report in keyset-paginated batches (on occurredAt and id, so the export has
 * the screen's order and no OFFSET scan) and hands each batch to `sink`. The next batch is read
 * while the sink takes the current one, so memory holds two batches.
 */
export async function streamLicenseReport(
  prisma: PrismaClient,
  filter: LicenseReportFilter,
  sink: LicenseReportSink,
  options: { sort?: LicenseReportSort; batchSize?: number } = {},
): Promise<{ rows: number }> {
  const sort = options.sort ?? 'desc';
  const limit = options.batchSize ?? LICENSE_REPORT_BATCH;
  const read = (after?: Cursor) => prisma.$queryRaw<SqlRow[]>(reportQuery(filter, sort, { limit, after }));
  let count = 0;
  let next = read();
  for (;;) {
    const batch = await next;
    if (batch.length === 0) break;
    count += batch.length;
    const last = batch[batch.length - 1]!;
    const more = batch.length === limit;
    // The database reads the next batch while the sink writes this one: two batches in memory.
    if (more) {
      next = read({ occurredAt: last.utcDate, id: last.id });
      // A sink that fails leaves the read in flight; its own failure must not go unhandled.
      next.catch(() => {});
    }
    await sink(batch.map(toRow));
    if (!more) break;
  }
  return { rows: count };
}

/** Waits for `output` to drain; refuses when it fails or closes first (the client went away). */
function drained(output: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      output.off('drain', onDrain);
      output.off('error', onError);
      output.off('close', onClose);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => done();
    const onError = (error: Error) => done(error);
    const onClose = () => done(new Error('The report output closed before the report was written.'));
    output.on('drain', onDrain);
    output.on('error', onError);
    output.on('close', onClose);
  });
}

function needsDrain(output: NodeJS.WritableStream) {
  return Boolean((output as { writableNeedDrain?: boolean }).writableNeedDrain);
}

// --- xlsx ----------------------------------------------------------------------------------------

export const LICENSE_REPORT_DATE_FORMAT = 'yyyy-mm-dd hh:mm:ss';

/**
 * Writes the report as an xlsx workbook to `output` with exceljs's streaming writer: bold,
 * frozen header; UTC Date as real Excel dates; each row committed as it is written, so memory
 * stays flat however long the report is. The workbook's commit ends `output`. When reading
 * fails part-way the promise rejects and `output` is left open, holding a partial file: the
 * caller destroys it (or aborts the response).
 */
export async function writeLicenseReportXlsx(
  prisma: PrismaClient,
  filter: LicenseReportFilter,
  output: NodeJS.WritableStream,
  options: { sort?: LicenseReportSort; batchSize?: number } = {},
): Promise<{ rows: number }> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output as unknown as Stream, useStyles: true, useSharedStrings: false });
  workbook.creator = 'License Desk';
  const worksheet = workbook.addWorksheet('License Report', { views: [{ state: 'frozen', ySplit: 1 }] });
  worksheet.columns = LICENSE_REPORT_COLUMNS.map((column) => ({
    key: column.key,
    width: column.width,
    ...(column.key === 'utcDate' ? { style: { numFmt: LICENSE_REPORT_DATE_FORMAT } } : {}),
  }));
  const header = worksheet.addRow(LICENSE_REPORT_COLUMNS.map((column) => column.header));
  header.font = { bold: true };
  header.commit();

  const result = await streamLicenseReport(
    prisma,
    filter,
    async (batch) => {
      for (const row of batch) {
        worksheet.addRow(LICENSE_REPORT_COLUMNS.map((column) => row[column.key] ?? null)).commit();
      }
      if (needsDrain(output)) await drained(output);
    },
    options,
  );
  worksheet.commit();
  await workbook.commit();
  return result;
}

// --- CSV -----------------------------------------------------------------------------------------

/**
 * A cell a spreadsheet would read as a formula (=, +, -, @, and tab or carriage return, which
 * OWASP lists too) gets a leading apostrophe, so that opening the CSV in Excel runs nothing.
 */
export function neutralizeFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** One RFC 4180 field: quoted when it holds a comma, a quote or a line break; quotes doubled. */
export function csvField(value: string | number | Date | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const text = value instanceof Date ? value.toISOString().replace('T', ' ').slice(0, 19) : neutralizeFormula(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const csvLine = (fields: Array<string | number | Date | null | undefined>) => `${fields.map(csvField).join(',')}\r\n`;

/**
 * Writes the report as RFC 4180 CSV (header row, CRLF, quoting) to `output` and ends it. UTC
 * Date reads `YYYY-MM-DD HH:MM:SS`. A UTF-8 byte-order mark comes first unless `bom: false`,
 * so that Excel reads names such as "Åbo Säkerhet" correctly. Waits for `output` to drain, and
 * resolves once it has finished.
 */
export async function writeLicenseReportCsv(
  prisma: PrismaClient,
  filter: LicenseReportFilter,
  output: NodeJS.WritableStream,
  options: { sort?: LicenseReportSort; batchSize?: number; bom?: boolean } = {},
): Promise<{ rows: number }> {
  const write = async (chunk: string) => {
    if (!output.write(chunk)) await drained(output);
  };
  await write(`${options.bom === false ? '' : '\uFEFF'}${csvLine(LICENSE_REPORT_COLUMNS.map((column) => column.header))}`);
  const result = await streamLicenseReport(
    prisma,
    filter,
    (batch) => write(batch.map((row) => csvLine(LICENSE_REPORT_COLUMNS.map((column) => row[column.key]))).join('')),
    options,
  );
  output.end();
  await finished(output);
  return result;
}
