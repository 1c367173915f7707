import { existsSync } from 'node:fs';
import path from 'node:path';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import type { Outbox } from '../services/mail/outbox.ts';
import type { KeyStore } from '../services/signing/key-store.ts';
import type { AccountMailer } from './auth/account-mail.ts';
import { findApiTokenUser } from './auth/api-tokens.ts';
import { requireUser } from './auth/middleware.ts';
import type { SessionStore } from './auth/sessions.ts';
import { CROSS_SITE_MESSAGE, sameOriginForCookies } from './auth/same-origin.ts';
import { createLogger, requestLogger, type Logger } from './logging.ts';
import { methodNotAllowed } from './method-not-allowed.ts';
import { DOCS_PAGE, docsAsset, openApiDocument } from './openapi.ts';
import { apiTokenRoutes } from './routes/api-tokens.ts';
import { authRoutes } from './routes/auth.ts';
import { companyRoutes } from './routes/companies.ts';
import { licenseRoutes } from './routes/licenses.ts';
import { outboxRoutes } from './routes/outbox.ts';
import { productRoutes } from './routes/products.ts';
import { publicRoutes } from './routes/public.ts';
import { reportRoutes } from './routes/reports.ts';
import { signingKeyRoutes } from './routes/signing-keys.ts';
import { stockLedgerRoutes, stockRoutes } from './routes/stocks.ts';
import { userRoutes } from './routes/users.ts';
import { requestRoutes, type RequestRouteDeps } from './routes/requests.ts';
import { healthRoutes, type HealthDeps } from './routes/health.ts';
import { serveUi } from './ui-static.ts';
import { webhookDeliveryRoutes, webhookEndpointRoutes } from './routes/webhooks.ts';
import type { Resolve } from '../services/webhooks/destination.ts';

const MAX_JSON_BYTES = 256 * 1024;
const UPLOAD_PATH = /^\/api\/requests\/[^/]+\/(external-file|confirm-return)$/;

export type AppDeps = HealthDeps & {
  sessions: SessionStore;
  /** The address people use (PUBLIC_URL): the only origin allowed to post forms with cookies. */
  publicUrl: string;
  /** Where the JSON log lines go (pino); stdout when absent. */
  log?: (line: string) => void;
  logger?: Logger;
  /** Invitation and password-reset mails, and the outbox's resend. */
  mail?: { mailer: AccountMailer; outbox: Outbox };
  /** The signing keys, for the public key listing and license verification. */
  keyStore?: KeyStore;
  /** Temporal client, task queue and desk policy for the request routes. */
  requests?: Omit<RequestRouteDeps, 'prisma'>;
  /** Webhooks: the secret that encrypts endpoint secrets (SIGNING_KEY_SECRET), WEBHOOK_ALLOW_HTTP and WEBHOOK_ALLOW_PRIVATE; no webhook routes when absent. */
  webhooks?: { masterSecret: string; allowHttp: boolean; allowPrivate?: boolean; resolve?: Resolve };
  /** The built admin UI (admin-ui/dist); served with a fallback to index.html for its routes. */
  uiDir?: string;
  /** CORS_ORIGINS: other origins whose pages may call the API with a bearer token; none when absent. */
  corsOrigins?: readonly string[] | '*';
};

/** Headers a cross-origin client may send and read (Content-Range is how react-admin pages). */
const CORS_ALLOW_HEADERS = ['Authorization', 'Content-Type', 'Idempotency-Key'];
const CORS_EXPOSE_HEADERS = ['Content-Range', 'Content-Disposition', 'Retry-After', 'X-Request-Id'];

/**
 * Builds the HTTP API. Every error leaves through `onError` as `{ message, errors? }`; an
 * unexpected one is logged with its request id and answered without internals.
 */
