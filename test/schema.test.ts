import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../api/auth/password.ts';
import { createPrismaClient, StockEntryKind, type PrismaClient } from '../prisma/client.ts';
import { DEMO_PASSWORD, DEMO_PRODUCTS, DEMO_USERS, loadDemoData } from '../prisma/demo-data.ts';
import { fileStack } from './support/file-stack.ts';

describe('schema, migrations and demo data', () => {
  let prisma: PrismaClient;
  beforeAll(() => {
    prisma = createPrismaClient(fileStack.databaseUrl);
  });
  afterAll(async () => {
    await prisma?.$disconnect();
  });

  it('loads the demo data idempotently', async () => {
    await loadDemoData(prisma);
    const counts = async () => ({
      companies: await prisma.company.count(),
      users: await prisma.user.count(),
      products: await prisma.product.count(),
      ledger: await prisma.stockLedgerEntry.count(),
    });
    const first = await counts();
    await loadDemoData(prisma);
    expect(await counts()).toEqual(first);

    const dealer = await prisma.company.findUniqueOrThrow({ where: { name: 'Tapsan Turva Oy' }, include: { parent: true, users: true } });
    expect(dealer.parent?.name).toBe('Nordic Security Distribution Oy');
    expect(dealer.users.map((u) => u.role).sort()).toEqual(['PARTNER_ADMIN', 'PARTNER_USER']);
    expect(await prisma.user.count({ where: { email: { in: DEMO_USERS.map((u) => u.email) } } })).toBe(6);

    const admin = await prisma.user.findUniqueOrThrow({ where: { email: 'desk.admin@license-desk.test' } });
    expect(admin.passwordHash).not.toContain(DEMO_PASSWORD);
    expect(await verifyPassword(DEMO_PASSWORD, admin.passwordHash)).toBe(true);
    expect(await verifyPassword('wrong password', admin.passwordHash)).toBe(false);

    // Other suites add their own products to the shared database; the demo catalogue has its codes.
    const mirasys = await prisma.product.findMany({ where: { code: { in: DEMO_PRODUCTS.map((p) => p.code) }, family: 'Mirasys VMS' } });
    expect(mirasys.map((p) => p.name).sort()).toEqual([
      'V9 Base',
      'V9 Base Demo',
      'V9 Enterprise',
      'V9 Enterprise Demo',
      'V9 Enterprise Plus',
      'V9 Enterprise Plus Demo',
      'V9 Pro',
      'V9 Pro Demo',
    ]);
    expect(mirasys.every((p) => p.minChannels === 1 && p.maxChannels === 250 && p.lockType === 'MAC')).toBe(true);
    expect(mirasys.find((p) => p.name === 'V9 Base')).toMatchObject({ servers: 1, users: 2, tier: 'BASE', isDemo: false });
    expect(mirasys.find((p) => p.name === 'V9 Enterprise Demo')).toMatchObject({ servers: 150, users: 10, isDemo: true });
    const nec = await prisma.product.findUniqueOrThrow({ where: { code: 'NEC-SV9100-INMAIL-CP20' } });
    expect(nec).toMatchObject({ lockType: 'HARDWARE_KEY', hardwareKeyType: 'SV9100_CP20', external: false });
    expect(await prisma.product.count({ where: { code: { in: DEMO_PRODUCTS.map((p) => p.code) }, external: true } })).toBe(1);
    expect(DEMO_PRODUCTS).toHaveLength(10);
  });

  it('derives the stock balance from the ledger', async () => {
    const { companyId, productId } = await scratchStock();
    const entry = (kind: StockEntryKind, channels: number) =>
      prisma.stockLedgerEntry.create({ data: { companyId, productId, kind, channels, idempotencyKey: randomUUID() } });
    await entry('CREDIT', 100);
    await entry('RESERVE', 30);
    await entry('CONSUME', 20);
    await entry('RELEASE', 10);
    await entry('RETURN', 5);
    const [balance] = await prisma.$queryRaw<Array<{ available: number; reserved: number; consumed: number }>>`
      SELECT available, reserved, consumed FROM "StockBalance" WHERE "companyId" = ${companyId}::uuid AND "productId" = ${productId}::uuid`;
    // available = 100 + 5 + 10 - 30; reserved = 30 - 10 - 20; consumed = 20 - 5
    expect(balance).toEqual({ available: 85, reserved: 0, consumed: 15 });
  });

  it('keeps ledger and history rows append-only', async () => {
    const { companyId, productId } = await scratchStock();
    const ledger = await prisma.stockLedgerEntry.create({
      data: { companyId, productId, kind: 'CREDIT', channels: 5, idempotencyKey: randomUUID() },
    });
    await expect(prisma.stockLedgerEntry.update({ where: { id: ledger.id }, data: { channels: 500 } })).rejects.toThrow(/append-only/);
    await expect(prisma.stockLedgerEntry.delete({ where: { id: ledger.id } })).rejects.toThrow(/append-only/);
    await expect(prisma.$executeRawUnsafe('TRUNCATE "StockLedgerEntry" CASCADE')).rejects.toThrow(/append-only/);

    const event = await prisma.historyEvent.create({ data: { action: 'created', actorName: 'test', companyId, changes: 'Channels: +5' } });
    await expect(prisma.historyEvent.update({ where: { id: event.id }, data: { changes: 'Channels: +500' } })).rejects.toThrow(/append-only/);
    await expect(prisma.historyEvent.delete({ where: { id: event.id } })).rejects.toThrow(/append-only/);
    expect((await prisma.stockLedgerEntry.findUniqueOrThrow({ where: { id: ledger.id } })).channels).toBe(5);
  });

  it('refuses a second ledger entry with the same idempotency key, and non-positive quantities', async () => {
    const { companyId, productId } = await scratchStock();
    const key = `request-${randomUUID()}:reserve`;
    await prisma.stockLedgerEntry.create({ data: { companyId, productId, kind: 'RESERVE', channels: 5, idempotencyKey: key } });
    await expect(prisma.stockLedgerEntry.create({ data: { companyId, productId, kind: 'RESERVE', channels: 5, idempotencyKey: key } })).rejects.toThrow(
      /Unique constraint/,
    );
    await expect(prisma.stockLedgerEntry.create({ data: { companyId, productId, kind: 'CREDIT', channels: 0, idempotencyKey: randomUUID() } })).rejects.toThrow(
      /channels_positive/,
    );
  });

  it('indexes what the desk searches: serial, MAC, hardware key, company, status, created-at', async () => {
    const rows = await prisma.$queryRaw<Array<{ tablename: string; indexdef: string }>>`
      SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = 'public'`;
    const indexed = (table: string, column: string) => rows.some((r) => r.tablename === table && new RegExp(`\\("?${column}"?[,)]`).test(r.indexdef));
    for (const column of ['serial', 'macAddress', 'hardwareKey', 'companyId', 'status', 'createdAt']) {
      expect(indexed('License', column), `License.${column}`).toBe(true);
    }
    for (const column of ['serial', 'macAddress', 'hardwareKey', 'companyId', 'status', 'createdAt']) {
      expect(indexed('Request', column), `Request.${column}`).toBe(true);
    }
    expect(indexed('HistoryEvent', 'companyId')).toBe(true);
    expect(indexed('HistoryEvent', 'occurredAt')).toBe(true);
  });

  it('serves the search box (a fragment of serial or end user) from trigram indexes, and keeps serials 12 long', async () => {
    // With sequential scans priced out, a plan that still scans the table means no index can serve it.
    const plan = await prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SET LOCAL enable_seqscan = off`;
      const rows = await tx.$queryRaw<Array<{ 'QUERY PLAN': string }>>`
        EXPLAIN SELECT id FROM "License" WHERE serial LIKE '%4242%' OR "endUserCompany" ILIKE '%koisti%'`;
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).toContain('License_serial_trgm_idx');
    expect(plan).toContain('License_endUserCompany_trgm_idx');
    expect(plan).not.toMatch(/Seq Scan/);

    const { companyId, productId } = await scratchStock();
    await expect(
      prisma.license.create({
        data: { serial: 'SHORT', companyId, productId, channels: 1, lockType: 'MAC', macAddress: '001b213a4f60', endUserCompany: 'Check Oy' },
      }),
    ).rejects.toThrow(/License_serial_length/);
  });

  it("keeps each company's license count (the list total) right through inserts, ownership moves, updates and deletes", async () => {
    const a = await scratchStock();
    const b = await scratchStock();
    const serial = () => randomUUID().replace(/-/g, '').slice(0, 12).toUpperCase();
    const license = (companyId: string) => ({
      serial: serial(),
      companyId,
      productId: a.productId,
      channels: 4,
      lockType: 'MAC' as const,
      endUserCompany: 'Count Oy',
    });
    const owned = async (companyId: string) => Number((await prisma.licenseCount.findUnique({ where: { companyId } }))?.licenses ?? 0);

    // One statement with several rows, as a bulk import writes them.
    await prisma.license.createMany({ data: [license(a.companyId), license(a.companyId), license(a.companyId), license(b.companyId)] });
    expect([await owned(a.companyId), await owned(b.companyId)]).toEqual([3, 1]);

    const moved = await prisma.license.findFirstOrThrow({ where: { companyId: a.companyId } });
    await prisma.license.update({ where: { id: moved.id }, data: { companyId: b.companyId } });
    // An update that moves no license between companies changes no count.
    await prisma.license.updateMany({ where: { companyId: { in: [a.companyId, b.companyId] } }, data: { status: 'ACTIVE' } });
    expect([await owned(a.companyId), await owned(b.companyId)]).toEqual([2, 2]);

    await prisma.license.deleteMany({ where: { companyId: b.companyId } });
    expect([await owned(a.companyId), await owned(b.companyId)]).toEqual([2, 0]);

    // Every company's count matches its licenses, across whatever the other suites have written.
    const drift = await prisma.$queryRaw<Array<{ companyId: string }>>`
      SELECT COALESCE(c."companyId", l."companyId") AS "companyId"
      FROM "LicenseCount" c FULL JOIN (SELECT "companyId", count(*) AS n FROM "License" GROUP BY "companyId") l ON l."companyId" = c."companyId"
      WHERE COALESCE(c.licenses, 0) <> COALESCE(l.n, 0)`;
    expect(drift).toEqual([]);
  });

  async function scratchStock() {
    const company = await prisma.company.create({ data: { name: `Scratch ${randomUUID()}`, kind: 'DEALER' } });
    const product = await prisma.product.create({
      data: { code: `SCRATCH-${randomUUID()}`, name: 'Scratch', family: 'Scratch', version: '1', maxChannels: 250, lockType: 'MAC' },
    });
    return { companyId: company.id, productId: product.id };
  }
});
