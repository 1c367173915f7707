import { ownerConsent } from './owner-consent.ts';
import { runRequest } from './request-flow.ts';
import { fulfilActs, type RequestOutcome, type RequestWorkflowInput } from './request-steps.ts';

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
    const { requestId, acts } = run;
    const awaitConsent = ownerConsent(run);
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
      open(transfer): Promise<RequestOutcome | undefined> {
        const { currentOwner, newOwner } = transfer;
        const { serials, single, ownerChange } = describe(transfer);
        return awaitConsent({
          currentOwner,
          licenseId: single?.licenseId,
          changes: `${ownerChange} (${serials.join(', ')})`,
          received: { serial: single?.serial },
          ask: {
            key: 'ownership_consent_requested',
            mail: { kind: 'ownership_consent_requested', currentOwnerName: currentOwner.name, newOwnerName: newOwner.name, serials },
          },
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
