import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Actor } from '../domain/actor.ts';

/**
 * The messages of the request workflows. Their names are a public contract: the API imports
 * these constants, and renaming one strands running workflows. Change them with a new name.
 */
export type { Actor };

export type RequestPhase =
  | 'validating'
  | 'awaiting_consent'
  | 'awaiting_decision'
  | 'waiting_for_partner'
  | 'fulfilling'
  | 'waiting_for_office_hours'
  | 'waiting_for_file'
  | 'waiting_for_rma'
  | 'waiting_confirm'
  | 'closed';

export interface RequestLiveState {
  phase: RequestPhase;
  outcome?: 'completed' | 'rejected' | 'cancelled' | 'expired' | 'failed';
  remindersSent: number;
  escalated: boolean;
  question?: string;
}

export interface DecisionAck {
  phase: RequestPhase;
}

/** Desk: approve the request. Refused unless the request is awaiting a decision. */
export const approveUpdate = defineUpdate<DecisionAck, [{ actor: Actor; comment?: string }]>('approve');
/** Desk: reject the request with a reason the partner reads. */
export const rejectUpdate = defineUpdate<DecisionAck, [{ actor: Actor; reason: string }]>('reject');
/** Desk: ask the partner for information; the request waits for the partner's reply. */
export const requestInformationUpdate = defineUpdate<DecisionAck, [{ actor: Actor; question: string }]>('requestInformation');
/**
 * Partner: answer the desk's question. Refused unless the request is waiting for the partner, so
 * that an answer the workflow will not take is refused to the partner rather than lost.
 */
export const partnerReplyUpdate = defineUpdate<DecisionAck, [{ actor: Actor; message: string }]>('partnerAnswer');
/** The earlier, unchecked form of partnerReplyUpdate: kept for workflows that received it. */
export const partnerReplySignal = defineSignal<[{ actor: Actor; message: string }]>('partnerReply');
/** Partner or desk: cancel before fulfilment; reservations are released. */
export const cancelUpdate = defineUpdate<DecisionAck, [{ actor: Actor; reason?: string }]>('cancel');
/** Partner: confirm a return (pressed confirm, or uploaded the reduced request file). */
export const confirmReturnUpdate = defineUpdate<DecisionAck, [{ actor: Actor; attachmentId?: string }]>('confirmReturn');
/**
 * Current owner's admin: give or refuse consent to an ownership change. Refused unless the
 * request is awaiting consent. The API checks the actor is an admin of the current owner; the
 * workflow checks again through an activity and ignores a consent from anyone else.
 */
export const ownerConsentUpdate = defineUpdate<DecisionAck, [{ actor: Actor; consent: boolean; comment?: string }]>('ownerConsent');
/** Desk: the replaced hardware (CPU, dongle, server) of a hardware replacement came back (RMA). */
export const rmaReceivedSignal = defineSignal<[{ actor: Actor; note?: string }]>('rmaReceived');

export const stateQuery = defineQuery<RequestLiveState>('state');

/** Desk: the license file of an external product was uploaded (stored as a request attachment). */
export const uploadExternalFileUpdate = defineUpdate<DecisionAck, [{ actor: Actor; attachmentId: string }]>('uploadExternalFile');
