import { RequestFlow } from './decision.ts';
import {
  acts,
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
 * Stock addition (Mirasys §3.3): the desk checks the order (PO) and approves; the channels are
 * credited to the partner's stock and a confirmation goes out. No license file is involved.
 */
export async function requestStockAddition(input: RequestWorkflowInput): Promise<RequestOutcome> {
  const { requestId } = input;
  const policy = policyOf(input);
  const flow = new RequestFlow();

  await acts.recordStep({ requestId, step: 'received', action: 'request_submitted', status: 'SUBMITTED' });
  let stock;
  try {
    stock = await acts.prepareStockAddition({ requestId });
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
    changes: `Order ${stock.orderReference}: ${stock.channels} channels of ${stock.productName}`,
  });
  await mail(requestId, 'received', { kind: 'request_received', productName: stock.productName, channels: stock.channels });

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
  const balance = await acts.creditStock({ requestId, stock, note: `Order ${stock.orderReference}` });
  await acts.recordStep({ requestId, step: 'credited', action: 'stock_credited', changes: `Stock ${stock.productName}: +${stock.channels}` });
  await mail(requestId, 'stock_credited', {
    kind: 'stock_credited',
    productName: stock.productName,
    channels: stock.channels,
    orderReference: stock.orderReference,
    balance,
  });
  await acts.recordStep({ requestId, step: 'completed', action: 'request_completed', status: 'COMPLETED', completed: true });
  return flow.finish({ outcome: 'completed' });
}
