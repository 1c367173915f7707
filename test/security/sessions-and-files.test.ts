import { createPrivateKey, generateKeyPairSync, hkdfSync, randomBytes, sign } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { OpenAPIV3_1 } from 'openapi-types';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { decryptPrivateKey, SIGNING_KEY_HKDF_INFO } from '../../services/signing/key-store.ts';
import { createStockLedger } from '../../services/stock-ledger.ts';
import { createApp } from '../../api/app.ts';
import { createSessionStore, hashToken, SESSION_COOKIE } from '../../api/auth/sessions.ts';
import { ORIGIN, startApiWorld, TEST_PASSWORD, until, type ApiWorld, type Call } from '../support/api-harness.ts';
import { expectRefusal } from '../support/answers.ts';
import { fileStack } from '../support/file-stack.ts';

type Partner = Awaited<ReturnType<ApiWorld['newPartnerCompany']>>;

/** The session token a response sets, or undefined. */
const sessionTokenOf = (response: Response) => /(?:^|,\s*)ld_session=([^;]*)/.exec(response.headers.get('set-cookie') ?? '')?.[1];

/** Ids that look like a path out of the download routes, raw and in the encodings servers have been fooled by. */
const TRAVERSALS = [
  '..%2F..%2Fetc%2Fpasswd',
  '..%2F..%2F',
  '../../',
  '../../etc/passwd',
  '..%252F..%252Fetc%252Fpasswd',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '%2E%2E/%2E%2E/etc/passwd',
  '..%5C..%5Cetc%5Cpasswd',
  '..\\..\\etc\\passwd',
  '....%2F%2F....%2F%2Fetc%2Fpasswd',
  '%c0%ae%c0%ae%c0%afetc%c0%afpasswd',
  '..%00%2Fetc%2Fpasswd',
  '%2Fetc%2Fpasswd',
  '.',
  '..',
];

/**
 * Sessions and files, as an attacker would try them: a planted session cookie survives no
 * login, a logged-out token is dead on the server, download ids cannot walk the file system, an
 * uploaded name cannot carry a path, a changed license file does not verify, and the private
 * signing keys appear in no response and no log line.
 */
