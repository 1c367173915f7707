import { HTTPException } from 'hono/http-exception';
import type { ValidationTargets } from 'hono';
import { validator } from 'hono-openapi';
import type { ZodType } from 'zod';

interface Issue {
  message: string;
  path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>;
  code?: string;
  keys?: string[];
}

/** `{ field: "message" }` from zod issues: the shape react-admin shows next to each field. */
export function fieldErrors(issues: readonly Issue[]) {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const at = (issue.path ?? []).map((p) => String(typeof p === 'object' ? p.key : p)).join('.');
    if (issue.code === 'unrecognized_keys' && issue.keys) {
      // Named per field, so a misspelt field is not silently dropped.
      for (const key of issue.keys) errors[at ? `${at}.${key}` : key] ??= `Unknown field "${key}": this form has no such field`;
      continue;
    }
    errors[at || '_'] ??= issue.message;
  }
  return errors;
}

/**
 * zod validation for every input, answering 422 with `{ message, errors: { field: "..." } }`
 * (react-admin shows `errors` next to each field). hono-openapi's validator also records the
 * schema on the route, which is where /api/openapi.json gets it: one schema, two uses.
 */
export function validate<T extends ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) {
  const inner = validator(target, schema, (result, c) => {
    if (result.success) return;
    const errors = fieldErrors(result.error as readonly Issue[]);
    return c.json({ message: Object.values(errors)[0] ?? 'The request is not valid.', errors }, 422);
  });
  // PostgreSQL text cannot hold NUL, and no form field needs one: refuse it by name up front.
  const outer: typeof inner = async (c, next) => {
    const value = target === 'json' ? await c.req.json().catch(() => undefined) : target === 'query' ? c.req.query() : target === 'param' ? c.req.param() : undefined;
    const at = nulPath(value);
    if (at !== undefined) return c.json({ message: 'Text cannot contain NUL characters.', errors: { [at || '_']: 'Remove the NUL character' } }, 422);
    return inner(c, next);
  };
  // hono-openapi finds the schema on the middleware's own (symbol) properties.
  return Object.assign(outer, inner);
}

/** The path of the first string holding a NUL character, if any. */
function nulPath(value: unknown, at = ''): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? at : undefined;
  if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const found = nulPath(child, at ? `${at}.${key}` : key);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** A 4xx with a field message, in the `{ message, errors }` shape react-admin shows. */
export function fieldError(field: string, message: string, status: 409 | 422 = 422) {
  return new HTTPException(status, { res: Response.json({ message, errors: { [field]: message } }, { status }) });
}
