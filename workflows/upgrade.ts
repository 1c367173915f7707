import { deliverLicense, runRequest } from './request-flow.ts';
import { fulfilActs, type RequestWorkflowInput } from './request-steps.ts';

/**
 * Upgrade (Mirasys §3.4): check the license may move to the target product (tier rules: no
 * downgrade, demo → full allowed, never full → demo), wait for the desk, then issue the next
 * revision on the target product, sign it and e-mail it. No stock moves: the desk keeps stocks
 * of channels, and an upgrade's price is invoiced outside it.
 */
export function requestUpgrade(input: RequestWorkflowInput) {
  return runRequest(input, ({ requestId, acts, mail }) => ({
    prepare() {
      return acts.prepareUpgrade({ requestId });
    },
    pending: (target) => ({
      step: 'pending',
      action: 'awaiting_decision',
      licenseId: target.licenseId,
      changes: `Upgrade: ${target.fromProductName} → ${target.targetProductName}`,
    }),
    received: (target) => ({ productName: target.targetProductName, serial: target.serial, channels: target.channels }),
    fulfil: (target, decision) => fulfilActs.upgradeLicense({ requestId, target, actor: decision.actor }),
    failure: () => ({ what: 'the upgrade', reason: 'The upgraded license could not be issued; your current license is unchanged. The desk has been told.' }),
    complete: (target, issued, decision) =>
      deliverLicense(
        { requestId, acts, mail },
        issued,
        decision,
        { productName: target.targetProductName, channels: target.channels },
        `Product: ${target.fromProductName} → ${target.targetProductName}`,
      ),
  }));
}
