import { zValidator } from '@hono/zod-validator';
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
      const field = issue.path.join('.') || '_';
      errors[field] ??= issue.message;
    }
    return c.json({ message: Object.values(errors)[0] ?? 'The request is not valid.', errors }, 422);
  });
}
