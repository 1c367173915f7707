/**
 * A refusal by a domain rule. The message is written for the partner who typed the value: it
 * says what was wrong and the expected form. `code` is stable for programs (the API maps it,
 * a workflow turns it into `ApplicationFailure.nonRetryable(message, code)`); `field` names
 * the input it is about, so the API can answer `{ message, errors: { [field]: message } }`.
 */
export class DomainError extends Error {
  readonly code: string;
  declare readonly field?: string;

  constructor(message: string, options: { code: string; field?: string }) {
    super(message);
    this.name = 'DomainError';
    this.code = options.code;
    if (options.field !== undefined) this.field = options.field;
  }
}

/** True for a DomainError, also when it crossed a bundle or realm boundary (checks the shape). */
export function isDomainError(error: unknown): error is DomainError {
  if (error instanceof DomainError) return true;
  if (typeof error !== 'object' || error === null) return false;
  const { name, code } = error as { name?: unknown; code?: unknown };
  return name === 'DomainError' && typeof code === 'string';
}
