import net from 'node:net';
import tls from 'node:tls';
import type { Connection } from '@temporalio/client';
// A CommonJS module: Node's ESM loader finds no named exports in it, so take the default.
import proto from '@temporalio/proto';
import type { PrismaClient } from '../../prisma/client.ts';

export type CheckResult =
  { status: 'up'; version: string; latencyMs: number; [detail: string]: unknown } | { status: 'down'; error: string; latencyMs: number };

const CHECK_TIMEOUT_MS = 3000;

async function timed(run: () => Promise<Record<string, unknown> & { version: string }>): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const result = await Promise.race([
      run(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { status: 'up', ...result, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { status: 'down', error: error instanceof Error ? error.message : String(error), latencyMs: Math.round(performance.now() - started) };
  } finally {
    clearTimeout(timer);
  }
}

export function checkDatabase(prisma: PrismaClient): Promise<CheckResult> {
  return timed(async () => {
    const [row] = await prisma.$queryRaw<Array<{ server_version: string }>>`SHOW server_version`;
    const [migrations] = await prisma.$queryRaw<Array<{ applied: bigint }>>`
      SELECT count(*) AS applied FROM "_prisma_migrations" WHERE finished_at IS NOT NULL`;
    return { version: `PostgreSQL ${row!.server_version}`, migrations: Number(migrations!.applied) };
  });
}

export function checkTemporal(connection: Connection, namespace: string): Promise<CheckResult> {
  // A gRPC deadline, not only the race in timed(): during an outage the client's retries stop at
  // the deadline instead of piling up behind every health probe.
  return timed(() =>
    connection.withDeadline(Date.now() + CHECK_TIMEOUT_MS, async () => {
      const info = await connection.workflowService.getSystemInfo({});
      const ns = await connection.workflowService.describeNamespace({ namespace });
      const cluster = await connection.workflowService.getClusterInfo({});
      return {
        version: cluster.serverVersion || info.serverVersion || 'unknown',
        namespace: ns.namespaceInfo?.name ?? namespace,
      };
    }),
  );
}

/**
 * How recently a worker must have polled to count, by default (HEALTH_WORKER_SEEN_WITHIN_SECONDS
 * changes it). Temporal records a poll when it starts and when it ends. An idle worker's long
 * poll returns empty after about a minute and it polls again at once, so a live worker is never
 * seen longer ago than that. A worker that died is seen last when its connection dropped, and
 * stays listed until that is this old: a worker restarted within the window (the supervisor's
 * restart takes seconds) never turns the health "degraded". A window under a minute makes an idle
 * worker look gone between its polls; tests that want to see the gap use a short one.
 */
export const WORKER_SEEN_WITHIN_MS = 90_000;

/**
 * Who polls the task queue, from Temporal's own description of it (no heartbeat table of ours):
 * the workers seen polling for workflow and for activity tasks within `seenWithinMs`.
 * Down when either kind has none, because then requests stand still.
 */
export function checkWorkers(connection: Connection, namespace: string, taskQueue: string, seenWithinMs = WORKER_SEEN_WITHIN_MS): Promise<CheckResult> {
  const { TaskQueueType, TaskQueueKind } = proto.temporal.api.enums.v1;
  const pollersOf = async (taskQueueType: proto.temporal.api.enums.v1.TaskQueueType) => {
    const answer = await connection.workflowService.describeTaskQueue({
      namespace,
      taskQueue: { name: taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      taskQueueType,
    });
    return (answer.pollers ?? []).map((p) => ({
      identity: p.identity ?? '?',
      lastSeenMs: Number(p.lastAccessTime?.seconds ?? 0) * 1000 + Math.floor((p.lastAccessTime?.nanos ?? 0) / 1e6),
    }));
  };
  return timed(() =>
    connection.withDeadline(Date.now() + CHECK_TIMEOUT_MS, async () => {
      const [workflow, activity] = await Promise.all([pollersOf(TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW), pollersOf(TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY)]);
      const now = Date.now();
      const recent = (pollers: typeof workflow) => pollers.filter((p) => now - p.lastSeenMs <= seenWithinMs);
      const workers = [...new Set([...recent(workflow), ...recent(activity)].map((p) => p.identity))].sort();
      const lastSeenMs = Math.max(0, ...workflow.map((p) => p.lastSeenMs), ...activity.map((p) => p.lastSeenMs));
      const lastSeenAt = lastSeenMs ? new Date(lastSeenMs).toISOString() : null;
      if (recent(workflow).length === 0 || recent(activity).length === 0) {
        throw new Error(
          `No worker has polled task queue "${taskQueue}" in the last ${seenWithinMs / 1000} s (last poll: ${lastSeenAt ?? 'never'}); requests stand still until one does.`,
        );
      }
      return { version: `task queue ${taskQueue}`, taskQueue, workers: workers.length, identities: workers, lastSeenAt };
    }),
  );
}

/** Connects to the SMTP server and reads its greeting, which names the server. */
export function checkSmtp(smtpUrl: string): Promise<CheckResult> {
  return timed(
    () =>
      new Promise((resolve, reject) => {
        const url = new URL(smtpUrl);
        const secure = url.protocol === 'smtps:';
        const port = Number(url.port || (secure ? 465 : 25));
        const socket = secure ? tls.connect({ host: url.hostname, port, servername: url.hostname }) : net.connect({ host: url.hostname, port });
        let greeting = '';
        socket.setEncoding('utf8');
        socket.on('data', (chunk: string) => {
          greeting += chunk;
          if (!greeting.includes('\n')) return;
          const line = greeting.split(/\r?\n/)[0]!;
          socket.end('QUIT\r\n');
          if (line.startsWith('220')) resolve({ version: line.slice(4).trim() || 'SMTP' });
          else reject(new Error(`unexpected greeting: ${line}`));
        });
        socket.once('error', reject);
      }),
  );
}
