import { condition, patched, setHandler } from '@temporalio/workflow';
import { addBusinessHours } from '../domain/business-calendar.ts';
import { calendarOf } from './decision.ts';
import { uploadExternalFileUpdate, type Actor } from './messages.ts';
import { deliverLicense, runRequest, type RequestRun } from './request-flow.ts';
import { fulfilActs, type RequestWorkflowInput } from './request-steps.ts';

/**
 * New installation (Mirasys §3.1): check the partner's stock covers the channels and hold them,
 * wait for the desk, then create and activate the license, sign it, debit the stock and e-mail
 * the file. A failure after the reservation gives the channels back.
 */
export function requestNewInstallation(input: RequestWorkflowInput) {
  return runRequest(input, (run) => {
    const { requestId, acts } = run;
    return {
      async prepare() {
        const stock = await acts.prepareNewInstallation({ requestId });
        await acts.reserveStock({ requestId, stock });
        return stock;
      },
      hold: (stock) => ({ channels: stock.channels, release: () => acts.settleStock({ requestId, stock, outcome: 'RELEASE' }) }),
      pending: (stock) => ({ step: 'reserved', action: 'stock_reserved', changes: `Reserved: ${stock.channels} channels of ${stock.productName}` }),
      received: (stock) => ({ productName: stock.productName, channels: stock.channels }),
      async fulfil(stock) {
        const externalAttachmentId = stock.external ? await waitForExternalFile(run, stock.productName) : undefined;
        const issued = await fulfilActs.createLicense({ requestId, externalAttachmentId });
        await acts.settleStock({ requestId, stock, outcome: 'CONSUME' });
        return issued;
      },
      // The license may have committed before a later part of the step failed: it was never
      // delivered, so it is revoked before its channels go back to the stock.
      undo: async () => (patched('revoke-undelivered-license') ? acts.revokeUndeliveredLicense({ requestId }) : undefined),
      failure: () => ({ what: 'fulfilment', reason: 'The license could not be issued; the reserved channels are back in your stock. The desk has been told.' }),
      complete: (stock, issued, decision) =>
        deliverLicense(run, issued, decision, { productName: stock.productName, channels: stock.channels }, `License ${issued.serial} issued`),
    };
  });
}

/**
 * External products: the file comes from outside our generator. Wait (days, weeks) for the desk
 * to upload it, reminding the desk every `remindAfterBusinessHours`.
 */
async function waitForExternalFile({ requestId, flow, policy, acts, mail }: RequestRun, productName: string): Promise<string> {
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
    changes: `Waiting for the ${productName} license file`,
  });
  // After the status is written: whoever sees this phase finds the database agreeing.
  flow.setPhase('waiting_for_file');
  for (let reminder = 1; ; reminder++) {
    const due = addBusinessHours(calendarOf(policy), Date.now(), policy.remindAfterBusinessHours);
    if (await condition(() => upload !== undefined, Math.max(due - Date.now(), 1))) break;
    flow.state.remindersSent += 1;
    await mail(`external_file_waiting:${reminder}`, {
      kind: 'external_file_waiting',
      productName,
      waitingBusinessHours: policy.remindAfterBusinessHours * reminder,
    });
  }
  await acts.recordStep({ requestId, step: 'file_uploaded', action: 'external_file_uploaded', status: 'PROCESSING', actor: upload!.actor });
  flow.setPhase('fulfilling');
  return upload!.attachmentId;
}
