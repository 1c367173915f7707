import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Actor } from '../domain/actor.ts';
import type {
  ApprovePayload,
  CancelPayload,
  CancelRenewalPayload,
  FinalizeRenewalPayload,
  ConfirmReturnPayload,
  OwnerConsentPayload,
  PartnerReplyPayload,
  RejectPayload,
  RequestInformationPayload,
  RmaReceivedPayload,
  UploadExternalFilePayload,
} from './message-payloads.ts';

/**
 * The messages of the request workflows. Their names are a public contract: the API imports
 * these constants, and renaming one strands running workflows. Change them with a new name.
 * Each payload's type comes from its zod schema in ./message-payloads.ts.
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
  | 'cooling_off'
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
export const approveUpdate = defineUpdate<DecisionAck, [ApprovePayload]>('approve');
/** Desk: reject the request with a reason the partner reads. */
export const rejectUpdate = defineUpdate<DecisionAck, [RejectPayload]>('reject');
/** Desk: ask the partner for information; the request waits for the partner's reply. */
export const requestInformationUpdate = defineUpdate<DecisionAck, [RequestInformationPayload]>('requestInformation');
/**
 * Partner: answer the desk's question. Refused unless the request is waiting for the partner, so
 * that an answer the workflow will not take is refused to the partner rather than lost.
 */
export const partnerReplyUpdate = defineUpdate<DecisionAck, [PartnerReplyPayload]>('partnerAnswer');
/** The earlier, unchecked form of partnerReplyUpdate: kept for workflows that received it. */
export const partnerReplySignal = defineSignal<[PartnerReplyPayload]>('partnerReply');
/** Partner or desk: cancel before fulfilment; reservations are released. */
export const cancelUpdate = defineUpdate<DecisionAck, [CancelPayload]>('cancel');
/**
 * Partner or desk: cancel an issued SMA renewal during its cooling-off period (NEC LMS: 24 hours);
 * each license goes back to its previous SMA end. Refused before the renewal is issued (use
 * `cancel`), after the period, and when it is already cancelled.
 */
export const cancelRenewalUpdate = defineUpdate<DecisionAck, [CancelRenewalPayload]>('cancelRenewal');
/**
 * Partner or desk: end an issued SMA renewal's cooling-off period now, with a reason (NEC LMS
 * "Process Immediately": once pushed, the activation cannot be cancelled). Refused when the
 * renewal is not cooling off.
 */
export const finalizeRenewalUpdate = defineUpdate<DecisionAck, [FinalizeRenewalPayload]>('finalizeRenewal');
/** Partner: confirm a return (pressed confirm, or uploaded the reduced request file). */
export const confirmReturnUpdate = defineUpdate<DecisionAck, [ConfirmReturnPayload]>('confirmReturn');
/**
 * Current owner's admin: give or refuse consent to an ownership change. Refused unless the
 * request is awaiting consent. The API checks the actor is an admin of the current owner; the
 * workflow checks again through an activity and ignores a consent from anyone else.
 */
export const ownerConsentUpdate = defineUpdate<DecisionAck, [OwnerConsentPayload]>('ownerConsent');
/**
 * Desk: the replaced hardware (CPU, dongle, server) of a hardware replacement came back (RMA).
 * Refused unless the request waits for it (or is moving the license, whose status already says
 * so), and refused once the part is recorded: the desk reads why instead of losing the notice.
 * A new name, because a signal and an update cannot share one.
 */
export const rmaReceivedUpdate = defineUpdate<DecisionAck, [RmaReceivedPayload]>('hardwareReturned');
/** The earlier, unchecked form of rmaReceivedUpdate: kept for workflows that received it. */
export const rmaReceivedSignal = defineSignal<[RmaReceivedPayload]>('rmaReceived');

export const stateQuery = defineQuery<RequestLiveState>('state');

/** Desk: the license file of an external product was uploaded (stored as a request attachment). */
export const uploadExternalFileUpdate = defineUpdate<DecisionAck, [UploadExternalFilePayload]>('uploadExternalFile');
