import { condition, patched, setHandler } from '@temporalio/workflow';
import { addBusinessHours } from '../domain/business-calendar.ts';
import { calendarOf, RequestFlow } from './decision.ts';
import { uploadExternalFileUpdate, type Actor } from './messages.ts';
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
 * New installation (Mirasys §3.1): check the partner's stock covers the channels and hold them,
 * wait for the desk, then create and activate the license, sign it, debit the stock and e-mail
 * the file. A failure after the reservation gives the channels back.
 */
export async function requestNewInstallation(input: RequestWorkflowInput): Promise<RequestOutcome> {
  const { requestId } = input;
  const policy = policyOf(input);
  const flow = new RequestFlow();
  const compensations = new Compensations();

  await acts.recordStep({ requestId, step: 'received', action: 'request_submitted', status: 'SUBMITTED' });
  let stock;
  try {
    stock = await acts.prepareNewInstallation({ requestId });
    await acts.reserveStock({ requestId, stock });
  } catch (error) {
    const reason = refusalOf(error);
    if (reason === undefined) throw error;
    return flow.finish(await closeRefused(requestId, reason));
  }
  const reserved = stock;
  compensations.push(() => acts.settleStock({ requestId, stock: reserved, outcome: 'RELEASE' }));
  flow.openForDecision();
  await acts.recordStep({
    requestId,
    step: 'reserved',
    action: 'stock_reserved',
    status: 'PENDING_APPROVAL',
    changes: `Reserved: ${stock.channels} channels of ${stock.productName}`,
  });
  await mail(requestId, 'received', { kind: 'request_received', productName: stock.productName, channels: stock.channels });

  const decision = await flow.awaitDecision(policy, decisionHooks(requestId, policy));
  if (decision.outcome !== 'approved') {
    await compensations.run();
    return flow.finish(await closeUndecided(requestId, decision, stock.channels));
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
  const externalAttachmentId = stock.external ? await waitForExternalFile() : undefined;
  let issued;
  try {
    issued = await fulfilActs.createLicense({ requestId, externalAttachmentId });
    await acts.settleStock({ requestId, stock, outcome: 'CONSUME' });
  } catch (error) {
    // The license may have committed before a later part of the step failed: it was never
    // delivered, so it is revoked before its channels go back to the stock.
    if (patched('revoke-undelivered-license')) await acts.revokeUndeliveredLicense({ requestId });
    await compensations.run();
    const reason = refusalOf(error) ?? 'The license could not be issued; the reserved channels are back in your stock. The desk has been told.';
    await acts.recordStep({ requestId, step: 'failed', action: 'request_failed', status: 'FAILED', comment: reason, completed: true });
    await mail(requestId, 'escalation:failed', {
      kind: 'escalation',
      waitingBusinessHours: 0,
      waitingFor: `a fix: fulfilment failed (${String((error as Error).message)})`,
    });
    return flow.finish({ outcome: 'failed', reason });
  }
  await mail(
    requestId,
    'approved',
    {
      kind: 'approved',
      serial: issued.serial,
      productName: stock.productName,
      channels: stock.channels,
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
    changes: `License ${issued.serial} issued`,
    completed: true,
  });
  return flow.finish({ outcome: 'completed', serial: issued.serial, revision: issued.revision });

  /**
   * External products: the file comes from outside our generator. Wait (days, weeks) for the
   * desk to upload it, reminding the desk every `remindAfterBusinessHours`.
   */
  async function waitForExternalFile(): Promise<string> {
    let upload: { actor: Actor; attachmentId: string } | undefined;
    // Open from here, not from the phase: the status is written before the phase is set, and a
    // desk that reads WAITING_FOR_FILE and uploads at once must not be refused in between.
    let expectingFile = false;
    setHandler(
      uploadExternalFileUpdate,
      (args) => {
        upload = args;
        return { phase: flow.state.phase };
      },
      {
        validator: ({ attachmentId }) => {
          if (!expectingFile || upload) throw new Error('This request is not waiting for a license file.');
          if (!attachmentId) throw new Error('Upload the license file first.');
        },
      },
    );
    expectingFile = true;
    await acts.recordStep({
      requestId,
      step: 'waiting_for_file',
      action: 'waiting_for_external_file',
      status: 'WAITING_FOR_FILE',
      changes: `Waiting for the ${stock!.productName} license file`,
    });
    // After the status is written: whoever sees this phase finds the database agreeing.
    flow.setPhase('waiting_for_file');
    for (let reminder = 1; ; reminder++) {
      const due = addBusinessHours(calendarOf(policy), Date.now(), policy.remindAfterBusinessHours);
      if (await condition(() => upload !== undefined, Math.max(due - Date.now(), 1))) break;
      flow.state.remindersSent += 1;
      await mail(requestId, `external_file_waiting:${reminder}`, {
        kind: 'external_file_waiting',
        productName: stock!.productName,
        waitingBusinessHours: policy.remindAfterBusinessHours * reminder,
      });
    }
    await acts.recordStep({ requestId, step: 'file_uploaded', action: 'external_file_uploaded', status: 'PROCESSING', actor: upload!.actor });
    flow.setPhase('fulfilling');
    return upload!.attachmentId;
  }
}
