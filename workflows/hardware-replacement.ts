import { condition, patched, setHandler, sleep } from '@temporalio/workflow';
import type { HardwareReplacementTarget } from '../activities/hardware-replacement-activities.ts';
import { businessHoursBetween, formatOfficeTime, isOfficeTime, nextOfficeTime, type BusinessCalendar } from '../domain/business-calendar.ts';
import { calendarOf } from './decision.ts';
import { rmaReceivedPayload, refuseInvalid } from './message-payloads.ts';
import { rmaReceivedSignal, rmaReceivedUpdate, type Actor } from './messages.ts';
import type { MailSpec } from '../activities/request-mail.ts';
import { runRequest } from './request-flow.ts';
import { fulfilActs, refusalOf, type RequestOutcome, type RequestSteps, type RequestWorkflowInput } from './request-steps.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Days after the license moved at which the partner is reminded to send the replaced part back. */
export const RMA_REMINDER_DAYS = [7, 14];
/** Days after which the desk admins are told the part has not come back; the request then just waits. */
export const RMA_ESCALATION_DAYS = 30;

export interface HardwareReplacementInput extends RequestWorkflowInput {
  /** The desk's office hours, in which licenses are moved; the policy's calendar when absent. */
  officeCalendar?: BusinessCalendar;
}

