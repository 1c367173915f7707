import { ApplicationFailure, patched, proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import type { MailSpec } from '../activities/request-mail.ts';
import type { Decision, DecisionHooks, DecisionPolicy } from './decision.ts';
import { DEFAULT_DECISION_POLICY } from './decision.ts';
import { statusKey } from './search-attributes.ts';

/**
 * How long Temporal waits for an activity's heartbeat before it counts the worker dead and runs the
 * activity again elsewhere. Every activity heartbeats every 2 seconds while it runs
 * (worker/activity-heartbeat.ts), so after a `kill -9` its work moves to another worker in about
 * this long, not after the start-to-close timeout.
 */
export const ACTIVITY_HEARTBEAT_TIMEOUT = '10 seconds';

/**
 * The longest one attempt of any step may take on a live worker: a database step, a signing or an
 * SMTP session. Each takes well under a second; a minute covers a slow SMTP server or a stock lock
 * held by a long desk adjustment.
 */
const ATTEMPT_TIMEOUT = '1 minute';

/** Refusals a partner reads are not worth retrying; everything else is (DB or SMTP hiccups). */
const STEP_RETRY = { initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes: ['RequestInvalid', 'InsufficientStock'] };
const activityStubs = proxyActivities<Activities>({ startToCloseTimeout: ATTEMPT_TIMEOUT, heartbeatTimeout: ACTIVITY_HEARTBEAT_TIMEOUT, retry: STEP_RETRY });

export type Steps = typeof activityStubs;

/**
 * Every status change of every request workflow goes through `recordStep` (or, for one,
 * `recordOwnerConsent` below), so this is the one place that keeps the workflow's
 * `LicenseDeskStatus` search attribute equal to the status the database now holds: operators
 * filter by it in the Web UI and with `temporal workflow list`. Histories recorded before the
 * upsert existed carry no such command, hence the patch.
 *
 * The owner's consent is the one status change an activity writes on its own (PENDING_APPROVAL);
 * it answers the status, and the workflow mirrors it as above. A patch of its own, since
 * histories with the first patch may have passed a consent without this upsert.
 *
 * The steps the workflows call have these two in place of the plain stubs: a status step added
 * later is mirrored without anyone having to remember to.
 */
function mirroringStatus(stubs: Steps): Steps {
  const overrides: Record<string, unknown> = {
    async recordStep(record: Parameters<Activities['recordStep']>[0]): Promise<void> {
      await stubs.recordStep(record);
      if (record.status && patched('status-search-attribute')) upsertSearchAttributes([{ key: statusKey, value: record.status }]);
    },
    async recordOwnerConsent(input: Parameters<Activities['recordOwnerConsent']>[0]) {
      const written = await stubs.recordOwnerConsent(input);
      // Histories from before the activity answered hold no result here.
      if (written?.status && patched('consent-status-search-attribute')) upsertSearchAttributes([{ key: statusKey, value: written.status }]);
      return written;
    },
  };
  return new Proxy(stubs, {
    get: (target, name, receiver): unknown =>
      typeof name === 'string' && Object.hasOwn(overrides, name) ? overrides[name] : Reflect.get(target, name, receiver),
  });
}

/** The request steps, as the workflows call them. */
export const acts: Steps = mirroringStatus(activityStubs);

/** One request's steps, and its mail through them. */
export interface RequestSteps {
  requestId: string;
  acts: Steps;
  mail: (key: string, spec: MailSpec, attachRevisionId?: string) => Promise<unknown>;
}

/**
 * One request's steps. They are ordinary activities: running them as local activities (inside
 * the workflow task) was tried and measured, and under load a chain of them outlived the
 * workflow task timeout and broke the database-restart fault test (docs/architecture.md).
 */
export function requestSteps(requestId: string): RequestSteps {
  return { requestId, acts, mail: (key, spec, attachRevisionId) => acts.notify({ requestId, key, mail: spec, attachRevisionId }) };
}

/**
 * Fulfilment steps get a bounded budget: enough attempts (about 30 seconds of backoff) to ride
 * out a database or network restart, then the workflow compensates instead of retrying forever with
 * stock held. A signing key the secret cannot open fails for good at once.
 */
export const fulfilActs = proxyActivities<Activities>({
  startToCloseTimeout: ATTEMPT_TIMEOUT,
  heartbeatTimeout: ACTIVITY_HEARTBEAT_TIMEOUT,
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    maximumAttempts: 6,
    nonRetryableErrorTypes: ['RequestInvalid', 'InsufficientStock', 'SigningKeySecretError'],
  },
});

