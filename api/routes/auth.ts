import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { emailAddress } from '../../domain/email-address.ts';
import { LOCALES, localeOr } from '../../domain/locale.ts';
import type { PrismaClient } from '../../prisma/client.ts';
import { sendAccountMail, setPasswordUrl, type AccountMailer } from '../auth/account-mail.ts';
import { requireRole, requireUser, DESK_ROLES, type AuthEnv, type BearerLookup } from '../auth/middleware.ts';
import { hashPassword, verifyPassword } from '../auth/password.ts';
import { createRateLimiter } from '../auth/rate-limit.ts';
import { SESSION_COOKIE, SESSION_TTL_MS, type SessionStore } from '../auth/sessions.ts';
import { issueUserToken, recentResets, spendUserToken } from '../auth/user-tokens.ts';
import * as shapes from '../answer-shapes.ts';
import { documented, errorBody, STATUS_WORDS } from '../route-docs.ts';
import { validate } from '../validation.ts';

const retryAfter = { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'string' as const } } };

const loginBody = z.strictObject({
  email: emailAddress('Give your e-mail address, e.g. name@example.com'),
  password: z.string().min(1, 'Give your password').max(200),
});

/** The password rule, shared by invitations, resets and the UI's messages. */
export const newPassword = z
  .string({ message: 'Choose a password' })
  .min(12, 'Use at least 12 characters for your password')
  .max(200, 'Use at most 200 characters for your password');
const linkToken = z
  .string({ message: 'The link is missing its token' })
  .min(20, 'This link is not complete; open it again from the e-mail')
  .max(200, 'This link is not valid');
const setPasswordBody = z.strictObject({ token: linkToken, password: newPassword });
const localeBody = z.strictObject({
  locale: z.enum(LOCALES, { message: `Choose one of the languages: ${LOCALES.join(', ')}` }).describe('en (English) or fi (Finnish)'),
});
const localeAnswer = z.looseObject({ locale: z.enum(LOCALES), message: z.string() });

export const RESETS_PER_HOUR = 5;
export const LOCKOUT_AFTER_FAILURES = 10;
export const LOCKOUT_MS = 15 * 60 * 1000;

/**
 * POST /login, POST /logout, GET /me. Logins are limited to 5 a minute per IP address, and an
 * account locks for 15 minutes after 10 wrong passwords in a row. A wrong e-mail and a wrong
 * password get the same answer, so the form does not reveal who has an account.
 */
