import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canReserve, checkReserve, ledgerKey, stockBalance, type StockBalance, type StockEntry, type StockEntryKind } from '../../domain/stock-balance.ts';
import { createPrismaClient, type PrismaClient } from '../../prisma/client.ts';
import { fileStack } from '../support/file-stack.ts';

// The latest definition of the view (it gained DEBIT in 000500, TRANSFER_OUT and TRANSFER_IN with the stock reship).
const MIGRATION = new URL('../../prisma/migrations/20261208000100_stock_reship/migration.sql', import.meta.url);
const KINDS: StockEntryKind[] = ['CREDIT', 'RESERVE', 'CONSUME', 'RELEASE', 'RETURN', 'DEBIT', 'TRANSFER_OUT', 'TRANSFER_IN'];

/**
 * Reads the StockBalance view's three SUM(CASE "kind" WHEN … THEN ±"channels" …) columns from the
 * migration, as a coefficient per kind, so the test follows the SQL rather than a copy of it.
 */
function viewFormula(): Record<keyof StockBalance, Record<StockEntryKind, number>> {
  const sql = readFileSync(MIGRATION, 'utf8');
  const view = sql.slice(sql.indexOf('VIEW "StockBalance"'));
  const columns = [...view.matchAll(/SUM\(CASE "kind"(?:::text)?([\s\S]*?)ELSE 0 END\)::integer AS "(\w+)"/g)];
  const formula = {} as Record<string, Record<StockEntryKind, number>>;
  for (const [, cases, column] of columns) {
    const coefficients = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<StockEntryKind, number>;
    for (const [, kind, sign] of cases!.matchAll(/WHEN '(\w+)' THEN (-?)"channels"/g)) {
      coefficients[kind as StockEntryKind] = sign === '-' ? -1 : 1;
    }
    formula[column!] = coefficients;
  }
  expect(Object.keys(formula).sort()).toEqual(['available', 'consumed', 'reserved']);
  return formula as Record<keyof StockBalance, Record<StockEntryKind, number>>;
}

function byView(formula: ReturnType<typeof viewFormula>, entries: StockEntry[]): StockBalance {
  const sum = (column: keyof StockBalance) => entries.reduce((total, e) => total + formula[column][e.kind] * e.channels, 0);
  return { available: sum('available'), reserved: sum('reserved'), consumed: sum('consumed') };
}

const e = (kind: StockEntryKind, channels: number): StockEntry => ({ kind, channels });

const SEQUENCES: Array<[string, StockEntry[]]> = [
  ['an empty stock', []],
  ['a credit', [e('CREDIT', 50)]],
  ['a reservation waiting for a decision', [e('CREDIT', 50), e('RESERVE', 8)]],
  ['an approved request', [e('CREDIT', 50), e('RESERVE', 8), e('CONSUME', 8)]],
  ['a rejected request', [e('CREDIT', 50), e('RESERVE', 8), e('RELEASE', 8)]],
  ['a license returned after use', [e('CREDIT', 50), e('RESERVE', 8), e('CONSUME', 8), e('RETURN', 8)]],
  ['a desk adjustment taking channels out', [e('CREDIT', 50), e('DEBIT', 12)]],
  ['a reship waiting for the desk (distributor)', [e('CREDIT', 50), e('RESERVE', 8)]],
  ['a reship carried out (distributor)', [e('CREDIT', 50), e('RESERVE', 8), e('TRANSFER_OUT', 8)]],
  ['a reship carried out (dealer)', [e('CREDIT', 5), e('TRANSFER_IN', 8)]],
  ['a busy stock', [e('CREDIT', 100), e('RESERVE', 20), e('RESERVE', 5), e('CONSUME', 20), e('RELEASE', 5), e('CREDIT', 10), e('RESERVE', 30), e('RETURN', 4)]],
];

describe('stockBalance', () => {
  it('follows the formula of the StockBalance view', () => {
    const formula = viewFormula();
    expect(formula).toEqual({
      available: { CREDIT: 1, RETURN: 1, RELEASE: 1, RESERVE: -1, CONSUME: 0, DEBIT: -1, TRANSFER_OUT: 0, TRANSFER_IN: 1 },
      reserved: { CREDIT: 0, RETURN: 0, RELEASE: -1, RESERVE: 1, CONSUME: -1, DEBIT: 0, TRANSFER_OUT: -1, TRANSFER_IN: 0 },
      consumed: { CREDIT: 0, RETURN: -1, RELEASE: 0, RESERVE: 0, CONSUME: 1, DEBIT: 0, TRANSFER_OUT: 0, TRANSFER_IN: 0 },
    });
    for (const [, entries] of SEQUENCES) expect(stockBalance(entries)).toEqual(byView(formula, entries));
  });

  it.each(SEQUENCES)('agrees with the view for %s', (_, entries) => {
    expect(stockBalance(entries)).toEqual(byView(viewFormula(), entries));
  });

  it('gives the balances a desk agent expects', () => {
    expect(stockBalance([])).toEqual({ available: 0, reserved: 0, consumed: 0 });
    expect(stockBalance(SEQUENCES[2]![1])).toEqual({ available: 42, reserved: 8, consumed: 0 });
    expect(stockBalance(SEQUENCES[3]![1])).toEqual({ available: 42, reserved: 0, consumed: 8 });
    expect(stockBalance(SEQUENCES[4]![1])).toEqual({ available: 50, reserved: 0, consumed: 0 });
    expect(stockBalance(SEQUENCES[5]![1])).toEqual({ available: 50, reserved: 0, consumed: 0 });
    expect(stockBalance(SEQUENCES[6]![1])).toEqual({ available: 38, reserved: 0, consumed: 0 });
    // A reship: the distributor's channels leave its reservation, the dealer can use them at once.
    expect(stockBalance(SEQUENCES[8]![1])).toEqual({ available: 42, reserved: 0, consumed: 0 });
    expect(stockBalance(SEQUENCES[9]![1])).toEqual({ available: 13, reserved: 0, consumed: 0 });
    expect(stockBalance(SEQUENCES[10]![1])).toEqual({ available: 64, reserved: 30, consumed: 16 });
  });

  it('refuses entries the ledger table would refuse', () => {
    const notWhole = (got: string) => new RangeError(`A stock ledger entry moves a positive whole number of channels (got ${got})`);
    expect(() => stockBalance([e('CREDIT', 0)])).toThrow(RangeError);
    expect(() => stockBalance([e('CREDIT', 0)])).toThrow(notWhole('0'));
    expect(() => stockBalance([e('CREDIT', -5)])).toThrow(/positive whole number/);
    expect(() => stockBalance([e('CREDIT', -5)])).toThrow(notWhole('-5'));
    expect(() => stockBalance([e('CREDIT', 1.5)])).toThrow(RangeError);
    expect(() => stockBalance([e('CREDIT', 1.5)])).toThrow(notWhole('1.5'));
    expect(() => stockBalance([{ kind: 'GIFT' as StockEntryKind, channels: 1 }])).toThrow(/GIFT/);
    expect(() => stockBalance([{ kind: 'GIFT' as StockEntryKind, channels: 1 }])).toThrow(new RangeError('Unknown stock ledger entry kind "GIFT"'));
  });
});

