/**
 * The time as the services and activities read it. The worker passes `systemClock`; a test can
 * pass a fixed one, and the dates it writes (a decision, an SMA start, a file's issue time, a
 * mail's send time) then read that time.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