describe('security: sessions, downloads, license files and signing keys', () => {
  let api: ApiWorld;
  let p: Partner;
  let attacker: Partner;
  let deskAgent: Call;
  let deskAdmin: Call;
  let signed: { requestId: string; licenseId: string; serial: string };
  const uploads: Array<{
    name: string;
    content: string;
    requestId: string;
    response: Response;
    body: { attachment?: { id: string; fileName: string }; message?: string };
  }> = [];

  const statusOf = async (requestId: string) => (await api.world.prisma.request.findUniqueOrThrow({ where: { id: requestId } })).status;
  const waitForStatus = (requestId: string, status: string) =>
    until(async () => ((await statusOf(requestId)) === status ? true : undefined), `request ${requestId} ${status}`);

  /** Submits a new installation of `productId` as the partner and approves it as the desk. */
  async function submitAndApprove(productId: string) {
    const mac = `c8${randomBytes(5).toString('hex')}`;
    const response = await p.asUser('/api/requests', {
      method: 'POST',
      body: {
        type: 'NEW_INSTALLATION',
        productId,
        channels: 3,
        lock: { type: 'MAC', value: mac },
        endUserCompany: 'Harbour Security Ltd',
        deliveryEmails: [p.deliveryEmail],
      },
    });
    expect(response.status, await response.clone().text()).toBe(201);
    const { id } = (await response.json()) as { id: string };
    await waitForStatus(id, 'PENDING_APPROVAL');
    const approved = await deskAgent(`/api/requests/${id}/approve`, { method: 'POST', body: {} });
    expect(approved.status, await approved.clone().text()).toBe(200);
    return id;
  }

  /** An external product's request, waiting for the desk's file, which is then uploaded under `name`. */
  async function uploadExternalFile(productId: string, name: string, content: string) {
    const requestId = await submitAndApprove(productId);
    await waitForStatus(requestId, 'WAITING_FOR_FILE');
    const form = new FormData();
    form.append('file', new Blob([content]), name);
    const response = await deskAgent(`/api/requests/${requestId}/external-file`, { method: 'POST', raw: form });
    uploads.push({ name, content, requestId, response, body: (await response.clone().json()) as never });
  }

  beforeAll(async () => {
    api = await startApiWorld();
    [p, attacker] = await Promise.all([api.newPartnerCompany({ stock: 30 }), api.newPartnerCompany()]);
    const [agent, admin] = await Promise.all([api.newDeskUser('DESK_AGENT'), api.newDeskUser('DESK_ADMIN')]);
    [deskAgent, deskAdmin] = await Promise.all([api.as(agent.id), api.as(admin.id)]);
    // An external product of the same company: its license file is uploaded by the desk.
    const external = await api.world.prisma.product.create({
      data: {
        code: `EXT-${p.tag}`,
        name: `External ${p.tag}`,
        family: 'Third party',
        version: '1',
        tier: null,
        maxChannels: 64,
        lockType: 'MAC',
        smaMonths: 0,
        external: true,
      },
    });
    await api.world.prisma.stockLedgerEntry.create({
      data: { companyId: p.company.id, productId: external.id, kind: 'CREDIT', channels: 30, idempotencyKey: `opening:ext:${p.tag}` },
    });

    const [requestId] = await Promise.all([
      submitAndApprove(p.product.id),
      uploadExternalFile(external.id, '../../evil.lic', 'EXTERNAL LICENSE\nPORTS=3\n'),
      uploadExternalFile(external.id, '..\\..\\..\\Windows\\System32\\evil.lic', 'EXTERNAL LICENSE\nPORTS=3\nWINDOWS\n'),
    ]);
    await waitForStatus(requestId, 'COMPLETED');
    const request = await api.world.prisma.request.findUniqueOrThrow({ where: { id: requestId }, include: { license: true } });
    signed = { requestId, licenseId: request.licenseId!, serial: request.license!.serial };
    for (const upload of uploads) if (upload.response.status === 201) await waitForStatus(upload.requestId, 'COMPLETED');
  }, 180_000);
  afterAll(() => api?.stop());

  describe('session fixation and logout', () => {
    const login = (email: string, cookie?: string) =>
      api.anonymous('/api/auth/login', { method: 'POST', body: { email, password: TEST_PASSWORD }, headers: cookie ? { cookie } : {}, ip: api.nextIp() });
    const me = (token: string) => api.anonymous('/api/auth/me', { headers: { cookie: `${SESSION_COOKIE}=${token}` } });

    it('does not keep a session token chosen by an attacker: login answers a new one, and the planted value stays invalid', async () => {
      // Shaped like a real token (43 base64url characters), so only the server's refusal protects.
      const planted = randomBytes(32).toString('base64url');
      const response = await login(p.user.email, `${SESSION_COOKIE}=${planted}`);
      expect(response.status).toBe(200);
      const issued = sessionTokenOf(response);
      expect(issued).toMatch(/^[\w-]{43}$/);
      expect(issued).not.toBe(planted);
      expect(await api.world.prisma.session.count({ where: { id: hashToken(planted) } })).toBe(0);
      await expectRefusal(me(planted), 401, { message: 'Please log in.' });
      const mine = await me(issued!);
      expect(mine.status).toBe(200);
      expect(await mine.json()).toMatchObject({ id: p.user.id });
    });

    it("does not keep another user's valid session sent with a login: the victim gets a new token and the planted one dies", async () => {
      // The attacker's own, live session, planted in the victim's browser before the victim logs in.
      const planted = await createSessionStore(api.world.prisma).create(attacker.user.id);
      expect(await (await me(planted)).json()).toMatchObject({ id: attacker.user.id });

      const response = await login(p.user.email, `${SESSION_COOKIE}=${planted}`);
      expect(response.status).toBe(200);
      const issued = sessionTokenOf(response)!;
      expect(issued).not.toBe(planted);
      // The victim's requests run as the victim, never inside the attacker's session.
      expect(await (await me(issued)).json()).toMatchObject({ id: p.user.id, companyId: p.company.id });
      // The planted value is not a session any more: the attacker cannot ride the victim's login.
      await expectRefusal(me(planted), 401, { message: 'Please log in.' });
      await expectRefusal(api.anonymous('/api/requests', { headers: { cookie: `${SESSION_COOKIE}=${planted}` } }), 401, { message: 'Please log in.' });
      expect(await api.world.prisma.session.count({ where: { id: hashToken(planted) } })).toBe(0);
    });

    it('ends the session on the server at logout: replaying the old cookie gets 401 everywhere', async () => {
      const token = sessionTokenOf(await login(p.user.email))!;
      const cookie = `${SESSION_COOKIE}=${token}`;
      expect((await api.anonymous(`/api/requests/${signed.requestId}`, { headers: { cookie } })).status).toBe(200);

      const out = await api.anonymous('/api/auth/logout', { method: 'POST', headers: { cookie } });
      expect(out.status).toBe(204);
      // The browser is told to drop it, but the server does not rely on that.
      expect(out.headers.get('set-cookie')).toMatch(/ld_session=;.*Max-Age=0/);
      expect(await api.world.prisma.session.count({ where: { id: hashToken(token) } })).toBe(0);

      const replays = [
        await api.anonymous('/api/auth/me', { headers: { cookie } }),
        await api.anonymous(`/api/requests/${signed.requestId}`, { headers: { cookie } }),
        await api.anonymous(`/api/licenses/${signed.licenseId}/download`, { headers: { cookie } }),
        await api.anonymous(`/api/requests/${signed.requestId}/comments`, { method: 'POST', body: { body: 'after logout' }, headers: { cookie } }),
      ];
      expect(replays.map((r) => r.status)).toEqual([401, 401, 401, 401]);
      for (const replay of replays) await expectRefusal(replay, 401, { message: 'Please log in.' });
      expect(await api.world.prisma.requestComment.count({ where: { requestId: signed.requestId, body: 'after logout' } })).toBe(0);
    });
  });

  describe('file downloads and uploads', () => {
    it('answers path-traversal ids on the download routes with a 4xx and a message, never a file or a 5xx', async () => {
      const attachment = uploads.find((u) => u.response.status === 201)!.body.attachment!;
      const attachmentRequest = uploads.find((u) => u.body.attachment?.id === attachment.id)!.requestId;
      const routes = [
        (x: string) => `/api/licenses/${x}/download`,
        (x: string) => `/api/licenses/${x}`,
        (x: string) => `/api/licenses/${signed.licenseId}/${x}`,
        (x: string) => `/api/licenses/${signed.licenseId}%2F${x}/download`,
        (x: string) => `/api/requests/${attachmentRequest}/attachments/${x}`,
        (x: string) => `/api/requests/${x}/attachments/${attachment.id}`,
        (x: string) => `/api/requests/${attachmentRequest}/attachments/${attachment.id}%2F${x}`,
        (x: string) => `/api/docs/${x}`,
      ];
      const statuses = new Map<number, number>();
      for (const caller of [p.asAdmin, deskAdmin]) {
        for (const route of routes) {
          for (const id of TRAVERSALS) {
            const url = route(id);
            const response = await caller(url);
            const text = await response.text();
            expect(response.status, `${url}: ${text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
            expect(response.status, `${url}: ${text.slice(0, 200)}`).toBeLessThan(500);
            expect(typeof (JSON.parse(text) as { message?: unknown }).message, url).toBe('string');
            expect(text, url).not.toMatch(/root:x?:0:0|\[boot loader\]|"name":\s*"license-desk"/);
            expect(response.headers.get('content-disposition'), url).toBeNull();
            statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          }
        }
      }
      // Mostly refused by the id validators (422) or unknown (404).
      expect(
        [...statuses.keys()].every((s) => s === 404 || s === 422),
        JSON.stringify([...statuses]),
      ).toBe(true);
      expect(statuses.get(422)).toBeGreaterThan(0);
    });

    it('does not serve a file outside the built UI for traversal paths (static files with the index.html fallback)', async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'ld-static-'));
      try {
        await mkdir(path.join(dir, 'ui'));
        await writeFile(path.join(dir, 'ui', 'index.html'), '<!doctype html><title>License Desk</title>APP SHELL');
        await writeFile(path.join(dir, 'secret.txt'), 'TOP SECRET FILE OUTSIDE THE UI');
        const app = createApp({
          prisma: api.world.prisma,
          temporal: { connection: api.world.connection, namespace: fileStack.temporalNamespace },
          smtpUrl: fileStack.smtpUrl,
          sessions: createSessionStore(api.world.prisma),
          publicUrl: ORIGIN,
          uiDir: path.join(dir, 'ui'),
          log: () => {},
        });
        expect(await (await app.request('/')).text()).toContain('APP SHELL');
        for (const probe of [
          '/..%2Fsecret.txt',
          '/../secret.txt',
          '/%2e%2e/secret.txt',
          '/%2e%2e%2fsecret.txt',
          '/..%5Csecret.txt',
          '/..\\secret.txt',
          '/....//secret.txt',
          '/.%2e/secret.txt',
          '/%252e%252e%252fsecret.txt',
          '/assets/..%2F..%2Fsecret.txt',
        ]) {
          const response = await app.request(probe);
          expect(response.status, probe).toBeLessThan(500);
          expect(await response.text(), probe).not.toContain('TOP SECRET');
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('stores an upload named with a path under its last segment and serves it back with a safe Content-Disposition', async () => {
      expect(uploads).toHaveLength(2);
      for (const upload of uploads) {
        expect(upload.response.status, JSON.stringify(upload.body)).toBe(201);
        const { id, fileName } = upload.body.attachment!;
        expect(fileName, upload.name).toBe('evil.lic');
        const row = await api.world.prisma.requestAttachment.findUniqueOrThrow({ where: { id } });
        expect(row.fileName).toBe('evil.lic');
        expect(Buffer.from(row.content).toString('utf8')).toBe(upload.content);

        for (const caller of [p.asUser, deskAgent]) {
          const response = await caller(`/api/requests/${upload.requestId}/attachments/${id}`);
          expect(response.status).toBe(200);
          const disposition = response.headers.get('content-disposition')!;
          expect(disposition).toMatch(/^attachment; filename="[^"/\\\r\n]+"$/);
          expect(disposition).toBe('attachment; filename="evil.lic"');
          expect(response.headers.get('content-type')).toBe('application/octet-stream');
          expect(response.headers.get('x-content-type-options')).toBe('nosniff');
          expect(await response.text()).toBe(upload.content);
        }

        // The license issued with it downloads under the same safe name.
        const request = await api.world.prisma.request.findUniqueOrThrow({ where: { id: upload.requestId } });
        const download = await p.asUser(`/api/licenses/${request.licenseId}/download`);
        expect(download.status).toBe(200);
        expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="[^"/\\\r\n]+"$/);
        expect(await download.text()).toBe(upload.content);
      }
    });
  });

  describe('license verification', () => {
    const verify = (text: string) => api.anonymous('/api/verify', { method: 'POST', raw: text, headers: { 'content-type': 'text/plain' } });
    type Verdict = { valid: boolean; reason?: string; message?: string; kid?: string; grants?: { serial: string; channels: number } };

    it('answers a genuine file as valid and a file with one changed digit, signature character or key id as not valid, with a reason', async () => {
      const genuine = await (await p.asUser(`/api/licenses/${signed.licenseId}/download`)).text();
      const document = JSON.parse(genuine) as { kid: string; data: string; sig: string };
      const withFields = (changes: Partial<typeof document>) => `${JSON.stringify({ ...document, ...changes }, null, 2)}\n`;

      const ok = await verify(genuine);
      expect(ok.status).toBe(200);
      expect(await ok.json()).toMatchObject({ valid: true, kid: document.kid, grants: { serial: signed.serial, channels: 3 } });

      // A rotation later, the file still verifies (retired keys stay published) and a second kid exists to swap in.
      expect((await deskAdmin('/api/signing-keys/rotate', { method: 'POST' })).status).toBe(201);
      expect(await (await verify(genuine)).json()).toMatchObject({ valid: true, kid: document.kid });
      const keys = await api.world.prisma.signingKey.findMany({ select: { id: true } });
      const otherKid = keys.map((k) => k.id).find((kid) => kid !== document.kid)!;

      // One digit of channels in the signed data: 3 becomes 4.
      const grantsJson = Buffer.from(document.data, 'base64url').toString('utf8');
      expect(grantsJson).toContain('"channels":3,');
      const moreChannels = Buffer.from(grantsJson.replace('"channels":3,', '"channels":4,'), 'utf8').toString('base64url');
      // One character of the signature (in the middle, so the spelling stays canonical base64).
      const at = 40;
      const sigChar = document.sig[at] === 'A' ? 'B' : 'A';
      const oneSigChar = document.sig.slice(0, at) + sigChar + document.sig.slice(at + 1);
      // The changed data signed again by an attacker's own key, under our kid.
      const forger = generateKeyPairSync('ed25519').privateKey;
      const forgedSig = sign(null, Buffer.from(moreChannels, 'ascii'), forger).toString('base64');

      const changedFor = (kid: string) => `The signature does not match the license data for key ${kid}: the file was changed after signing.`;
      const tampered: Array<[string, string, string, string]> = [
        ['one digit of channels in data', withFields({ data: moreChannels }), 'bad-signature', changedFor(document.kid)],
        ['one character of sig', withFields({ sig: oneSigChar }), 'bad-signature', changedFor(document.kid)],
        ['kid swapped for our other key', withFields({ kid: otherKid }), 'bad-signature', changedFor(otherKid)],
        [
          'kid swapped for an unknown key',
          withFields({ kid: 'ld-20261122-deadbeef' }),
          'unknown-key',
          'The file was signed with key ld-20261122-deadbeef, which is not one of our signing keys; it is not genuine or comes from another installation.',
        ],
        ['data changed and signed by another key', withFields({ data: moreChannels, sig: forgedSig }), 'bad-signature', changedFor(document.kid)],
        [
          'sig removed',
          withFields({ sig: '' }),
          'malformed',
          'This is not a License Desk license file: "sig" must hold a 64-byte Ed25519 signature, found 0 bytes',
        ],
      ];
      for (const [what, text, reason, message] of tampered) {
        const response = await verify(text);
        const body = (await response.json()) as Verdict;
        expect(response.status, what).toBe(422);
        expect(body.valid, what).toBe(false);
        expect(body.reason, what).toBe(reason);
        expect(body.message, what).toMatch(/\w{3,}/);
        expect(body.message, what).toBe(message);
        expect(body.grants, what).toBeUndefined();
      }
    });
  });

  describe('private signing keys', () => {
    /** Every spelling of the private key material a response or log line might carry. */
    async function secretSpellings() {
      const secret = inject('signingKeySecret');
      const rows = await api.world.prisma.signingKey.findMany();
      expect(rows.length).toBeGreaterThanOrEqual(2);
      const spellings: Array<[string, string]> = [
        ['SIGNING_KEY_SECRET', secret],
        ['SIGNING_KEY_SECRET bytes (hex)', Buffer.from(secret, 'base64').toString('hex')],
      ];
      for (const row of rows) {
        const privateKey = decryptPrivateKey(row.privateKeyEnc, secret, row.id);
        const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
        const pemBody = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
        const der = privateKey.export({ type: 'pkcs8', format: 'der' });
        const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url');
        // The decrypted key is the one the table's public half belongs to.
        expect(createPrivateKey(pem).asymmetricKeyType).toBe('ed25519');
        const sealed = Buffer.from(row.privateKeyEnc);
        const wrapping = Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.from(row.id, 'utf8'), SIGNING_KEY_HKDF_INFO, 32));
        spellings.push(
          [`${row.id} private PEM`, pem.trim()],
          [`${row.id} private PEM body`, pemBody],
          ...pemBody.match(/.{1,64}/g)!.map((line, i): [string, string] => [`${row.id} private PEM line ${i + 1}`, line]),
          [`${row.id} PKCS#8 DER (base64)`, der.toString('base64')],
          [`${row.id} PKCS#8 DER (base64url)`, der.toString('base64url')],
          [`${row.id} PKCS#8 DER (hex)`, der.toString('hex')],
          [`${row.id} raw private key (base64)`, seed.toString('base64').replace(/=+$/, '')],
          [`${row.id} raw private key (base64url)`, seed.toString('base64url')],
          [`${row.id} raw private key (hex)`, seed.toString('hex')],
          [`${row.id} encrypted blob (base64)`, sealed.toString('base64').replace(/=+$/, '')],
          [`${row.id} encrypted blob (base64url)`, sealed.toString('base64url')],
          [`${row.id} encrypted blob (hex)`, sealed.toString('hex')],
          // A Bytes column put through JSON.stringify: {"0":12,"1":200,…} or [12,200,…].
          [`${row.id} encrypted blob (JSON object)`, [...sealed.subarray(0, 8)].map((b, i) => `"${i}":${b}`).join(',')],
          [`${row.id} encrypted blob (JSON array)`, `[${[...sealed.subarray(0, 8)].join(',')}`],
          [`${row.id} AES wrapping key (base64)`, wrapping.toString('base64').replace(/=+$/, '')],
          [`${row.id} AES wrapping key (hex)`, wrapping.toString('hex')],
        );
      }
      return spellings;
    }

    /** The names of the spellings found in `text` (hex in either case), and any field named like a private key. */
    const leaks = (text: string, spellings: Array<[string, string]>) => [
      ...spellings.filter(([, value]) => text.includes(value) || (/^[0-9a-f]+$/.test(value) && text.toLowerCase().includes(value))).map(([name]) => name),
      ...(/privateKey(Enc|Pem|Der)?"?\s*[:=]/i.test(text) ? ['a privateKey field'] : []),
    ];

    /** The text a person or program could read from a response: headers and body (spreadsheets opened). */
    async function readable(response: Response) {
      const headers: string[] = [];
      response.headers.forEach((value, name) => headers.push(`${name}: ${value}`));
      const type = response.headers.get('content-type') ?? '';
      if (type.includes('spreadsheetml')) {
        const workbook = new ExcelJS.Workbook();
        await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as never);
        const cells: string[] = [];
        workbook.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.text)))));
        return `${headers.join('\n')}\n${cells.join('\n')}`;
      }
      return `${headers.join('\n')}\n${await response.text()}`;
    }

    it('never shows a private key, its encrypted blob or SIGNING_KEY_SECRET: rotate and list, every GET route of the OpenAPI document, and the logs', async () => {
      const rotated = await deskAdmin('/api/signing-keys/rotate', { method: 'POST' });
      expect(rotated.status).toBe(201);
      const rotatedText = await readable(rotated);
      const listed = await deskAdmin('/api/signing-keys');
      expect(listed.status).toBe(200);
      const listedText = await readable(listed);
      const spellings = await secretSpellings();
      // The detector finds what it looks for: a key row as Prisma reads it, put through JSON, and a PEM.
      const row = await api.world.prisma.signingKey.findFirstOrThrow();
      expect(leaks(JSON.stringify(row), spellings)).toEqual(
        expect.arrayContaining([expect.stringMatching(/encrypted blob \(JSON (object|array)\)/), 'a privateKey field']),
      );
      const pem = decryptPrivateKey(row.privateKeyEnc, inject('signingKeySecret'), row.id).export({ type: 'pkcs8', format: 'pem' }).toString();
      expect(leaks(JSON.stringify({ pem }), spellings)).toContain(`${row.id} private PEM line 1`);
      // The public halves are there; the private ones are not.
      expect(listedText).toContain('BEGIN PUBLIC KEY');
      expect(leaks(rotatedText, spellings), 'POST /api/signing-keys/rotate').toEqual([]);
      expect(leaks(listedText, spellings), 'GET /api/signing-keys').toEqual([]);

      // Real ids of the partner's own rows, so that each route answers with content.
      const token = (await (await p.asAdmin('/api/api-tokens', { method: 'POST', body: { name: 'Crawl' } })).json()) as { id: string };
      const endpoint = (await (
        await p.asAdmin('/api/webhook-endpoints', { method: 'POST', body: { url: 'https://erp.example.com/hooks', events: ['stock.changed'] } })
      ).json()) as { id: string; secret: string };
      // A webhook secret is shown once, at creation: no GET route shows it again.
      spellings.push(['webhook endpoint secret', endpoint.secret]);
      await createStockLedger(api.world.prisma).credit({ companyId: p.company.id, productId: p.product.id }, 1, `crawl-webhook:${p.company.id}`);
      const delivery = await api.world.prisma.webhookDelivery.findFirstOrThrow({ where: { endpointId: endpoint.id } });
      const outbox = await api.world.prisma.outboxEmail.findFirstOrThrow({ where: { requestId: signed.requestId } });
      const upload = uploads.find((u) => u.body.attachment)!;
      const ids: Record<string, Record<string, string>> = {
        requests: { id: upload.requestId, attachmentId: upload.body.attachment!.id },
        licenses: { id: signed.licenseId },
        products: { id: p.product.id },
        companies: { id: p.company.id },
        users: { id: p.user.id },
        stocks: { id: `${p.company.id}_${p.product.id}` },
        outbox: { id: outbox.id },
        'api-tokens': { id: token.id },
        'webhook-endpoints': { id: endpoint.id },
        'webhook-deliveries': { id: delivery.id },
      };
      const fill = (template: string) =>
        template.replace(/\{(\w+)\}/g, (_, name: string) => {
          const value = ids[template.split('/')[2]!]?.[name];
          if (!value) throw new Error(`No real id for {${name}} in ${template}: add one to the crawl`);
          return value;
        });

      const document = (await (await deskAdmin('/api/openapi.json')).json()) as OpenAPIV3_1.Document;
      const getPaths = Object.entries(document.paths ?? {})
        .filter(([, item]) => item?.get)
        .map(([p]) => p);
      expect(getPaths.length).toBeGreaterThan(25);
      const answered = new Map<string, number[]>();
      for (const [who, caller] of [
        ['desk admin', deskAdmin],
        ['partner admin', p.asAdmin],
      ] as const) {
        for (const template of [...getPaths, '/api/openapi.json', '/api/docs', '/api/docs/init.js']) {
          const url = fill(template);
          const response = await caller(url);
          const text = await readable(response);
          expect(response.status, `${who} GET ${url}: ${text.slice(-200)}`).toBeLessThan(500);
          expect(leaks(text, spellings), `${who} GET ${url}`).toEqual([]);
          answered.set(template, [...(answered.get(template) ?? []), response.status]);
        }
      }
      // Each route answered with content to at least one of the two (the desk-only ones to the desk).
      const neverOk = [...answered].filter(([, statuses]) => !statuses.some((s) => s >= 200 && s < 300));
      expect(neverOk).toEqual([]);

      // Every line the API logged during this suite (logins, requests, errors).
      expect(api.logLines.length).toBeGreaterThan(100);
      for (const line of api.logLines) expect(leaks(line, spellings), line.slice(0, 200)).toEqual([]);
    }, 120_000);
  });
});
