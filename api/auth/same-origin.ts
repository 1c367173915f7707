import { getCookie } from 'hono/cookie';
import { csrf } from 'hono/csrf';
import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
import { bearerToken } from './middleware.ts';
import { SESSION_COOKIE } from './sessions.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const CROSS_SITE_MESSAGE = 'This request came from another site and was refused.';

/**
 * Whether an unsafe call that carries the session cookie was made by a page of the desk itself:
 * its `Origin` is PUBLIC_URL's origin (or, without an Origin, the browser says `Sec-Fetch-Site:
 * same-origin`), and the browser does not say `cross-site`. This is OWASP's origin check, for
 * every body type: JSON included, which Hono's `csrf` lets through on the strength of the CORS
 * preflight alone.
 */
export function isSameOriginCall(headers: { origin?: string; secFetchSite?: string }, publicOrigin: string) {
  if (headers.secFetchSite === 'cross-site') return false;
  if (headers.origin !== undefined) return headers.origin === publicOrigin;
  return headers.secFetchSite === 'same-origin';
}

/**
 * CSRF protection for /api/*:
 * - a call with a bearer token is never checked (a browser never adds that header by itself);
 * - an unsafe call with the session cookie must pass isSameOriginCall, whatever its body type;
 * - any other unsafe call (no cookie: a login form, say) gets Hono's `csrf` check of form bodies.
 */
export function sameOriginForCookies(publicUrl: string) {
  const publicOrigin = new URL(publicUrl).origin;
  const formCheck = csrf({ origin: (origin) => origin === publicOrigin });
  return createMiddleware(async (c, next) => {
    if (SAFE_METHODS.has(c.req.method) || bearerToken(c.req.header('authorization'))) return next();
    if (getCookie(c, SESSION_COOKIE) === undefined) return formCheck(c, next);
    if (!isSameOriginCall({ origin: c.req.header('origin'), secFetchSite: c.req.header('sec-fetch-site') }, publicOrigin)) {
      throw new HTTPException(403, { message: CROSS_SITE_MESSAGE });
    }
    return next();
  });
}
