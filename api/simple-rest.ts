import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';

/**
 * The ra-data-simple-rest list dialect: `sort=["field","ASC"]`, `range=[0,24]`,
 * `filter={"q":"..."}` as JSON in the query string, answered with
 * `Content-Range: <resource> 0-24/319`.
 */
const json = <T extends z.ZodType>(schema: T, example: string, description: string) =>
  z
    .string()
    .describe(description)
    // The value's own schema, which openApiDocument publishes as the parameter's JSON content.
    .meta({ 'x-json': z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' }) })
    .optional()
    .transform((text, ctx) => {
      if (text === undefined) return undefined;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: `must be JSON, e.g. ${example}` });
        return z.NEVER;
      }
    })
    .pipe(schema.optional());

/**
 * react-admin's getMany asks for `filter={"id":[…]}`; every resource filter accepts it. At most
 * 100, a page's worth: a longer list makes a URL the HTTP server refuses (431) before any route.
 */
export const idsFilter = z
  .array(z.uuid({ message: 'must be a list of ids' }))
  .max(100, 'must be a list of at most 100 ids')
  .optional();

export function listQuery<S extends string, F extends z.ZodType>(sortable: readonly [S, ...S[]], filter: F) {
  return z.object({
    sort: json(
      z.tuple([z.enum(sortable, { message: `Sort by one of: ${sortable.join(', ')}` }), z.enum(['ASC', 'DESC'], { message: 'Sort ASC or DESC' })]),
      `["${sortable[0]}","DESC"]`,
      `JSON [field, "ASC"|"DESC"]; fields: ${sortable.join(', ')}`,
    ),
    range: json(
      z.tuple([z.int().min(0).max(MAX_ROW), z.int().min(0).max(MAX_ROW)]),
      '[0,24]',
      `JSON [first, last], zero-based and inclusive; default [0,24]. At most ${MAX_PAGE} rows: a longer range answers its first ${MAX_PAGE}, and one that ends before it starts answers none`,
    ),
    filter: json(filter, '{}', `JSON object; fields: ${Object.keys((filter as unknown as { shape?: object }).shape ?? {}).join(', ') || 'see the resource'}`),
  });
}

/** The longest page; a client asking for more gets this many, as Content-Range then says. */
const MAX_PAGE = 1000;
/** Row numbers a database offset can take (PostgreSQL's OFFSET is a bigint, JavaScript's safe integers are less). */
const MAX_ROW = 2 ** 31 - 1;

export function pageOf(range: [number, number] | undefined) {
  const [first, last] = range ?? [0, 24];
  return { skip: first, take: Math.min(Math.max(last - first + 1, 0), MAX_PAGE) };
}

export function setContentRange(c: Context, resource: string, skip: number, count: number, total: number) {
  const last = count === 0 ? skip : skip + count - 1;
  c.header('Content-Range', `${resource} ${skip}-${last}/${total}`);
}

export function notFound(what: string): never {
  throw new HTTPException(404, { message: `${what} not found.` });
}

/** `orderBy` for a validated `sort`, or the resource's default order. */
export function orderOf<S extends string>(sort: [S, 'ASC' | 'DESC'] | undefined, fallback: [S, 'ASC' | 'DESC']) {
  const [field, direction] = sort ?? fallback;
  return { [field]: direction.toLowerCase() as 'asc' | 'desc' } as Record<S, 'asc' | 'desc'>;
}

/**
 * Runs a page query and its count, sets Content-Range and answers the rows: the shape every
 * simple-rest list shares.
 */
export async function listResponse<T>(
  c: Context,
  resource: string,
  range: [number, number] | undefined,
  query: (page: { skip: number; take: number }) => Promise<[rows: T[], total: number]>,
) {
  const page = pageOf(range);
  const [rows, total] = await query(page);
  setContentRange(c, resource, page.skip, rows.length, total);
  return c.json(rows as never);
}
