// The input of deliverWebhook and its workflow ids: pure, so that the dispatcher imports it outside a workflow.

/**
 * How a delivery round is retried: Temporal's retry policy on the one activity that POSTs, with
 * exponential backoff (coefficient 2) from `initialIntervalMs` up to `maximumIntervalMs`, for at
 * most `giveUpAfterMs` in all (WEBHOOK_RETRY_* in config/env.ts; 24 h by default).
 */
export interface WebhookRetry {
  initialIntervalMs: number;
  maximumIntervalMs: number;
  giveUpAfterMs: number;
}

export interface DeliverWebhookInput {
  deliveryId: string;
  /** 1 for the first delivery, 2 and on for each redeliver. */
  round: number;
  retry: WebhookRetry;
}

/** The workflow id of a delivery round: the delivery id itself, then `<id>:redeliver:<n>`. */
export function webhookWorkflowId(deliveryId: string, round: number): string {
  return round <= 1 ? deliveryId : `${deliveryId}:redeliver:${round - 1}`;
}
