import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStockLedger, InsufficientStockError, type StockLedger } from '../services/stock-ledger.ts';
import { createPrismaClient, type PrismaClient } from '../prisma/client.ts';
import { fileStack } from './support/file-stack.ts';

describe('stock ledger', () => {
  let prisma: PrismaClient;
  let ledger: StockLedger;
  beforeAll(() => {
    prisma = createPrismaClient(fileStack.databaseUrl, 20);
    ledger = createStockLedger(prisma);
  });
  afterAll(async () => {
    await prisma?.$disconnect();
  });

  async function newStock(channels: number) {
    const company = await prisma.company.create({ data: { name: `Ledger ${randomUUID()}`, kind: 'DEALER' } });
    const product = await prisma.product.create({
      data: { code: `LEDGER-${randomUUID()}`, name: 'V9 Pro', family: 'Test', version: '9.0', maxChannels: 250, lockType: 'MAC' },
    });
    const stock = { companyId: company.id, productId: product.id };
    if (channels > 0) await ledger.credit(stock, channels, `opening:${randomUUID()}`);
    return stock;
  }

  it('50 parallel reservations of 1 channel against a stock of 20 give exactly 20, never below zero', async () => {
    const stock = await newStock(20);
    const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => ledger.reserve(stock, 1, `req-${i}:reserve`, { productName: 'V9 Pro' })));
    const granted = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(granted).toHaveLength(20);
    expect(refused).toHaveLength(30);
    expect(refused.every((r) => r.reason instanceof InsufficientStockError)).toBe(true);
    expect(refused[0]!.reason.message).toBe('Your stock of V9 Pro has 0 channels available; this request needs 1.');
    expect(await ledger.balance(stock)).toEqual({ available: 0, reserved: 20, consumed: 0 });
  });

  it('is idempotent per key: a retried reserve, consume or release moves stock once', async () => {
    const stock = await newStock(10);
    const first = await ledger.reserve(stock, 4, 'r1:reserve', { productName: 'V9 Pro' });
    const again = await ledger.reserve(stock, 4, 'r1:reserve', { productName: 'V9 Pro' });
    expect(again!.id).toBe(first!.id);
    expect(await ledger.balance(stock)).toEqual({ available: 6, reserved: 4, consumed: 0 });

    await ledger.settle(stock, 'r1:reserve', 'CONSUME');
    await ledger.settle(stock, 'r1:reserve', 'CONSUME');
    // A late compensation after the license was issued must not give the channels back.
    await ledger.settle(stock, 'r1:reserve', 'RELEASE');
    expect(await ledger.balance(stock)).toEqual({ available: 6, reserved: 0, consumed: 4 });
    expect(await prisma.stockLedgerEntry.count({ where: { companyId: stock.companyId } })).toBe(3);
  });

  it('releases a reservation when the request ends without a license, and returns channels', async () => {
    const stock = await newStock(10);
    await ledger.reserve(stock, 7, 'r2:reserve', { productName: 'V9 Pro' });
    await ledger.settle(stock, 'r2:reserve', 'RELEASE');
    await ledger.settle(stock, 'r2:reserve', 'RELEASE');
    expect(await ledger.balance(stock)).toEqual({ available: 10, reserved: 0, consumed: 0 });

    await ledger.reserve(stock, 5, 'r3:reserve', { productName: 'V9 Pro' });
    await ledger.settle(stock, 'r3:reserve', 'CONSUME');
    await ledger.returnChannels(stock, 2, 'r4:return');
    await ledger.returnChannels(stock, 2, 'r4:return');
    expect(await ledger.balance(stock)).toEqual({ available: 7, reserved: 0, consumed: 3 });
  });

  it('settling an unknown reservation does nothing', async () => {
    const stock = await newStock(3);
    expect(await ledger.settle(stock, 'never-reserved:reserve', 'RELEASE')).toBeNull();
    expect(await ledger.balance(stock)).toEqual({ available: 3, reserved: 0, consumed: 0 });
  });
});
