import { createMiddleware } from 'hono/factory';
import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs (pino). Request lines carry method, path, status, duration, request id
 * and user id — never headers, bodies or query strings, which is where cookies, passwords and
 * tokens travel. The redaction paths are a second line of defence for objects logged on error.
 */
export const REDACT_PATHS = [
  'password',
  '*.password',
  'token',
  '*.token',
  'cookie',
  '*.cookie',
  'authorization',
  '*.authorization',
  'privateKeyEnc',
  '*.privateKeyEnc',
  'passwordHash',
  '*.passwordHash',
];

export function createLogger(sink?: (line: string) => void, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  const options = { level, base: { service: 'license-desk-api' }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
  return sink ? pino(options, { write: (line: string) => sink(line.trimEnd()) }) : pino(options);
}

export function requestLogger(logger: Logger) {
  return createMiddleware(async (c, next) => {
    const started = performance.now();
    await next();
    const user = c.get('user' as never) as { id?: string; impersonator?: { id: string } } | undefined;
    logger.info(
      {
        reqId: c.get('requestId' as never),
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
        userId: user?.id,
        impersonatorId: user?.impersonator?.id,
      },
      'request',
    );
  });
}
