import { condition, setHandler } from '@temporalio/workflow';
import type { MailSpec } from '../activities/request-mail.ts';
import { ownerConsentUpdate, type Actor } from './messages.ts';
import type { RequestRun } from './request-flow.ts';
import { closeUndecided, refusalOf, type RequestOutcome } from './request-steps.ts';

/** What a request asks the current owner's admins, and what its timeline says meanwhile. */
export interface ConsentAsk {
  currentOwner: { id: string; name: string };
  /** The license the WAITING_FOR_CONSENT step is about, when there is one. */
  licenseId?: string;
  /** The WAITING_FOR_CONSENT step's change, e.g. "Owner: A → B (V8WJNEE89Q6A)". */
  changes: string;
  /** The partner's "received" mail. */
  received: Omit<Extract<MailSpec, { kind: 'request_received' }>, 'kind'>;
  /** The mail to the current owner's admins, once per `key`. */
  ask: { key: string; mail: MailSpec };
}

/**
 * The current owner's consent, shared by the request types that take licenses or channels away
 * from a company (ownership change, partial transfer): an admin of the current owner answers with
 * `ownerConsent`, then the desk decides; a refusal or a cancellation ends the request.
 *
 * Call it in the type's `define`, so its handler is installed before anything can be sent; it
 * answers the `open` step of the spec. The order of its activities is what the ownership change's
 * saved histories hold (test/fixtures/histories/), so a change to it needs `patched()`.
 */
export function ownerConsent(run: RequestRun) {
  const { requestId, flow, acts, mail } = run;
  // Answers are queued and checked in order, so an answer from someone who may not give it
  // cannot block the real admin's answer; the first valid one counts, later ones are dropped.
  const answers: Array<{ actor: Actor; consent: boolean; comment?: string }> = [];
  setHandler(
    ownerConsentUpdate,
    (args) => {
      answers.push(args);
      return { phase: flow.state.phase };
    },
    {
      validator: (_args) => {
        if (flow.state.phase !== 'awaiting_consent') {
          throw new Error(`This request cannot take the owner's consent now: it is ${flow.state.phase.replaceAll('_', ' ')}.`);
        }
      },
    },
  );

  /** Asks for the consent and waits for it: undefined when given, the request's outcome when refused or cancelled. */
  return async function awaitConsent({ currentOwner, licenseId, changes, received, ask }: ConsentAsk): Promise<RequestOutcome | undefined> {
    // Open for answers before the status says so: whoever reads WAITING_FOR_CONSENT can answer.
    flow.setPhase('awaiting_consent');
    await acts.recordStep({
      requestId,
      step: 'awaiting_consent',
      action: 'consent_requested',
      status: 'WAITING_FOR_CONSENT',
      licenseId,
      changes,
    });
    await mail('received', { kind: 'request_received', ...received });
    await acts.notifyCompanyAdmins({ requestId, companyId: currentOwner.id, key: ask.key, mail: ask.mail });
    // An answer from someone who is not the owner's admin is ignored (the activity refuses it
    // and notes it for the desk), and the request keeps waiting.
    let checked = 0;
    let consent: { actor: Actor; consent: boolean; comment?: string } | undefined;
    while (!consent) {
      await condition(() => answers.length > 0 || flow.cancelled !== undefined);
      const cancelled = flow.cancelled;
      if (cancelled) return closeUndecided(run, cancelled);
      const given = answers.shift()!;
      checked += 1;
      try {
        await acts.recordOwnerConsent({ requestId, step: `consent:${checked}`, currentOwnerCompanyId: currentOwner.id, ...given });
        consent = given;
      } catch (error) {
        if (refusalOf(error) === undefined) throw error;
      }
    }
    if (consent.consent) return undefined;
    const why = consent.comment?.trim();
    return closeUndecided(run, {
      outcome: 'rejected',
      actor: consent.actor,
      reason: `${currentOwner.name} did not consent to the transfer${why ? `: ${why}` : '.'}`,
    });
  };
}
