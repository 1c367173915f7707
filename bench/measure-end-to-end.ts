import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { cpuSince, cpuSnapshot } from './cpu.ts';
import type { ExpansionPartner } from './data-sets.ts';

export const E2E_SECONDS = 20;
export const NOOP_SECONDS = 10;
export const WARMUP_SECONDS = 3;
/** Expansions a partner's license can still take (4 channels of at most 250, 1 at a time). */
const MAX_EXPANSIONS_PER_LICENSE = 240;

export interface ThroughputResult {
  /** Completed in the timed window, per second. */
  perSecond: number;
  completed: number;
  /** Seconds from start to completion, per item. */
  p50: number;
  p99: number;
  failures: number;
  /** Every operation the window ran: those counted above, those that ended after it, and failures. */
  ran: number;
  /** CPU ms per operation the window ran, per kind of process (bench/cpu.ts); undefined without /proc. */
  cpu?: Array<{ label: string; ms: number }>;
}

/** The timed loop, with the CPU that every process of the bench spent in it. */
async function timed(loop: () => Promise<ThroughputResult>): Promise<ThroughputResult> {
  const before = cpuSnapshot();
  const result = await loop();
  // The loop returns once nothing is in flight, so the CPU it measured belongs to all it ran.
  return { ...result, cpu: cpuSince(before, result.ran) };
}

function percentile(sorted: number[], p: number) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
}

/**
 * Closed loop: each slot runs `op` back to back until `seconds` have passed; what finishes
 * inside the window counts. A warm-up run of the same loop comes first and is thrown away.
 */