/** "2026-11-23 08:00 Europe/Helsinki" (Intl is deterministic in the workflow sandbox). */
function localTime(calendar: BusinessCalendar, t: number): string {
  const text = new Intl.DateTimeFormat('sv-SE', {
    timeZone: calendar.timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(t);
  return `${text} ${calendar.timeZone}`;
}

function lockText(target: HardwareReplacementTarget, value: string): string {
  return target.lockType === 'MAC' ? `MAC: ${value}` : `Hardware key: ${value}`;
}

/**
 * Hardware replacement (NEC LMS "License Transfer in case of Hardware Replacement"): the CPU,
 * dongle or server a license is locked to broke and was replaced. The request is checked against
 * the license; an interim license on the new hardware goes out at once when asked for; the desk
 * decides in office hours, and the license moves to the new hardware as its next revision (the
 * old binding is revoked), signed and e-mailed. The request then waits for the defective part
 * to come back (RMA), reminding the partner on days 7 and 14 and the desk admins on day 30.
 */
export function requestHardwareReplacement(input: HardwareReplacementInput) {
  return runRequest(input, (run) => {
    const { requestId, policy, flow, acts, mail } = run;
    const calendar = input.officeCalendar ?? calendarOf(policy);
    // The part may come back before the license has moved; the first notice is kept until then.
    let rma: { actor: Actor; note?: string } | undefined;
    setHandler(rmaReceivedSignal, (args) => {
      if (!rma && flow.state.phase !== 'closed') rma = args;
    });
    setHandler(
      rmaReceivedUpdate,
      (args) => {
        rma = args;
        return { phase: flow.state.phase };
      },
      {
        // Fulfilling too: WAITING_FOR_RMA is written before the phase follows it, and a desk that
        // reads that status and records the part at once must not be refused in between.
        validator: (args) => {
          if (rma) throw new Error('The returned hardware is already recorded.');
          if (flow.state.phase !== 'waiting_for_rma' && flow.state.phase !== 'fulfilling') {
            throw new Error(`This request is not waiting for returned hardware: it is ${flow.state.phase.replaceAll('_', ' ')}.`);
          }
          refuseInvalid(rmaReceivedPayload, args);
        },
      },
    );

    return {
      prepare() {
        return acts.prepareHardwareReplacement({ requestId });
      },
      pending: (target) => ({ step: 'pending', action: 'awaiting_decision', licenseId: target.licenseId, changes: replacementText(target) }),
      received: (target) => ({ productName: target.productName, serial: target.serial, channels: target.channels }),
      whileWaiting: async (target) => (target.interimLicense ? issueInterim(run, target) : undefined),
      async fulfil(target, decision) {
        // NEC: "New license files can only be supplied during office hours."
        if (!isOfficeTime(calendar, Date.now()) && patched('office-hours-status')) {
          // The wait is a status of its own: the request is neither being worked on nor stuck.
          const at = nextOfficeTime(calendar, Date.now());
          await acts.recordStep({
            requestId,
            step: 'waiting_office_hours',
            action: 'waiting_for_office_hours',
            status: 'WAITING_FOR_OFFICE_HOURS',
            changes: `Approved outside office hours; the license moves to the new hardware at ${formatOfficeTime(calendar, at)}`,
            details: { until: new Date(at).toISOString() },
          });
          flow.setPhase('waiting_for_office_hours');
          await sleep(Math.max(at - Date.now(), 1));
          await acts.recordStep({
            requestId,
            step: 'office_hours',
            action: 'office_hours_began',
            status: 'PROCESSING',
            changes: 'Office hours: the license moves to the new hardware now',
          });
          flow.setPhase('fulfilling');
        } else if (!isOfficeTime(calendar, Date.now())) {
          // Histories from before the wait had a status of its own: PROCESSING throughout.
          const at = nextOfficeTime(calendar, Date.now());
          await acts.recordStep({
            requestId,
            step: 'waiting_office_hours',
            action: 'waiting_for_office_hours',
            changes: `Approved outside office hours; the license moves to the new hardware at ${localTime(calendar, at)}`,
            details: { until: new Date(at).toISOString() },
          });
          await sleep(Math.max(at - Date.now(), 1));
        }

        return fulfilActs.rebindLicense({ requestId, target, actor: decision.actor });
      },
      failure: () => ({
        what: 'the hardware replacement',
        reason: 'The license could not be moved to the new hardware; it is unchanged. The desk has been told.',
      }),
      async complete(target, issued, decision): Promise<RequestOutcome> {
        await mail(
          'approved',
          {
            kind: 'approved',
            serial: issued.serial,
            productName: target.productName,
            channels: target.channels,
            lock: lockText(target, target.newLock),
            revision: issued.revision,
            fileName: issued.fileName,
            licenseId: issued.licenseId,
            comment: decision.comment,
          },
          issued.revisionId,
        );

        // The defective part goes back to the vendor (RMA); the desk records its arrival.
        const since = Date.now();
        const returnBy = new Date(since + RMA_ESCALATION_DAYS * DAY_MS).toISOString();
        await acts.recordStep({
          requestId,
          step: 'waiting_for_rma',
          action: 'waiting_for_rma',
          status: 'WAITING_FOR_RMA',
          licenseId: target.licenseId,
          changes: `${replacementText(target)}; waiting for the replaced hardware (${lockText(target, target.oldLock)}) to come back`,
        });
        // After the status is written: whoever sees this phase finds the database agreeing.
        flow.setPhase('waiting_for_rma');
        let reminders = 0;
        for (const day of RMA_REMINDER_DAYS) {
          if (await condition(() => rma !== undefined, Math.max(since + day * DAY_MS - Date.now(), 1))) break;
          reminders += 1;
          flow.state.remindersSent += 1;
          await acts.recordStep({
            requestId,
            step: `rma_reminder:${reminders}`,
            action: 'rma_reminded',
            changes: `Day ${day}: replaced hardware not returned yet`,
          });
          await mail(`rma_reminder:${reminders}`, {
            kind: 'rma_reminder',
            serial: target.serial,
            productName: target.productName,
            oldHardware: lockText(target, target.oldLock),
            returnBy,
            reminderNumber: reminders,
          });
        }
        if (!rma && !(await condition(() => rma !== undefined, Math.max(since + RMA_ESCALATION_DAYS * DAY_MS - Date.now(), 1)))) {
          flow.state.escalated = true;
          const waited = Math.round(businessHoursBetween(calendar, since, Date.now()));
          await acts.recordStep({
            requestId,
            step: 'rma_escalated',
            action: 'escalated',
            partnerVisible: false,
            changes: `Replaced hardware not returned after ${RMA_ESCALATION_DAYS} days`,
          });
          await mail('rma_escalation', {
            kind: 'escalation',
            waitingBusinessHours: waited,
            waitingFor: `the replaced hardware (${lockText(target, target.oldLock)}) to come back (RMA), ${RMA_ESCALATION_DAYS} days after the license moved`,
          });
          // Desk admins own it now: no more timers, the request waits for the part.
          await condition(() => rma !== undefined);
        }

        const received = rma!;
        const returned = {
          requestId,
          step: 'rma_received',
          action: 'rma_received',
          licenseId: target.licenseId,
          actor: received.actor,
          comment: received.note,
          changes: `Replaced hardware returned (${lockText(target, target.oldLock)})`,
        };
        if (patched('hardware-replacement-completion-event')) {
          // Every request type ends with the same event, so "completed" reads alike on every timeline.
          await acts.recordStep(returned);
          await acts.recordStep({
            requestId,
            step: 'completed',
            action: 'request_completed',
            status: 'COMPLETED',
            licenseId: target.licenseId,
            changes: `License ${issued.serial} moved to ${lockText(target, target.newLock)}`,
            completed: true,
          });
        } else {
          await acts.recordStep({ ...returned, status: 'COMPLETED', completed: true });
        }
        return { outcome: 'completed', serial: issued.serial, revision: issued.revision };
      },
    };
  });
}

function replacementText(target: HardwareReplacementTarget): string {
  return `${target.lockType === 'MAC' ? 'MAC' : 'Hardware key'}: ${target.oldLock} → ${target.newLock}`;
}

/** The interim license: issued and mailed at once, or refused on the timeline while the request goes on. */
async function issueInterim({ requestId, acts, mail }: RequestSteps, target: HardwareReplacementTarget): Promise<void> {
  try {
    const interim = await fulfilActs.issueInterimLicense({ requestId, target });
    const until = interim.expiresAt.slice(0, 10);
    await acts.recordStep({
      requestId,
      step: 'interim',
      action: 'interim_license_issued',
      licenseId: interim.licenseId,
      changes: `Interim license ${interim.serial} on ${lockText(target, target.newLock)}, valid until ${until}`,
    });
    // The desk has decided nothing yet: the mail says "interim", not "approved".
    const interimMail: MailSpec = patched('interim-license-mail')
      ? {
          kind: 'interim_license',
          serial: interim.serial,
          productName: interim.productName,
          channels: interim.channels,
          lock: lockText(target, target.newLock),
          fileName: interim.fileName,
          licenseId: interim.licenseId,
          validUntil: interim.expiresAt,
          replacedSerial: target.serial,
        }
      : {
          kind: 'approved',
          serial: interim.serial,
          productName: interim.productName,
          channels: interim.channels,
          lock: lockText(target, target.newLock),
          revision: interim.revision,
          fileName: interim.fileName,
          licenseId: interim.licenseId,
          comment:
            `This is an interim license for the new hardware, valid until ${until}. Install it now; ` +
            `license ${target.serial} is moved to the new hardware when the desk approves your request, in office hours.`,
        };
    await mail('interim', interimMail, interim.revisionId);
  } catch (error) {
    const refusal = refusalOf(error);
    const reason = refusal ?? 'No interim license could be issued; the desk has been told. Your request goes on without one.';
    await acts.recordStep({ requestId, step: 'interim_refused', action: 'interim_license_refused', comment: reason });
    if (refusal === undefined) {
      await mail('escalation:interim', {
        kind: 'escalation',
        waitingBusinessHours: 0,
        waitingFor: `a fix: the interim license failed (${String((error as Error).message)})`,
      });
    }
  }
}