describe('canReserve / checkReserve', () => {
  const balance = { available: 5, reserved: 3, consumed: 10 };
  it('allows up to the available channels', () => {
    expect(canReserve(balance, 1)).toBe(true);
    expect(canReserve(balance, 5)).toBe(true);
    expect(canReserve(balance, 6)).toBe(false);
    expect(canReserve({ available: 0, reserved: 0, consumed: 0 }, 1)).toBe(false);
  });

  it('refuses zero, negative or fractional channels', () => {
    expect(canReserve(balance, 0)).toBe(false);
    expect(canReserve(balance, -1)).toBe(false);
    expect(canReserve(balance, 1.5)).toBe(false);
  });

  it('says why, for the partner', () => {
    expect(checkReserve(balance, 6)).toEqual({ ok: false, reason: 'The stock has 5 channels available; this request needs 6.' });
    expect(checkReserve({ available: 1, reserved: 0, consumed: 0 }, 2)).toEqual({
      ok: false,
      reason: 'The stock has 1 channel available; this request needs 2.',
    });
    expect(checkReserve(balance, 0)).toMatchObject({ ok: false, reason: expect.stringContaining('at least 1') });
    expect(checkReserve(balance, 5)).toEqual({ ok: true });
  });
});

describe('ledgerKey', () => {
  it('joins the request id and the step', () => {
    expect(ledgerKey('7d3c1c0e-1f4a-4d59-9a57-0f7d8f1d2e3a', 'reserve')).toBe('7d3c1c0e-1f4a-4d59-9a57-0f7d8f1d2e3a:reserve');
  });

  it('refuses keys that could collide', () => {
    expect(() => ledgerKey('', 'reserve')).toThrow(RangeError);
    expect(() => ledgerKey('', 'reserve')).toThrow(new RangeError('ledgerKey needs a request id without ":" (got "")'));
    expect(() => ledgerKey('a:b', 'reserve')).toThrow(RangeError);
    expect(() => ledgerKey('a:b', 'reserve')).toThrow(new RangeError('ledgerKey needs a request id without ":" (got "a:b")'));
    expect(() => ledgerKey('request', '')).toThrow(RangeError);
    expect(() => ledgerKey('request', '')).toThrow(new RangeError('ledgerKey needs a step name'));
  });
});

describe('stockBalance against the StockBalance view in PostgreSQL', () => {
  let prisma: PrismaClient;
  beforeAll(() => {
    prisma = createPrismaClient(fileStack.databaseUrl);
  });
  afterAll(async () => {
    await prisma?.$disconnect();
  });

  it('computes the same balance as the database for each sequence', async () => {
    const company = await prisma.company.create({ data: { name: `Domain balance test ${randomUUID()}`, kind: 'INTEGRATOR' } });
    for (const [index, [name, entries]] of SEQUENCES.entries()) {
      if (entries.length === 0) continue;
      const product = await prisma.product.create({
        data: {
          code: `DOMAIN-BALANCE-${randomUUID()}`,
          name: `Balance test: ${name}`,
          family: 'Domain tests',
          version: '1.0',
          maxChannels: 1000,
          lockType: 'MAC',
          active: false,
        },
      });
      const requestId = randomUUID();
      await prisma.stockLedgerEntry.createMany({
        data: entries.map((entry, step) => ({
          companyId: company.id,
          productId: product.id,
          kind: entry.kind,
          channels: entry.channels,
          idempotencyKey: ledgerKey(requestId, `${index}-${step}`),
        })),
      });
      const [row] = await prisma.$queryRaw<StockBalance[]>`
        SELECT available, reserved, consumed FROM "StockBalance"
        WHERE "companyId" = ${company.id}::uuid AND "productId" = ${product.id}::uuid`;
      expect(row, name).toEqual(stockBalance(entries));
    }
  });
});
