import { RequestFlow } from './decision.ts';
import {
  acts,
  fulfilActs,
  closeRefused,
  closeUndecided,
  decisionHooks,
  mail,
  policyOf,
  refusalOf,
  type RequestOutcome,
  type RequestWorkflowInput,
} from './request-steps.ts';

/**
 * Upgrade (Mirasys §3.4): check the license may move to the target product (tier rules: no
 * downgrade, demo → full allowed, never full → demo), wait for the desk, then issue the next
 * revision on the target product, sign it and e-mail it. No stock moves: the desk keeps stocks
 * of channels, and an upgrade's price is invoiced outside it.
 */
export async function requestUpgrade(input: RequestWorkflowInput): Promise<RequestOutcome> {
  const { requestId } = input;
  const policy = policyOf(input);
  const flow = new RequestFlow();

  await acts.recordStep({ requestId, step: 'received', action: 'request_submitted', status: 'SUBMITTED' });
  let target;
  try {
    target = await acts.prepareUpgrade({ requestId });
  } catch (error) {
    const reason = refusalOf(error);
    if (reason === undefined) throw error;
    return flow.finish(await closeRefused(requestId, reason));
  }
  flow.openForDecision();
  await acts.recordStep({
    requestId,
    step: 'pending',
    action: 'awaiting_decision',
    status: 'PENDING_APPROVAL',
    licenseId: target.licenseId,
    changes: `Upgrade: ${target.fromProductName} → ${target.targetProductName}`,
  });
  await mail(requestId, 'received', { kind: 'request_received', productName: target.targetProductName, serial: target.serial, channels: target.channels });

  const decision = await flow.awaitDecision(policy, decisionHooks(requestId, policy));
  if (decision.outcome !== 'approved') return flow.finish(await closeUndecided(requestId, decision));

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
  let issued;
  try {
    issued = await fulfilActs.upgradeLicense({ requestId, target, actor: decision.actor });
  } catch (error) {
    const reason = refusalOf(error) ?? 'The upgraded license could not be issued; your current license is unchanged. The desk has been told.';
    await acts.recordStep({ requestId, step: 'failed', action: 'request_failed', status: 'FAILED', comment: reason, completed: true });
    await mail(requestId, 'escalation:failed', {
      kind: 'escalation',
      waitingBusinessHours: 0,
      waitingFor: `a fix: the upgrade failed (${String((error as Error).message)})`,
    });
    return flow.finish({ outcome: 'failed', reason });
  }
  await mail(
    requestId,
    'approved',
    {
      kind: 'approved',
      serial: issued.serial,
      productName: target.targetProductName,
      channels: target.channels,
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
    changes: `Product: ${target.fromProductName} → ${target.targetProductName}`,
    completed: true,
  });
  return flow.finish({ outcome: 'completed', serial: issued.serial, revision: issued.revision });
}
