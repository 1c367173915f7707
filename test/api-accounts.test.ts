import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../api/auth/sessions.ts';
import { listParams, startApiWorld, until, type ApiWorld } from './support/api-harness.ts';
import { expectRefusal } from './support/answers.ts';
import { mailTo } from './support/request-harness.ts';

/** The link a mail carries, e.g. http://localhost:3000/#/set-password?token=…&purpose=invitation. */
async function mailedToken(address: string, purpose: 'invitation' | 'reset', count = 1) {
  const mails = await until(async () => {
    const found = (await mailTo(address)).filter((m) => m.parsed.text?.includes(`purpose=${purpose}`));
    return found.length >= count ? found : undefined;
  }, `${purpose} mail to ${address}`);
  const text = mails[count - 1]!.parsed.text!;
  return decodeURIComponent(/set-password\?token=([^&\s]+)&purpose=/.exec(text)![1]!);
}

/** Accounts: invitations, password resets, impersonation, API tokens, user management, docs. */
describe('accounts and tokens', () => {
  let api: ApiWorld;
  beforeAll(async () => {
    api = await startApiWorld();
  });
  afterAll(() => api?.stop());

  it('lets a partner admin invite a user, who sets a password once through the mailed link', async () => {
    const p = await api.newPartnerCompany();
    const email = `new-${p.tag}@partner.test`;
    const created = await p.asAdmin('/api/users', { method: 'POST', body: { email, name: 'Tapio Koistinen', role: 'PARTNER_USER' } });
    expect(created.status).toBe(201);
    const user = (await created.json()) as { id: string; companyId: string; passwordHash?: string };
    expect(user.companyId).toBe(p.company.id);
    expect(user).not.toHaveProperty('passwordHash');
    // Nobody can log in before the invitation is accepted.
    await expectRefusal(api.anonymous('/api/auth/login', { method: 'POST', body: { email, password: 'anything at all here' } }), 401, {
      message: 'The e-mail address or password is not right.',
    });

    const token = await mailedToken(email, 'invitation');
    // Only the hash is stored.
    const row = await api.world.prisma.userToken.findFirstOrThrow({ where: { userId: user.id } });
    expect(row.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(row)).not.toContain(token);

    await expectRefusal(api.anonymous('/api/auth/invitations/accept', { method: 'POST', body: { token, password: 'short' } }), 422, {
      message: 'Use at least 12 characters for your password',
      errors: { password: 'Use at least 12 characters for your password' },
    });
    const accepted = await api.anonymous('/api/auth/invitations/accept', { method: 'POST', body: { token, password: 'Tapio sets a long password' } });
    expect(accepted.status).toBe(200);
    const again = await api.anonymous('/api/auth/invitations/accept', { method: 'POST', body: { token, password: 'Someone else tries again' } });
    await expectRefusal(again, 410, {
      message: 'This invitation has been used or has expired. Ask your administrator for a new one.',
      errors: { token: 'Used or expired link' },
    });
    const login = await api.anonymous('/api/auth/login', { method: 'POST', body: { email, password: 'Tapio sets a long password' } });
    expect(login.status).toBe(200);

    // The partner admin sees and manages only the own company's users.
    const other = await api.newPartnerCompany();
    const list = (await (await p.asAdmin(`/api/users${listParams({ filter: {} })}`)).json()) as Array<{ companyId: string }>;
    expect(list.length).toBeGreaterThanOrEqual(3);
    expect(list.every((u) => u.companyId === p.company.id)).toBe(true);
    await expectRefusal(p.asAdmin(`/api/users/${other.user.id}`), 404, { message: 'User not found.' });
    await expectRefusal(p.asAdmin(`/api/users/${other.user.id}`, { method: 'PUT', body: { active: false } }), 404, { message: 'User not found.' });
    await expectRefusal(
      p.asAdmin('/api/users', {
        method: 'POST',
        body: { email: `x-${p.tag}@partner.test`, name: 'X', role: 'PARTNER_USER', companyId: other.company.id },
      }),
      404,
      { message: 'Company not found.' },
    );
    await expectRefusal(p.asAdmin('/api/users', { method: 'POST', body: { email: `y-${p.tag}@partner.test`, name: 'Y', role: 'DESK_ADMIN' } }), 403, {
      message: 'Only a desk administrator can give desk roles.',
    });
    await expectRefusal(p.asUser(`/api/users${listParams({})}`), 403, { message: 'Your role does not allow this.' });

    // Deactivating ends the user's sessions at once.
    const tapio = await api.as(user.id);
    expect((await tapio('/api/auth/me')).status).toBe(200);
    const removed = await p.asAdmin(`/api/users/${user.id}`, { method: 'DELETE' });
    expect(removed.status).toBe(200);
    expect(await removed.json()).toMatchObject({ id: user.id, active: false });
    await expectRefusal(tapio('/api/auth/me'), 401, { message: 'Please log in.' });
    await expectRefusal(p.asAdmin(`/api/users/${p.admin.id}`, { method: 'DELETE' }), 409, {
      message: 'You cannot deactivate yourself; ask another administrator',
      errors: { id: 'You cannot deactivate yourself; ask another administrator' },
    });
  });

  it('resets a password through a single-use link that expires, at most 5 an hour', async () => {
    const p = await api.newPartnerCompany();
    const email = p.user.email;
    const unknown = await api.anonymous('/api/auth/password-reset', { method: 'POST', body: { email: `nobody-${p.tag}@partner.test` } });
    const known = await api.anonymous('/api/auth/password-reset', { method: 'POST', body: { email } });
    // The same answer for an unknown address: the form does not reveal who has an account.
    expect(unknown.status).toBe(202);
    expect(known.status).toBe(202);
    expect(await known.json()).toEqual(await unknown.json());
    const token = await mailedToken(email, 'reset');

    const confirmed = await api.anonymous('/api/auth/password-reset/confirm', { method: 'POST', body: { token, password: 'a brand new password' } });
    expect(confirmed.status).toBe(200);
    const usedLink = { message: 'This reset link has been used or has expired. Ask for a new one.', errors: { token: 'Used or expired link' } };
    await expectRefusal(
      api.anonymous('/api/auth/password-reset/confirm', { method: 'POST', body: { token, password: 'a second new password' } }),
      410,
      usedLink,
    );
    expect((await api.anonymous('/api/auth/login', { method: 'POST', body: { email, password: 'a brand new password' } })).status).toBe(200);

    // An expired link is refused.
    await api.anonymous('/api/auth/password-reset', { method: 'POST', body: { email } });
    const stale = await mailedToken(email, 'reset', 2);
    await api.world.prisma.userToken.update({ where: { tokenHash: hashToken(stale) }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await api.anonymous('/api/auth/password-reset/confirm', { method: 'POST', body: { token: stale, password: 'too late for this one' } });
    await expectRefusal(expired, 410, usedLink);

    // Five requests an hour per account, whatever the address: the sixth sends nothing (and still answers 202).
    for (let i = 0; i < 4; i++)
      expect((await api.anonymous('/api/auth/password-reset', { method: 'POST', body: { email }, ip: api.nextIp() })).status).toBe(202);
    await until(async () => ((await mailTo(email)).length >= 5 ? true : undefined), 'five reset mails');
    expect((await api.anonymous('/api/auth/password-reset', { method: 'POST', body: { email }, ip: api.nextIp() })).status).toBe(202);
    expect(await api.world.prisma.userToken.count({ where: { userId: p.user.id, purpose: 'PASSWORD_RESET' } })).toBe(5);
    // And five an hour per address, whatever the account.
    const ip = api.nextIp();
    for (let i = 0; i < 5; i++)
      expect((await api.anonymous('/api/auth/password-reset', { method: 'POST', body: { email: `probe-${i}-${p.tag}@partner.test` }, ip })).status).toBe(202);
    const limited = await api.anonymous('/api/auth/password-reset', { method: 'POST', body: { email }, ip });
    const retryAfter = limited.headers.get('retry-after');
    expect(retryAfter).toMatch(/^\d+$/);
    await expectRefusal(limited, 429, { message: `Too many reset requests. Try again in ${Math.ceil(Number(retryAfter) / 60)} minutes.` });
  });

  it('records both the desk user and the partner on every action under impersonation', async () => {
    const p = await api.newPartnerCompany({ stock: 10 });
    const agent = await api.newDeskUser('DESK_AGENT');
    const desk = await api.as(agent.id);
    await expectRefusal(desk('/api/auth/impersonate', { method: 'POST', body: { userId: agent.id } }), 422, {
      message: 'Only partner users can be impersonated.',
    });
    const started = await desk('/api/auth/impersonate', { method: 'POST', body: { userId: p.user.id } });
    expect(started.status).toBe(200);
    const cookie = started.headers.get('set-cookie')!.split(';')[0]!;
    const asPartner = (path: string, init: { method?: string; body?: unknown } = {}) =>
      api.app.request(path, {
        method: init.method ?? 'GET',
        headers: { cookie, origin: 'http://localhost:3000', 'content-type': 'application/json' },
        body: init.body ? JSON.stringify(init.body) : undefined,
      });
    const me = (await (await asPartner('/api/auth/me')).json()) as { id: string; role: string; impersonator: { id: string } };
    expect(me).toMatchObject({ id: p.user.id, role: 'PARTNER_USER', impersonator: { id: agent.id } });

    const submitted = await asPartner('/api/requests', {
      method: 'POST',
      body: {
        type: 'NEW_INSTALLATION',
        productId: p.product.id,
        channels: 2,
        lock: { type: 'MAC', value: '00:1b:21:3a:4f:5c' },
        endUserCompany: 'Impersonated Oy',
        deliveryEmails: [p.deliveryEmail],
      },
    });
    expect(submitted.status).toBe(201);
    const { id } = (await submitted.json()) as { id: string };
    const cancelled = await until(
      async () =>
        (await asPartner(`/api/requests/${id}/cancel`, { method: 'POST', body: { reason: 'Test of impersonation' } })).status === 200 ? true : undefined,
      'cancel',
    );
    expect(cancelled).toBe(true);
    const event = await until(
      () => api.world.prisma.historyEvent.findFirst({ where: { requestId: id, action: 'request_cancelled' } }).then((e) => e ?? undefined),
      'the cancellation event',
    );
    expect(event).toMatchObject({ actorUserId: p.user.id, realActorUserId: agent.id, realActorName: agent.name });
    const detail = (await (await asPartner(`/api/requests/${id}`)).json()) as { timeline: Array<{ action: string; actor: string }> };
    expect(detail.timeline.find((e) => e.action === 'request_cancelled')!.actor).toBe(`${p.user.name} (IMP: ${agent.name})`);

    // A comment is an action too: the partner user stays its author, and the desk user is kept beside it.
    const commented = await asPartner(`/api/requests/${id}/comments`, { method: 'POST', body: { body: 'Cancelled on the phone with the customer' } });
    expect(commented.status).toBe(201);
    expect(await commented.json()).toMatchObject({ authorName: `${p.user.name} (IMP: ${agent.name})`, impersonatorName: agent.name });
    expect(await api.world.prisma.requestComment.findFirstOrThrow({ where: { requestId: id } })).toMatchObject({
      authorId: p.user.id,
      impersonatorId: agent.id,
    });
    const seenByPartner = (await (await p.asUser(`/api/requests/${id}`)).json()) as {
      comments: Array<{ body: string; authorName: string; impersonatorName: string | null }>;
    };
    expect(seenByPartner.comments).toEqual([
      expect.objectContaining({
        body: 'Cancelled on the phone with the customer',
        authorName: `${p.user.name} (IMP: ${agent.name})`,
        impersonatorName: agent.name,
      }),
    ]);
    // Without impersonation, the author alone.
    expect(await (await p.asUser(`/api/requests/${id}/comments`, { method: 'POST', body: { body: 'Thanks' } })).json()).toMatchObject({
      authorName: p.user.name,
      impersonatorName: null,
    });

    const stopped = await asPartner('/api/auth/impersonate/stop', { method: 'POST' });
    expect(stopped.status).toBe(200);
    await expectRefusal(asPartner('/api/auth/me'), 401, { message: 'Please log in.' });
    const back = stopped.headers.get('set-cookie')!.split(';')[0]!;
    const meAgain = (await (await api.app.request('/api/auth/me', { headers: { cookie: back } })).json()) as { id: string; impersonator?: unknown };
    expect(meAgain.id).toBe(agent.id);
    expect(meAgain.impersonator).toBeUndefined();
    // Partners cannot impersonate.
    await expectRefusal(p.asAdmin('/api/auth/impersonate', { method: 'POST', body: { userId: p.user.id } }), 403, {
      message: 'Your role does not allow this.',
    });
  });

  it('gives partner admins hashed, company-scoped, revocable API tokens', async () => {
    const p = await api.newPartnerCompany();
    const other = await api.newPartnerCompany();
    const created = await p.asAdmin('/api/api-tokens', { method: 'POST', body: { name: 'ERP integration', expiresInDays: 30 } });
    expect(created.status).toBe(201);
    const { id, token, prefix } = (await created.json()) as { id: string; token: string; prefix: string };
    expect(token).toMatch(/^ldt_[\w-]{43}$/);
    expect(token.startsWith(prefix)).toBe(true);
    const stored = await api.world.prisma.apiToken.findUniqueOrThrow({ where: { id } });
    expect(stored.tokenHash).toBe(hashToken(token));
    const listed = await (await p.asAdmin('/api/api-tokens')).text();
    expect(listed).not.toContain(token);
    expect(listed).not.toContain(stored.tokenHash);

    // The token works without a cookie or an Origin, for the own company only.
    const bearer = (path: string, init: RequestInit = {}) =>
      api.app.request(path, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers as object) } });
    const me = (await (await bearer('/api/auth/me')).json()) as { companyId: string; role: string; apiTokenId: string };
    expect(me).toMatchObject({ companyId: p.company.id, role: 'PARTNER_USER', apiTokenId: id });
    expect((await bearer('/api/products')).status).toBe(200);
    await expectRefusal(bearer(`/api/users/${other.user.id}`), 403, { message: 'Your role does not allow this.' });
    await expectRefusal(bearer('/api/api-tokens'), 403, { message: 'Your role does not allow this.' });
    // Impersonation needs a person's session; a valid token is told so, not called invalid.
    const impersonating = await bearer('/api/auth/impersonate', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: other.user.id }),
    });
    await expectRefusal(impersonating, 401, { message: 'API tokens cannot be used here: log in with a user account.' });
    const submitted = await bearer('/api/requests', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'STOCK_ADDITION', productId: p.product.id, channels: 5, orderReference: `PO-${p.tag}`, deliveryEmails: [p.deliveryEmail] }),
    });
    expect(submitted.status).toBe(201);
    await expectRefusal(other.asAdmin(`/api/api-tokens/${id}`), 404, { message: 'API token not found.' });
    await expectRefusal(other.asAdmin(`/api/api-tokens/${id}`, { method: 'DELETE' }), 404, { message: 'API token not found.' });

    const revoked = await p.asAdmin(`/api/api-tokens/${id}`, { method: 'DELETE' });
    expect(revoked.status).toBe(200);
    const { revokedAt } = (await revoked.json()) as { revokedAt: string | null };
    expect(Date.parse(revokedAt!)).not.toBeNaN();
    // The list keeps a revoked token, with when it was revoked (the UI shows it so, without a revoke
    // button); filter.revoked splits the working from the revoked. Revoking again keeps the first time.
    type Listed = Array<{ id: string; revokedAt: string | null }>;
    const list = async (filter?: object) =>
      (await (await p.asAdmin(`/api/api-tokens${filter ? `?filter=${encodeURIComponent(JSON.stringify(filter))}` : ''}`)).json()) as Listed;
    expect((await list()).find((t) => t.id === id)).toMatchObject({ revokedAt });
    expect((await list({ revoked: false })).map((t) => t.id)).not.toContain(id);
    expect((await list({ revoked: true })).map((t) => t.id)).toContain(id);
    const again = await p.asAdmin(`/api/api-tokens/${id}`, { method: 'DELETE' });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ revokedAt });
    const refused = await bearer('/api/products');
    const notValid = { message: 'This API token is not valid: it may have been revoked or have expired.' };
    await expectRefusal(refused, 401, notValid);
    await expectRefusal(bearer('/api/products', { headers: { authorization: 'Bearer ldt_made-up' } }), 401, notValid);
  });

  it('publishes OpenAPI 3.1 generated from the route schemas, and a docs page', async () => {
    const response = await api.anonymous('/api/openapi.json');
    expect(response.status).toBe(200);
    const spec = (await response.json()) as {
      openapi: string;
      paths: Record<
        string,
        Record<string, { summary?: string; requestBody?: { content: Record<string, { schema: { oneOf?: unknown[] } }> }; responses: Record<string, unknown> }>
      >;
    };
    expect(spec.openapi).toBe('3.1.0');
    for (const path of [
      '/api/requests',
      '/api/requests/{id}/approve',
      '/api/licenses/{id}/download',
      '/api/stocks/adjust',
      '/api/auth/me',
      '/api/verify',
      '/api/reports/licenses.xlsx',
      '/api/signing-keys/rotate',
    ]) {
      expect(spec.paths, path).toHaveProperty([path]);
    }
    // The submit body is the zod union of the ten forms.
    expect(spec.paths['/api/requests']!.post!.requestBody!.content['application/json']!.schema.oneOf).toHaveLength(10);
    for (const [path, item] of Object.entries(spec.paths))
      for (const [method, op] of Object.entries(item)) expect(op.summary, `${method} ${path}`).toBeTruthy();
    expect(spec.paths['/api/requests/{id}/approve']!.post!.responses).toHaveProperty('404');

    const docs = await api.anonymous('/api/docs');
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('/api/docs/swagger-ui-bundle.js');
    const bundle = await api.anonymous('/api/docs/swagger-ui-bundle.js');
    expect(bundle.status).toBe(200);
    expect((await bundle.text()).length).toBeGreaterThan(100_000);
    await expectRefusal(api.anonymous('/api/docs/..%2Fpackage.json'), 404, { message: 'No such file.' });
  });

  it('writes JSON request logs with a request id and no secrets', async () => {
    const p = await api.newPartnerCompany();
    const response = await api.anonymous('/api/auth/login', { method: 'POST', body: { email: p.user.email, password: 'wrong password 123' } });
    const requestId = response.headers.get('x-request-id');
    expect(requestId).toBeTruthy();
    const line = api.logLines.map((l) => JSON.parse(l) as { reqId?: string; path?: string; status?: number }).find((l) => l.reqId === requestId);
    expect(line).toMatchObject({ path: '/api/auth/login', status: 401 });
    const all = api.logLines.join('\n');
    for (const secret of ['wrong password 123', 'a long enough test password', 'ld_session=', 'ldt_', 'PRIVATE KEY']) expect(all).not.toContain(secret);
  });
});
