import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import type { PrismaClient } from '../../prisma/client.ts';
import { requireUser, type AuthEnv } from '../auth/middleware.ts';
import { verifyPassword } from '../auth/password.ts';
import { createRateLimiter } from '../auth/rate-limit.ts';
import { SESSION_COOKIE, SESSION_TTL_MS, type SessionStore } from '../auth/sessions.ts';
import { validate } from '../validation.ts';

const loginBody = z.strictObject({
  email: z.string().trim().toLowerCase().email('Give your e-mail address, e.g. name@example.com').max(254),
  password: z.string().min(1, 'Give your password').max(200),
});

export const LOCKOUT_AFTER_FAILURES = 10;
export const LOCKOUT_MS = 15 * 60 * 1000;

/**
 * POST /login, POST /logout, GET /me. Logins are limited to 5 a minute per IP address, and an
 * account locks for 15 minutes after 10 wrong passwords in a row. A wrong e-mail and a wrong
 * password get the same answer, so the form does not reveal who has an account.
 */
export function authRoutes(deps: { prisma: PrismaClient; sessions: SessionStore; secureCookies: boolean; clientIp: (c: { req: { header(name: string): string | undefined } }) => string }) {
  const loginLimiter = createRateLimiter({ limit: 5, windowMs: 60_000 });
  const refused = { message: 'The e-mail address or password is not right.' };

  return new Hono<AuthEnv>()
    .post('/login', validate('json', loginBody), async (c) => {
      const ip = deps.clientIp(c);
      const limit = loginLimiter.hit(`login:${ip}`);
      if (!limit.allowed) {
        c.header('Retry-After', String(limit.retryAfterSeconds));
        return c.json({ message: `Too many login attempts. Try again in ${limit.retryAfterSeconds} seconds.` }, 429);
      }
      const { email, password } = c.req.valid('json');
      const user = await deps.prisma.user.findUnique({ where: { email } });
      if (!user || !user.active) return c.json(refused, 401);
      if (user.lockedUntil && user.lockedUntil > new Date()) {
        return c.json({ message: 'This account is locked after too many wrong passwords. Try again in 15 minutes or reset your password.' }, 423);
      }
      if (!(await verifyPassword(password, user.passwordHash))) {
        const failures = user.failedLogins + 1;
        await deps.prisma.user.update({
          where: { id: user.id },
          data: failures >= LOCKOUT_AFTER_FAILURES ? { failedLogins: 0, lockedUntil: new Date(Date.now() + LOCKOUT_MS) } : { failedLogins: failures },
        });
        return c.json(refused, 401);
      }
      await deps.prisma.user.update({ where: { id: user.id }, data: { failedLogins: 0, lockedUntil: null, lastLoginAt: new Date() } });
      // A new token at every login: a token planted before login is worthless afterwards.
      const previous = getCookie(c, SESSION_COOKIE);
      if (previous) await deps.sessions.destroy(previous);
      const token = await deps.sessions.create(user.id, { userAgent: c.req.header('user-agent'), ip });
      setCookie(c, SESSION_COOKIE, token, { httpOnly: true, sameSite: 'Lax', secure: deps.secureCookies, path: '/', maxAge: SESSION_TTL_MS / 1000 });
      return c.json({ id: user.id, email: user.email, name: user.name, role: user.role, companyId: user.companyId });
    })
    .post('/logout', async (c) => {
      const token = getCookie(c, SESSION_COOKIE);
      if (token) await deps.sessions.destroy(token);
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.body(null, 204);
    })
    .get('/me', requireUser(deps.sessions), (c) => c.json(c.var.user));
}