export function authRoutes(deps: {
  prisma: PrismaClient;
  sessions: SessionStore;
  secureCookies: boolean;
  clientIp: (c: { req: { header(name: string): string | undefined } }) => string;
  /** Sends invitation and reset links; without it, reset requests answer 503. */
  mailer?: AccountMailer;
  /** API tokens may call /me too. */
  bearer?: BearerLookup;
  log?: (line: string) => void;
}) {
  const loginLimiter = createRateLimiter({ limit: 5, windowMs: 60_000 });
  // Per IP as well as per account: one address cannot flood many accounts' mailboxes.
  const resetLimiter = createRateLimiter({ limit: RESETS_PER_HOUR, windowMs: 60 * 60_000 });
  const refused = { message: 'The e-mail address or password is not right.' };
  const log = deps.log ?? (() => {});

  function startSession(c: Context, userId: string, meta: { impersonatorId?: string } = {}) {
    return deps.sessions.create(userId, { userAgent: c.req.header('user-agent'), ip: deps.clientIp(c), ...meta }).then((token) => {
      setCookie(c, SESSION_COOKIE, token, { httpOnly: true, sameSite: 'Lax', secure: deps.secureCookies, path: '/', maxAge: SESSION_TTL_MS / 1000 });
      return token;
    });
  }

  /** Sets the password of the link's user; the link is spent, and every other session ends. */
  async function setPasswordFromLink(token: string, password: string, purpose: 'INVITATION' | 'PASSWORD_RESET') {
    const userId = await spendUserToken(deps.prisma, token, purpose);
    if (!userId) return undefined;
    const user = await deps.prisma.user.update({
      where: { id: userId },
      data: { passwordHash: await hashPassword(password), failedLogins: 0, lockedUntil: null },
    });
    await deps.sessions.destroyAllOf(userId);
    return user;
  }

  return new Hono<AuthEnv>()
    .post(
      '/login',
      documented({
        summary: 'Log in; sets the session cookie',
        who: 'anyone',
        description: '5 attempts a minute per client address; 10 wrong passwords in a row lock the account for 15 minutes.',
        answers: {
          200: { description: 'The user; the session cookie is set', json: shapes.caller },
          401: 'The e-mail address or password is not right',
          423: STATUS_WORDS[423]!,
          429: { description: STATUS_WORDS[429], json: errorBody, headers: retryAfter },
        },
      }),
      validate('json', loginBody),
      async (c) => {
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
        await startSession(c, user.id);
        return c.json({ id: user.id, email: user.email, name: user.name, role: user.role, companyId: user.companyId, locale: user.locale });
      },
    )
    .post(
      '/password-reset',
      documented({
        summary: 'Mail a single-use reset link',
        who: 'anyone',
        description: 'The same 202 whether or not the address has an account. 5 an hour per account (silent) and per client address.',
        answers: {
          202: { description: 'If the address has an account, a link is on its way', json: shapes.message },
          429: { description: STATUS_WORDS[429], json: errorBody, headers: retryAfter },
          503: 'No mail server is configured',
        },
      }),
      validate('json', z.strictObject({ email: loginBody.shape.email })),
      async (c) => {
        if (!deps.mailer) return c.json({ message: 'Password resets are not available: no mail server is configured.' }, 503);
        const accepted = c.json({ message: 'If the address has an account, a reset link is on its way. It works once, for one hour.' }, 202);
        const limit = resetLimiter.hit(`reset:${deps.clientIp(c)}`);
        if (!limit.allowed) {
          c.header('Retry-After', String(limit.retryAfterSeconds));
          return c.json({ message: `Too many reset requests. Try again in ${Math.ceil(limit.retryAfterSeconds / 60)} minutes.` }, 429);
        }
        const user = await deps.prisma.user.findUnique({ where: { email: c.req.valid('json').email } });
        // The same answer whether or not the account exists, is inactive or hit its hourly limit.
        if (!user || !user.active || (await recentResets(deps.prisma, user.id)) >= RESETS_PER_HOUR) return accepted;
        const { token, expiresAt } = await issueUserToken(deps.prisma, { userId: user.id, purpose: 'PASSWORD_RESET', ip: deps.clientIp(c) });
        try {
          await sendAccountMail(deps.mailer, user.email, {
            kind: 'password_reset',
            locale: localeOr(user.locale),
            userName: user.name,
            url: setPasswordUrl(deps.mailer.publicUrl, token, 'reset'),
            expiresAt,
          });
        } catch (error) {
          log(`[auth] ${c.get('requestId')} password reset mail for user ${user.id} failed: ${(error as Error).message}`);
        }
        return accepted;
      },
    )
    .post(
      '/password-reset/confirm',
      documented({
        summary: 'Set a new password with a reset link',
        who: 'anyone',
        answers: { 200: { description: 'The password is changed', json: shapes.message }, 410: STATUS_WORDS[410]! },
      }),
      validate('json', setPasswordBody),
      async (c) => {
        const { token, password } = c.req.valid('json');
        const user = await setPasswordFromLink(token, password, 'PASSWORD_RESET');
        if (!user)
          return c.json({ message: 'This reset link has been used or has expired. Ask for a new one.', errors: { token: 'Used or expired link' } }, 410);
        return c.json({ message: 'Your password is changed. Log in with it.' });
      },
    )
    .post(
      '/invitations/accept',
      documented({
        summary: 'Set the first password with an invitation link',
        who: 'anyone',
        answers: { 200: { description: 'The password is set', json: shapes.message }, 410: STATUS_WORDS[410]! },
      }),
      validate('json', setPasswordBody),
      async (c) => {
        const { token, password } = c.req.valid('json');
        const user = await setPasswordFromLink(token, password, 'INVITATION');
        if (!user)
          return c.json(
            { message: 'This invitation has been used or has expired. Ask your administrator for a new one.', errors: { token: 'Used or expired link' } },
            410,
          );
        return c.json({ message: 'Your password is set. Log in with it.' });
      },
    )
    .post(
      '/impersonate',
      documented({
        summary: 'Act as a partner user (both are recorded on every action)',
        who: 'desk (cookie only)',
        answers: {
          200: { description: 'The partner user, with `impersonator`', json: shapes.caller },
          404: 'No such active user',
          409: 'Already impersonating',
          422: 'Only partner users can be impersonated',
        },
      }),
      requireUser(deps.sessions),
      requireRole(...DESK_ROLES),
      validate('json', z.strictObject({ userId: z.uuid({ message: 'Choose a user' }) })),
      async (c) => {
        if (c.var.user.impersonator) return c.json({ message: 'Stop the current impersonation first.' }, 409);
        const target = await deps.prisma.user.findUnique({ where: { id: c.req.valid('json').userId } });
        if (!target || !target.active) return c.json({ message: 'User not found.' }, 404);
        if ((DESK_ROLES as readonly string[]).includes(target.role)) return c.json({ message: 'Only partner users can be impersonated.' }, 422);
        const previous = getCookie(c, SESSION_COOKIE);
        if (previous) await deps.sessions.destroy(previous);
        await startSession(c, target.id, { impersonatorId: c.var.user.id });
        return c.json({
          id: target.id,
          email: target.email,
          name: target.name,
          role: target.role,
          companyId: target.companyId,
          impersonator: { id: c.var.user.id, name: c.var.user.name },
        });
      },
    )
    .post(
      '/impersonate/stop',
      documented({
        summary: 'Stop impersonating',
        who: 'logged in (cookie only)',
        answers: { 200: { description: 'The desk user again', json: shapes.caller }, 409: 'Not impersonating anyone' },
      }),
      requireUser(deps.sessions),
      async (c) => {
        const impersonator = c.var.user.impersonator;
        if (!impersonator) return c.json({ message: 'You are not impersonating anyone.' }, 409);
        const previous = getCookie(c, SESSION_COOKIE);
        if (previous) await deps.sessions.destroy(previous);
        await startSession(c, impersonator.id);
        const desk = await deps.prisma.user.findUniqueOrThrow({ where: { id: impersonator.id } });
        return c.json({ id: desk.id, email: desk.email, name: desk.name, role: desk.role, companyId: desk.companyId });
      },
    )
    .post(
      '/logout',
      documented({ summary: "Log out; ends the cookie's session, if any", who: 'anyone', answers: { 204: { description: STATUS_WORDS[204] } } }),
      async (c) => {
        const token = getCookie(c, SESSION_COOKIE);
        if (token) await deps.sessions.destroy(token);
        deleteCookie(c, SESSION_COOKIE, { path: '/' });
        return c.body(null, 204);
      },
    )
    .get(
      '/me',
      documented({
        summary: 'The caller: a user or an API token, with the impersonator if any',
        who: 'logged in',
        answers: { 200: { description: 'The caller', json: shapes.caller } },
      }),
      requireUser(deps.sessions, deps.bearer),
      (c) => c.json(c.var.user),
    )
    .put(
      '/me/locale',
      documented({
        summary: "Choose the caller's language for the back office, the portal and their e-mails",
        who: 'logged in (cookie only)',
        description:
          "Stored on the user, so that it follows them to another browser and to the next login. While impersonating, it is the impersonated user's choice that changes.",
        answers: { 200: { description: 'The stored language, and a sentence to show', json: localeAnswer } },
      }),
      requireUser(deps.sessions),
      validate('json', localeBody),
      async (c) => {
        const { locale } = c.req.valid('json');
        await deps.prisma.user.update({ where: { id: c.var.user.id }, data: { locale } });
        return c.json({ locale, message: locale === 'fi' ? 'Kieli on nyt suomi.' : 'The language is now English.' });
      },
    );
}
