import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './tools.ts';

const run = promisify(execFile);

/** Applies the committed migrations (`prisma migrate deploy`) to the given database. */
export async function migrateDatabase(databaseUrl: string): Promise<void> {
  const prisma = path.join(ROOT, 'node_modules', '.bin', 'prisma');
  await run(prisma, ['migrate', 'deploy'], { cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl } }).catch(
    (error: Error & { stdout?: string; stderr?: string }) => {
      throw new Error(`Database migration failed:\n${error.stdout ?? ''}${error.stderr ?? error.message}`);
    },
  );
}
