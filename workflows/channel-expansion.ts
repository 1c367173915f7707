import { patched } from '@temporalio/workflow';
import { RequestFlow } from './decision.ts';
import {
  acts,
  fulfilActs,
  closeRefused,
  closeUndecided,
  Compensations,
  decisionHooks,
  mail,
  policyOf,
  refusalOf,
  type RequestOutcome,
  type RequestWorkflowInput,
} from './request-steps.ts';

/**
 * Channel expansion (Mirasys §3.2): hold the channels from the partner's stock, wait for the
 * desk, then issue a new revision of the same license with the added channels and e-mail it.
 */
export async function requestChannelExpansion(input: RequestWorkflowInput): Promise<RequestOutcome> {
  const { requestId } = input;
  const policy = policyOf(input);
  const flow = new RequestFlow();
  const compensations = new Compensations();

  await acts.recordStep({ requestId, step: 'received', action: 'request_submitted', status: 'SUBMITTED' });
  let target;
  try {
    target = await acts.prepareChannelExpansion({ requestId });
    await acts.reserveStock({ requestId, stock: target });
  } catch (error) {
    const reason = refusalOf(error);
    if (reason === undefined) throw error;
    return flow.finish(await closeRefused(requestId, reason));
  }
  const reserved = target;
  compensations.push(() => acts.settleStock({ requestId, stock: reserved, outcome: 'RELEASE' }));
  flow.openForDecision();
  await acts.recordStep({
    requestId,
    step: 'reserved',
    action: 'stock_reserved',
    status: 'PENDING_APPROVAL',
    licenseId: target.licenseId,
    changes: `Reserved: ${target.channels} channels of ${target.productName}`,
  });
  await mail(requestId, 'received', { kind: 'request_received', productName: target.productName, serial: target.serial, channels: target.channels });

  const decision =
    policy.autoApproveExpansionUpTo > 0 && target.channels <= policy.autoApproveExpansionUpTo
      ? flow.autoApprove(`Auto-approved: at most ${policy.autoApproveExpansionUpTo} channels, and the stock covers them`)
      : await flow.awaitDecision(policy, decisionHooks(requestId, policy));
  if (decision.outcome !== 'approved') {
    await compensations.run();
    return flow.finish(await closeUndecided(requestId, decision, target.channels));
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
  let issued;
  try {
    issued = await fulfilActs.changeLicenseChannels({
      requestId,
      step: 'expand',
      licenseId: target.licenseId,
      delta: target.channels,
      action: 'channels_changed',
    });
    await acts.settleStock({ requestId, stock: target, outcome: 'CONSUME' });
  } catch (error) {
    // The added channels must not stay in force on stock that goes back to the partner.
    if (patched('revert-undelivered-expansion'))
      await acts.revertUndeliveredChannels({ requestId, step: 'expand', licenseId: target.licenseId, delta: target.channels });
    await compensations.run();
    const reason = refusalOf(error) ?? 'The license could not be revised; the reserved channels are back in your stock. The desk has been told.';
    await acts.recordStep({ requestId, step: 'failed', action: 'request_failed', status: 'FAILED', comment: reason, completed: true });
    // The reason tells the partner the desk knows, as the other request types do.
    if (patched('revert-undelivered-expansion')) {
      await mail(requestId, 'escalation:failed', {
        kind: 'escalation',
        waitingBusinessHours: 0,
        waitingFor: `a fix: the channel expansion failed (${String((error as Error).message)})`,
      });
    }
    return flow.finish({ outcome: 'failed', reason });
  }
  await mail(
    requestId,
    'approved',
    {
      kind: 'approved',
      serial: issued.serial,
      productName: target.productName,
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
    changes: `Channels: +${target.channels}`,
    completed: true,
  });
  return flow.finish({ outcome: 'completed', serial: issued.serial, revision: issued.revision });
}
