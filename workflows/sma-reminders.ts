import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import { ACTIVITY_HEARTBEAT_TIMEOUT } from './request-steps.ts';

/** The default look-ahead: mail about SMAs that end within this many days. */
export const SMA_REMINDER_WITHIN_DAYS = 30;

export interface SmaReminderInput {
  withinDays?: number;
}

export interface SmaReminderResult {
  /** Companies with at least one active license whose SMA ends in the window. */
  companies: number;
  /** Those companies' licenses in the window, all together. */
  licenses: number;
}

// The digest run mails every company in one activity, so it keeps a longer attempt than a request step.
const smaActs = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: ACTIVITY_HEARTBEAT_TIMEOUT,
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes: ['InvalidInput'] },
});

/**
 * SMA renewal reminders ("Milestone Care" reminders), started daily by the schedule
 * `sma-renewal-reminders` (worker/sma-schedule.ts). Each partner company with active licenses
 * whose SMA ends within `withinDays` gets one digest mail. The mails are keyed by company and
 * the run's date (from workflow time), so a retry or a second run that day mails nobody twice.
 */
export async function remindSmaRenewals(input: SmaReminderInput = {}): Promise<SmaReminderResult> {
  const withinDays = input.withinDays ?? SMA_REMINDER_WITHIN_DAYS;
  if (!Number.isInteger(withinDays) || withinDays < 1) {
    throw ApplicationFailure.nonRetryable(`withinDays must be a whole number of days, at least 1; got ${withinDays}`, 'InvalidInput');
  }
  // Workflow time: deterministic on replay, and the same for every activity of this run.
  const runAt = new Date(Date.now()).toISOString();

  const companies = await smaActs.listCompaniesWithEndingSma({ runAt, withinDays });
  let licenses = 0;
  for (const { companyId } of companies) {
    const mailed = await smaActs.mailSmaRenewalReminder({ companyId, runAt, withinDays });
    licenses += mailed.licenses;
  }
  return { companies: companies.length, licenses };
}
