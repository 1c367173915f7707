import { ApplicationFailure, log } from '@temporalio/activity';
import type { PrismaClient } from '../prisma/client.ts';
import type { Mailer } from '../services/mail/outbox.ts';
import { recipientLocale } from '../services/mail/recipient-locale.ts';

export interface SmaActivityDeps {
  prisma: PrismaClient;
  outbox: Mailer;
  publicUrl: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** What the workflow passes: its own run time (ISO 8601) and the look-ahead in days. */
export interface SmaWindowInput {
  runAt: string;
  withinDays: number;
}

export interface CompanyWithEndingSma {
  companyId: string;
  licenses: number;
}

/** One reminder per company per day: `sma:<companyId>:<YYYY-MM-DD of the run, UTC>`. */
export function smaReminderKey(companyId: string, runAt: string): string {
  return `sma:${companyId}:${runAt.slice(0, 10)}`;
}

function windowOf({ runAt, withinDays }: SmaWindowInput) {
  const from = new Date(runAt);
  if (Number.isNaN(from.getTime())) throw ApplicationFailure.nonRetryable(`runAt must be an ISO 8601 time, got "${runAt}"`, 'InvalidInput');
  if (!Number.isInteger(withinDays) || withinDays < 1) {
    throw ApplicationFailure.nonRetryable(`withinDays must be a whole number of days, at least 1; got ${withinDays}`, 'InvalidInput');
  }
  // Active licenses whose SMA has not ended yet but ends within the window.
  return { status: 'ACTIVE' as const, smaEnd: { gte: from, lte: new Date(from.getTime() + withinDays * DAY_MS) } };
}

/**
 * The SMA renewal reminders ("Milestone Care" reminders): find the companies whose licenses'
 * SMA ends soon, and mail each one a digest through the outbox, once per company and day.
 */
export function createSmaActivities({ prisma, outbox, publicUrl }: SmaActivityDeps) {
  return {
    /** The companies with an active license whose SMA ends between `runAt` and `runAt + withinDays`. */
    async listCompaniesWithEndingSma(input: SmaWindowInput): Promise<CompanyWithEndingSma[]> {
      const groups = await prisma.license.groupBy({
        by: ['companyId'],
        where: windowOf(input),
        _count: { _all: true },
        orderBy: { companyId: 'asc' },
      });
      return groups.map((g) => ({ companyId: g.companyId, licenses: g._count._all }));
    },

    /**
     * Mails the company's partner admins (or, with none, its contact address) the `sma_expiry`
     * digest of its licenses in the window. Keyed `sma:<companyId>:<run date>`, so a retry or a
     * second run on the same day finds the day's row and sends nothing new.
     */
    async mailSmaRenewalReminder(input: SmaWindowInput & { companyId: string }): Promise<{ licenses: number; outboxId: string | null }> {
      const { companyId, runAt, withinDays } = input;
      const company = await prisma.company.findUniqueOrThrow({ where: { id: companyId } });
      const licenses = await prisma.license.findMany({
        where: { companyId, ...windowOf(input) },
        include: { product: { select: { name: true } } },
        orderBy: [{ smaEnd: 'asc' }, { serial: 'asc' }],
      });
      // Renewed (or revoked) since the list was made: nothing to say.
      if (licenses.length === 0) return { licenses: 0, outboxId: null };

      const admins = await prisma.user.findMany({
        where: { companyId, role: 'PARTNER_ADMIN', active: true },
        select: { email: true },
        orderBy: { email: 'asc' },
      });
      const to = admins.length > 0 ? admins.map((u) => u.email) : company.contactEmail ? [company.contactEmail] : [];
      if (to.length === 0) {
        log.warn('SMA reminder not sent: the company has no active partner admin and no contact e-mail', { companyId, companyName: company.name });
        return { licenses: licenses.length, outboxId: null };
      }

      const row = await outbox.deliver({
        key: smaReminderKey(companyId, runAt),
        to,
        model: {
          kind: 'sma_expiry',
          companyName: company.name,
          publicUrl,
          timeZone: company.timeZone,
          locale: await recipientLocale(prisma, to),
          withinDays,
          licenses: licenses.map((l) => ({
            serial: l.serial,
            productName: l.product.name,
            channels: l.channels,
            endUserCompany: l.endUserCompany || undefined,
            smaEnd: l.smaEnd!,
          })),
        },
      });
      return { licenses: licenses.length, outboxId: row.id };
    },
  };
}

export type SmaActivities = ReturnType<typeof createSmaActivities>;
