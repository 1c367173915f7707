import { zValidator } from '@hono/zod-validator';
import { HTTPException } from 'hono/http-exception';
import type { ValidationTargets } from 'hono';
import type { ZodType } from 'zod';

/**
 * zod validation for every input, answering 422 with `{ message, errors: { field: "..." } }`
 * (react-admin shows `errors` next to each field).
 */
export function validate<T extends ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) {
  return zValidator(target, schema, (result, c) => {
    if (result.success) return;
    const errors: Record<string, string> = {};
    for (const issue of result.error.issues) {
      const at = issue.path.join('.');
      if (issue.code === 'unrecognized_keys') {
        // Named per field, so a misspelt field is not silently dropped.
        for (const key of issue.keys) errors[at ? `${at}.${key}` : key] ??= `Unknown field "${key}": this form has no such field`;
        continue;
      }
      errors[at || '_'] ??= issue.message;
    }
    return c.json({ message: Object.values(errors)[0] ?? 'The request is not valid.', errors }, 422);
  });
}

/** A 4xx with a field message, in the `{ message, errors }` shape react-admin shows. */
export function fieldError(field: string, message: string, status: 409 | 422 = 422) {
  return new HTTPException(status, { res: Response.json({ message, errors: { [field]: message } }, { status }) });
}
