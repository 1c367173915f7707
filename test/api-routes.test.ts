import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { balanceOf } from './support/request-harness.ts';
import { startAlwaysOpenReplacement } from './support/request-steps.ts';
import { expectRefusal } from './support/answers.ts';
import { listParams, startApiWorld, until, type ApiWorld, type Call } from './support/api-harness.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies in assertions

const json = async (response: Response | Promise<Response>, status = 200): Promise<Json> => {
  const r = await response;
  const body = (await r.json()) as Json;
  expect(r.status, JSON.stringify(body)).toBe(status);
  return body;
};

function multipart(fileName: string, content: string) {
  const form = new FormData();
  form.append('file', new Blob([content]), fileName);
  return form;
}

/**
 * The partner and desk routes added for the back office, each on its happy path, against the
 * real worker, database and SMTP catcher.
 */
describe('desk and partner routes', () => {
  let api: ApiWorld;
  let admin: Call;
  let agent: Call;
  let agentId: string;
  beforeAll(async () => {
    api = await startApiWorld();
    admin = await api.as((await api.newDeskUser('DESK_ADMIN')).id);
    const agentUser = await api.newDeskUser('DESK_AGENT');
    agentId = agentUser.id;
    agent = await api.as(agentId);
  });
  afterAll(() => api?.stop());

  async function waitForStatus(caller: Call, id: string, status: string) {
    return until(async () => {
      const r = await json(caller(`/api/requests/${id}`));
      return r.status === status ? r : undefined;
    }, `request ${id} to be ${status}`);
  }

  async function issueLicense(p: Awaited<ReturnType<ApiWorld['newPartnerCompany']>>, mac: string, channels = 4) {
    const { id } = await json(
      p.asUser('/api/requests', {
        method: 'POST',
        body: {
          type: 'NEW_INSTALLATION',
          productId: p.product.id,
          channels,
          lock: { type: 'MAC', value: mac },
          endUserCompany: `End user ${p.tag}`,
          deliveryEmails: [p.deliveryEmail],
        },
      }),
      201,
    );
    await waitForStatus(p.asUser, id, 'PENDING_APPROVAL');
    await json(agent(`/api/requests/${id}/approve`, { method: 'POST', body: {} }));
    const done = await waitForStatus(p.asUser, id, 'COMPLETED');
    return { requestId: id as string, licenseId: done.licenseId as string, serial: done.serial as string };
  }

  it('manages companies and products (desk admin), and partners read their own', async () => {
    const distributor = await json(
      admin('/api/companies', {
        method: 'POST',
        body: { name: `Nordic Test ${Date.now()}`, kind: 'DISTRIBUTOR', seesDealers: true, contactEmail: 'Orders@Nordic.test' },
      }),
      201,
    );
    expect(distributor.contactEmail).toBe('orders@nordic.test');
    const dealer = await json(
      admin('/api/companies', { method: 'POST', body: { name: `Dealer Test ${Date.now()}`, kind: 'DEALER', parentId: distributor.id } }),
      201,
    );
    const nameTaken = 'A company with this name already exists';
    await expectRefusal(admin('/api/companies', { method: 'POST', body: { name: distributor.name, kind: 'DEALER' } }), 409, {
      message: nameTaken,
      errors: { name: nameTaken },
    });
    await expectRefusal(admin('/api/companies', { method: 'POST', body: { name: 'Bad parent', kind: 'DEALER', parentId: dealer.id } }), 422, {
      message: `${dealer.name} is not a distributor`,
      errors: { parentId: `${dealer.name} is not a distributor` },
    });
    expect((await json(admin(`/api/companies/${dealer.id}`, { method: 'PUT', body: { timeZone: 'Europe/Stockholm' } }))).timeZone).toBe('Europe/Stockholm');
    const list = await admin(`/api/companies${listParams({ filter: { parentId: distributor.id }, range: [0, 9] })}`);
    expect(list.headers.get('content-range')).toBe('companies 0-0/1');
    const inUse = `${distributor.name} still has 1 dealer; it cannot be deleted until they are moved or removed.`;
    await expectRefusal(admin(`/api/companies/${distributor.id}`, { method: 'DELETE' }), 409, { message: inUse, errors: { id: inUse } });
    expect(await json(admin(`/api/companies/${dealer.id}`, { method: 'DELETE' }))).toMatchObject({ id: dealer.id });
    await expectRefusal(admin(`/api/companies/${dealer.id}`), 404, { message: 'Company not found.' });

    const p = await api.newPartnerCompany();
    const own = await json(p.asUser(`/api/companies${listParams({})}`));
    expect(own.map((c: Json) => c.id)).toEqual([p.company.id]);

    const code = `TEST-PRO-${Date.now()}`;
    const product = await json(
      admin('/api/products', {
        method: 'POST',
        body: { code, name: 'Test Pro', family: 'Mirasys VMS', version: '9.0', tier: 'PRO', maxChannels: 64, lockType: 'MAC', smaMonths: 12 },
      }),
      201,
    );
    const codeTaken = 'A product with this code already exists';
    await expectRefusal(
      admin('/api/products', { method: 'POST', body: { code, name: 'Again', family: 'x', version: '1', maxChannels: 1, lockType: 'MAC' } }),
      409,
      { message: codeTaken, errors: { code: codeTaken } },
    );
    const minAboveMax = 'The maximum must be at least the minimum';
    await expectRefusal(admin(`/api/products/${product.id}`, { method: 'PUT', body: { minChannels: 100 } }), 422, {
      message: minAboveMax,
      errors: { maxChannels: minAboveMax },
    });
    expect((await json(admin(`/api/products/${product.id}`, { method: 'PUT', body: { maxChannels: 128 } }))).maxChannels).toBe(128);
    expect((await json(p.asUser(`/api/products/${product.id}`))).code).toBe(code);
    expect((await json(admin(`/api/products/${product.id}`, { method: 'DELETE' }))).active).toBe(false);
    // A retired product disappears from the partners' catalogue; the desk still sees it.
    await expectRefusal(p.asUser(`/api/products/${product.id}`), 404, { message: 'Product not found.' });
    expect((await json(admin(`/api/products/${product.id}`))).active).toBe(false);
  });

  it('shows stocks as available/total with the ledger, and adjusts them with a reason, once per Idempotency-Key', async () => {
    const p = await api.newPartnerCompany({ stock: 20 });
    const stockId = `${p.company.id}_${p.product.id}`;
    const stock = await json(p.asUser(`/api/stocks/${stockId}`));
    expect(stock).toMatchObject({ available: 20, total: 20, productName: p.product.name, companyName: p.company.name });

    const adjust = (channels: number, key: string) =>
      admin('/api/stocks/adjust', {
        method: 'POST',
        body: { companyId: p.company.id, productId: p.product.id, channels, reason: 'Order 4711 credited late' },
        headers: { 'idempotency-key': key },
      });
    expect(await json(adjust(15, `credit-${p.tag}`), 201)).toMatchObject({ available: 35, total: 35 });
    expect(await json(adjust(15, `credit-${p.tag}`), 201)).toMatchObject({ available: 35 });
    expect(await json(adjust(-5, `debit-${p.tag}`), 201)).toMatchObject({ available: 30, total: 30 });
    // The same key with a different adjustment is refused, and moves nothing.
    const reused = await adjust(-15, `credit-${p.tag}`);
    const keyReused = 'This Idempotency-Key was already used for a different adjustment; send a new key';
    await expectRefusal(reused, 422, { message: keyReused, errors: { 'Idempotency-Key': keyReused } });
    const tooMuch = await adjust(-31, `debit2-${p.tag}`);
    const only30 = `Only 30 channels of ${p.product.name} are available to take out`;
    await expectRefusal(tooMuch, 409, { message: only30, errors: { channels: only30 } });
    await expectRefusal(
      admin('/api/stocks/adjust', { method: 'POST', body: { companyId: p.company.id, productId: p.product.id, channels: 3, reason: '' } }),
      422,
      { message: 'Give the reason for the adjustment', errors: { reason: 'Give the reason for the adjustment' } },
    );
    expect(await balanceOf(api.world.prisma, p.company.id, p.product.id)).toEqual({ available: 30, reserved: 0, consumed: 0 });

    const ledger = await p.asUser(`/api/stock-ledger${listParams({ filter: { companyId: p.company.id, productId: p.product.id }, sort: ['id', 'ASC'] })}`);
    expect(ledger.headers.get('content-range')).toBe('stock-ledger 0-2/3');
    const entries = (await ledger.json()) as Json[];
    expect(entries.map((e) => [e.kind, e.channels, e.note ?? null])).toEqual([
      ['CREDIT', 20, null],
      ['CREDIT', 15, 'Order 4711 credited late'],
      ['DEBIT', 5, 'Order 4711 credited late'],
    ]);
    const list = await json(p.asUser(`/api/stocks${listParams({ filter: { availableAtMost: 30 } })}`));
    expect(list.map((s: Json) => s.id)).toEqual([stockId]);
  });

  it('assigns, comments, filters the queue by age and assignee, and sends internal notes to the desk only', async () => {
    const p = await api.newPartnerCompany({ stock: 10 });
    const { id } = await json(
      p.asUser('/api/requests', {
        method: 'POST',
        body: { type: 'STOCK_ADDITION', productId: p.product.id, channels: 5, orderReference: `PO-${p.tag}`, deliveryEmails: [p.deliveryEmail] },
      }),
      201,
    );
    await waitForStatus(p.asUser, id, 'PENDING_APPROVAL');
    // The desk's SLA clock: a due date once the request is in the queue.
    const firstDue = Date.parse((await json(agent(`/api/requests/${id}`))).dueAt);
    expect(firstDue).toBeGreaterThan(Date.now());
    expect(await json(agent(`/api/requests/${id}/assign`, { method: 'POST', body: { assigneeId: agentId } }))).toMatchObject({ assigneeId: agentId });
    await expectRefusal(agent(`/api/requests/${id}/assign`, { method: 'POST', body: { assigneeId: p.user.id } }), 422, {
      message: 'Choose an active desk user',
      errors: { assigneeId: 'Choose an active desk user' },
    });
    const mine = await json(agent(`/api/requests${listParams({ filter: { assigneeId: agentId, open: true } })}`));
    expect(mine.map((r: Json) => r.id)).toContain(id);
    const old = await json(agent(`/api/requests${listParams({ filter: { companyId: p.company.id, olderThanHours: 1 } })}`));
    expect(old).toEqual([]);
    const fresh = await json(agent(`/api/requests${listParams({ filter: { companyId: p.company.id, olderThanHours: 0, type: 'STOCK_ADDITION' } })}`));
    expect(fresh.map((r: Json) => r.id)).toEqual([id]);

    await json(p.asUser(`/api/requests/${id}/comments`, { method: 'POST', body: { body: 'The PO is attached to the order e-mail.' } }), 201);
    await json(agent(`/api/requests/${id}/comments`, { method: 'POST', body: { body: 'Checked with sales.', internal: true } }), 201);
    await expectRefusal(p.asUser(`/api/requests/${id}/comments`, { method: 'POST', body: { body: 'sneaky', internal: true } }), 403, {
      message: 'Only the desk can write internal notes.',
    });
    const forPartner = await json(p.asUser(`/api/requests/${id}`));
    expect(forPartner.comments.map((c: Json) => c.body)).toEqual(['The PO is attached to the order e-mail.']);
    expect(forPartner.timeline.some((e: Json) => e.action === 'assigned')).toBe(false);
    const forDesk = await json(agent(`/api/requests/${id}`));
    expect(forDesk.comments).toHaveLength(2);
    expect(forDesk).toMatchObject({ assigneeName: expect.stringContaining('Agent'), companyName: p.company.name, requesterName: p.user.name });
    expect(forDesk.timeline.find((e: Json) => e.action === 'assigned')).toMatchObject({ changes: expect.stringMatching(/^Assignee: Agent/) });

    await json(agent(`/api/requests/${id}/request-information`, { method: 'POST', body: { question: 'Which PO?' } }));
    await waitForStatus(p.asUser, id, 'WAITING_FOR_PARTNER');
    // The clock stops while the partner is asked, and starts again at the reply.
    expect((await json(agent(`/api/requests/${id}`))).dueAt).toBeNull();
    // Three answers sent at once (a double click, two colleagues): each one is either on the
    // timeline (202) or refused in words (409, the desk already has an answer), never lost.
    const messages = [`PO-${p.tag}`, 'It is on the order confirmation too', 'Or ask our office'];
    const answers = await Promise.all(messages.map((message) => p.asUser(`/api/requests/${id}/reply`, { method: 'POST', body: { message } })));
    const accepted = messages.filter((_, i) => answers[i]!.status === 202);
    expect(accepted.length).toBeGreaterThan(0);
    console.log(`[reply] ${accepted.length} of ${messages.length} answers sent at once were accepted`);
    // Refused by the route (the request left WAITING_FOR_PARTNER) or by the workflow's validator (it had just taken an answer).
    const notAsked = 'The desk has not asked anything on this request';
    const refusals = [{ message: notAsked, errors: { message: notAsked } }, { message: `${notAsked}.` }];
    for (const refused of answers.filter((a) => a.status !== 202)) {
      expect(refused.status).toBe(409);
      expect(refusals).toContainEqual(await refused.json());
    }
    await waitForStatus(p.asUser, id, 'PENDING_APPROVAL');
    const replied = await until(async () => {
      const events = (await json(p.asUser(`/api/requests/${id}`))).timeline.filter((e: Json) => e.action === 'partner_replied');
      return events.length >= accepted.length ? events : undefined;
    }, 'every accepted answer on the timeline');
    expect(replied.map((e: Json) => e.comment).sort()).toEqual([...accepted].sort());
    // Once the desk has the answer, another is refused in words rather than dropped.
    const third = await p.asUser(`/api/requests/${id}/reply`, { method: 'POST', body: { message: 'And one more thing' } });
    await expectRefusal(third, 409, refusals[0]!);
    expect(Date.parse((await json(agent(`/api/requests/${id}`))).dueAt)).toBeGreaterThanOrEqual(firstDue);
    await json(agent(`/api/requests/${id}/reject`, { method: 'POST', body: { reason: 'Duplicate order' } }));
    await waitForStatus(p.asUser, id, 'REJECTED');
    await expectRefusal(p.asUser(`/api/requests/${id}/reply`, { method: 'POST', body: { message: 'late' } }), 409, refusals[0]!);
  });

  it('takes an ownership change through the consent of the current owner and the desk', async () => {
    const a = await api.newPartnerCompany({ stock: 10 });
    const b = await api.newPartnerCompany();
    const license = await issueLicense(a, '00:1b:21:3a:4f:60');
    const { id } = await json(
      b.asAdmin('/api/requests', {
        method: 'POST',
        body: {
          type: 'OWNERSHIP_CHANGE',
          serials: [license.serial],
          currentOwnerCompanyId: a.company.id,
          newOwnerCompanyId: b.company.id,
          deliveryEmails: [b.deliveryEmail],
        },
      }),
      201,
    );
    await waitForStatus(b.asAdmin, id, 'WAITING_FOR_CONSENT');
    // The current owner sees the request it must answer; a partner user of it cannot answer.
    expect((await json(a.asAdmin(`/api/requests/${id}`))).type).toBe('OWNERSHIP_CHANGE');
    await expectRefusal(a.asUser(`/api/requests/${id}/consent`, { method: 'POST', body: { consent: true } }), 403, {
      message: 'Your role does not allow this.',
    });
    await expectRefusal(b.asAdmin(`/api/requests/${id}/consent`, { method: 'POST', body: { consent: true } }), 403, {
      message: 'Only an administrator of the current owner can answer.',
    });
    await json(a.asAdmin(`/api/requests/${id}/consent`, { method: 'POST', body: { consent: true, comment: 'Sold with the site' } }));
    const pending = await waitForStatus(b.asAdmin, id, 'PENDING_APPROVAL');
    // Every action answers in one shape (api/answer-shapes.ts actionAnswer); test/action-answers.test.ts drives each.
    const reference = `LD-${String(pending.number).padStart(6, '0')}`;
    expect(await json(agent(`/api/requests/${id}/approve`, { method: 'POST', body: {} }))).toEqual({
      id,
      reference,
      status: expect.stringMatching(/^(PENDING_APPROVAL|PROCESSING|COMPLETED)$/),
      phase: 'awaiting_decision',
      message: `${reference} is approved; the workflow carries it out now.`,
    });
    await waitForStatus(b.asAdmin, id, 'COMPLETED');
    // A closed request says so: 409 with its status, not 404 (it is still there to read).
    const late = await agent(`/api/requests/${id}/approve`, { method: 'POST', body: {} });
    const closed = { message: 'This request is already completed and cannot take that action.' };
    await expectRefusal(late, 409, closed);
    await expectRefusal(b.asAdmin(`/api/requests/${id}/cancel`, { method: 'POST', body: {} }), 409, closed);
    expect((await json(b.asUser(`/api/licenses/${license.licenseId}`))).companyId).toBe(b.company.id);
    await expectRefusal(a.asUser(`/api/licenses/${license.licenseId}`), 404, { message: 'License not found.' });
  });

  it('accepts an external license file from the desk and a return confirmation file from the partner', async () => {
    const ext = await api.newPartnerCompany({ stock: 8, external: true });
    const { id } = await json(
      ext.asUser('/api/requests', {
        method: 'POST',
        body: {
          type: 'NEW_INSTALLATION',
          productId: ext.product.id,
          channels: 2,
          lock: { type: 'MAC', value: '00:1b:21:3a:4f:61' },
          endUserCompany: 'External Oy',
          deliveryEmails: [ext.deliveryEmail],
        },
      }),
      201,
    );
    await waitForStatus(ext.asUser, id, 'PENDING_APPROVAL');
    const notWaiting = 'This request is not waiting for a license file';
    await expectRefusal(agent(`/api/requests/${id}/external-file`, { method: 'POST', raw: multipart('um4730.lic', 'x') }), 409, {
      message: notWaiting,
      errors: { file: notWaiting },
    });
    await json(agent(`/api/requests/${id}/approve`, { method: 'POST', body: {} }));
    await waitForStatus(ext.asUser, id, 'WAITING_FOR_FILE');
    const notALicense = 'Upload a license or request file (.lic, .req, .txt, .xml, .dat, .bin, .key, .json, .zip)';
    await expectRefusal(agent(`/api/requests/${id}/external-file`, { method: 'POST', raw: multipart('evil.html', '<script>') }), 422, {
      message: notALicense,
      errors: { file: notALicense },
    });
    const content = 'UM4730 LICENSE\nSERIAL=11-10465697\n';
    const uploaded = await json(agent(`/api/requests/${id}/external-file`, { method: 'POST', raw: multipart('../../um4730-11-10465697.lic', content) }), 201);
    expect(uploaded.attachment.fileName).toBe('um4730-11-10465697.lic');
    const done = await waitForStatus(ext.asUser, id, 'COMPLETED');
    const download = await ext.asUser(`/api/requests/${id}/attachments/${uploaded.attachment.id}`);
    expect(download.headers.get('content-type')).toBe('application/octet-stream');
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await download.text()).toBe(content);
    expect(await (await ext.asUser(`/api/licenses/${done.licenseId}/download`)).text()).toBe(content);

    const p = await api.newPartnerCompany({ stock: 10 });
    const license = await issueLicense(p, '00:1b:21:3a:4f:62', 6);
    const ret = await json(
      p.asUser('/api/requests', {
        method: 'POST',
        body: { type: 'RETURN_CONFIRMATION', serial: license.serial, channels: 2, deliveryEmails: [p.deliveryEmail] },
      }),
      201,
    );
    await waitForStatus(p.asUser, ret.id, 'PENDING_APPROVAL');
    await json(agent(`/api/requests/${ret.id}/approve`, { method: 'POST', body: {} }));
    await waitForStatus(p.asUser, ret.id, 'WAITING_CONFIRM');
    // Confirmed with the request file of the reduced installation (docs/request-file.md): 4 channels left.
    const reduced = JSON.stringify({
      format: 'license-desk-request-file/1',
      product: p.product.code,
      hardware: { type: 'MAC', mac: '00:1b:21:3a:4f:62' },
      installationId: `recorder-${p.tag}`,
      channels: 4,
      createdAt: new Date().toISOString(),
      nonce: `reduced-${p.tag}-0000000000`,
    });
    await json(p.asUser(`/api/requests/${ret.id}/confirm-return`, { method: 'POST', raw: multipart('reduced.req', reduced) }));
    const credited = await waitForStatus(p.asUser, ret.id, 'COMPLETED');
    expect(credited.attachments).toMatchObject([{ kind: 'REQUEST_FILE', fileName: 'reduced.req' }]);
    expect(await balanceOf(api.world.prisma, p.company.id, p.product.id)).toMatchObject({ available: 6 });
  });

  it('records returned hardware (RMA) on a hardware replacement', async () => {
    const p = await api.newPartnerCompany({ stock: 10 });
    const license = await issueLicense(p, '00:1b:21:3a:4f:63');
    const form = {
      type: 'HARDWARE_REPLACEMENT' as const,
      serial: license.serial,
      oldLock: { type: 'MAC' as const, value: '00:1b:21:3a:4f:63' },
      newLock: { type: 'MAC' as const, value: '00:1b:21:3a:4f:64' },
      reason: 'Mainboard failed',
      interimLicense: false,
      deliveryEmails: [p.deliveryEmail],
    };
    const { id } = await startAlwaysOpenReplacement(api.world, p, form);
    // The workflow's validator answers, in the phase the request is in: still being checked, or waiting for the desk.
    const early = await agent(`/api/requests/${id}/rma-received`, { method: 'POST', body: {} });
    expect(early.status).toBe(409);
    expect(
      ['validating', 'awaiting decision'].map((phase) => ({ message: `This request is not waiting for returned hardware: it is ${phase}.` })),
    ).toContainEqual(await early.json());
    await waitForStatus(p.asUser, id, 'PENDING_APPROVAL');
    await json(agent(`/api/requests/${id}/approve`, { method: 'POST', body: {} }));
    await waitForStatus(p.asUser, id, 'WAITING_FOR_RMA');
    await expectRefusal(p.asUser(`/api/requests/${id}/rma-received`, { method: 'POST', body: {} }), 403, { message: 'Your role does not allow this.' });
    await json(agent(`/api/requests/${id}/rma-received`, { method: 'POST', body: { note: 'Parcel 12345 arrived' } }), 202);
    const done = await waitForStatus(p.asUser, id, 'COMPLETED');
    expect(done.timeline.map((e: Json) => e.action)).toContain('rma_received');
  });

  it('lists the outbox with bodies and resends a message; rotates the signing key', async () => {
    const p = await api.newPartnerCompany({ stock: 10 });
    const license = await issueLicense(p, '00:1b:21:3a:4f:65');
    const mails = await json(agent(`/api/outbox${listParams({ filter: { requestId: license.requestId }, sort: ['createdAt', 'ASC'] })}`));
    expect(mails.length).toBeGreaterThanOrEqual(2);
    const approved = mails.find((m: Json) => /approved/.test(m.subject))!;
    expect(approved).toMatchObject({ status: 'SENT', to: [p.deliveryEmail] });
    expect(approved).not.toHaveProperty('text');
    const full = await json(agent(`/api/outbox/${approved.id}`));
    expect(full.text).toContain(license.serial);
    expect(full.attachments).toEqual([{ fileName: `license-${license.serial}.lic`, contentType: expect.any(String) }]);
    const copy = await json(agent(`/api/outbox/${approved.id}/resend`, { method: 'POST' }), 201);
    expect(copy).toMatchObject({ status: 'SENT', subject: approved.subject });
    expect(copy.id).not.toBe(approved.id);

    const before = await json(agent('/api/signing-keys'));
    expect(before.filter((k: Json) => k.status === 'ACTIVE')).toHaveLength(1);
    expect(JSON.stringify(before)).not.toMatch(/PRIVATE|privateKey/);
    await expectRefusal(agent('/api/signing-keys/rotate', { method: 'POST' }), 403, { message: 'Your role does not allow this.' });
    const rotated = await json(admin('/api/signing-keys/rotate', { method: 'POST' }), 201);
    expect(rotated).toMatchObject({ status: 'ACTIVE', signedRevisions: 0 });
    const after = await json(agent('/api/signing-keys'));
    expect(after.find((k: Json) => k.id === before.find((b: Json) => b.status === 'ACTIVE').id).status).toBe('RETIRED');
    // The file signed by the retired key still verifies.
    const file = await (await p.asUser(`/api/licenses/${license.licenseId}/download`)).text();
    expect(await json(api.anonymous('/api/verify', { method: 'POST', raw: file, headers: { 'content-type': 'application/json' } }))).toMatchObject({
      valid: true,
    });
  });
});
