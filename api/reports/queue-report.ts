import { z } from 'zod';
import { RequestStatus, RequestType, type PrismaClient } from '../../prisma/client.ts';
import { Prisma } from '../../prisma/generated/client.ts';
import { checkPeriod, companyScopeSchema, isoDay, periodOf } from './period.ts';

/**
 * Queue reports for the desk: the open requests by type and age, the time from submission to
 * the desk's decision, and the SLA breaches.
 */

/** A request in one of these statuses is finished; every other status is open. */
export const CLOSED_REQUEST_STATUSES: readonly RequestStatus[] = ['COMPLETED', 'REJECTED', 'CANCELLED', 'EXPIRED', 'FAILED'];
export const OPEN_REQUEST_STATUSES: readonly RequestStatus[] = Object.values(RequestStatus).filter((s) => !CLOSED_REQUEST_STATUSES.includes(s));

/** Age of an open request since submission: [0, 1 day), [1, 3), [3, 7), 7 days and more. */
export const AGE_BUCKETS = [
  { key: 'under1Day', label: '< 1 day' },
  { key: 'days1To3', label: '1–3 days' },
  { key: 'days3To7', label: '3–7 days' },
  { key: 'over7Days', label: '> 7 days' },
] as const;

/**
 * `from`/`to` (days, `to` inclusive, UTC) pick the decisions that time-to-decision covers;
 * the open queue and the SLA breaches are always as of now. `companyScope` is set by the server.
 */
export const queueReportFilter = z
  .strictObject({
    from: isoDay('from').optional(),
    to: isoDay('to').optional(),
    companyId: z.uuid({ message: 'companyId must be a company id' }).optional(),
    companyScope: companyScopeSchema.optional(),
  })
  .superRefine(checkPeriod)
  .transform(({ from, to, ...rest }) => ({ ...periodOf({ from, to }), ...rest }));

export type QueueReportFilterInput = z.input<typeof queueReportFilter>;
export type QueueReportFilter = z.output<typeof queueReportFilter>;

export interface OpenRequestsByType {
  type: RequestType;
  total: number;
  under1Day: number;
  days1To3: number;
  days3To7: number;
  over7Days: number;
}

export interface TimeToDecision {
  type: RequestType;
  /** Requests decided in the period. */
  decided: number;
  /** Hours from submittedAt to decidedAt; null when none was decided. */
  averageHours: number | null;
  medianHours: number | null;
}

export interface SlaBreach {
  id: string;
  number: number;
  type: RequestType;
  status: RequestStatus;
  companyId: string;
  companyName: string;
  submittedAt: Date;
  dueAt: Date;
  overdueHours: number;
}

export interface QueueReport {
  asOf: Date;
  /** One line per request type, in RequestType order (zeros included). */
  open: OpenRequestsByType[];
  timeToDecision: TimeToDecision[];
  /** Open, undecided requests whose dueAt has passed: counts per type and the most overdue ones. */
  slaBreaches: { total: number; byType: Array<{ type: RequestType; count: number }>; mostOverdue: SlaBreach[] };
}

function scopeOf(filter: QueueReportFilter): Prisma.Sql {
  const where: Prisma.Sql[] = [];
  if (filter.companyId) where.push(Prisma.sql`r."companyId" = ${filter.companyId}::uuid`);
  if (filter.companyScope) where.push(Prisma.sql`r."companyId" = ANY(${filter.companyScope}::uuid[])`);
  return where.length ? Prisma.sql`AND ${Prisma.join(where, ' AND ')}` : Prisma.empty;
}

const openStatus = Prisma.sql`r.status::text <> ALL(${[...CLOSED_REQUEST_STATUSES]}::text[])`;

/** The queue as of `now` (the clock, injectable for tests). `mostOverdue` lists at most `limit`. */
export async function queueReport(prisma: PrismaClient, filter: QueueReportFilter, options: { now?: Date; limit?: number } = {}): Promise<QueueReport> {
  const now = options.now ?? new Date();
  const scope = scopeOf(filter);
  const day = (n: number) => Prisma.sql`${new Date(now.getTime() - n * 86_400_000)}::timestamp`;

  const [open, decisions, breachCounts, mostOverdue] = await Promise.all([
    prisma.$queryRaw<Array<Omit<OpenRequestsByType, 'type'> & { type: RequestType }>>`
      SELECT r.type::text AS type,
        COUNT(*)::int AS total,
        COUNT(*) FILTER (WHERE r."submittedAt" > ${day(1)})::int AS "under1Day",
        COUNT(*) FILTER (WHERE r."submittedAt" <= ${day(1)} AND r."submittedAt" > ${day(3)})::int AS "days1To3",
        COUNT(*) FILTER (WHERE r."submittedAt" <= ${day(3)} AND r."submittedAt" > ${day(7)})::int AS "days3To7",
        COUNT(*) FILTER (WHERE r."submittedAt" <= ${day(7)})::int AS "over7Days"
      FROM "Request" r
      WHERE ${openStatus} ${scope}
      GROUP BY r.type`,
    prisma.$queryRaw<TimeToDecision[]>`
      SELECT r.type::text AS type,
        COUNT(*)::int AS decided,
        (AVG(EXTRACT(EPOCH FROM r."decidedAt" - r."submittedAt")) / 3600)::float8 AS "averageHours",
        (percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM r."decidedAt" - r."submittedAt")) / 3600)::float8 AS "medianHours"
      FROM "Request" r
      WHERE r."decidedAt" IS NOT NULL
        ${filter.from ? Prisma.sql`AND r."decidedAt" >= ${filter.from}::timestamp` : Prisma.empty}
        ${filter.before ? Prisma.sql`AND r."decidedAt" < ${filter.before}::timestamp` : Prisma.empty}
        ${scope}
      GROUP BY r.type`,
    prisma.$queryRaw<Array<{ type: RequestType; count: number }>>`
      SELECT r.type::text AS type, COUNT(*)::int AS count
      FROM "Request" r
      WHERE r."dueAt" < ${now}::timestamp AND r."decidedAt" IS NULL AND ${openStatus} ${scope}
      GROUP BY r.type`,
    prisma.$queryRaw<SlaBreach[]>`
      SELECT r.id::text AS id, r.number, r.type::text AS type, r.status::text AS status,
        r."companyId"::text AS "companyId", c.name AS "companyName", r."submittedAt", r."dueAt",
        (EXTRACT(EPOCH FROM ${now}::timestamp - r."dueAt") / 3600)::float8 AS "overdueHours"
      FROM "Request" r JOIN "Company" c ON c.id = r."companyId"
      WHERE r."dueAt" < ${now}::timestamp AND r."decidedAt" IS NULL AND ${openStatus} ${scope}
      ORDER BY r."dueAt" ASC, r.number ASC
      LIMIT ${options.limit ?? 100}`,
  ]);

  const types = Object.values(RequestType);
  const byType = types.map((type) => ({ type, count: breachCounts.find((b) => b.type === type)?.count ?? 0 }));
  return {
    asOf: now,
    open: types.map((type) => open.find((o) => o.type === type) ?? { type, total: 0, under1Day: 0, days1To3: 0, days3To7: 0, over7Days: 0 }),
    timeToDecision: types.map((type) => decisions.find((d) => d.type === type) ?? { type, decided: 0, averageHours: null, medianHours: null }),
    slaBreaches: { total: byType.reduce((sum, b) => sum + b.count, 0), byType, mostOverdue },
  };
}
