import { Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../api/app.ts';
import { hashPassword } from '../api/auth/password.ts';
import { isSameOriginCall } from '../api/auth/same-origin.ts';
import { createSessionStore, hashToken } from '../api/auth/sessions.ts';
import { createPrismaClient, type PrismaClient } from '../prisma/client.ts';
import { newPartner } from './support/request-harness.ts';
import { expectRefusal } from './support/answers.ts';
import { fileStack } from './support/file-stack.ts';

const ORIGIN = 'http://localhost:3000';

describe('sessions: login, me, logout, rate limit and lockout', () => {
  let prisma: PrismaClient;
  let connection: Connection;
  beforeAll(() => {
    prisma = createPrismaClient(fileStack.databaseUrl);
    connection = Connection.lazy({ address: inject('temporalAddress') });
  });
  afterAll(async () => {
    await connection?.close();
    await prisma?.$disconnect();
  });

  // A fresh app per test: the login rate limit is per API process.
  const newApp = () =>
    createApp({
      prisma,
      temporal: { connection, namespace: fileStack.temporalNamespace },
      smtpUrl: fileStack.smtpUrl,
      sessions: createSessionStore(prisma),
      publicUrl: ORIGIN,
      log: () => {},
    });

  async function partnerUser(password = 'correct horse battery staple') {
    const p = await newPartner(prisma);
    await prisma.user.update({ where: { id: p.user.id }, data: { passwordHash: await hashPassword(password) } });
    return { ...p, email: p.user.email, password };
  }

  const login = (app: ReturnType<typeof newApp>, body: unknown, headers: Record<string, string> = {}) =>
    app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json', origin: ORIGIN, ...headers }, body: JSON.stringify(body) });

  it('logs in with an httpOnly SameSite cookie, answers me, and logs out', async () => {
    const app = newApp();
    const u = await partnerUser();
    const response = await login(app, { email: u.email.toUpperCase(), password: u.password });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ email: u.email, role: 'PARTNER_USER', companyId: u.company.id });
    const cookie = response.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^ld_session=[\w-]{43};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const token = cookie.split(';')[0]!.split('=')[1]!;
    // Only a hash of the token is stored.
    expect(await prisma.session.count({ where: { id: token } })).toBe(0);
    expect(await prisma.session.count({ where: { id: hashToken(token) } })).toBe(1);

    const me = await app.request('/api/auth/me', { headers: { cookie: `ld_session=${token}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ id: u.user.id, name: u.user.name });

    const out = await app.request('/api/auth/logout', { method: 'POST', headers: { cookie: `ld_session=${token}`, origin: ORIGIN } });
    expect(out.status).toBe(204);
    await expectRefusal(app.request('/api/auth/me', { headers: { cookie: `ld_session=${token}` } }), 401, { message: 'Please log in.' });
  });

  it('gives the same answer for a wrong password and an unknown e-mail, and validates the form', async () => {
    const app = newApp();
    const u = await partnerUser();
    const wrong = await login(app, { email: u.email, password: 'nope' });
    const unknown = await login(app, { email: `nobody-${u.tag}@partner.test`, password: 'nope' });
    const notRight = { message: 'The e-mail address or password is not right.' };
    await expectRefusal(wrong, 401, notRight);
    await expectRefusal(unknown, 401, notRight);
    const bad = await login(app, { email: 'not-an-email', password: '', extra: 1 });
    await expectRefusal(bad, 422, {
      message: 'Give your e-mail address, e.g. name@example.com',
      errors: {
        email: 'Give your e-mail address, e.g. name@example.com',
        password: 'Give your password',
        extra: 'Unknown field "extra": this form has no such field',
      },
    });
    const malformed = await app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: '{"email":',
    });
    await expectRefusal(malformed, 400, { message: 'Malformed JSON in request body' });
  });

  it('limits logins to 5 a minute per address', async () => {
    const app = newApp();
    const u = await partnerUser();
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await login(app, { email: u.email, password: 'wrong' }));
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401, 401, 429]);
    for (const answer of answers.slice(0, 5)) await expectRefusal(answer, 401, { message: 'The e-mail address or password is not right.' });
    const retryAfter = answers[5]!.headers.get('retry-after');
    expect(Number(retryAfter)).toBeGreaterThan(0);
    await expectRefusal(answers[5]!, 429, { message: `Too many login attempts. Try again in ${retryAfter} seconds.` });
  });

  it('locks an account after 10 wrong passwords in a row, even with the right one after', async () => {
    const u = await partnerUser();
    for (let i = 0; i < 10; i++) {
      // A new app per attempt keeps each under its per-address limit, so only the lockout counts.
      const app = newApp();
      await expectRefusal(login(app, { email: u.email, password: `wrong-${i}` }), 401, { message: 'The e-mail address or password is not right.' });
    }
    const locked = await login(newApp(), { email: u.email, password: u.password });
    await expectRefusal(locked, 423, { message: 'This account is locked after too many wrong passwords. Try again in 15 minutes or reset your password.' });
  });

  it('refuses a cross-site form post (CSRF) and an expired or unknown session', async () => {
    const app = newApp();
    const u = await partnerUser();
    const crossSite = await app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      body: `email=${encodeURIComponent(u.email)}&password=x`,
    });
    await expectRefusal(crossSite, 403, { message: 'This request came from another site and was refused.' });
    await expectRefusal(app.request('/api/auth/me', { headers: { cookie: 'ld_session=forged-token' } }), 401, { message: 'Please log in.' });

    const token = await createSessionStore(prisma).create(u.user.id);
    await prisma.session.update({ where: { id: hashToken(token) }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expectRefusal(app.request('/api/auth/me', { headers: { cookie: `ld_session=${token}` } }), 401, { message: 'Please log in.' });
  });
  it('refuses a JSON call with the session cookie from another origin, and takes it from PUBLIC_URL', async () => {
    const app = newApp();
    const u = await partnerUser();
    const cookie = `ld_session=${await createSessionStore(prisma).create(u.user.id)}`;
    const logout = (headers: Record<string, string>) =>
      app.request('/api/auth/logout', { method: 'POST', headers: { cookie, 'content-type': 'application/json', ...headers }, body: '{}' });
    const me = async () => (await app.request('/api/auth/me', { headers: { cookie } })).status;
    const crossSite: Array<Record<string, string>> = [{ origin: 'http://evil.example' }, { origin: ORIGIN, 'sec-fetch-site': 'cross-site' }, {}];
    for (const headers of crossSite) {
      const answer = await logout(headers);
      expect(answer.status).toBe(403);
      expect(await answer.json()).toEqual({ message: 'This request came from another site and was refused.' });
    }
    // Nothing happened: the session is still good.
    expect(await me()).toBe(200);
    expect((await logout({ 'sec-fetch-site': 'same-origin' })).status).toBeLessThan(300);
    await expectRefusal(app.request('/api/auth/me', { headers: { cookie } }), 401, { message: 'Please log in.' });
  });

  it('tells a same-origin call from a cross-site one by Origin, then Sec-Fetch-Site', () => {
    const desk = 'https://desk.example.com';
    expect(isSameOriginCall({ origin: desk }, desk)).toBe(true);
    expect(isSameOriginCall({ origin: desk, secFetchSite: 'same-origin' }, desk)).toBe(true);
    expect(isSameOriginCall({ origin: 'https://desk.example.com:8443' }, desk)).toBe(false);
    expect(isSameOriginCall({ origin: 'null' }, desk)).toBe(false);
    expect(isSameOriginCall({ origin: desk, secFetchSite: 'cross-site' }, desk)).toBe(false);
    expect(isSameOriginCall({ secFetchSite: 'same-origin' }, desk)).toBe(true);
    expect(isSameOriginCall({ secFetchSite: 'same-site' }, desk)).toBe(false);
    expect(isSameOriginCall({}, desk)).toBe(false);
  });
});
