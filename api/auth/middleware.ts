import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
import { SESSION_COOKIE, type SessionStore, type SessionUser } from './sessions.ts';

export type AuthEnv = { Variables: { user: SessionUser; requestId: string } };

export type BearerLookup = (token: string) => Promise<SessionUser | undefined>;

/** The bearer token of an `Authorization: Bearer …` header, if any. */
export function bearerToken(header: string | undefined) {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/**
 * Answers 401 unless the request carries a live session cookie or a valid API token; sets
 * `c.var.user`.
 */
export function requireUser(sessions: SessionStore, bearer?: BearerLookup) {
  return createMiddleware<AuthEnv>(async (c, next) => {
    const token = bearerToken(c.req.header('authorization'));
    let user: SessionUser | undefined;
    if (token) {
      // A session-only route (impersonation, for one) says so rather than call a good token bad.
      if (!bearer) throw new HTTPException(401, { message: 'API tokens cannot be used here: log in with a user account.' });
      user = await bearer(token);
      if (!user) throw new HTTPException(401, { message: 'This API token is not valid: it may have been revoked or have expired.' });
    } else {
      const cookie = getCookie(c, SESSION_COOKIE);
      user = cookie ? await sessions.find(cookie) : undefined;
    }
    if (!user) throw new HTTPException(401, { message: 'Please log in.' });
    c.set('user', user);
    await next();
  });
}

/** Answers 403 unless the logged-in user has one of `roles`. Roles are checked on the server. */
export function requireRole(...roles: SessionUser['role'][]) {
  return createMiddleware<AuthEnv>(async (c, next) => {
    if (!roles.includes(c.var.user.role)) throw new HTTPException(403, { message: 'Your role does not allow this.' });
    await next();
  });
}

export const DESK_ROLES = ['DESK_AGENT', 'DESK_ADMIN'] as const;
export const PARTNER_ROLES = ['PARTNER_USER', 'PARTNER_ADMIN'] as const;
/** Every role a user can have. */
export const ROLES = [...PARTNER_ROLES, ...DESK_ROLES] as const;
