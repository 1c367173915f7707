import { condition, patched, setHandler } from '@temporalio/workflow';
import { checkRequestFileChannels } from '../domain/request-file.ts';
import type { ConfirmReturnPayload } from './message-payloads.ts';
import { confirmReturnUpdate, type Actor } from './messages.ts';
import { runRequest } from './request-flow.ts';
import type { RequestOutcome, RequestWorkflowInput } from './request-steps.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
/** How long a return waits for the partner's confirmation, and when it reminds them. */
export const RETURN_CONFIRM_DAYS = 14;
export const RETURN_REMINDER_DAYS = [7, 12];

/**
 * Return confirmation (VIVOTEK "License Return Flow"): after approval a reduced revision is
 * issued and the license shows "waiting confirm". The partner confirms (button or the reduced
 * installation's request file); only then are the channels credited back. Unconfirmed after 14
 * days, the return expires: nothing is credited and the license gets its channels back.
 */
export function requestReturnConfirmation(input: RequestWorkflowInput) {
  return runRequest(input, ({ requestId, flow, acts, mail }) => {
    let confirmation: { actor: Actor; attachmentId?: string } | undefined;
    // Open from the step that writes WAITING_CONFIRM, not from the phase (set after the status):
    // a partner who reads WAITING_CONFIRM and confirms at once must not be refused in between.
    let expectingConfirmation = false;
    /** The channels the license has after the return, once the reduced revision is being issued. */
    let remainingChannels: number | undefined;
    setHandler(
      confirmReturnUpdate,
      (args) => {
        confirmation = args;
        return { phase: flow.state.phase };
      },
      {
        validator: (args: ConfirmReturnPayload) => {
          if (confirmation) throw new Error('This return is already confirmed.');
          if (!expectingConfirmation) throw new Error(`This return cannot be confirmed now: it is ${flow.state.phase.replaceAll('_', ' ')}.`);
          // The reduced installation's request file must show the reduced channels (validators do not run on replay).
          if (args.requestFile && remainingChannels !== undefined) checkRequestFileChannels(args.requestFile, remainingChannels);
        },
      },
    );

    return {
      prepare() {
        return acts.prepareReturn({ requestId });
      },
      pending: (target) => ({ step: 'pending', action: 'awaiting_decision', licenseId: target.licenseId, changes: `Return: ${target.channels}` }),
      received: (target) => ({ productName: target.productName, serial: target.serial, channels: target.channels }),
      fulfil(target) {
        expectingConfirmation = true;
        remainingChannels = target.remainingChannels;
        return acts.changeLicenseChannels({
          requestId,
          step: 'reduce',
          licenseId: target.licenseId,
          delta: -target.channels,
          action: 'return_issued',
          status: 'WAITING_CONFIRM',
        });
      },
      failure: () => ({ what: 'the return', reason: 'The reduced license could not be issued; your license is unchanged. The desk has been told.' }),
      async complete(target, reduced): Promise<RequestOutcome> {
        const confirmBy = Date.now() + RETURN_CONFIRM_DAYS * DAY_MS;
        await acts.recordStep({
          requestId,
          step: 'waiting_confirm',
          action: 'return_waiting_confirm',
          status: 'WAITING_CONFIRM',
          licenseId: target.licenseId,
          changes: `Return: ${target.channels} (waiting confirm)`,
        });
        // After the status is written: whoever sees this phase finds the database agreeing.
        flow.setPhase('waiting_confirm');
        const waitingMail = {
          productName: target.productName,
          serial: target.serial,
          channelsReturned: target.channels,
          remainingChannels: target.remainingChannels,
          confirmBy: new Date(confirmBy).toISOString(),
        };
        await mail('return_waiting_confirm', { kind: 'return_waiting_confirm', ...waitingMail, fileName: reduced.fileName }, reduced.revisionId);

        const startedWaiting = Date.now();
        let reminders = 0;
        for (const day of [...RETURN_REMINDER_DAYS, RETURN_CONFIRM_DAYS]) {
          const confirmed = await condition(() => confirmation !== undefined, Math.max(startedWaiting + day * DAY_MS - Date.now(), 1));
          if (confirmed) break;
          if (day === RETURN_CONFIRM_DAYS) break;
          reminders += 1;
          flow.state.remindersSent += 1;
          await acts.recordStep({
            requestId,
            step: `return_reminder:${reminders}`,
            action: 'return_reminded',
            changes: `Day ${day} of ${RETURN_CONFIRM_DAYS}`,
          });
          await mail(`return_reminder:${reminders}`, { kind: 'return_waiting_confirm', ...waitingMail });
        }
        expectingConfirmation = false;

        if (!confirmation) {
          const restored = await acts.changeLicenseChannels({
            requestId,
            step: 'restore',
            licenseId: target.licenseId,
            delta: target.channels,
            action: 'return_expired',
            status: 'ACTIVE',
          });
          await acts.recordStep({
            requestId,
            step: 'expired',
            action: 'return_expired',
            status: 'EXPIRED',
            licenseId: target.licenseId,
            changes: 'Return expired: nothing credited',
            completed: true,
          });
          await mail(
            'return_expired',
            { kind: 'return_expired', serial: target.serial, productName: target.productName, channelsReturned: target.channels },
            restored.revisionId,
          );
          return { outcome: 'expired' };
        }

        const confirmedBy = confirmation;
        await acts.setLicenseStatus({ licenseId: target.licenseId, status: 'ACTIVE' });
        const balance = await acts.returnStock({ requestId, stock: target });
        const credited = {
          requestId,
          step: 'credited',
          action: 'return_credited',
          licenseId: target.licenseId,
          actor: confirmedBy.actor,
          changes: `Stock ${target.productName}: +${target.channels}`,
        };
        if (patched('return-completion-event')) {
          // Every request type ends with the same event, so "completed" reads alike on every timeline.
          await acts.recordStep(credited);
          await acts.recordStep({
            requestId,
            step: 'completed',
            action: 'request_completed',
            status: 'COMPLETED',
            licenseId: target.licenseId,
            changes: `Return: ${target.channels} channels credited to stock`,
            completed: true,
          });
        } else {
          await acts.recordStep({ ...credited, status: 'COMPLETED', completed: true });
        }
        await mail('return_credited', {
          kind: 'return_credited',
          serial: target.serial,
          productName: target.productName,
          channelsReturned: target.channels,
          balance,
        });
        return { outcome: 'completed', serial: target.serial, revision: reduced.revision };
      },
    };
  });
}
