import { condition, setHandler } from '@temporalio/workflow';
import { ownerConsentUpdate, type Actor } from './messages.ts';
import { runRequest } from './request-flow.ts';
import { closeUndecided, fulfilActs, refusalOf, type RequestOutcome, type RequestWorkflowInput } from './request-steps.ts';

/**
 * Ownership change (Mirasys §3.5): the licenses move from the current owner to the new owner
 * only with the current owner's consent AND the desk's approval; either refusal ends the
 * request. The order is fixed: first the consent (an admin of the current owner answers with
 * `ownerConsent`), then the desk decides. On approval every license moves in one step, gets a
 * new revision signed for the new owner, and both companies are told; the new owner (and the
 * request's delivery addresses) receive the re-issued files.
 */
export function requestOwnershipChange(input: RequestWorkflowInput) {
  return runRequest(input, (run) => {
    const { requestId, flow, acts, mail } = run;
    // Answers are queued and checked in order, so an answer from someone who may not give it
    // cannot block the real admin's answer; the first valid one counts, later ones are dropped.
    const answers: Array<{ actor: Actor; consent: boolean; comment?: string }> = [];
    setHandler(
      ownerConsentUpdate,
      (args) => {
        answers.push(args);
        return { phase: flow.state.phase };
      },
      {
        validator: (_args) => {
          if (flow.state.phase !== 'awaiting_consent') {
            throw new Error(`This request cannot take the owner's consent now: it is ${flow.state.phase.replaceAll('_', ' ')}.`);
          }
        },
      },
    );
    const describe = (transfer: { currentOwner: { name: string }; newOwner: { name: string }; licenses: Array<{ serial: string; licenseId: string }> }) => ({
      serials: transfer.licenses.map((l) => l.serial),
      single: transfer.licenses.length === 1 ? transfer.licenses[0] : undefined,
      ownerChange: `Owner: ${transfer.currentOwner.name} → ${transfer.newOwner.name}`,
    });

    return {
      prepare() {
        return acts.prepareOwnershipChange({ requestId });
      },
      /** The current owner's consent comes before the desk; a refusal or a cancellation ends the request. */
      async open(transfer): Promise<RequestOutcome | undefined> {
        const { currentOwner, newOwner } = transfer;
        const { serials, single, ownerChange } = describe(transfer);
        // Open for answers before the status says so: whoever reads WAITING_FOR_CONSENT can answer.
        flow.setPhase('awaiting_consent');
        await acts.recordStep({
          requestId,
          step: 'awaiting_consent',
          action: 'consent_requested',
          status: 'WAITING_FOR_CONSENT',
          licenseId: single?.licenseId,
          changes: `${ownerChange} (${serials.join(', ')})`,
        });
        await mail('received', { kind: 'request_received', serial: single?.serial });
        await acts.notifyCompanyAdmins({
          requestId,
          companyId: currentOwner.id,
          key: 'ownership_consent_requested',
          mail: { kind: 'ownership_consent_requested', currentOwnerName: currentOwner.name, newOwnerName: newOwner.name, serials },
        });
        // An answer from someone who is not the owner's admin is ignored (the activity refuses it
        // and notes it for the desk), and the request keeps waiting.
        let checked = 0;
        let consent: { actor: Actor; consent: boolean; comment?: string } | undefined;
        while (!consent) {
          await condition(() => answers.length > 0 || flow.cancelled !== undefined);
          const cancelled = flow.cancelled;
          if (cancelled) return closeUndecided(run, cancelled);
          const given = answers.shift()!;
          checked += 1;
          try {
            await acts.recordOwnerConsent({ requestId, step: `consent:${checked}`, currentOwnerCompanyId: currentOwner.id, ...given });
            consent = given;
          } catch (error) {
            if (refusalOf(error) === undefined) throw error;
          }
        }
        if (consent.consent) return undefined;
        const why = consent.comment?.trim();
        return closeUndecided(run, {
          outcome: 'rejected',
          actor: consent.actor,
          reason: `${currentOwner.name} did not consent to the transfer${why ? `: ${why}` : '.'}`,
        });
      },
      fulfil: (transfer, decision) => fulfilActs.transferLicenses({ requestId, transfer, actor: decision.actor }),
      failure: ({ currentOwner }) => ({
        what: 'the ownership change',
        reason: `The licenses could not be moved; they still belong to ${currentOwner.name}. The desk has been told.`,
      }),
      async complete(transfer, issued) {
        const { currentOwner, newOwner } = transfer;
        const { serials, single, ownerChange } = describe(transfer);
        const changed = { kind: 'ownership_changed', previousOwnerName: currentOwner.name, newOwnerName: newOwner.name, serials } as const;
        await acts.notifyCompanyAdmins({
          requestId,
          companyId: newOwner.id,
          key: 'ownership_changed:new_owner',
          mail: changed,
          withDeliveryEmails: true,
          attachRevisionIds: issued.map((r) => r.revisionId),
        });
        await acts.notifyCompanyAdmins({ requestId, companyId: currentOwner.id, key: 'ownership_changed:previous_owner', mail: changed });
        await acts.recordStep({
          requestId,
          step: 'completed',
          action: 'request_completed',
          status: 'COMPLETED',
          licenseId: single?.licenseId,
          changes: ownerChange,
          completed: true,
        });
        const first = issued.length === 1 ? issued[0] : undefined;
        return { outcome: 'completed', ...(first ? { serial: first.serial, revision: first.revision } : {}) };
      },
    };
  });
}
