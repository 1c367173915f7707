import { Hono } from 'hono';
import type { Connection } from '@temporalio/client';
import type { PrismaClient } from '../../prisma/client.ts';
import { checkDatabase, checkSmtp, checkTemporal } from '../health/checks.ts';
import { APP_VERSION } from '../version.ts';

export interface HealthDeps {
  prisma: PrismaClient;
  temporal: { connection: Connection; namespace: string };
  smtpUrl: string;
}

/** GET /api/health: the state and version of each service; 503 when one is down. */
export function healthRoutes(deps: HealthDeps) {
  return new Hono().get('/', async (c) => {
    const [database, temporal, smtp] = await Promise.all([
      checkDatabase(deps.prisma),
      checkTemporal(deps.temporal.connection, deps.temporal.namespace),
      checkSmtp(deps.smtpUrl),
    ]);
    const checks = { database, temporal, smtp };
    const healthy = Object.values(checks).every((check) => check.status === 'up');
    return c.json({ status: healthy ? 'ok' : 'unavailable', version: APP_VERSION, checks }, healthy ? 200 : 503);
  });
}
