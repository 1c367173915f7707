// One Excel export in a process of its own, so that its peak RSS is the export's alone.
// A child process of `npm run bench`; prints one JSON line: { rows?, seconds, bytes, peakRssMiB, loadedRssMiB }.
// loadedRssMiB is the peak RSS once the process has loaded its code and connected, before exporting.
//   app: GET /api/reports/licenses.xlsx through the real app (createApp: session, tenancy,
//        writeLicenseReportXlsx on Prisma), the response body streamed to a file.
//   raw: the same rows read with plain pg in keyset batches of the same size, written with
//        exceljs's streaming WorkbookWriter with the same columns and options.
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import pg from 'pg';

// The report's columns, date format and batch size come from the parent (api/reports/license-report.ts),
// so that the raw baseline's process loads neither Prisma nor the app.
const {
  columns: LICENSE_REPORT_COLUMNS,
  dateFormat: LICENSE_REPORT_DATE_FORMAT,
  batch: LICENSE_REPORT_BATCH,
} = JSON.parse(process.env.BENCH_REPORT_LAYOUT!) as {
  columns: Array<{ key: string; header: string; width: number }>;
  dateFormat: string;
  batch: number;
};

const [mode, file] = process.argv.slice(2) as ['app' | 'raw', string];
const databaseUrl = process.env.DATABASE_URL!;
const peakRssMiB = () => process.resourceUsage().maxRSS / 1024;

async function exportThroughApp() {
  // Loaded here, so that the raw baseline's process holds none of the app.
  const { Connection } = await import('@temporalio/client');
  const { createApp } = await import('../api/app.ts');
  const { createSessionStore } = await import('../api/auth/sessions.ts');
  const { createPrismaClient } = await import('../prisma/client.ts');
  const prisma = createPrismaClient(databaseUrl);
  const app = createApp({
    prisma,
    // Not used by the report routes; lazy, so it never connects.
    temporal: { connection: Connection.lazy({ address: '127.0.0.1:1' }), namespace: 'unused' },
    smtpUrl: 'smtp://127.0.0.1:1',
    sessions: createSessionStore(prisma),
    publicUrl: 'http://127.0.0.1',
    log: () => {},
  });
  // The first query loads Prisma's query engine: part of a running API, not of the export.
  await prisma.$queryRaw`SELECT 1`;
  const loadedRssMiB = peakRssMiB();
  const started = performance.now();
  const response = await app.request(`/api/reports/licenses.xlsx?filter=${encodeURIComponent('{}')}`, { headers: { cookie: process.env.BENCH_COOKIE! } });
  if (response.status !== 200 || !response.body) throw new Error(`export answered ${response.status}: ${await response.text()}`);
  await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), createWriteStream(file));
  const seconds = (performance.now() - started) / 1000;
  await prisma.$disconnect();
  return { seconds, loadedRssMiB };
}

async function exportRaw() {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const loadedRssMiB = peakRssMiB();
  const started = performance.now();
  const output = createWriteStream(file);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  const worksheet = workbook.addWorksheet('License Report', { views: [{ state: 'frozen', ySplit: 1 }] });
  worksheet.columns = LICENSE_REPORT_COLUMNS.map((column) => ({
    key: column.key,
    width: column.width,
    ...(column.key === 'utcDate' ? { style: { numFmt: LICENSE_REPORT_DATE_FORMAT } } : {}),
  }));
  worksheet.addRow(LICENSE_REPORT_COLUMNS.map((column) => column.header)).commit();
  let after = '0';
  let rows = 0;
  for (;;) {
    const batch = await db.query<Record<string, unknown> & { id: string }>(
      `SELECT e.id::text AS id, e."occurredAt" AS "utcDate", e.action, l.serial::text AS serial, l."macAddress"::text AS mac, l.channels, l."vcaChannels",
         e.changes, p.name AS "stockName", p.name AS "productName", l."ordererRef", l."vendorRef", c.name AS orderer, l."orderType",
         l."endUserCompany", l."endUserContact", e.comment
       FROM "HistoryEvent" e JOIN "License" l ON l.id = e."licenseId" JOIN "Company" c ON c.id = l."companyId" JOIN "Product" p ON p.id = l."productId"
       WHERE e.id > $1::bigint ORDER BY e.id LIMIT ${LICENSE_REPORT_BATCH}`,
      [after],
    );
    for (const row of batch.rows) worksheet.addRow(LICENSE_REPORT_COLUMNS.map((column) => row[column.key] ?? null)).commit();
    rows += batch.rows.length;
    // The same back-pressure as the app: wait for the file to take what is queued.
    if (output.writableNeedDrain) await once(output, 'drain');
    if (batch.rows.length < LICENSE_REPORT_BATCH) break;
    after = batch.rows[batch.rows.length - 1]!.id;
  }
  worksheet.commit();
  await workbook.commit();
  const seconds = (performance.now() - started) / 1000;
  await db.end();
  return { rows, seconds, loadedRssMiB };
}

const result = mode === 'app' ? await exportThroughApp() : await exportRaw();
console.log(JSON.stringify({ ...result, bytes: (await stat(file)).size, peakRssMiB: peakRssMiB() }));
