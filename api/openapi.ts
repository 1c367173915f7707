import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Hono } from 'hono';
import { generateSpecs } from 'hono-openapi';
import type { OpenAPIV3_1 } from 'openapi-types';
import { APP_VERSION } from './version.ts';

/**
 * What each operation does, in one line. Parameters and bodies come from the zod schemas the
 * routes validate with (hono-openapi reads them off the validators); this map adds the words.
 */
const SUMMARIES: Record<string, string> = {
  'GET /api/health': 'State of PostgreSQL, Temporal, SMTP and the workers (503 unavailable when a service is down, 503 degraded when no worker polls)',
  'POST /api/auth/login': 'Log in; sets the session cookie (5 attempts a minute per IP, lockout after 10 failures)',
  'POST /api/auth/logout': 'Log out; ends the session',
  'GET /api/auth/me': 'The logged-in user (or API token), with the impersonator if any',
  'POST /api/auth/password-reset': 'Mail a single-use reset link (always 202; 5 an hour)',
  'POST /api/auth/password-reset/confirm': 'Set a new password with a reset link',
  'POST /api/auth/invitations/accept': 'Set the first password with an invitation link',
  'POST /api/auth/impersonate': 'Desk: act as a partner user (both are recorded on every action)',
  'POST /api/auth/impersonate/stop': 'Desk: stop impersonating',
  'GET /api/requests': 'List requests (queues): filter by type, status, company, age and assignee',
  'POST /api/requests': 'Partner: submit a request of one of the seven types',
  'GET /api/requests/{id}': 'A request with its timeline, attachments and comments',
  'POST /api/requests/{id}/approve': 'Desk: approve (409 when the request is not awaiting a decision)',
  'POST /api/requests/{id}/reject': 'Desk: reject with a reason',
  'POST /api/requests/{id}/request-information': 'Desk: ask the partner a question',
  'POST /api/requests/{id}/reply': "Partner: answer the desk's question",
  'POST /api/requests/{id}/cancel': 'Cancel before fulfilment; reservations are released',
  'POST /api/requests/{id}/confirm-return': 'Partner: confirm a return, optionally with the request file (multipart "file")',
  'POST /api/requests/{id}/consent': "Current owner's admin: consent to or refuse an ownership change",
  'POST /api/requests/{id}/assign': 'Desk: assign to a desk user (null unassigns)',
  'POST /api/requests/{id}/external-file': 'Desk: upload the license file of an external product (multipart "file")',
  'POST /api/requests/{id}/rma-received': 'Desk: the replaced hardware came back',
  'POST /api/requests/{id}/comments': 'Comment on a request (desk may write internal notes)',
  'GET /api/requests/{id}/attachments/{attachmentId}': 'Download an attachment',
  'GET /api/licenses': 'List licenses: search by serial, MAC or end user',
  'GET /api/licenses/{id}': 'A license with its revisions and history',
  'GET /api/licenses/{id}/download': 'Download license-SERIAL.lic (recorded as "License downloaded")',
  'GET /api/products': 'The product catalogue',
  'GET /api/products/{id}': 'A product',
  'POST /api/products': 'Desk admin: create a product',
  'PUT /api/products/{id}': 'Desk admin: change a product',
  'DELETE /api/products/{id}': 'Desk admin: retire a product',
  'GET /api/companies': 'Companies (partners see their own and, for distributors, their dealers)',
  'GET /api/companies/{id}': 'A company',
  'POST /api/companies': 'Desk admin: create a company',
  'PUT /api/companies/{id}': 'Desk admin: change a company',
  'DELETE /api/companies/{id}': 'Desk admin: delete an unused company',
  'GET /api/users': 'Users (partner admins: the own company)',
  'GET /api/users/{id}': 'A user',
  'POST /api/users': 'Create a user and mail the invitation',
  'POST /api/users/{id}/invite': 'Mail the invitation again',
  'PUT /api/users/{id}': "Change a user's name, role or active flag",
  'DELETE /api/users/{id}': 'Deactivate a user (sessions and tokens end)',
  'GET /api/stocks': 'Stocks as available / total per company and product',
  'GET /api/stocks/{id}': 'One stock',
  'POST /api/stocks/adjust': 'Desk admin: add or take out channels, with a reason (Idempotency-Key header honoured)',
  'GET /api/stock-ledger': 'The stock ledger entries',
  'GET /api/outbox': 'Desk: the e-mail outbox',
  'GET /api/outbox/{id}': 'Desk: one e-mail with its body',
  'POST /api/outbox/{id}/resend': 'Desk: send one more copy',
  'GET /api/signing-keys': 'Desk: the signing keys (public halves)',
  'POST /api/signing-keys/rotate': 'Desk admin: rotate the signing key',
  'GET /api/api-tokens': "Partner admin: the company's API tokens",
  'GET /api/api-tokens/{id}': 'Partner admin: one API token',
  'POST /api/api-tokens': 'Partner admin: create a token (the secret is shown once)',
  'DELETE /api/api-tokens/{id}': 'Partner admin: revoke a token',
  'GET /api/reports/licenses': 'License report (Mirasys columns) as JSON pages',
  'GET /api/reports/licenses.xlsx': 'License report as a streamed Excel file',
  'GET /api/reports/licenses.csv': 'License report as CSV',
  'GET /api/reports/queue': 'Desk: open requests by type and age, and time to decision',
  'GET /api/public-keys': 'Public: the keys that verify license files',
  'POST /api/verify': 'Public: verify a .lic file (raw body) and read what it grants',
};

