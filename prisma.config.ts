import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { LicenseDeskPg } from './prisma/pg-adapter.ts';

const databaseUrl = process.env.DATABASE_URL;
// `prisma generate` (run by `npm ci`) reads the schema's env("DATABASE_URL") but never connects;
// without a value it falls back to the classic engine, which downloads a binary and fails here.
process.env.DATABASE_URL ??= 'postgresql://unset@localhost:5432/unset';

// Prisma 6.19's JS schema engine runs `migrate deploy` and `migrate diff` offline through the
// driver adapter; the classic engine would download a binary, which this environment forbids.
export default defineConfig({
  engine: 'js',
  experimental: { adapter: true },
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
  async adapter() {
    if (!databaseUrl) throw new Error('DATABASE_URL must be set to run Prisma migrations (npm start sets it for the embedded database).');
    return new LicenseDeskPg(databaseUrl);
  },
});
