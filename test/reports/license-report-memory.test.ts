import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licenseReportFilter, writeLicenseReportXlsx } from '../../api/reports/license-report.ts';
import { createPrismaClient, type PrismaClient } from '../../prisma/client.ts';
import { reportCompany, reportLicense, reportProduct, reportRevision, tagged } from './report-fixtures.ts';
import { fileStack } from '../support/file-stack.ts';

const ROWS = 100_000;
const MAX_HEAP_GROWTH_MB = 150;
const MB = 1024 * 1024;

describe('License Report export memory', () => {
  let prisma: PrismaClient;
  let dir: string;
  let companyId: string;

  beforeAll(async () => {
    prisma = createPrismaClient(fileStack.databaseUrl);
    dir = await mkdtemp(path.join(os.tmpdir(), 'license-report-memory-'));
    const tag = tagged();
    const { company } = await reportCompany(prisma, `Report Load ${tag}`);
    companyId = company.id;
    const product = await reportProduct(prisma, `V9 Enterprise Load ${tag}`);
    const licenses = [];
    for (let i = 0; i < 4; i++) {
      const license = await reportLicense(prisma, {
        companyId,
        productId: product.id,
        channels: 8 + i,
        macAddress: `c8d9d29aa3${i}0`,
        endUserCompany: `End user ${i}, "quoted"`,
        ordererRef: `PO-${i}`,
      });
      await reportRevision(prisma, license, { revision: 1, productId: product.id, channels: 5 + i, createdAt: new Date('2022-01-01T00:00:00Z') });
      licenses.push(license.id);
    }
    // One statement: a year of events, one every ~5 minutes, spread over four licenses.
    await prisma.$executeRaw`
      INSERT INTO "HistoryEvent" ("occurredAt", action, "actorName", "companyId", "licenseId", changes, comment, details)
      SELECT timestamp '2022-01-01 00:00:00' + g * interval '5 minutes',
        (ARRAY['created', 'channels_changed', 'downloaded', 'emailed'])[1 + g % 4],
        'load test', ${companyId}::uuid, (${licenses}::uuid[])[1 + g % 4],
        'Channels: +' || (g % 7), CASE WHEN g % 10 = 0 THEN 'Comment number ' || g END,
        CASE WHEN g % 4 = 1 THEN '{"revision": 1}'::jsonb ELSE '{}'::jsonb END
      FROM generate_series(1, ${ROWS}) AS g`;
    // A real table this size has been analysed by autovacuum; a freshly filled one has not.
    await prisma.$executeRaw`ANALYZE "HistoryEvent"`;
  }, 180_000);

  afterAll(async () => {
    await prisma?.$disconnect();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it(`streams ${ROWS.toLocaleString('en')} rows to xlsx with flat memory`, async () => {
    const filter = licenseReportFilter.parse({ from: '2022-01-01', to: '2022-12-31', companyScope: [companyId] });
    const file = path.join(dir, 'license-report.xlsx');
    const out = createWriteStream(file);
    const done = finished(out);

    // The fork ran other test files before this one (vitest.config.ts, isolate: false): their
    // garbage is collected first, so that the growth is the export's own, as in a fresh process.
    if (!global.gc) throw new Error('This test needs node --expose-gc (vitest.config.ts poolOptions.forks.execArgv)');
    global.gc();
    const before = process.memoryUsage().heapUsed;
    const started = performance.now();
    const samples: Array<{ at: number; heap: number }> = [];
    const sampler = setInterval(() => samples.push({ at: performance.now() - started, heap: process.memoryUsage().heapUsed }), 100);
    let result: { rows: number };
    try {
      result = await writeLicenseReportXlsx(prisma, filter, out);
      await done;
    } finally {
      clearInterval(sampler);
    }
    const elapsed = performance.now() - started;
    samples.push({ at: elapsed, heap: process.memoryUsage().heapUsed });
    const peakOf = (list: typeof samples) => Math.max(before, ...list.map((s) => s.heap));
    const peak = peakOf(samples);
    // Printed, not asserted (GC timing varies): a flat heap peaks about as high in both halves.
    const firstHalf = peakOf(samples.filter((s) => s.at < elapsed / 2));
    const secondHalf = peakOf(samples.filter((s) => s.at >= elapsed / 2));
    const seconds = elapsed / 1000;
    const growthMb = (peak - before) / MB;
    const { size } = await stat(file);
    console.log(
      `License Report xlsx: ${result.rows.toLocaleString('en')} rows in ${seconds.toFixed(1)} s; ` +
        `heap before ${(before / MB).toFixed(1)} MB, peak ${(peak / MB).toFixed(1)} MB (growth ${growthMb.toFixed(1)} MB; ` +
        `peak in 1st half ${(firstHalf / MB).toFixed(1)} MB, 2nd half ${(secondHalf / MB).toFixed(1)} MB; ${samples.length} samples); file ${(size / MB).toFixed(1)} MB`,
    );
    expect(result.rows).toBe(ROWS);
    expect(growthMb).toBeLessThan(MAX_HEAP_GROWTH_MB);

    // Read it back with exceljs's streaming reader (reading 100,001 rows at once is itself heavy).
    let count = 0;
    let first: unknown[] = [];
    let second: unknown[] = [];
    let last: unknown[] = [];
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache' });
    for await (const worksheet of reader) {
      for await (const row of worksheet) {
        count++;
        const values = (row.values as unknown[]).slice(1);
        if (count === 1) first = values;
        if (count === 2) second = values;
        last = values;
      }
    }
    expect(count).toBe(ROWS + 1);
    expect(first[0]).toBe('UTC Date');
    // Newest first: event g = ROWS is on 2022-12-14 05:20, the oldest (g = 1) on 2022-01-01 00:05.
    expect(second[0]).toEqual(new Date(Date.UTC(2022, 0, 1) + ROWS * 5 * 60_000));
    expect(second[1]).toBe('License created');
    expect(last[0]).toEqual(new Date('2022-01-01T00:05:00Z'));
    expect(last.slice(1, 2)).toEqual(['Channels changed']);
    expect(last[4]).toBe(5 + 1); // g = 1 names revision 1 of the second license: 6 channels
  }, 240_000);
});
