import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPEN_REQUEST_STATUSES, queueReport, queueReportFilter } from '../../api/reports/queue-report.ts';
import { createPrismaClient, type PrismaClient, type RequestStatus, type RequestType } from '../../prisma/client.ts';
import { reportCompany, tagged } from './report-fixtures.ts';
import { fileStack } from '../support/file-stack.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// The report's clock: a fixed "now", so ages and breaches do not depend on when the suite runs.
const NOW = new Date('2030-01-15T12:00:00Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms);

describe('queue report', () => {
  let prisma: PrismaClient;
  let companyId: string;
  let otherId: string;
  const numbers: Record<string, number> = {};

  beforeAll(async () => {
    prisma = createPrismaClient(fileStack.databaseUrl);
    const tag = tagged();
    const desk = await reportCompany(prisma, `Queue Dealer ${tag}`);
    const other = await reportCompany(prisma, `Queue Other ${tag}`);
    companyId = desk.company.id;
    otherId = other.company.id;
    const request = async (
      name: string,
      data: { type: RequestType; status: RequestStatus; submittedAt: Date; decidedAt?: Date; dueAt?: Date },
      owner = desk,
    ) => {
      const row = await prisma.request.create({
        data: { ...data, companyId: owner.company.id, requesterId: owner.user.id, payload: {}, workflowId: `queue-report-${randomUUID()}` },
      });
      numbers[name] = row.number;
    };
    // Open new installations: < 1 day, 1-3 days (overdue), 3-7 days.
    await request('fresh', { type: 'NEW_INSTALLATION', status: 'PENDING_APPROVAL', submittedAt: ago(2 * HOUR), dueAt: new Date(NOW.getTime() + HOUR) });
    await request('twoDays', { type: 'NEW_INSTALLATION', status: 'PENDING_APPROVAL', submittedAt: ago(2 * DAY), dueAt: ago(DAY) });
    await request('fiveDays', { type: 'NEW_INSTALLATION', status: 'WAITING_FOR_PARTNER', submittedAt: ago(5 * DAY) });
    // Open channel expansions: 10 days old and overdue; exactly one day old, decided, in processing.
    await request('tenDays', { type: 'CHANNEL_EXPANSION', status: 'SUBMITTED', submittedAt: ago(10 * DAY), dueAt: ago(9 * DAY) });
    await request('processing', {
      type: 'CHANNEL_EXPANSION',
      status: 'PROCESSING',
      submittedAt: ago(DAY),
      decidedAt: ago(DAY - 2 * HOUR),
      dueAt: ago(2 * HOUR),
    });
    // Closed: decided in 4 h and 10 h and 1 h (new installations); cancelled undecided past its due date.
    await request('completed', { type: 'NEW_INSTALLATION', status: 'COMPLETED', submittedAt: ago(3 * DAY), decidedAt: ago(3 * DAY - 4 * HOUR) });
    await request('rejected', { type: 'NEW_INSTALLATION', status: 'REJECTED', submittedAt: ago(6 * DAY), decidedAt: ago(6 * DAY - 10 * HOUR) });
    await request('quick', { type: 'NEW_INSTALLATION', status: 'FAILED', submittedAt: ago(4 * DAY), decidedAt: ago(4 * DAY - HOUR) });
    await request('cancelled', { type: 'CHANNEL_EXPANSION', status: 'CANCELLED', submittedAt: ago(8 * DAY), dueAt: ago(7 * DAY) });
    // Decided before the period (2030-01-01 .. 2030-01-15): not in time-to-decision.
    await request('lastYear', {
      type: 'NEW_INSTALLATION',
      status: 'COMPLETED',
      submittedAt: new Date('2029-12-20T08:00:00Z'),
      decidedAt: new Date('2029-12-21T08:00:00Z'),
    });
    // Another company's overdue request, which the scope leaves out.
    await request('elsewhere', { type: 'UPGRADE', status: 'PENDING_APPROVAL', submittedAt: ago(3 * DAY), dueAt: ago(DAY) }, other);
  });

  afterAll(async () => {
    await prisma?.$disconnect();
  });

  it('counts open requests by type and age, time to decision and SLA breaches', async () => {
    const filter = queueReportFilter.parse({ from: '2030-01-01', to: '2030-01-15', companyScope: [companyId] });
    const report = await queueReport(prisma, filter, { now: NOW });
    const byType = <T extends { type: string }>(rows: T[]) => Object.fromEntries(rows.map(({ type, ...rest }) => [type, rest]));

    expect(byType(report.open)).toMatchObject({
      NEW_INSTALLATION: { total: 3, under1Day: 1, days1To3: 1, days3To7: 1, over7Days: 0 },
      CHANNEL_EXPANSION: { total: 2, under1Day: 0, days1To3: 1, days3To7: 0, over7Days: 1 },
      UPGRADE: { total: 0, under1Day: 0, days1To3: 0, days3To7: 0, over7Days: 0 },
    });
    // One row per request type, the empty ones too.
    expect(report.open).toHaveLength(10);

    const decisions = byType(report.timeToDecision);
    expect(decisions.NEW_INSTALLATION).toEqual({ decided: 3, averageHours: 5, medianHours: 4 });
    expect(decisions.CHANNEL_EXPANSION).toEqual({ decided: 1, averageHours: 2, medianHours: 2 });
    expect(decisions.UPGRADE).toEqual({ decided: 0, averageHours: null, medianHours: null });

    expect(report.slaBreaches.total).toBe(2);
    expect(byType(report.slaBreaches.byType)).toMatchObject({ NEW_INSTALLATION: { count: 1 }, CHANNEL_EXPANSION: { count: 1 }, UPGRADE: { count: 0 } });
    expect(report.slaBreaches.mostOverdue.map((b) => [b.number, b.type, b.status, b.overdueHours])).toEqual([
      [numbers.tenDays, 'CHANNEL_EXPANSION', 'SUBMITTED', 9 * 24],
      [numbers.twoDays, 'NEW_INSTALLATION', 'PENDING_APPROVAL', 24],
    ]);
    expect(report.slaBreaches.mostOverdue[0]).toMatchObject({ companyId, dueAt: ago(9 * DAY), submittedAt: ago(10 * DAY) });
    expect(report.asOf).toEqual(NOW);
  });

  it('reads all decisions without a period, and keeps to the company scope', async () => {
    const all = await queueReport(prisma, queueReportFilter.parse({ companyScope: [companyId] }), { now: NOW });
    expect(all.timeToDecision.find((d) => d.type === 'NEW_INSTALLATION')).toEqual({
      type: 'NEW_INSTALLATION',
      decided: 4,
      averageHours: (4 + 10 + 1 + 24) / 4,
      medianHours: 7,
    });

    const other = await queueReport(prisma, queueReportFilter.parse({ companyScope: [otherId] }), { now: NOW });
    expect(other.open.filter((o) => o.total > 0)).toEqual([{ type: 'UPGRADE', total: 1, under1Day: 0, days1To3: 0, days3To7: 1, over7Days: 0 }]);
    expect(other.slaBreaches.mostOverdue.map((b) => b.number)).toEqual([numbers.elsewhere]);

    // companyId narrows the desk's view (no scope) the same way.
    const desk = await queueReport(prisma, queueReportFilter.parse({ companyId: otherId }), { now: NOW });
    expect(desk.slaBreaches.total).toBe(1);
    expect(OPEN_REQUEST_STATUSES).not.toContain('COMPLETED');
    expect(OPEN_REQUEST_STATUSES).toContain('WAITING_FOR_RMA');
  });

  it('refuses a period that ends before it starts', () => {
    const result = queueReportFilter.safeParse({ from: '2030-02-01', to: '2030-01-01' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/ends \(2030-01-01\) before it starts/);
  });
});
