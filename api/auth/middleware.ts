import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
import { SESSION_COOKIE, type SessionStore, type SessionUser } from './sessions.ts';

export type AuthEnv = { Variables: { user: SessionUser; requestId: string } };

/** Answers 401 unless the request carries a live session cookie; sets `c.var.user`. */
export function requireUser(sessions: SessionStore) {
  return createMiddleware<AuthEnv>(async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE);
    const user = token ? await sessions.find(token) : undefined;
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
