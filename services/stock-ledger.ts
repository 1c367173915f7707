import type { PrismaClient } from '../prisma/client.ts';
import { StockEntryKind } from '../prisma/client.ts';
import type { StockLedgerEntry } from '../prisma/generated/client.ts';
import { recordWebhookEvent } from './webhooks/events.ts';

export interface StockRef {
  companyId: string;
  productId: string;
}

export interface StockBalanceRow {
  available: number;
  reserved: number;
  consumed: number;
}

export class InsufficientStockError extends Error {
  constructor(
    readonly requested: number,
    readonly available: number,
    productName: string,
  ) {
    super(`Your stock of ${productName} has ${available} channel${available === 1 ? '' : 's'} available; this request needs ${requested}.`);
    this.name = 'InsufficientStockError';
  }
}

/** A transfer found its reservation missing, released or consumed: nothing was moved. */
export class ReservationSettledError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReservationSettledError';
  }
}

/** The key of the TRANSFER_OUT that settles the reservation `reserveKey` (beside `:consume` and `:release`). */
export const transferOutKey = (reserveKey: string) => `${reserveKey}:transfer`;

type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/**
 * The stock ledger. Every movement is one append-only row keyed by "<requestId>:<step>", so a
 * retried activity finds its own earlier entry instead of moving stock twice. Movements of one
 * stock (company + product) are serialised with a transaction-scoped advisory lock, so the
 * available balance is read and debited atomically and can never go below zero.
 */
