import { ownerConsent } from './owner-consent.ts';
import { runRequest } from './request-flow.ts';
import { fulfilActs, type RequestWorkflowInput } from './request-steps.ts';

/**
 * Partial transfer (Avigilon "Transferring License Channels"): N channels of one license move to
 * another company as a new license. The current owner's admin consents first and the desk decides
 * next, as in an ownership change (owner-consent.ts); either refusal ends it. On approval one
 * transaction gives the source a reduced revision and the target a new license, both signed. The
 * owner receives its reduced file; the target (its admins and the delivery addresses) the new one.
 */
export function requestPartialTransfer(input: RequestWorkflowInput) {
  return runRequest(input, (run) => {
    const { requestId, acts } = run;
    const awaitConsent = ownerConsent(run);
    const moved = (t: { channels: number; source: { serial: string }; target: { name: string } }) =>
      `${t.channels} channels of ${t.source.serial} → ${t.target.name}`;

    return {
      prepare() {
        return acts.preparePartialTransfer({ requestId });
      },
      open: (t) =>
        awaitConsent({
          currentOwner: t.currentOwner,
          licenseId: t.source.licenseId,
          changes: moved(t),
          received: { serial: t.source.serial, productName: t.source.productName, channels: t.channels },
          ask: {
            key: 'partial_transfer_consent_requested',
            mail: {
              kind: 'partial_transfer_consent_requested',
              currentOwnerName: t.currentOwner.name,
              targetName: t.target.name,
              serial: t.source.serial,
              productName: t.source.productName,
              channels: t.channels,
              remainingChannels: t.remaining,
            },
          },
        }),
      fulfil: (t, decision) => fulfilActs.transferChannels({ requestId, transfer: t, actor: decision.actor }),
      failure: (t) => ({
        what: 'the partial transfer',
        reason: `The channels could not be moved; license ${t.source.serial} keeps its ${t.source.channels} channels. The desk has been told.`,
      }),
      async complete(t, { source, created }) {
        await acts.notifyCompanyAdmins({
          requestId,
          companyId: t.target.id,
          key: 'partial_transfer:target',
          mail: {
            kind: 'channels_received',
            serial: created.serial,
            productName: t.source.productName,
            channels: t.channels,
            fromName: t.currentOwner.name,
            sourceSerial: t.source.serial,
            fileName: created.fileName,
            licenseId: created.licenseId,
          },
          withDeliveryEmails: true,
          attachRevisionIds: [created.revisionId],
        });
        await acts.notifyCompanyAdmins({
          requestId,
          companyId: t.currentOwner.id,
          key: 'partial_transfer:owner',
          mail: {
            kind: 'channels_transferred',
            serial: t.source.serial,
            productName: t.source.productName,
            channels: t.channels,
            remainingChannels: t.remaining,
            targetName: t.target.name,
            newSerial: created.serial,
            fileName: source.fileName,
            licenseId: source.licenseId,
          },
          attachRevisionIds: [source.revisionId],
        });
        await acts.recordStep({
          requestId,
          step: 'completed',
          action: 'request_completed',
          status: 'COMPLETED',
          licenseId: t.source.licenseId,
          changes: `${t.channels} channels moved to ${t.target.name} as ${created.serial}`,
          completed: true,
        });
        return { outcome: 'completed', serial: created.serial, revision: created.revision };
      },
    };
  });
}