const PUBLIC = new Set(['GET /api/health', 'POST /api/auth/login', 'POST /api/auth/logout', 'POST /api/auth/password-reset', 'POST /api/auth/password-reset/confirm', 'POST /api/auth/invitations/accept', 'GET /api/public-keys', 'POST /api/verify']);

const errorBody: OpenAPIV3_1.SchemaObject = {
  type: 'object',
  required: ['message'],
  properties: { message: { type: 'string' }, errors: { type: 'object', additionalProperties: { type: 'string' }, description: 'A message per field' } },
};
const errorResponse = (description: string): OpenAPIV3_1.ResponseObject => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

/** Hono's `:id` paths in OpenAPI's `{id}` form. */
const openApiPath = (honoPath: string) => honoPath.replace(/:(\w+)/g, '{$1}');

/** The OpenAPI 3.1 document of the API, generated once from the routes. */
export async function openApiDocument(app: Hono<any, any, any>): Promise<OpenAPIV3_1.Document> {
  const spec = (await generateSpecs(app, {
    excludeStaticFile: false,
    defaultValidationErrorResponse: false,
    exclude: ['/api/openapi.json', '/api/docs', '/api/docs/*'],
    documentation: {
      openapi: '3.1.0',
      info: {
        title: 'License Desk API',
        version: APP_VERSION,
        description:
          'Partners submit license requests; the desk decides; workflows issue signed license files. Lists follow the ra-data-simple-rest dialect: `sort=["field","ASC"]`, `range=[0,24]`, `filter={...}` (JSON in the query string), answered with `Content-Range: <resource> 0-24/319`. Errors are `{ message, errors }`. Every response carries `X-Request-Id`.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'ld_session', description: 'Set by POST /api/auth/login. Unsafe methods need an Origin header equal to the PUBLIC_URL.' },
          apiToken: { type: 'http', scheme: 'bearer', description: 'A partner API token (ldt_…), created by a partner admin.' },
        },
        schemas: { Error: errorBody },
      },
      security: [{ session: [] }, { apiToken: [] }],
    },
  })) as OpenAPIV3_1.Document;

  // Routes without a validator are not in the generated paths: add them from the router.
  for (const route of app.routes as Array<{ method: string; path: string }>) {
    const method = route.method.toLowerCase();
    const p = openApiPath(route.path);
    if (!SUMMARIES[`${route.method} ${p}`] || route.method === 'ALL') continue;
    const item = (spec.paths![p] ??= {}) as Record<string, OpenAPIV3_1.OperationObject>;
    item[method] ??= { responses: {} };
  }

  for (const [p, item] of Object.entries(spec.paths ?? {})) {
    for (const [method, operation] of Object.entries(item as Record<string, OpenAPIV3_1.OperationObject>)) {
      const key = `${method.toUpperCase()} ${p}`;
      operation.summary ??= SUMMARIES[key];
      operation.tags = [p.split('/')[2] ?? 'api'];
      const responses = (operation.responses ??= {});
      if (responses['200'] && Object.keys(responses['200']).length === 0) delete responses['200'];
      responses[method === 'post' && !/\/(approve|reject|request-information|cancel|confirm-return|consent|assign|login|logout|impersonate|stop|verify|confirm|accept)$/.test(p) ? '201' : '200'] ??= { description: 'Success' };
      if (operation.parameters?.length || operation.requestBody) responses['422'] = errorResponse('Invalid input: `errors` names each field');
      if (PUBLIC.has(key)) operation.security = [];
      else {
        responses['401'] = errorResponse('Not logged in, or the token is not valid');
        responses['403'] = errorResponse('The role does not allow this');
      }
      if (p.includes('{')) responses['404'] = errorResponse('Not found, or belongs to another company');
    }
  }
  return spec;
}

const require = createRequire(import.meta.url);
const SWAGGER_DIR = path.dirname(require.resolve('swagger-ui-dist/package.json'));
const SWAGGER_ASSETS: Record<string, string> = { 'swagger-ui.css': 'text/css; charset=utf-8', 'swagger-ui-bundle.js': 'text/javascript; charset=utf-8' };

/** The docs page: Swagger UI served from our own origin (no CDN), reading /api/openapi.json. */
export const DOCS_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>License Desk API</title><link rel="stylesheet" href="/api/docs/swagger-ui.css"></head>
<body><div id="docs"></div><script src="/api/docs/swagger-ui-bundle.js"></script><script src="/api/docs/init.js"></script></body></html>`;
const DOCS_INIT = `window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#docs', deepLinking: true, withCredentials: true });`;

export async function docsAsset(name: string): Promise<{ body: string; type: string } | undefined> {
  if (name === 'init.js') return { body: DOCS_INIT, type: 'text/javascript; charset=utf-8' };
  const type = SWAGGER_ASSETS[name];
  return type ? { body: await readFile(path.join(SWAGGER_DIR, name), 'utf8'), type } : undefined;
}
