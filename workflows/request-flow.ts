import type { MailSpec } from '../activities/request-mail.ts';
import type { IssuedRevision } from '../services/licenses.ts';
import type { Decision, DecisionPolicy } from './decision.ts';
import { RequestFlow } from './decision.ts';
import type { Actor } from './messages.ts';
import {
  closeRefused,
  closeUndecided,
  Compensations,
  decisionHooks,
  policyOf,
  refusalOf,
  requestSteps,
  type RequestOutcome,
  type RequestSteps,
  type RequestWorkflowInput,
} from './request-steps.ts';

/**
 * The path every request type shares, written once:
 *
 *   received → prepare (and hold) → refused? → open for the desk → decision (or auto-approval)
 *   → undecided: give back and close → approved: no more cancelling → fulfil
 *   → failed: undo, give back, record, tell the desk → deliver and complete.
 *
 * A request type is a `RequestSpec`: only its own steps. The order of the activities below is
 * what saved histories hold (test/fixtures/histories/), so a change to it needs `patched()`.
 */
export interface RequestRun extends RequestSteps {
  policy: DecisionPolicy;
  flow: RequestFlow;
}

type Approved = Extract<Decision, { outcome: 'approved' }>;
type Mail<K extends MailSpec['kind']> = Omit<Extract<MailSpec, { kind: K }>, 'kind'>;

export interface RequestSpec<P, I> {
  /** Checks the request and holds what it needs (stock). Throws a refusal to refuse it. */
  prepare(): Promise<P>;
  /** What `prepare` holds, given back when the request ends without fulfilment or fulfilment fails. */
  hold?(prepared: P): { channels: number; release(): Promise<unknown> };
  /**
   * The timeline step that puts the request with the desk (status PENDING_APPROVAL), and the
   * partner's "received" mail. A type that asks someone else first (the owner's consent) opens
   * itself with `open` instead, and may end the request there.
   */
  pending?(prepared: P): { step: string; action: string; changes: string; licenseId?: string };
  received?(prepared: P): Mail<'request_received'>;
  open?(prepared: P): Promise<RequestOutcome | undefined>;
  /** Runs once the request is with the desk, before its decision (an interim license). */
  whileWaiting?(prepared: P): Promise<void>;
  /** A decision the policy makes without the desk: the approval's comment, or undefined. */
  autoApprove?(prepared: P): string | undefined;
  /** The approved request's work. A throw here is a failed fulfilment. */
  fulfil(prepared: P, decision: Approved): Promise<I>;
  /** After a failed fulfilment, before the hold is given back: undo what may have committed. */
  undo?(prepared: P): Promise<unknown>;
  /** `what` fills "a fix: <what> failed (…)" in the desk's mail; `reason` is the partner's. */
  failure(prepared: P): { what: string; reason: string; mailed?(): boolean };
  /** Delivery and the last steps; answers the outcome. */
  complete(prepared: P, issued: I, decision: Approved): Promise<RequestOutcome>;
}

export async function runRequest<P, I>(input: RequestWorkflowInput, define: (run: RequestRun) => RequestSpec<P, I>): Promise<RequestOutcome> {
  const run: RequestRun = { ...requestSteps(input.requestId), policy: policyOf(input), flow: new RequestFlow() };
  const { requestId, policy, flow, acts, mail } = run;
  // Built first: a type's message handlers are installed before anything can be sent to it.
  const spec = define(run);
  const compensations = new Compensations();

  await acts.recordStep({ requestId, step: 'received', action: 'request_submitted', status: 'SUBMITTED' });
  let prepared: P;
  try {
    prepared = await spec.prepare();
  } catch (error) {
    const reason = refusalOf(error);
    if (reason === undefined) throw error;
    return flow.finish(await closeRefused(run, reason));
  }
  const hold = spec.hold?.(prepared);
  if (hold) compensations.push(() => hold.release());

  if (spec.open) {
    const ended = await spec.open(prepared);
    if (ended) return flow.finish(ended);
  } else {
    flow.openForDecision();
    await acts.recordStep({ requestId, status: 'PENDING_APPROVAL', ...spec.pending!(prepared) });
    await mail('received', { kind: 'request_received', ...spec.received!(prepared) });
  }
  // Not `await spec.whileWaiting?.()`: an await of nothing is one more microtask before the
  // decision loop starts, and a desk question racing the "received" mail then meets the loop
  // at another point than the histories recorded (new-installation-two-answers-at-once.json).
  if (spec.whileWaiting) await spec.whileWaiting(prepared);

  const autoApproval = spec.autoApprove?.(prepared);
  const decision = autoApproval ? flow.autoApprove(autoApproval) : await flow.awaitDecision(policy, decisionHooks(run, policy));
  if (decision.outcome !== 'approved') {
    await compensations.run();
    return flow.finish(await closeUndecided(run, decision, hold?.channels));
  }

  flow.closeForCancellation();
  flow.setPhase('fulfilling');
  await acts.recordStep({
    requestId,
    step: 'approved',
    action: 'request_approved',
    status: 'PROCESSING',
    comment: decision.comment,
    actor: decision.actor,
    decided: true,
  });
  let issued: I;
  try {
    issued = await spec.fulfil(prepared, decision);
  } catch (error) {
    const failure = spec.failure(prepared);
    await spec.undo?.(prepared);
    await compensations.run();
    const reason = refusalOf(error) ?? failure.reason;
    await acts.recordStep({ requestId, step: 'failed', action: 'request_failed', status: 'FAILED', comment: reason, completed: true });
    if (failure.mailed?.() ?? true) {
      await mail('escalation:failed', {
        kind: 'escalation',
        waitingBusinessHours: 0,
        waitingFor: `a fix: ${failure.what} failed (${String((error as Error).message)})`,
      });
    }
    return flow.finish({ outcome: 'failed', reason });
  }
  return flow.finish(await spec.complete(prepared, issued, decision));
}

/**
 * The usual end of a request that issues a license file: the partner's "approved" mail with the
 * file, then the completed step on the timeline.
 */
export async function deliverLicense(
  { requestId, acts, mail }: RequestSteps,
  issued: IssuedRevision,
  decision: { comment?: string; actor?: Actor },
  facts: { productName: string; channels: number; lock?: string },
  changes: string,
): Promise<RequestOutcome> {
  await mail(
    'approved',
    {
      kind: 'approved',
      serial: issued.serial,
      productName: facts.productName,
      channels: facts.channels,
      ...(facts.lock ? { lock: facts.lock } : {}),
      revision: issued.revision,
      fileName: issued.fileName,
      licenseId: issued.licenseId,
      comment: decision.comment,
    },
    issued.revisionId,
  );
  await acts.recordStep({
    requestId,
    step: 'completed',
    action: 'request_completed',
    status: 'COMPLETED',
    licenseId: issued.licenseId,
    changes,
    completed: true,
  });
  return { outcome: 'completed', serial: issued.serial, revision: issued.revision };
}