export function createStockLedger(prisma: PrismaClient) {
  async function balanceIn(tx: Tx, stock: StockRef): Promise<StockBalanceRow> {
    const [row] = await tx.$queryRaw<StockBalanceRow[]>`
      SELECT available, reserved, consumed FROM "StockBalance"
      WHERE "companyId" = ${stock.companyId}::uuid AND "productId" = ${stock.productId}::uuid`;
    return row ?? { available: 0, reserved: 0, consumed: 0 };
  }

  async function lockStock(tx: Tx, stock: StockRef) {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`stock:${stock.companyId}:${stock.productId}`}, 0))`;
  }

  /** The webhook event of a new ledger entry, in its transaction: every stock movement passes here. */
  async function announce(tx: Tx, entry: StockLedgerEntry): Promise<StockLedgerEntry> {
    const endpoints = await tx.webhookEndpoint.count({ where: { companyId: entry.companyId, disabledAt: null, events: { has: 'stock.changed' } } });
    if (endpoints === 0) return entry;
    const product = await tx.product.findUniqueOrThrow({ where: { id: entry.productId }, select: { code: true } });
    await recordWebhookEvent(tx, {
      type: 'stock.changed',
      companyId: entry.companyId,
      at: entry.createdAt,
      data: {
        productId: entry.productId,
        productCode: product.code,
        kind: entry.kind,
        channels: entry.channels,
        requestId: entry.requestId,
        balance: await balanceIn(tx, entry),
      },
    });
    return entry;
  }

  /** Runs `move` under the stock's lock unless an entry with `key` exists already. */
  async function once(
    stock: StockRef,
    key: string,
    move: (tx: Tx) => Promise<{ kind: StockEntryKind; channels: number } | null>,
    meta: { requestId?: string; createdById?: string; note?: string },
  ) {
    return prisma.$transaction(async (tx) => {
      await lockStock(tx, stock);
      const existing = await tx.stockLedgerEntry.findUnique({ where: { idempotencyKey: key } });
      if (existing) return existing;
      const entry = await move(tx);
      if (!entry) return null;
      const created = await tx.stockLedgerEntry.create({
        data: {
          companyId: stock.companyId,
          productId: stock.productId,
          ...entry,
          idempotencyKey: key,
          requestId: meta.requestId,
          createdById: meta.createdById,
          note: meta.note,
        },
      });
      return announce(tx, created);
    });
  }

  return {
    balance(stock: StockRef) {
      return prisma.$transaction((tx) => balanceIn(tx, stock));
    },

    credit(stock: StockRef, channels: number, key: string, meta: { requestId?: string; createdById?: string; note?: string } = {}) {
      return once(stock, key, async () => ({ kind: StockEntryKind.CREDIT, channels }), meta);
    },

    /** Holds channels for a request; refuses when the available balance does not cover them. */
    reserve(stock: StockRef, channels: number, key: string, meta: { requestId?: string; productName: string; createdById?: string }) {
      return once(
        stock,
        key,
        async (tx) => {
          const { available } = await balanceIn(tx, stock);
          if (available < channels) throw new InsufficientStockError(channels, available, meta.productName);
          return { kind: StockEntryKind.RESERVE, channels };
        },
        meta,
      );
    },

    /**
     * Settles the reservation `reserveKey`: CONSUME when the license was issued, RELEASE when the
     * request ended without one. A reservation is settled at most once, whichever comes first.
     */
    async settle(stock: StockRef, reserveKey: string, outcome: 'CONSUME' | 'RELEASE', meta: { requestId?: string; note?: string } = {}) {
      const consumeKey = `${reserveKey}:consume`;
      const releaseKey = `${reserveKey}:release`;
      return prisma.$transaction(async (tx) => {
        await lockStock(tx, stock);
        const [reserve, settled] = await Promise.all([
          tx.stockLedgerEntry.findUnique({ where: { idempotencyKey: reserveKey } }),
          // A reship's transfer settles the reservation too: nothing is released after it.
          tx.stockLedgerEntry.findFirst({ where: { idempotencyKey: { in: [consumeKey, releaseKey, transferOutKey(reserveKey)] } } }),
        ]);
        if (!reserve || settled) return settled;
        const created = await tx.stockLedgerEntry.create({
          data: {
            companyId: stock.companyId,
            productId: stock.productId,
            kind: outcome === 'CONSUME' ? StockEntryKind.CONSUME : StockEntryKind.RELEASE,
            channels: reserve.channels,
            idempotencyKey: outcome === 'CONSUME' ? consumeKey : releaseKey,
            requestId: meta.requestId,
            note: meta.note,
          },
        });
        return announce(tx, created);
      });
    },

    /**
     * A desk adjustment taking channels out of a stock (a correction, a lost order). Refused
     * when fewer channels are available: reserved and consumed channels cannot be debited.
     */
    debit(stock: StockRef, channels: number, key: string, meta: { productName: string; createdById?: string; note?: string }) {
      return once(
        stock,
        key,
        async (tx) => {
          const { available } = await balanceIn(tx, stock);
          if (available < channels) throw new InsufficientStockError(channels, available, meta.productName);
          return { kind: StockEntryKind.DEBIT, channels };
        },
        meta,
      );
    },

    /**
     * A reship: the reservation `reserveKey` of the distributor's stock (`from`) moves to the
     * dealer's stock of the same product (`to`). One transaction writes both entries, the
     * distributor's TRANSFER_OUT (which settles the reservation, so its available balance, already
     * lowered by the RESERVE, cannot go below zero) and the dealer's TRANSFER_IN (`inKey`), under
     * both stocks' locks taken in one order. A repeat finds the pair and writes nothing. Refused
     * (ReservationSettledError) when the reservation is gone or was released or consumed meanwhile.
     */
    async transfer(from: StockRef, to: StockRef, reserveKey: string, inKey: string, meta: { requestId?: string; note?: string } = {}) {
      const outKey = transferOutKey(reserveKey);
      return prisma.$transaction(async (tx) => {
        const stocks = [from, to].sort((a, b) => `${a.companyId}:${a.productId}`.localeCompare(`${b.companyId}:${b.productId}`));
        for (const stock of stocks) await lockStock(tx, stock);
        const entries = await tx.stockLedgerEntry.findMany({
          where: { idempotencyKey: { in: [reserveKey, `${reserveKey}:consume`, `${reserveKey}:release`, outKey, inKey] } },
        });
        const byKey = new Map(entries.map((e) => [e.idempotencyKey, e]));
        const reserve = byKey.get(reserveKey);
        if (!reserve) throw new ReservationSettledError(`No reservation ${reserveKey} to transfer`);
        if (byKey.has(`${reserveKey}:consume`) || byKey.has(`${reserveKey}:release`))
          throw new ReservationSettledError(`The reservation ${reserveKey} was already settled; its channels are not transferred`);
        // Each new entry is announced (a stock.changed webhook event), as every other movement is.
        const write = async (stock: StockRef, kind: StockEntryKind, idempotencyKey: string) =>
          announce(
            tx,
            await tx.stockLedgerEntry.create({
              data: {
                companyId: stock.companyId,
                productId: stock.productId,
                kind,
                channels: reserve.channels,
                idempotencyKey,
                requestId: meta.requestId,
                note: meta.note,
              },
            }),
          );
        const out = byKey.get(outKey) ?? (await write(from, StockEntryKind.TRANSFER_OUT, outKey));
        const into = byKey.get(inKey) ?? (await write(to, StockEntryKind.TRANSFER_IN, inKey));
        return { out, in: into };
      });
    },

    /** Channels coming back from a confirmed return. */
    returnChannels(stock: StockRef, channels: number, key: string, meta: { requestId?: string; note?: string } = {}) {
      return once(stock, key, async () => ({ kind: StockEntryKind.RETURN, channels }), meta);
    },
  };
}

export type StockLedger = ReturnType<typeof createStockLedger>;
