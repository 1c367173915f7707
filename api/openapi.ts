import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { generateSpecs } from 'hono-openapi';
import type { OpenAPIV3_1 } from 'openapi-types';
import { z } from 'zod';
import { errorBody, STATUS_WORDS } from './route-docs.ts';
import { APP_VERSION } from './version.ts';

const SAFE_METHODS = new Set(['get', 'head', 'options']);
const errorResponse = (description: string): OpenAPIV3_1.ResponseObject => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

/**
 * A JSON body whose fields are all optional may be left out (the route reads it as `{}`): say
 * so, rather than promise a refusal the route does not make.
 */
function optionalEmptyBody(operation: OpenAPIV3_1.OperationObject) {
  const body = operation.requestBody as OpenAPIV3_1.RequestBodyObject | undefined;
  const schema = body?.content?.['application/json']?.schema as OpenAPIV3_1.SchemaObject | undefined;
  if (body && schema?.type === 'object' && !schema.required?.length) body.required = false;
}

/**
 * A query parameter that carries JSON (simple-rest's `sort`, `range`, `filter`) is published
 * as OpenAPI's `content: application/json` with the schema of its value, which the helper in
 * simple-rest.ts records as `x-json`: a client, or a fuzzer, then sends JSON the route accepts.
 */
function jsonContentParameters(operation: OpenAPIV3_1.OperationObject) {
  operation.parameters = operation.parameters?.map((param) => {
    if (!('schema' in param) || !param.schema || !('x-json' in param.schema)) return param;
    const { schema, ...rest } = param;
    const { $schema: _dialect, ...value } = (schema as Record<string, unknown>)['x-json'] as Record<string, unknown>;
    return { ...rest, content: { 'application/json': { schema: value } } } as OpenAPIV3_1.ParameterObject;
  });
}

/** The OpenAPI 3.1 document of the API, generated once from the routes. */
export async function openApiDocument(app: Parameters<typeof generateSpecs>[0]): Promise<OpenAPIV3_1.Document> {
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
          'Partners submit license requests; the desk decides; workflows issue signed license files. Lists follow the ra-data-simple-rest dialect: `sort=["field","ASC"]`, `range=[0,24]`, `filter={...}` (JSON in the query string), answered with `Content-Range: <resource> 0-24/319`. Errors are `{ message, errors }`. No text field takes a NUL character or half of a UTF-16 surrogate pair (422 on the field). Every response carries `X-Request-Id`.',
      },
      components: {
        securitySchemes: {
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: 'ld_session',
            description: 'Set by POST /api/auth/login. Unsafe methods need an Origin header equal to the PUBLIC_URL.',
          },
          apiToken: { type: 'http', scheme: 'bearer', description: 'A partner API token (ldt_…), created by a partner admin.' },
        },
        schemas: { Error: z.toJSONSchema(errorBody, { target: 'draft-2020-12' }) as OpenAPIV3_1.SchemaObject },
      },
      security: [{ session: [] }, { apiToken: [] }],
    },
  })) as OpenAPIV3_1.Document;

  for (const [p, item] of Object.entries(spec.paths ?? {})) {
    for (const [method, operation] of Object.entries(item as Record<string, OpenAPIV3_1.OperationObject>)) {
      operation.tags = [p.split('/')[2] ?? 'api'];
      const responses = (operation.responses ??= {});
      const who = (operation as { 'x-who'?: string })['x-who'];
      // What the shared middleware and validators answer, for every route they guard.
      const shared: number[] = [];
      if (operation.parameters?.some((param) => 'in' in param && param.in !== 'header') || operation.requestBody) shared.push(422);
      if (operation.requestBody) shared.push(413);
      if (operation.requestBody && 'content' in operation.requestBody && operation.requestBody.content['application/json']) shared.push(400);
      if (who !== 'anyone') shared.push(401);
      if ((who !== 'anyone' && who !== 'logged in') || !SAFE_METHODS.has(method)) shared.push(403);
      if (p.includes('{')) shared.push(404);
      for (const status of shared) responses[String(status)] ??= errorResponse(STATUS_WORDS[status]!);
      jsonContentParameters(operation);
      optionalEmptyBody(operation);
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
