import { z } from 'zod';
import type { Actor } from '../domain/actor.ts';

/**
 * The payload of every request-workflow message, each one zod schema. The update and signal
 * definitions (workflows/messages.ts) take their argument types from these (`z.infer`), the
 * API's body validators are the same schemas without `actor` (`bodyOf`), and a workflow
 * validator may parse with them (`refuseInvalid`): a field's rule and its message live here once.
 *
 * Pure (zod only): workflow code imports this module, so it is bundled into the sandbox.
 * Payloads are open objects, so a workflow still running older code takes a message with a field
 * it does not know; the API's bodies are strict, so a misspelt field is refused by name.
 */

/** Who sent the message (domain/actor.ts's Actor): the server fills it from the session, never from the body. */
export const actorSchema = z.object({
  userId: z.string().min(1),
  name: z.string(),
  impersonator: z.object({ userId: z.string().min(1), name: z.string() }).optional(),
}) satisfies z.ZodType<Actor>;

/** Free text a person writes: comments, reasons, questions, answers, notes. */
export const freeText = z.string().trim().max(2000, 'Use at most 2000 characters');

/** Desk: approve, with an optional comment for the partner. */
export const approvePayload = z.object({ actor: actorSchema, comment: freeText.optional() });
/** Desk: reject, with the reason the partner reads. */
export const rejectPayload = z.object({ actor: actorSchema, reason: freeText.min(1, 'Give the partner a reason') });
/** Desk: ask the partner a question. */
export const requestInformationPayload = z.object({ actor: actorSchema, question: freeText.min(1, 'Write the question') });
/** Partner: answer the desk's question (the `partnerAnswer` update and the older `partnerReply` signal). */
export const partnerReplyPayload = z.object({ actor: actorSchema, message: freeText.min(1, 'Write your answer') });
/** Partner or desk: cancel before fulfilment. */
export const cancelPayload = z.object({ actor: actorSchema, reason: freeText.optional() });
/** Partner or desk: cancel an issued SMA renewal in its cooling-off period. */
export const cancelRenewalPayload = z.object({ actor: actorSchema, reason: freeText.optional() });
/** Partner or desk: make an issued SMA renewal final before its cooling-off period ends (NEC: "Process Immediately", with a reason). */
export const finalizeRenewalPayload = z.object({ actor: actorSchema, reason: freeText.min(1, 'Say why the renewal must be final now') });
/** Partner: confirm a return; the server stores the reduced request file and names it here. */
export const confirmReturnPayload = z.object({
  actor: actorSchema,
  attachmentId: z.string().min(1).optional(),
  /** What the reduced installation's request file shows (the API read and checked the file): the workflow checks its channels. */
  requestFile: z.object({ channels: z.number().int().min(0), installationId: z.string() }).optional(),
});
/** The current owner's admin: consent to an ownership change, or refuse it. */
export const ownerConsentPayload = z.object({
  actor: actorSchema,
  consent: z.boolean({ message: 'Say whether you consent: true or false' }),
  comment: freeText.optional(),
});
/** Desk: the replaced hardware came back (RMA). */
export const rmaReceivedPayload = z.object({ actor: actorSchema, note: freeText.optional() });
/** Desk: the external product's license file, stored by the server as a request attachment. */
export const uploadExternalFilePayload = z.object({ actor: actorSchema, attachmentId: z.string().min(1, 'Upload the license file first.') });

export type ApprovePayload = z.infer<typeof approvePayload>;
export type RejectPayload = z.infer<typeof rejectPayload>;
export type RequestInformationPayload = z.infer<typeof requestInformationPayload>;
export type PartnerReplyPayload = z.infer<typeof partnerReplyPayload>;
export type CancelPayload = z.infer<typeof cancelPayload>;
export type CancelRenewalPayload = z.infer<typeof cancelRenewalPayload>;
export type FinalizeRenewalPayload = z.infer<typeof finalizeRenewalPayload>;
export type ConfirmReturnPayload = z.infer<typeof confirmReturnPayload>;
export type OwnerConsentPayload = z.infer<typeof ownerConsentPayload>;
export type RmaReceivedPayload = z.infer<typeof rmaReceivedPayload>;
export type UploadExternalFilePayload = z.infer<typeof uploadExternalFilePayload>;

/**
 * What a route takes as its JSON body: the payload without `actor` (the server adds it from the
 * session), strict, so that an unknown field is refused by name rather than dropped.
 */
export function bodyOf<Shape extends z.ZodRawShape & { actor: typeof actorSchema }>(payload: z.ZodObject<Shape>) {
  const { actor: _actor, ...fields } = payload.shape;
  return z.strictObject(fields);
}

/** For an update's validator: throws the first rule's message, a sentence the caller reads. */
export function refuseInvalid(payload: z.ZodType, input: unknown): void {
  const result = payload.safeParse(input);
  if (!result.success) throw new Error(result.error.issues[0]?.message ?? 'This message is not valid.');
}
