import { condition, setHandler } from '@temporalio/workflow';
import { DEFAULT_SMA_COOLING_OFF_HOURS, utcMinute } from '../domain/sma-renewal.ts';
import type { RenewedLicense, RevertedRenewal, SmaRenewalPlan } from '../activities/sma-renewal-activities.ts';
import { cancelRenewalPayload, finalizeRenewalPayload, refuseInvalid } from './message-payloads.ts';
import { cancelRenewalUpdate, finalizeRenewalUpdate, type Actor } from './messages.ts';
import { runRequest } from './request-flow.ts';
import { fulfilActs, refusalOf, type RequestOutcome, type RequestWorkflowInput } from './request-steps.ts';

const HOUR_MS = 3_600_000;

/**
 * SMA renewal (NEC LMS "SWA Renewal" and its 24-hour cooling-off; the Milestone Care renewal the
 * SMA reminders ask for): check each license may be renewed (its product has an SMA term, and its
 * SMA has not ended longer ago than the product's grace period), wait for the desk, then extend
 * every SMA end by its product's term from the old end, each license a new signed revision, and
 * mail the files. For the cooling-off period after that (24 hours unless the policy says
 * otherwise) the partner may cancel the renewal (`cancelRenewal`): each license goes back to its
 * previous end as another revision, and the files are mailed again. The period is a durable
 * timer; when it passes, the renewal is final and the request completes.
 */
