import { expect } from 'vitest';

/** The JSON body of a refusal as the caller reads it: the message, and a message per field in `errors`. */
export interface Refusal {
  message: string;
  errors?: Record<string, string>;
}

/**
 * Asserts a 4xx answer as its caller reads it: the status and the whole JSON body (the message,
 * and the field messages in `errors` when a form is refused), never the status alone.
 */
export async function expectRefusal(response: Response | Promise<Response>, status: number, body: Refusal | Record<string, unknown>, what?: string) {
  const answer = await response;
  const text = await answer.text();
  let read: unknown = text;
  try {
    read = JSON.parse(text);
  } catch {
    // Not JSON: compared as the text it is.
  }
  expect({ status: answer.status, body: read }, what).toEqual({ status, body });
}

/** A pattern that matches `text` exactly, for toThrow(): its string argument only looks for a part. */
export function exactly(text: string): RegExp {
  const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped}$`);
}
