import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import type { DeliverWebhookInput } from './webhook-delivery-input.ts';

/**
 * Delivers one webhook event to one endpoint (one round). Each attempt is an activity attempt,
 * recorded in the delivery log; when the retry policy runs out, the delivery is marked FAILED.
 */
export async function deliverWebhook({ deliveryId, round, retry }: DeliverWebhookInput) {
  const { attemptWebhookDelivery } = proxyActivities<Activities>({
    startToCloseTimeout: '30 seconds',
    scheduleToCloseTimeout: retry.giveUpAfterMs,
    retry: { initialInterval: retry.initialIntervalMs, maximumInterval: retry.maximumIntervalMs, backoffCoefficient: 2 },
  });
  const { giveUpWebhookDelivery } = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', retry: { maximumInterval: '1 minute' } });
  try {
    return await attemptWebhookDelivery({ deliveryId, round });
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    const cause = error.cause instanceof ApplicationFailure ? error.cause.message : (error.cause?.message ?? error.message);
    await giveUpWebhookDelivery({ deliveryId, round, reason: cause });
    return { outcome: 'failed' as const, reason: cause };
  }
}
