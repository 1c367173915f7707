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
  // PostgreSQL text cannot hold NUL, nor jsonb half of a UTF-16 surrogate pair (a JSON body may
  // spell one as "\ud800"), and no form field needs either: refuse them by name up front.
  const outer: typeof inner = async (c, next) => {
    const value: unknown =
      target === 'json' ? await c.req.json().catch(() => undefined) : target === 'query' ? c.req.query() : target === 'param' ? c.req.param() : undefined;
    const found = unstorableText(value);
    if (found) return c.json({ message: found.problem.message, errors: { [found.at || '_']: found.problem.field } }, 422);
    return inner(c, next);
  };
  // hono-openapi finds the schema on the middleware's own (symbol) properties.
  return Object.assign(outer, inner);
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const UNSTORABLE = [
  { test: (s: string) => s.includes('\u0000'), message: 'Text cannot contain NUL characters.', field: 'Remove the NUL character' },
  {
    test: (s: string) => LONE_SURROGATE.test(s),
    message: 'Text must be valid Unicode: it holds half of a character (a lone UTF-16 surrogate).',
    field: 'Remove the broken character',
  },
];

/**
 * The path of the first string PostgreSQL cannot store, and why, if any. Walks with its own
 * stack, not by recursion: a body nested a few thousand levels deep overflowed the call stack.
 */
function unstorableText(value: unknown): { at: string; problem: (typeof UNSTORABLE)[number] } | undefined {
  type Node = { value: unknown; key?: string; parent?: Node };
  const pending: Node[] = [{ value }];
  while (pending.length) {
    const node = pending.pop()!;
    if (typeof node.value === 'string') {
      const text = node.value;
      const problem = UNSTORABLE.find((p) => p.test(text));
      if (!problem) continue;
      const keys: string[] = [];
      for (let n: Node | undefined = node; n?.key !== undefined; n = n.parent) keys.push(n.key);
      return { at: keys.reverse().join('.'), problem };
    }
    if (node.value && typeof node.value === 'object') {
      const entries = Object.entries(node.value);
      for (let i = entries.length - 1; i >= 0; i--) pending.push({ value: entries[i]![1], key: entries[i]![0], parent: node });
    }
  }
  return undefined;
}

/** A 4xx with a field message, in the `{ message, errors }` shape react-admin shows. */
export function fieldError(field: string, message: string, status: 409 | 422 = 422) {
  return new HTTPException(status, { res: Response.json({ message, errors: { [field]: message } }, { status }) });
}
