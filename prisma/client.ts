import { PrismaClient } from './generated/client.ts';
import { LicenseDeskPg } from './pg-adapter.ts';

export type { PrismaClient } from './generated/client.ts';
export * from './generated/enums.ts';

/**
 * One client per process; it owns a pg pool of `poolSize` connections (DATABASE_POOL_SIZE).
 * A stock's ledger transactions queue on the stock's advisory lock, and that wait counts against
 * the transaction's timeout: Prisma's 5 s default expired under a burst of reservations on one
 * stock with both cores busy, failing work that only had to wait its turn.
 */
export function createPrismaClient(databaseUrl: string, poolSize = 10): PrismaClient {
  return new PrismaClient({ adapter: new LicenseDeskPg(databaseUrl, poolSize), transactionOptions: { maxWait: 10_000, timeout: 30_000 } });
}
