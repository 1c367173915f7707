import { describeRoute, resolver } from 'hono-openapi';
import type { OpenAPIV3_1 } from 'openapi-types';
import { z } from 'zod';

/** Every refusal: a sentence for a person, and a message per field when fields are at fault. */
export const errorBody = z.object({
  message: z.string(),
  errors: z.record(z.string(), z.string()).optional().describe('A message per field'),
});

/** What a status means when a route does not say more; /api/openapi.json and docs/api.md show it. */
export const STATUS_WORDS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No content',
  400: 'The body is not valid JSON',
  401: 'Not logged in, or the API token is not valid',
  403: 'The role does not allow this, or a cookie request from another site',
  404: 'Not found, or belongs to another company',
  405: 'The path has no such method',
  409: 'Conflicts with the current state',
  410: 'The link has been used or has expired',
  413: 'The body is too large',
  422: 'Invalid input: `errors` names each field',
  423: 'The account is locked',
  429: 'Too many attempts: wait the `Retry-After` seconds',
  502: 'The mail server did not take the message',
  503: 'A service is not available',
};

type Answer = {
  description?: string;
  /** A JSON answer's shape. */
  json?: z.ZodType;
  /** Any other media type, e.g. a file download. */
  content?: Record<string, OpenAPIV3_1.MediaTypeObject>;
  headers?: Record<string, OpenAPIV3_1.HeaderObject>;
};

export interface RouteDoc {
  /** What the route does, in one line. */
  summary: string;
  /** Who may call it, in the words of docs/api.md ("anyone", "logged in", "partner", "desk", "desk admin"…). */
  who: string;
  description?: string;
  /**
   * Every status the handler itself answers, and when. A string is a refusal with the error
   * body. 401, 403, 404, 405, 413 and 422 that the shared middleware and validators answer are
   * added by openApiDocument, so a route lists only its own.
   */
  answers: Record<number, string | Answer>;
  requestBody?: OpenAPIV3_1.RequestBodyObject;
  /** Parameters no validator describes, such as a header the handler reads. */
  parameters?: OpenAPIV3_1.ParameterObject[];
}

const errorAnswer = (description: string): Answer => ({ description, json: errorBody });

/**
 * The OpenAPI description of one route, kept on the route itself (hono-openapi's
 * describeRoute): its words, who may call it (`x-who`, read by docs/api.md's generator) and
 * each status with the shape of its answer.
 */
export function documented(doc: RouteDoc) {
  const responses: Record<string, OpenAPIV3_1.ResponseObject> = {};
  for (const [status, given] of Object.entries(doc.answers)) {
    const answer = typeof given === 'string' ? errorAnswer(given) : given;
    responses[status] = {
      description: answer.description ?? STATUS_WORDS[Number(status)] ?? 'Answer',
      ...(answer.headers ? { headers: answer.headers } : {}),
      ...(answer.json ? { content: { 'application/json': { schema: resolver(answer.json) as never } } } : answer.content ? { content: answer.content } : {}),
    };
  }
  const anonymous = doc.who === 'anyone';
  return describeRoute({
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    ...(anonymous ? { security: [] } : {}),
    ...(doc.requestBody ? { requestBody: doc.requestBody } : {}),
    ...(doc.parameters ? { parameters: doc.parameters } : {}),
    responses,
    'x-who': doc.who,
  } as Parameters<typeof describeRoute>[0]);
}

/** The `Content-Range` header of a simple-rest list. */
export const contentRange: Record<string, OpenAPIV3_1.HeaderObject> = {
  'Content-Range': { description: 'The page and the total, e.g. `requests 0-24/319`', schema: { type: 'string' } },
};

/** A list answer: the rows, with Content-Range. */
export const listOf = (row: z.ZodType, description: string): Answer => ({ description, json: z.array(row), headers: contentRange });

/** A file download. */
export const download = (mediaType: string, description: string): Answer => ({
  description,
  content: { [mediaType]: { schema: { type: 'string', format: 'binary' } } },
  headers: { 'Content-Disposition': { description: '`attachment; filename="…"`', schema: { type: 'string' } } },
});

export { errorAnswer };
