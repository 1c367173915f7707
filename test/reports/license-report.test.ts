import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LICENSE_REPORT_COLUMNS,
  licenseActionLabel,
  licenseReportFilter,
  licenseReportPage,
  streamLicenseReport,
  writeLicenseReportCsv,
  writeLicenseReportXlsx,
  type LicenseReportFilterInput,
  type LicenseReportRow,
} from '../../api/reports/license-report.ts';
import { createPrismaClient, type PrismaClient } from '../../prisma/client.ts';
import { historyEvent, reportCompany, reportLicense, reportProduct, reportRevision, tagged } from './report-fixtures.ts';
import { fileStack } from '../support/file-stack.ts';

const HEADERS = [
  'UTC Date',
  'Action',
  'Serial',
  'MAC',
  'Channels',
  'VCA Channels',
  'Changes',
  'Stock Name',
  'Product Name',
  'Orderer Ref.',
  'Vendor Ref.',
  'Orderer',
  'Order Type',
  'End User Company',
  'End User Contact',
  'Comment',
];

type Cells = Array<string | number | Date | null>;
const cellsOf = (row: LicenseReportRow): Cells => LICENSE_REPORT_COLUMNS.map((c) => row[c.key]);

describe('License Report', () => {
  let prisma: PrismaClient;
  let dir: string;
  const at = (iso: string) => new Date(iso);
  // Filled in beforeAll: the ids and the lines each event should produce.
  const world = {} as {
    dealerId: string;
    otherId: string;
    enterpriseId: string;
    proId: string;
    lines: Record<string, Cells>;
    ids: Record<string, string>;
  };

  beforeAll(async () => {
    prisma = createPrismaClient(fileStack.databaseUrl);
    dir = await mkdtemp(path.join(os.tmpdir(), 'license-report-'));
    const tag = tagged();
    const dealer = await reportCompany(prisma, `Report Dealer ${tag}`);
    const other = await reportCompany(prisma, `Report Other ${tag}`);
    const enterprise = await reportProduct(prisma, `V9 Enterprise ${tag}`);
    const pro = await reportProduct(prisma, `V9 Pro ${tag}`);

    // L1: created with 5 channels, activated, expanded to 6 (the Mirasys guide's example).
    const l1 = await reportLicense(prisma, {
      companyId: dealer.company.id,
      productId: enterprise.id,
      channels: 6,
      macAddress: 'c8d9d29aa31b',
      endUserCompany: 'Tapsan yritys testi',
      endUserContact: 'Tapio K',
      orderType: 'Project',
      vendorRef: 'V-100',
      ordererRef: 'PO-7',
    });
    await reportRevision(prisma, l1, { revision: 1, productId: enterprise.id, channels: 5, createdAt: at('2021-08-20T05:54:00.250Z') });
    await reportRevision(prisma, l1, { revision: 2, productId: enterprise.id, channels: 6, createdAt: at('2021-08-20T06:06:00Z') });
    // L2: a pro license whose end-user fields look like formulas; revoked.
    const l2 = await reportLicense(prisma, {
      companyId: dealer.company.id,
      productId: pro.id,
      channels: 10,
      vcaChannels: 2,
      macAddress: 'aabbccddeeff',
      endUserCompany: '=HYPERLINK("http://evil.test")',
      endUserContact: '+358 40 123 4567',
    });
    await reportRevision(prisma, l2, { revision: 1, productId: pro.id, channels: 10, vcaChannels: 2, createdAt: at('2021-08-22T08:00:00Z') });
    // L3 belongs to another company.
    const l3 = await reportLicense(prisma, {
      companyId: other.company.id,
      productId: enterprise.id,
      channels: 4,
      macAddress: '001122334455',
      endUserCompany: 'Other end user',
    });
    await reportRevision(prisma, l3, { revision: 1, productId: enterprise.id, channels: 4, createdAt: at('2021-08-24T12:00:00Z') });

    const d = dealer.company.id;
    const events = {
      e0: await historyEvent(prisma, { occurredAt: at('2021-07-31T23:59:59.999Z'), action: 'downloaded', companyId: d, licenseId: l1.id }),
      e1: await historyEvent(prisma, {
        occurredAt: at('2021-08-20T05:54:00.250Z'),
        action: 'created',
        companyId: d,
        licenseId: l1.id,
        revision: 1,
        changes: 'Channels: +5, MAC: c8d9d29aa31b',
      }),
      e2: await historyEvent(prisma, {
        occurredAt: at('2021-08-20T05:54:30Z'),
        action: 'activated',
        companyId: d,
        licenseId: l1.id,
        changes: 'MAC: c8d9d29aa31b HW serial: None',
      }),
      e3: await historyEvent(prisma, {
        occurredAt: at('2021-08-20T06:06:00Z'),
        action: 'channels_changed',
        companyId: d,
        licenseId: l1.id,
        revision: 2,
        changes: 'Channels: +1',
        comment: 'Customer said "ok", then\nleft, happily',
      }),
      f1: await historyEvent(prisma, {
        occurredAt: at('2021-08-22T08:00:00Z'),
        action: 'created',
        companyId: d,
        licenseId: l2.id,
        revision: 1,
        changes: 'Channels: +10, VCA channels: +2',
        comment: '@SUM(A1)',
      }),
      f2: await historyEvent(prisma, {
        occurredAt: at('2021-08-23T09:00:00Z'),
        action: 'revoked',
        companyId: d,
        licenseId: l2.id,
        changes: 'Status: revoked',
        comment: '-dangerous',
      }),
      g1: await historyEvent(prisma, {
        occurredAt: at('2021-08-24T12:00:00Z'),
        action: 'created',
        companyId: other.company.id,
        licenseId: l3.id,
        revision: 1,
        changes: 'Channels: +4',
      }),
      e6: await historyEvent(prisma, {
        occurredAt: at('2021-08-25T10:00:00Z'),
        action: 'desk_note',
        companyId: d,
        licenseId: l1.id,
        comment: 'internal',
        partnerVisible: false,
      }),
      e7: await historyEvent(prisma, { occurredAt: at('2021-08-21T10:00:00Z'), action: 'request_submitted', companyId: d }),
      e4: await historyEvent(prisma, { occurredAt: at('2021-08-31T23:59:59.999Z'), action: 'downloaded', companyId: d, licenseId: l1.id }),
      e5: await historyEvent(prisma, { occurredAt: at('2021-09-01T00:00:00Z'), action: 'downloaded', companyId: d, licenseId: l1.id }),
    };
    const l1Refs = ['PO-7', 'V-100', dealer.company.name, 'Project', 'Tapsan yritys testi', 'Tapio K'];
    const l2Refs = [null, null, dealer.company.name, null, '=HYPERLINK("http://evil.test")', '+358 40 123 4567'];
    const ent = enterprise.name;
    const line = (
      e: { occurredAt: Date; changes: string | null; comment: string | null },
      action: string,
      serial: string,
      mac: string,
      ch: number,
      vca: number,
      product: string,
      refs: Array<string | null>,
    ): Cells => [e.occurredAt, action, serial, mac, ch, vca, e.changes, product, product, ...refs, e.comment];
    world.dealerId = d;
    world.otherId = other.company.id;
    world.enterpriseId = enterprise.id;
    world.proId = pro.id;
    world.ids = Object.fromEntries(Object.entries(events).map(([k, e]) => [k, String(e.id)]));
    world.lines = {
      // Older than any revision: the license's current values.
      e0: line(events.e0, 'License downloaded', l1.serial, 'c8d9d29aa31b', 6, 0, ent, l1Refs),
      e1: line(events.e1, 'License created', l1.serial, 'c8d9d29aa31b', 5, 0, ent, l1Refs),
      // No revision named: the latest revision by then (1).
      e2: line(events.e2, 'License activated', l1.serial, 'c8d9d29aa31b', 5, 0, ent, l1Refs),
      e3: line(events.e3, 'Channels changed', l1.serial, 'c8d9d29aa31b', 6, 0, ent, l1Refs),
      e4: line(events.e4, 'License downloaded', l1.serial, 'c8d9d29aa31b', 6, 0, ent, l1Refs),
      e5: line(events.e5, 'License downloaded', l1.serial, 'c8d9d29aa31b', 6, 0, ent, l1Refs),
      e6: line(events.e6, 'Desk note', l1.serial, 'c8d9d29aa31b', 6, 0, ent, l1Refs),
      f1: line(events.f1, 'License created', l2.serial, 'aabbccddeeff', 10, 2, pro.name, l2Refs),
      f2: line(events.f2, 'License revoked', l2.serial, 'aabbccddeeff', 10, 2, pro.name, l2Refs),
      g1: line(events.g1, 'License created', l3.serial, '001122334455', 4, 0, ent, [null, null, other.company.name, null, 'Other end user', null]),
    };
    // The Changes column shows a MAC in the one canonical form, whatever form an older event wrote.
    world.lines.e1![6] = 'Channels: +5, MAC: c8:d9:d2:9a:a3:1b';
    world.lines.e2![6] = 'MAC: c8:d9:d2:9a:a3:1b HW serial: None';
  });

  afterAll(async () => {
    await prisma?.$disconnect();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const august = (extra: Partial<LicenseReportFilterInput> = {}) =>
    licenseReportFilter.parse({ from: '2021-08-01', to: '2021-08-31', companyScope: [world.dealerId], ...extra });
  const expected = (...keys: string[]) => keys.map((k) => world.lines[k]!);

  async function collect(filter: ReturnType<typeof august>) {
    const rows: LicenseReportRow[] = [];
    await streamLicenseReport(prisma, filter, (batch) => void rows.push(...batch), { batchSize: 2 });
    return rows.map(cellsOf);
  }

  async function readXlsx(filter: ReturnType<typeof august>) {
    const file = path.join(dir, `${tagged()}.xlsx`);
    const out = createWriteStream(file);
    const done = finished(out);
    const result = await writeLicenseReportXlsx(prisma, filter, out, { batchSize: 2 });
    await done;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const sheet = workbook.getWorksheet('License Report')!;
    const rows: Cells[] = [];
    sheet.eachRow({ includeEmpty: true }, (row) => {
      rows.push(HEADERS.map((_, i) => (row.getCell(i + 1).value ?? null) as Cells[number]));
    });
    return { result, sheet, header: rows[0], rows: rows.slice(1) };
  }

  it('has the Mirasys columns in order', () => {
    expect(LICENSE_REPORT_COLUMNS.map((c) => c.header)).toEqual(HEADERS);
    expect(licenseActionLabel('channels_changed')).toBe('Channels changed');
    expect(licenseActionLabel('created')).toBe('License created');
  });

  it("exports the company's license events to xlsx, newest first, with real dates", async () => {
    const { result, sheet, header, rows } = await readXlsx(august());
    expect(header).toEqual(HEADERS);
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getRow(2).getCell(1).value).toBeInstanceOf(Date);
    expect(sheet.getRow(2).getCell(1).numFmt).toBe('yyyy-mm-dd hh:mm:ss');
    // Not e0/e5 (outside the period), e6 (desk-only note), e7 (no license), g1 (another company).
    expect(rows).toEqual(expected('e4', 'f2', 'f1', 'e3', 'e2', 'e1'));
    expect(result.rows).toBe(6);
    // A formula-looking string stays a plain string cell in xlsx.
    expect(typeof rows[1]![13]).toBe('string');
  });

  it('filters by period, action, product and company, and keeps to the company scope', async () => {
    expect(await collect(august({ from: '2021-08-22', to: '2021-08-23' }))).toEqual(expected('f2', 'f1'));
    expect(await collect(august({ from: '2021-09-01', to: '2021-09-01' }))).toEqual(expected('e5'));
    expect(await collect(august({ action: 'downloaded' }))).toEqual(expected('e4'));
    expect(await collect(august({ action: ['created', 'revoked'] }))).toEqual(expected('f2', 'f1', 'e1'));
    expect(await collect(august({ productId: world.proId }))).toEqual(expected('f2', 'f1'));
    expect(await collect(august({ productId: world.enterpriseId }))).toEqual(expected('e4', 'e3', 'e2', 'e1'));
    // The scope wins over a companyId outside it; another scope sees only its own license.
    expect(await collect(august({ companyId: world.otherId }))).toEqual([]);
    expect(await collect(august({ companyScope: [world.otherId] }))).toEqual(expected('g1'));
    expect(await collect(august({ companyScope: [] }))).toEqual([]);
    // The desk (no scope) sees the internal note too; companyId narrows it to one company.
    expect(await collect(licenseReportFilter.parse({ companyId: world.dealerId }))).toEqual(expected('e5', 'e4', 'e6', 'f2', 'f1', 'e3', 'e2', 'e1', 'e0'));
    expect(await collect(licenseReportFilter.parse({ companyId: world.otherId, productId: world.enterpriseId }))).toEqual(expected('g1'));
    // The xlsx applies the same filters.
    expect((await readXlsx(august({ action: 'revoked' }))).rows).toEqual(expected('f2'));
    expect((await readXlsx(august({ companyScope: [world.otherId] }))).rows).toEqual(expected('g1'));
  });

  it('pages for the screen with a total, newest first or oldest first', async () => {
    const page = await licenseReportPage(prisma, august(), { offset: 1, limit: 2 });
    expect(page.total).toBe(6);
    expect(page.rows.map(cellsOf)).toEqual(expected('f2', 'f1'));
    expect(page.rows.map((r) => r.id)).toEqual([world.ids.f2, world.ids.f1]);
    const oldest = await licenseReportPage(prisma, august(), { limit: 3, sort: 'asc' });
    expect(oldest.rows.map(cellsOf)).toEqual(expected('e1', 'e2', 'e3'));
    expect(await licenseReportPage(prisma, august({ action: 'upgraded' }))).toEqual({ rows: [], total: 0 });
    await expect(licenseReportPage(prisma, august(), { limit: 5000 })).rejects.toThrow(/limit must be a whole number from 1 to 1000/);
  });

  it('writes RFC 4180 CSV with quoting and a formula-injection guard', async () => {
    const file = path.join(dir, 'report.csv');
    const out = createWriteStream(file);
    const result = await writeLicenseReportCsv(prisma, august(), out, { batchSize: 2 });
    expect(result.rows).toBe(6);
    const text = await readFile(file, 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const body = text.slice(1);
    expect(body.split('\r\n')[0]).toBe(HEADERS.join(','));
    expect(body.endsWith('\r\n')).toBe(true);
    // Every line break outside a quoted field is CRLF.
    expect(
      body
        .replace(/"(?:[^"]|"")*"/g, '')
        .match(/\r?\n/g)
        ?.every((nl) => nl === '\r\n'),
    ).toBe(true);
    expect(body).toContain(',"Customer said ""ok"", then\nleft, happily"\r\n');
    expect(body).toContain(`,"'=HYPERLINK(""http://evil.test"")",'+358 40 123 4567,'@SUM(A1)\r\n`);
    expect(body).toContain(",'-dangerous\r\n");
    expect(body).toContain('2021-08-31 23:59:59,License downloaded,');

    const records = parseCsv(body);
    expect(records).toHaveLength(7);
    expect(records[0]).toEqual(HEADERS);
    const l1 = world.lines.e3!;
    expect(records[4]).toEqual([
      '2021-08-20 06:06:00',
      'Channels changed',
      l1[2],
      'c8d9d29aa31b',
      '6',
      '0',
      'Channels: +1',
      l1[7],
      l1[8],
      'PO-7',
      'V-100',
      l1[11],
      'Project',
      'Tapsan yritys testi',
      'Tapio K',
      'Customer said "ok", then\nleft, happily',
    ]);
    expect(records.slice(1).map((r) => r[1])).toEqual([
      'License downloaded',
      'License revoked',
      'License created',
      'Channels changed',
      'License activated',
      'License created',
    ]);
  });

  it('refuses a bad period with a readable message', () => {
    const message = (input: unknown) => {
      const result = licenseReportFilter.safeParse(input);
      return result.success ? 'ok' : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    };
    expect(message({ from: '2021-09-01', to: '2021-08-01' })).toBe(
      'to: The period ends (2021-08-01) before it starts (2021-09-01); pick a "to" date on or after "from".',
    );
    expect(message({ from: '2015-01-01', to: '2020-01-01' })).toBe(
      'to: A report covers at most 5 years; from 2015-01-01 pick a "to" date on or before 2019-12-31, or run several reports.',
    );
    expect(message({ from: '2015-01-01', to: '2019-12-31' })).toBe('ok');
    expect(message({ from: '2021-08-01', to: '2021-08-01' })).toBe('ok');
    expect(message({ from: '2021-02-30' })).toBe('from: from must be a date like 2021-08-01');
    expect(message({ action: 'Channels changed' })).toBe('action: action must be a history action code such as channels_changed');
    expect(message({ companyId: 'acme' })).toBe('companyId: companyId must be a company id');
    expect(message({ stock: 'x' })).toMatch(/stock/);
    expect(licenseReportFilter.parse({ from: '2021-08-01', to: '2021-08-31', action: 'created' })).toEqual({
      from: new Date('2021-08-01T00:00:00Z'),
      before: new Date('2021-09-01T00:00:00Z'),
      actions: ['created'],
    });
  });
});

/** A strict RFC 4180 reader for the assertions. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += ch;
  }
  if (field || record.length) throw new Error('CSV does not end with CRLF');
  return records;
}