export function requestSmaRenewal(input: RequestWorkflowInput) {
  return runRequest(input, ({ requestId, flow, acts, mail, policy }) => {
    /** When the cooling-off period ends (workflow time, ms); unset until the renewal is issued. */
    let coolingOffEnd: number | undefined;
    let cancellation: { actor: Actor; reason?: string } | undefined;
    let finalized: { actor: Actor; reason: string } | undefined;
    /** Refuses a message about the cooling-off period when there is none open; `what` is "cancelled" or "made final". */
    const expectCoolingOff = (what: string) => {
      if (cancellation) throw new Error('This renewal is already cancelled.');
      if (finalized) throw new Error('This renewal was already made final; it can no longer be cancelled.');
      if (coolingOffEnd === undefined) {
        throw new Error(
          flow.state.phase === 'closed'
            ? `This request is closed; there is no renewal to be ${what}.`
            : `The renewal is not issued yet (the request is ${flow.state.phase.replaceAll('_', ' ')}); cancel the request instead.`,
        );
      }
      if (Date.now() >= coolingOffEnd) {
        throw new Error(`The cooling-off period ended at ${utcMinute(new Date(coolingOffEnd))}; the renewal is final and can no longer be cancelled.`);
      }
    };
    setHandler(
      cancelRenewalUpdate,
      (args) => {
        cancellation = args;
        return { phase: flow.state.phase };
      },
      {
        validator: (args) => {
          refuseInvalid(cancelRenewalPayload, args);
          expectCoolingOff('cancelled');
        },
      },
    );
    setHandler(
      finalizeRenewalUpdate,
      (args) => {
        finalized = args;
        return { phase: flow.state.phase };
      },
      {
        validator: (args) => {
          refuseInvalid(finalizeRenewalPayload, args);
          expectCoolingOff('made final');
        },
      },
    );

    /**
     * The cancel's revert: the licenses put back and those kept (moved to another company, no
     * longer active). A refusal (a license changed between the check and the revision) keeps them
     * all, nothing having been written; the request then ends in words instead of a failed workflow.
     */
    const revert = async (renewed: RenewedLicense[], actor: Actor): Promise<RevertedRenewal> => {
      try {
        const result: RevertedRenewal | RenewedLicense[] = await acts.revertSmaRenewal({ requestId, renewed, actor });
        // Histories from before `kept` hold the plain list.
        return Array.isArray(result) ? { reverted: result, kept: [] } : result;
      } catch (error) {
        const reason = refusalOf(error);
        if (reason === undefined) throw error;
        return { reverted: [], kept: renewed.map((r) => ({ serial: r.serial, licenseId: r.licenseId, why: `could not be put back (${reason})` })) };
      }
    };
    const single = (plan: SmaRenewalPlan) => (plan.licenses.length === 1 ? plan.licenses[0] : undefined);
    const serials = (plan: SmaRenewalPlan) => plan.licenses.map((l) => l.serial).join(', ');
    const mailed = (licenses: RenewedLicense[]) =>
      licenses.map((l) => ({ serial: l.serial, productName: l.productName, previousEnd: l.previousEnd, newEnd: l.newEnd, fileName: l.fileName }));

    return {
      prepare() {
        return acts.prepareSmaRenewal({ requestId });
      },
      pending: (plan) => ({ step: 'pending', action: 'awaiting_decision', licenseId: single(plan)?.licenseId, changes: `SMA renewal: ${serials(plan)}` }),
      received: (plan) => ({ serial: single(plan)?.serial, productName: single(plan)?.productName }),
      fulfil: (plan, decision) => fulfilActs.renewSmaTerms({ requestId, plan, actor: decision.actor }),
      failure: () => ({
        what: 'the SMA renewal',
        reason: 'The renewed licenses could not be issued; their SMA end dates are unchanged. The desk has been told.',
      }),
      async complete(plan, renewed, decision): Promise<RequestOutcome> {
        const licenseId = single(plan)?.licenseId;
        const hours = policy.smaRenewalCoolingOffHours ?? DEFAULT_SMA_COOLING_OFF_HOURS;
        const endsAt = Date.now() + hours * HOUR_MS;
        await acts.setCoolingOffEnd({ requestId, endsAt: new Date(endsAt).toISOString() });
        // Open for cancelling before the status says so: whoever reads COOLING_OFF can cancel.
        coolingOffEnd = endsAt;
        await acts.recordStep({
          requestId,
          step: 'cooling_off',
          action: 'cooling_off_started',
          status: 'COOLING_OFF',
          licenseId,
          changes: `Cancellable until ${utcMinute(new Date(endsAt))}`,
        });
        flow.setPhase('cooling_off');
        await acts.mailSmaRenewal({
          requestId,
          key: 'sma_renewed',
          mail: { kind: 'sma_renewed', licenses: mailed(renewed), coolingOffEndsAt: new Date(endsAt).toISOString(), comment: decision.comment },
          attachRevisionIds: renewed.map((r) => r.revisionId),
        });

        // The period passes (the timer), the partner cancels, or the partner makes it final at once.
        await condition(() => cancellation !== undefined || finalized !== undefined, Math.max(endsAt - Date.now(), 1));
        if (!cancellation) {
          await acts.recordStep({
            requestId,
            step: 'completed',
            action: 'request_completed',
            status: 'COMPLETED',
            licenseId,
            changes: finalized ? `SMA renewed: ${serials(plan)}; made final before its cooling-off period ended` : `SMA renewed: ${serials(plan)}`,
            ...(finalized ? { actor: finalized.actor, comment: finalized.reason } : {}),
            completed: true,
          });
          const first = renewed.length === 1 ? renewed[0] : undefined;
          return { outcome: 'completed', ...(first ? { serial: first.serial, revision: first.revision } : {}) };
        }

        const by = cancellation!;
        const { reverted, kept } = await revert(renewed, by.actor);
        if (kept.length > 0) {
          // Never silently: the partner was told "cancelled", and these licenses keep the renewal.
          const notReverted = `Not put back (the renewal stands for them): ${kept.map((k) => `${k.serial}, which ${k.why}`).join('; ')}`;
          await acts.recordStep({
            requestId,
            step: 'renewal_not_reverted',
            action: 'renewal_not_reverted',
            licenseId: kept.length === 1 ? kept[0]!.licenseId : licenseId,
            changes: notReverted,
          });
          await mail('escalation:renewal_not_reverted', {
            kind: 'escalation',
            waitingBusinessHours: 0,
            waitingFor: `a fix: the cancelled SMA renewal could not be undone for every license. ${notReverted}`,
          });
        }
        if (reverted.length === 0) {
          // Nothing was put back: the cancel failed, the renewal stands.
          const reason = `The renewal could not be cancelled: ${kept.map((k) => `license ${k.serial} ${k.why}`).join('; ')}. The desk has been told.`;
          await acts.recordStep({ requestId, step: 'failed', action: 'request_failed', status: 'FAILED', licenseId, comment: reason, completed: true });
          return { outcome: 'failed', reason };
        }
        await acts.recordStep({
          requestId,
          step: 'renewal_cancelled',
          action: 'renewal_cancelled',
          status: 'CANCELLED',
          licenseId,
          actor: by.actor,
          comment: by.reason,
          changes: `SMA renewal cancelled in its cooling-off period: ${reverted.map((r) => r.serial).join(', ')}`,
          completed: true,
        });
        // Only the licenses put back: each is still this company's (checked under its row lock).
        await acts.mailSmaRenewal({
          requestId,
          key: 'sma_renewal_cancelled',
          mail: { kind: 'sma_renewal_cancelled', licenses: mailed(reverted), reason: by.reason },
          attachRevisionIds: reverted.map((r) => r.revisionId),
        });
        return { outcome: 'cancelled', reason: by.reason };
      },
    };
  });
}