async function closedLoop(slots: number, seconds: number, op: (slot: number) => Promise<boolean>): Promise<ThroughputResult> {
  const latencies: number[] = [];
  let failures = 0;
  let ran = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: slots }, async (_, slot) => {
      while (performance.now() < deadline) {
        const begun = performance.now();
        const ok = await op(slot);
        ran++;
        const ended = performance.now();
        if (!ok) failures++;
        else if (ended <= deadline) latencies.push((ended - begun) / 1000);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { perSecond: latencies.length / seconds, completed: latencies.length, p50: percentile(latencies, 50), p99: percentile(latencies, 99), failures, ran };
}

type HistoryEvent = NonNullable<Awaited<ReturnType<ReturnType<Client['workflow']['getHandle']>['fetchHistory']>>['events']>[number];
const at = (e: HistoryEvent) => Number(e.eventTime?.seconds ?? 0) * 1000 + (e.eventTime?.nanos ?? 0) / 1e6;

export interface WorkflowAnatomy {
  workflows: number;
  /** Per workflow, on average. */
  activities: number;
  /** Local activities: run inside a workflow task, recorded as markers, no task of their own. */
  localActivities: number;
  workflowTasks: number;
  retries: number;
  /** Per workflow, on average, in ms: waiting for a worker to pick a task up, and running it. */
  activityQueuedMs: number;
  activityRunMs: number;
  workflowTaskQueuedMs: number;
  workflowTaskRunMs: number;
  totalMs: number;
  /** Mean run time of each activity type, slowest first. */
  activityTypes: Array<{ name: string; runMs: number }>;
  /** How many times each local activity type ran per workflow. */
  localActivityTypes: Array<{ name: string; perWorkflow: number }>;
}

/** The marker the SDK's core records for each local activity's result (sdk-core's LOCAL_ACTIVITY_MARKER_NAME). */
const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

/** The activity type in a local-activity marker: its `data` detail is JSON with an `activity_type`. */
function localActivityType(details: Record<string, { payloads?: Array<{ data?: Uint8Array | null }> | null }> | null | undefined): string {
  try {
    const data = details?.data?.payloads?.[0]?.data;
    return data ? ((JSON.parse(Buffer.from(data).toString('utf8')) as { activity_type?: string }).activity_type ?? '?') : '?';
  } catch {
    return '?';
  }
}

/** Where a workflow's time goes, read from the histories of `workflowIds`. */
export async function anatomyOf(client: Client, workflowIds: string[]): Promise<WorkflowAnatomy> {
  const runs = new Map<string, { ms: number; n: number }>();
  const localRuns = new Map<string, number>();
  const sum = {
    activities: 0,
    localActivities: 0,
    workflowTasks: 0,
    retries: 0,
    activityQueuedMs: 0,
    activityRunMs: 0,
    workflowTaskQueuedMs: 0,
    workflowTaskRunMs: 0,
    totalMs: 0,
  };
  for (const id of workflowIds) {
    const events = (await client.workflow.getHandle(id).fetchHistory()).events ?? [];
    const byId = new Map(events.map((e) => [Number(e.eventId), e]));
    for (const e of events) {
      if (e.activityTaskScheduledEventAttributes) sum.activities++;
      const marker = e.markerRecordedEventAttributes;
      if (marker?.markerName === LOCAL_ACTIVITY_MARKER) {
        sum.localActivities++;
        const name = localActivityType(marker.details);
        const run = localRuns.get(name) ?? 0;
        localRuns.set(name, run + 1);
      }
      if (e.workflowTaskCompletedEventAttributes) sum.workflowTasks++;
      const started = e.activityTaskStartedEventAttributes;
      if (started) {
        if ((started.attempt ?? 1) > 1) sum.retries += started.attempt! - 1;
        sum.activityQueuedMs += at(e) - at(byId.get(Number(started.scheduledEventId))!);
      }
      const done = e.activityTaskCompletedEventAttributes ?? e.activityTaskFailedEventAttributes;
      if (done) {
        const runMs = at(e) - at(byId.get(Number(done.startedEventId))!);
        sum.activityRunMs += runMs;
        const name = byId.get(Number(done.scheduledEventId))?.activityTaskScheduledEventAttributes?.activityType?.name ?? '?';
        const run = runs.get(name) ?? { ms: 0, n: 0 };
        runs.set(name, { ms: run.ms + runMs, n: run.n + 1 });
      }
      const wfStarted = e.workflowTaskStartedEventAttributes;
      if (wfStarted) sum.workflowTaskQueuedMs += at(e) - at(byId.get(Number(e.eventId) - 1)!);
      const wfDone = e.workflowTaskCompletedEventAttributes;
      if (wfDone) sum.workflowTaskRunMs += at(e) - at(byId.get(Number(wfDone.startedEventId))!);
    }
    if (events.length) sum.totalMs += at(events[events.length - 1]!) - at(events[0]!);
  }
  const n = Math.max(workflowIds.length, 1);
  return {
    workflows: workflowIds.length,
    ...(Object.fromEntries(Object.entries(sum).map(([k, v]) => [k, v / n])) as typeof sum),
    activityTypes: [...runs].map(([name, run]) => ({ name, runMs: run.ms / run.n })).sort((a, b) => b.runMs - a.runMs),
    localActivityTypes: [...localRuns].map(([name, count]) => ({ name, perWorkflow: count / n })).sort((a, b) => b.perWorkflow - a.perWorkflow),
  };
}

/**
 * Auto-approved channel expansions from submission to completion: POST /api/requests on the
 * real API, then the workflow's result (reserve stock, auto-approve, new signed revision, stock
 * consumed, two e-mails, timeline), one partner per concurrent client.
 */
export async function measureAutoApprovedRequests(options: {
  apiUrl: string;
  client: Client;
  partners: ExpansionPartner[];
  progress: (line: string) => void;
}): Promise<ThroughputResult & { workflowIds: string[] }> {
  const used = options.partners.map(() => 0);
  const workflowIds: string[] = [];
  const expand = async (slot: number) => {
    const partner = options.partners[slot]!;
    if (++used[slot]! > MAX_EXPANSIONS_PER_LICENSE) throw new Error('A benchmark license ran out of channels; lower E2E_SECONDS or add partners.');
    const response = await fetch(`${options.apiUrl}/api/requests`, {
      method: 'POST',
      headers: { cookie: partner.cookie, origin: options.apiUrl, 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'CHANNEL_EXPANSION',
        serial: partner.serial,
        macAddress: partner.macAddress,
        channels: 1,
        deliveryEmails: [partner.deliveryEmail],
      }),
    });
    if (response.status !== 201) throw new Error(`A submission answered ${response.status}: ${await response.text()}`);
    const { workflowId } = (await response.json()) as { workflowId: string };
    workflowIds.push(workflowId);
    const outcome = (await options.client.workflow.getHandle(workflowId).result()) as { outcome: string; reason?: string };
    if (outcome.outcome !== 'completed') options.progress(`  request ${workflowId} ended ${outcome.outcome}: ${outcome.reason ?? ''}`);
    return outcome.outcome === 'completed';
  };
  await closedLoop(options.partners.length, WARMUP_SECONDS, expand);
  options.progress(`end-to-end: warmed up; ${E2E_SECONDS}s at ${options.partners.length} clients...`);
  workflowIds.length = 0;
  return { ...(await timed(() => closedLoop(options.partners.length, E2E_SECONDS, expand))), workflowIds };
}

/** The no-op workflow, started and awaited by the same number of concurrent clients; the timed window's ids in start order. */
export async function measureNoopWorkflows(options: {
  client: Client;
  taskQueue: string;
  slots: number;
}): Promise<ThroughputResult & { workflowIds: string[] }> {
  const workflowIds: string[] = [];
  const run = async () => {
    const workflowId = `bench-noop-${randomUUID()}`;
    workflowIds.push(workflowId);
    await options.client.workflow.execute('benchNoop', { taskQueue: options.taskQueue, workflowId, args: [] });
    return true;
  };
  await closedLoop(options.slots, WARMUP_SECONDS, run);
  workflowIds.length = 0;
  return { ...(await timed(() => closedLoop(options.slots, NOOP_SECONDS, run))), workflowIds };
}