export interface RequestWorkflowInput {
  requestId: string;
  policy?: Partial<DecisionPolicy>;
}

export type RequestOutcome =
  | { outcome: 'completed'; serial?: string; revision?: number }
  | { outcome: 'rejected'; reason: string }
  | { outcome: 'cancelled'; reason?: string }
  | { outcome: 'expired' }
  | { outcome: 'failed'; reason: string };

export function policyOf(input: RequestWorkflowInput): DecisionPolicy {
  return { ...DEFAULT_DECISION_POLICY, ...input.policy };
}

/** The partner-readable message of a business refusal from an activity, if it was one. */
export function refusalOf(error: unknown): string | undefined {
  let cause: unknown = error;
  while (cause && typeof cause === 'object') {
    if (cause instanceof ApplicationFailure && (cause.type === 'RequestInvalid' || cause.type === 'InsufficientStock')) return cause.message;
    cause = (cause as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Timeline and mail for the desk's decision loop (reminders, questions, replies). */
export function decisionHooks({ requestId, acts, mail }: RequestSteps, policy: DecisionPolicy): DecisionHooks {
  let questions = 0;
  let replies = 0;
  return {
    async onReminder(kind, sequence) {
      const hours = kind === 'reminder' ? policy.remindAfterBusinessHours : policy.escalateAfterBusinessHours;
      await acts.recordStep({
        requestId,
        step: `${kind}:${sequence}`,
        action: kind === 'reminder' ? 'desk_reminded' : 'escalated',
        partnerVisible: false,
        changes: `Waiting ${hours} business hours`,
      });
      await mail(`${kind}:${sequence}`, { kind, waitingBusinessHours: hours });
    },
    async onInformationRequested(question, actor) {
      questions += 1;
      await acts.recordStep({
        requestId,
        step: `question:${questions}`,
        action: 'information_requested',
        status: 'WAITING_FOR_PARTNER',
        comment: question,
        actor,
      });
      await mail(`question:${questions}`, { kind: 'information_requested', question });
    },
    async onPartnerReply(message, actor) {
      replies += 1;
      await acts.recordStep({ requestId, step: `reply:${replies}`, action: 'partner_replied', status: 'PENDING_APPROVAL', comment: message, actor });
    },
  };
}

/** Closes a request that ended without fulfilment: timeline, status and the partner's mail. */
export async function closeUndecided(
  { requestId, acts, mail }: RequestSteps,
  decision: Exclude<Decision, { outcome: 'approved' }>,
  releasedChannels?: number,
): Promise<RequestOutcome> {
  if (decision.outcome === 'rejected') {
    await acts.recordStep({
      requestId,
      step: 'rejected',
      action: 'request_rejected',
      status: 'REJECTED',
      comment: decision.reason,
      actor: decision.actor,
      decided: true,
      completed: true,
    });
    await mail('rejected', { kind: 'rejected', reason: decision.reason, releasedChannels });
    return { outcome: 'rejected', reason: decision.reason };
  }
  await acts.recordStep({
    requestId,
    step: 'cancelled',
    action: 'request_cancelled',
    status: 'CANCELLED',
    comment: decision.reason,
    actor: decision.actor,
    completed: true,
  });
  await mail('cancelled', { kind: 'cancelled', reason: decision.reason, releasedChannels });
  return { outcome: 'cancelled', reason: decision.reason };
}

/** Closes a request refused at validation: the partner gets the reason, nothing was moved. */
export async function closeRefused({ requestId, acts, mail }: RequestSteps, reason: string): Promise<RequestOutcome> {
  await acts.recordStep({ requestId, step: 'refused', action: 'request_rejected', status: 'REJECTED', comment: reason, completed: true });
  await mail('rejected', { kind: 'rejected', reason });
  return { outcome: 'rejected', reason };
}

/** Compensation: after each step that succeeds, push its undo; when a later step fails, run them. */
export class Compensations {
  private readonly undo: Array<() => Promise<unknown>> = [];
  push(step: () => Promise<unknown>) {
    this.undo.unshift(step);
  }
  async run() {
    for (const step of this.undo) await step();
    this.undo.length = 0;
  }
}
