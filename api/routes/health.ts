import { Hono } from 'hono';
import type { Connection } from '@temporalio/client';
import type { BusinessCalendar } from '../../domain/business-calendar.ts';
import type { PrismaClient } from '../../prisma/client.ts';
import { describeCalendar } from '../health/calendar.ts';
import { checkDatabase, checkSmtp, checkTemporal, checkWorkers, type CheckResult } from '../health/checks.ts';
import * as shapes from '../answer-shapes.ts';
import { documented } from '../route-docs.ts';
import { APP_VERSION } from '../version.ts';

export interface HealthDeps {
  prisma: PrismaClient;
  temporal: { connection: Connection; namespace: string };
  smtpUrl: string;
  /** The task queue the API starts requests on; when given, health also reports its workers. */
  taskQueue?: string;
  /** How recently a worker must have polled to count (HEALTH_WORKER_SEEN_WITHIN_SECONDS); WORKER_SEEN_WITHIN_MS when unset. */
  workerSeenWithinMs?: number;
  /** The desk's business calendar and its file (BUSINESS_CALENDAR_FILE); when given, health reports its holidays. */
  calendar?: { calendar: BusinessCalendar; file: string };
}

/**
 * GET /api/health: the state and version of each service. 503 "unavailable" when PostgreSQL,
 * Temporal or SMTP is down; 503 "degraded" when they are up but no worker polls the task queue
 * (the API answers, but requests stand still). `warnings` lists what needs a person's attention
 * without stopping requests, e.g. a business calendar without holidays for this or next year.
 */
export function healthRoutes(deps: HealthDeps) {
  return new Hono().get(
    '/',
    documented({
      summary: 'State and version of PostgreSQL, Temporal, SMTP and the workers',
      description:
        '`checks.workers`: the workers polling the task queue (how many, who, the last poll); degraded when none has polled in 90 s (`HEALTH_WORKER_SEEN_WITHIN_SECONDS`)',
      who: 'anyone',
      answers: {
        200: { description: 'Every service is up and a worker polls', json: shapes.health },
        503: { description: '`unavailable`: a service is down; `degraded`: no worker polls the task queue', json: shapes.health },
      },
    }),
    async (c) => {
      const [database, temporal, smtp, workers] = await Promise.all([
        checkDatabase(deps.prisma),
        checkTemporal(deps.temporal.connection, deps.temporal.namespace),
        checkSmtp(deps.smtpUrl),
        deps.taskQueue ? checkWorkers(deps.temporal.connection, deps.temporal.namespace, deps.taskQueue, deps.workerSeenWithinMs) : undefined,
      ]);
      const checks: Record<string, CheckResult> = { database, temporal, smtp, ...(workers ? { workers } : {}) };
      const status = [database, temporal, smtp].some((check) => check.status === 'down') ? 'unavailable' : workers?.status === 'down' ? 'degraded' : 'ok';
      const calendar = deps.calendar ? describeCalendar(deps.calendar.calendar, deps.calendar.file) : undefined;
      return c.json(
        { status, version: APP_VERSION, checks, ...(calendar ? { calendar: calendar.summary } : {}), warnings: calendar?.warnings ?? [] },
        status === 'ok' ? 200 : 503,
      );
    },
  );
}
