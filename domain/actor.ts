/**
 * Who did something. Under impersonation, `userId`/`name` are the partner user the desk is
 * acting as, and `impersonator` is the desk user who really acted; history keeps both, the way
 * NEC's portal marks such actions "IMP:".
 */
export interface Actor {
  userId: string;
  name: string;
  impersonator?: { userId: string; name: string };
}

/** Nobody pressed a button: the workflow or a timer did it. */
export const SYSTEM_ACTOR_NAME = 'License Desk';

/** The HistoryEvent columns for an actor (or for the system when there is none). */
export function historyActorColumns(actor: Actor | undefined) {
  return {
    actorUserId: actor?.userId,
    actorName: actor?.name ?? SYSTEM_ACTOR_NAME,
    realActorUserId: actor?.impersonator?.userId,
    realActorName: actor?.impersonator?.name,
  };
}

/** How a timeline shows the actor: "Anna Partner (IMP: Dan Desk)". */
export function actorLabel(event: { actorName: string; realActorName?: string | null }) {
  return event.realActorName ? `${event.actorName} (IMP: ${event.realActorName})` : event.actorName;
}