export function createApp(deps: AppDeps) {
  const logger = deps.logger ?? createLogger(deps.log);
  const app = new Hono();
  app.use('*', requestId());
  app.use('*', requestLogger(logger));
  // Before the origin check and authentication, so that a preflight is answered on its own.
  // Without credentials: a cross-origin page uses a partner API token, and the session cookie
  // (SameSite=Lax) stays with the back office on PUBLIC_URL.
  if (deps.corsOrigins && deps.corsOrigins.length > 0) {
    const allowed = deps.corsOrigins;
    app.use(
      '/api/*',
      cors({
        origin: allowed === '*' ? '*' : [...allowed],
        allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
        allowHeaders: CORS_ALLOW_HEADERS,
        exposeHeaders: CORS_EXPOSE_HEADERS,
        maxAge: 600,
      }),
    );
  }

  app.use('/api/*', methodNotAllowed(app));
  // Browsers send cross-site calls with cookies; refuse unsafe ones from other origins.
  app.use('/api/*', sameOriginForCookies(deps.publicUrl));
  const bearer = (token: string) => findApiTokenUser(deps.prisma, token);
  // JSON bodies are forms: 256 KB is generous. File routes set their own, larger limit.
  const jsonLimit = bodyLimit({
    maxSize: MAX_JSON_BYTES,
    onError: (c) => c.json({ message: 'The request body is too large (at most 256 KB).', errors: { _: 'Body too large' } }, 413),
  });
  // eslint-disable-next-line @typescript-eslint/no-unsafe-argument -- the any is Hono's own (the Context's input type); the middleware takes any route's
  app.use('/api/*', (c, next) => (UPLOAD_PATH.test(c.req.path) ? next() : jsonLimit(c, next)));
  app.route('/api/health', healthRoutes({ ...deps, taskQueue: deps.requests?.taskQueue }));
  app.route(
    '/api/auth',
    authRoutes({
      prisma: deps.prisma,
      sessions: deps.sessions,
      secureCookies: deps.publicUrl.startsWith('https://'),
      // The socket's address; behind a proxy every client shares the proxy's address and limit.
      clientIp: (c) => (c as unknown as { env?: { incoming?: { socket?: { remoteAddress?: string } } } }).env?.incoming?.socket?.remoteAddress ?? 'local',
      mailer: deps.mail?.mailer,
      bearer,
      log: (line) => logger.warn(line),
    }),
  );
  const PROTECTED = [
    'licenses',
    'requests',
    'products',
    'reports',
    'companies',
    'users',
    'stocks',
    'stock-ledger',
    'outbox',
    'signing-keys',
    'api-tokens',
    'webhook-endpoints',
    'webhook-deliveries',
  ];
  for (const resource of PROTECTED) for (const path of [`/api/${resource}`, `/api/${resource}/*`]) app.use(path, requireUser(deps.sessions, bearer));
  app.route('/api/licenses', licenseRoutes({ prisma: deps.prisma }));
  app.route('/api/products', productRoutes({ prisma: deps.prisma }));
  app.route('/api/reports', reportRoutes({ prisma: deps.prisma }));
  app.route('/api/companies', companyRoutes({ prisma: deps.prisma }));
  app.route('/api/users', userRoutes({ prisma: deps.prisma, sessions: deps.sessions, mailer: deps.mail?.mailer }));
  app.route('/api/stocks', stockRoutes({ prisma: deps.prisma }));
  app.route('/api/stock-ledger', stockLedgerRoutes({ prisma: deps.prisma }));
  app.route('/api/outbox', outboxRoutes({ prisma: deps.prisma, outbox: deps.mail?.outbox }));
  app.route('/api/api-tokens', apiTokenRoutes({ prisma: deps.prisma }));
  if (deps.webhooks) {
    app.route('/api/webhook-endpoints', webhookEndpointRoutes({ prisma: deps.prisma, ...deps.webhooks }));
    app.route('/api/webhook-deliveries', webhookDeliveryRoutes({ prisma: deps.prisma }));
  }
  if (deps.keyStore) {
    app.route('/api', publicRoutes({ keyStore: deps.keyStore }));
    app.route('/api/signing-keys', signingKeyRoutes({ prisma: deps.prisma, keyStore: deps.keyStore }));
  }
  if (deps.requests) app.route('/api/requests', requestRoutes({ prisma: deps.prisma, ...deps.requests }));

  // Generated on first use, after every route above is registered.
  let openApi: ReturnType<typeof openApiDocument> | undefined;
  app.get('/api/openapi.json', async (c) => c.json(await (openApi ??= openApiDocument(app))));
  app.get('/api/docs', (c) => c.html(DOCS_PAGE));
  app.get('/api/docs/:asset', async (c) => {
    const asset = await docsAsset(c.req.param('asset'));
    return asset ? c.body(asset.body, 200, { 'content-type': asset.type, 'cache-control': 'public, max-age=3600' }) : c.json({ message: 'No such file.' }, 404);
  });

  const uiDir = deps.uiDir;
  // Compressed, cached assets and the app shell for client-side routes (api/ui-static.ts).
  if (uiDir && existsSync(path.join(uiDir, 'index.html'))) serveUi(app, uiDir);

  app.notFound((c) => c.json({ message: `No such endpoint: ${c.req.method} ${c.req.path}` }, 404));
  app.onError(async (error, c) => {
    if (error instanceof HTTPException) {
      // A prepared `{ message, errors }` response (fieldError) goes out as it is.
      const prepared = (await error.res
        ?.clone()
        .json()
        .catch(() => undefined)) as { message?: string } | undefined;
      if (prepared?.message) return c.json(prepared, error.status);
      const text = error.message || (await error.res?.text()) || 'Request failed';
      return c.json({ message: text === 'Forbidden' && error.status === 403 ? CROSS_SITE_MESSAGE : text }, error.status);
    }
    logger.error({ reqId: c.get('requestId'), method: c.req.method, path: c.req.path, err: error }, 'request failed');
    return c.json(
      { message: 'Something went wrong on our side. Please try again; if it persists, quote this id to the desk.', requestId: c.get('requestId') },
      500,
    );
  });
  return app;
}
