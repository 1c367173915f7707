import { allHandlersFinished, condition, log, patched, setHandler } from '@temporalio/workflow';
import { addBusinessHours, DESK_CALENDAR, type BusinessCalendar } from '../domain/business-calendar.ts';
import type { PartnerReplyPayload, RejectPayload, RequestInformationPayload } from './message-payloads.ts';
import {
  approveUpdate,
  cancelUpdate,
  partnerReplySignal,
  partnerReplyUpdate,
  rejectUpdate,
  requestInformationUpdate,
  stateQuery,
  type Actor,
  type RequestLiveState,
  type RequestPhase,
} from './messages.ts';

/**
 * What every request workflow shares: the live state, the desk's decision (approve, reject,
 * request information), the partner's reply and cancellation, and reminders then escalation
 * on business-hour timers. Handlers are installed at the start of the workflow, so a message
 * that arrives early is refused by its validator rather than lost.
 */
export interface DecisionPolicy {
  /** Business hours after submission before the desk is reminded, and before escalation. */
  remindAfterBusinessHours: number;
  escalateAfterBusinessHours: number;
  /**
   * Auto-approval: a channel expansion of at most this many channels is approved without the
   * desk once its reservation succeeded (the stock covers it). 0 turns it off.
   */
  autoApproveExpansionUpTo: number;
  /**
   * SMA renewals: hours after the renewal is issued in which the partner may still cancel it
   * (SMA_RENEWAL_COOLING_OFF_HOURS). Absent: DEFAULT_SMA_COOLING_OFF_HOURS (24, NEC's cooling-off).
   */
  smaRenewalCoolingOffHours?: number;
  /**
   * The desk's business calendar (BUSINESS_CALENDAR_FILE), given in the workflow's input so that
   * replays see the calendar the workflow started with. Absent in workflows started before it
   * was configurable: those keep DESK_CALENDAR, the calendar they ran on.
   */
  calendar?: BusinessCalendar;
}

/** The calendar a workflow's business hours are counted on. */
export function calendarOf(policy: DecisionPolicy): BusinessCalendar {
  return policy.calendar ?? DESK_CALENDAR;
}

export const DEFAULT_DECISION_POLICY: DecisionPolicy = { remindAfterBusinessHours: 8, escalateAfterBusinessHours: 24, autoApproveExpansionUpTo: 0 };

export type Decision =
  | { outcome: 'approved'; actor?: Actor; comment?: string }
  | { outcome: 'rejected'; actor: Actor; reason: string }
  | { outcome: 'cancelled'; actor: Actor; reason?: string };

export interface DecisionHooks {
  /** Called when the reminder or escalation moment passes without a decision. */
  onReminder(kind: 'reminder' | 'escalation', sequence: number): Promise<void>;
  onInformationRequested(question: string, actor: Actor): Promise<void>;
  onPartnerReply(message: string, actor: Actor): Promise<void>;
}

export class RequestFlow {
  readonly state: RequestLiveState = { phase: 'validating', remindersSent: 0, escalated: false };
  private decision?: Decision;
  /** Answers to the desk's question not yet on the timeline, in the order they came. */
  private pendingReplies: Array<{ message: string; actor: Actor }> = [];
  private cancellable = true;

  constructor() {
    setHandler(stateQuery, () => ({ ...this.state }));
    setHandler(
      approveUpdate,
      ({ actor, comment }) => {
        this.decision = { outcome: 'approved', actor, comment };
        return { phase: this.state.phase };
      },
      { validator: (_input) => this.expectPhase('awaiting_decision', 'approved') },
    );
    setHandler(
      rejectUpdate,
      ({ actor, reason }) => {
        this.decision = { outcome: 'rejected', actor, reason };
        return { phase: this.state.phase };
      },
      {
        validator: ({ reason }: RejectPayload) => {
          this.expectPhase('awaiting_decision', 'rejected', 'waiting_for_partner');
          if (!reason?.trim()) throw new Error('Give the partner a reason for the rejection.');
        },
      },
    );
    setHandler(
      requestInformationUpdate,
      ({ actor, question }) => {
        this.state.phase = 'waiting_for_partner';
        this.state.question = question;
        this.pendingQuestion = { question, actor };
        return { phase: this.state.phase };
      },
      {
        validator: ({ question }: RequestInformationPayload) => {
          this.expectPhase('awaiting_decision', 'asked for information');
          if (!question?.trim()) throw new Error('Write the question for the partner.');
        },
      },
    );
    setHandler(partnerReplySignal, ({ actor, message }) => {
      if (this.state.phase === 'waiting_for_partner') this.pendingReplies.push({ actor, message });
    });
    setHandler(
      partnerReplyUpdate,
      ({ actor, message }) => {
        this.pendingReplies.push({ actor, message });
        return { phase: this.state.phase };
      },
      {
        validator: ({ message }: PartnerReplyPayload) => {
          if (this.decision) throw new Error(`This request was already ${this.decision.outcome}.`);
          if (this.state.phase !== 'waiting_for_partner') throw new Error('The desk has not asked anything on this request.');
          if (!message?.trim()) throw new Error('Write your answer.');
        },
      },
    );
    setHandler(
      cancelUpdate,
      ({ actor, reason }) => {
        this.decision = { outcome: 'cancelled', actor, reason };
        return { phase: this.state.phase };
      },
      {
        validator: (_input) => {
          if (!this.cancellable || this.state.phase === 'closed') {
            throw new Error('This request can no longer be cancelled: its fulfilment has started or it is closed.');
          }
        },
      },
    );
  }

