import { PrismaClient } from './generated/client.ts';
import { LicenseDeskPg } from './pg-adapter.ts';

export type { PrismaClient } from './generated/client.ts';
export * from './generated/enums.ts';

/** One client per process; it owns a pg pool of `poolSize` connections (DATABASE_POOL_SIZE). */
export function createPrismaClient(databaseUrl: string, poolSize = 10): PrismaClient {
  return new PrismaClient({ adapter: new LicenseDeskPg(databaseUrl, poolSize) });
}
