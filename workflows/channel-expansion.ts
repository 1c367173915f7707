import { patched } from '@temporalio/workflow';
import { deliverLicense, runRequest } from './request-flow.ts';
import { fulfilActs, type RequestWorkflowInput } from './request-steps.ts';

/**
 * Channel expansion (Mirasys §3.2): hold the channels from the partner's stock, wait for the
 * desk (or approve at once when the policy allows so few channels), then issue a new revision of
 * the same license with the added channels and e-mail it.
 */
export function requestChannelExpansion(input: RequestWorkflowInput) {
  return runRequest(input, ({ requestId, policy, acts, mail }) => ({
    async prepare() {
      const target = await acts.prepareChannelExpansion({ requestId });
      await acts.reserveStock({ requestId, stock: target });
      return target;
    },
    hold: (target) => ({ channels: target.channels, release: () => acts.settleStock({ requestId, stock: target, outcome: 'RELEASE' }) }),
    pending: (target) => ({
      step: 'reserved',
      action: 'stock_reserved',
      licenseId: target.licenseId,
      changes: `Reserved: ${target.channels} channels of ${target.productName}`,
    }),
    received: (target) => ({ productName: target.productName, serial: target.serial, channels: target.channels }),
    autoApprove: (target) =>
      policy.autoApproveExpansionUpTo > 0 && target.channels <= policy.autoApproveExpansionUpTo
        ? `Auto-approved: at most ${policy.autoApproveExpansionUpTo} channels, and the stock covers them`
        : undefined,
    async fulfil(target) {
      const issued = await fulfilActs.changeLicenseChannels({
        requestId,
        step: 'expand',
        licenseId: target.licenseId,
        delta: target.channels,
        action: 'channels_changed',
      });
      await acts.settleStock({ requestId, stock: target, outcome: 'CONSUME' });
      return issued;
    },
    // The added channels must not stay in force on stock that goes back to the partner. The same
    // patch added the desk's mail below; histories hold one marker for both.
    undo: async (target) =>
      patched('revert-undelivered-expansion')
        ? acts.revertUndeliveredChannels({ requestId, step: 'expand', licenseId: target.licenseId, delta: target.channels })
        : undefined,
    failure: () => ({
      what: 'the channel expansion',
      reason: 'The license could not be revised; the reserved channels are back in your stock. The desk has been told.',
      mailed: () => patched('revert-undelivered-expansion'),
    }),
    complete: (target, issued, decision) =>
      deliverLicense(
        { requestId, acts, mail },
        issued,
        decision,
        { productName: target.productName, channels: target.channels },
        `Channels: +${target.channels}`,
      ),
  }));
}