  private pendingQuestion?: { question: string; actor: Actor };

  private expectPhase(phase: RequestPhase, verb: string, ...alsoAllowed: RequestPhase[]) {
    if (this.decision) throw new Error(`This request was already ${this.decision.outcome}.`);
    if (this.state.phase !== phase && !alsoAllowed.includes(this.state.phase)) {
      throw new Error(`This request cannot be ${verb} now: it is ${this.state.phase.replaceAll('_', ' ')}.`);
    }
  }

  /**
   * Opens the request to the desk's decision. Call it before writing PENDING_APPROVAL to the
   * database, so that anyone who reads that status finds the workflow accepting a decision.
   */
  openForDecision() {
    this.state.phase = 'awaiting_decision';
  }

  setPhase(phase: RequestPhase) {
    this.state.phase = phase;
  }

  /** Closes the request: no more messages are accepted, and running handlers finish first. */
  async finish<T extends { outcome: NonNullable<RequestLiveState['outcome']> }>(outcome: T): Promise<T> {
    this.state.phase = 'closed';
    this.state.outcome = outcome.outcome;
    await condition(allHandlersFinished);
    return outcome;
  }

  /** Fulfilment started: from here on the request runs to its end. */
  closeForCancellation() {
    this.cancellable = false;
  }

  /** A cancellation that arrived while the workflow was busy elsewhere. */
  get cancelled(): Extract<Decision, { outcome: 'cancelled' }> | undefined {
    return this.decision?.outcome === 'cancelled' ? this.decision : undefined;
  }

  /** A decision the policy made: no desk step, the request proceeds at once. */
  autoApprove(comment: string): Decision {
    this.decision = { outcome: 'approved', comment };
    return this.decision;
  }

  /**
   * Waits for the desk's decision. Sends a reminder when `remindAfterBusinessHours` have passed
   * since `since` without one, and escalates after `escalateAfterBusinessHours`. While the
   * partner is asked for information, the request waits for the reply and the clock restarts.
   */
  async awaitDecision(policy: DecisionPolicy, hooks: DecisionHooks): Promise<Decision> {
    this.state.phase = 'awaiting_decision';
    let since = Date.now();
    let reminded = false;
    for (;;) {
      if (this.decision) return this.decision;
      if (this.pendingQuestion) {
        const { question, actor } = this.pendingQuestion;
        this.pendingQuestion = undefined;
        // A question that came while the request was still being opened (its "received" mail
        // going out) found the phase reset to awaiting_decision on entry here, and the reply
        // handler, which takes replies only while waiting_for_partner, dropped every answer.
        if (patched('question-waits-for-partner')) this.state.phase = 'waiting_for_partner';
        await hooks.onInformationRequested(question, actor);
        await condition(() => this.pendingReplies.length > 0 || this.decision !== undefined);
        if (this.decision) return this.decision;
        // Every answer that came before the phase changes goes on the timeline (a partner who
        // sends twice in a moment means both); later ones are refused by the validator.
        const replies = this.pendingReplies.splice(0);
        this.state.phase = 'awaiting_decision';
        this.state.question = undefined;
        // Histories from before this kept only the last of several answers.
        for (const reply of patched('every-reply-recorded') ? replies : replies.slice(-1)) {
          await hooks.onPartnerReply(reply.message, reply.actor);
        }
        since = Date.now();
        reminded = false;
        continue;
      }
      const due = reminded
        ? addBusinessHours(calendarOf(policy), since, policy.escalateAfterBusinessHours)
        : addBusinessHours(calendarOf(policy), since, policy.remindAfterBusinessHours);
      const decided = await condition(() => this.decision !== undefined || this.pendingQuestion !== undefined, Math.max(due - Date.now(), 1));
      if (decided) continue;
      if (!reminded) {
        reminded = true;
        this.state.remindersSent += 1;
        await hooks.onReminder('reminder', this.state.remindersSent);
      } else {
        if (!this.state.escalated) {
          this.state.escalated = true;
          log.info('Escalating request to desk admins');
          await hooks.onReminder('escalation', 1);
        }
        // After escalation the request waits without further timers; desk admins own it now.
        await condition(() => this.decision !== undefined || this.pendingQuestion !== undefined);
      }
    }
  }
}
