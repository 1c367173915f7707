import { PrismaClient } from './generated/client.ts';
import { LicenseDeskPg } from './pg-adapter.ts';

export type { PrismaClient } from './generated/client.ts';
export * from './generated/enums.ts';

/** One client per process; it owns a pg pool sized by DATABASE_POOL_SIZE (default 10). */
export function createPrismaClient(databaseUrl: string): PrismaClient {
  return new PrismaClient({ adapter: new LicenseDeskPg(databaseUrl) });
}
