import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import pg from 'pg';
import type { PrismaClient } from '../../prisma/client.ts';
import type * as workflows from '../../workflows/index.ts';
import { webhookWorkflowId, type WebhookRetry } from '../../workflows/webhook-delivery-input.ts';
import { WEBHOOK_NOTIFY_CHANNEL } from './events.ts';

export interface WebhookDispatcherDeps {
  prisma: PrismaClient;
  client: Client;
  taskQueue: string;
  retry: WebhookRetry;
  /** LISTENs here for the NOTIFY each event's transaction sends on commit; without it, only the sweep runs. */
  databaseUrl?: string;
  /** The sweep's period: the longest a delivery waits when its NOTIFY was missed (a crash, a lost connection). */
  sweepEveryMs?: number;
  log?: (line: string) => void;
}

const BATCH = 100;

/**
 * Starts the delivery workflows after their events commit. The event's transaction writes the
 * delivery rows and a `pg_notify`, which PostgreSQL hands to listeners only when it commits; the
 * dispatcher then starts `deliverWebhook` with the workflow id of the delivery round (the
 * delivery id) and marks the round started. A sweep every `sweepEveryMs` starts whatever a
 * missed NOTIFY left behind: nothing is lost when a process dies between the commit and the start.
 *
 * Starting twice is harmless: the workflow id is the delivery round's, with REJECT_DUPLICATE, so
 * a second dispatcher (another worker replica) or a repeated sweep finds it started.
 */
export function createWebhookDispatcher({ prisma, client, taskQueue, retry, databaseUrl, sweepEveryMs = 10_000, log = () => {} }: WebhookDispatcherDeps) {
  let running: Promise<number> | undefined;
  let again = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let listener: pg.Client | undefined;

  async function startRound(delivery: { id: string; round: number }) {
    try {
      await client.workflow.start<(typeof workflows)['deliverWebhook']>('deliverWebhook' satisfies keyof typeof workflows, {
        taskQueue,
        workflowId: webhookWorkflowId(delivery.id, delivery.round),
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        args: [{ deliveryId: delivery.id, round: delivery.round, retry }],
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
    await prisma.webhookDelivery.updateMany({ where: { id: delivery.id, round: delivery.round }, data: { startedRound: delivery.round } });
  }

  /** Starts every delivery round not started yet; answers how many it started. */
  async function sweepOnce(): Promise<number> {
    let started = 0;
    for (;;) {
      const due = await prisma.$queryRaw<Array<{ id: string; round: number }>>`
        SELECT id, round FROM "WebhookDelivery" WHERE "startedRound" < "round" ORDER BY "createdAt" LIMIT ${BATCH}`;
      for (const delivery of due) {
        await startRound(delivery);
        started++;
      }
      if (due.length < BATCH) return started;
    }
  }

  /** One sweep at a time; a wake-up during a sweep runs one more after it. */
  function sweep(): Promise<number> {
    if (running) {
      again = true;
      return running;
    }
    running = sweepOnce()
      .catch((error: unknown) => {
        log(`Webhook dispatcher: sweep failed, retrying in ${sweepEveryMs} ms: ${error instanceof Error ? error.message : String(error)}`);
        return 0;
      })
      .finally(() => {
        running = undefined;
        if (again && !stopped) {
          again = false;
          void sweep();
        }
      });
    return running;
  }

  async function listen() {
    if (!databaseUrl || listener || stopped) return;
    const connection = new pg.Client({ connectionString: databaseUrl });
    connection.on('notification', () => void sweep());
    connection.on('error', (error) => {
      log(`Webhook dispatcher: LISTEN connection lost (${error.message}); the sweep covers until it reconnects`);
      if (listener === connection) listener = undefined;
      void connection.end().catch(() => {});
    });
    try {
      await connection.connect();
      await connection.query(`LISTEN ${WEBHOOK_NOTIFY_CHANNEL}`);
      listener = connection;
    } catch (error) {
      await connection.end().catch(() => {});
      log(`Webhook dispatcher: cannot LISTEN (${error instanceof Error ? error.message : String(error)}); sweeping every ${sweepEveryMs} ms`);
    }
  }

  function schedule() {
    if (stopped) return;
    timer = setTimeout(() => {
      void listen()
        .then(() => sweep())
        .finally(schedule);
    }, sweepEveryMs);
  }

  return {
    sweep,
    async start() {
      await listen();
      await sweep();
      schedule();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      await listener?.end().catch(() => {});
      listener = undefined;
    },
  };
}

export type WebhookDispatcher = ReturnType<typeof createWebhookDispatcher>;
