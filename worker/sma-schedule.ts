import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptionsStartWorkflowAction, type ScheduleSpec } from '@temporalio/client';
import type * as workflows from '../workflows/index.ts';

/** The schedule's id: a business key, so every worker start finds the same schedule. */
export const SMA_SCHEDULE_ID = 'sma-renewal-reminders';

/**
 * Creates the daily schedule that runs `remindSmaRenewals` at `hour`:00 in `timeZone`, or, when
 * it already exists (another worker, an earlier start), brings its spec, action and overlap
 * policy up to date. Safe to call on every worker start.
 *
 * Overlap SKIP: a run still retrying an unreachable SMTP server is not joined by the next day's.
 * The mails are keyed by company and date, so a run that does go twice in a day mails once.
 */
export async function ensureSmaSchedule({
  client,
  taskQueue,
  timeZone = 'Europe/Helsinki',
  hour = 7,
}: {
  client: Client;
  taskQueue: string;
  timeZone?: string;
  hour?: number;
}) {
  const spec: ScheduleSpec = { calendars: [{ hour, minute: 0 }], timezone: timeZone };
  const action: ScheduleOptionsStartWorkflowAction<(typeof workflows)['remindSmaRenewals']> = {
    type: 'startWorkflow',
    workflowType: 'remindSmaRenewals' satisfies keyof typeof workflows,
    // The workflow's own default look-ahead (30 days) applies.
    args: [{}],
    taskQueue,
    workflowId: SMA_SCHEDULE_ID,
    // A run stuck retrying gives way to the next day's instead of making SKIP drop it.
    workflowRunTimeout: '20 hours',
  };
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' };

  try {
    return await client.schedule.create({ scheduleId: SMA_SCHEDULE_ID, spec, action, policies });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    const handle = client.schedule.getHandle(SMA_SCHEDULE_ID);
    await handle.update((previous) => ({ ...previous, spec, action, policies: { ...previous.policies, ...policies } }));
    return handle;
  }
}
