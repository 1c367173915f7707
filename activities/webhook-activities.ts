import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { WebhookAttemptFailed, WebhookDestinationRefused, type WebhookSender } from '../services/webhooks/delivery.ts';

/** The webhook delivery steps (workflows/webhook-delivery.ts). Without a sender they refuse, naming what is missing. */
export function createWebhookActivities({ webhooks }: { webhooks?: WebhookSender }) {
  const sender = () => {
    if (!webhooks)
      throw ApplicationFailure.nonRetryable('This worker was started without webhook delivery (createActivities needs `webhooks`)', 'WebhooksNotConfigured');
    return webhooks;
  };
  return {
    /**
     * One HTTP attempt; a non-2xx answer or no answer is a retryable failure, recorded first. A
     * destination that is (or resolves to) a non-public address is recorded and not retried.
     */
    async attemptWebhookDelivery({ deliveryId, round }: { deliveryId: string; round: number }) {
      try {
        return await sender().attempt({ deliveryId, round, attempt: Context.current().info.attempt });
      } catch (error) {
        if (error instanceof WebhookDestinationRefused) throw ApplicationFailure.nonRetryable(error.message, 'WebhookDestinationRefused');
        if (error instanceof WebhookAttemptFailed) throw ApplicationFailure.retryable(error.message, 'WebhookAttemptFailed');
        throw error;
      }
    },

    async giveUpWebhookDelivery(input: { deliveryId: string; round: number; reason: string }) {
      await sender().giveUp(input);
    },
  };
}
