import { execFile } from 'node:child_process';
import { createDecipheriv, createPrivateKey, createPublicKey, hkdfSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createKeyStore, type KeyStore } from '../../services/signing/key-store.ts';
import { signLicense, verifyWithStore } from '../../services/signing/sign-license.ts';
import { createPrismaClient, type PrismaClient } from '../../prisma/client.ts';
import { BASE64_ALPHABET, BASE64URL_ALPHABET, changeCharAt, sampleGrants, withField } from './grants-fixture.ts';
import { fileStack } from '../support/file-stack.ts';

const run = promisify(execFile);

// The SigningKey table is shared with other test files (run one after another): no test here
// assumes it starts empty, and every key left behind is a valid, verifiable key.
describe('signing keys and license files (PostgreSQL)', () => {
  let prisma: PrismaClient;
  let keyStore: KeyStore;
  let secret: string;
  let tmp: string;

  beforeAll(async () => {
    prisma = createPrismaClient(fileStack.databaseUrl);
    secret = inject('signingKeySecret');
    // This suite retires keys behind the store's back, as another process would, so this store
    // reads the active key from the table every time (the cache has its own test below).
    keyStore = createKeyStore({ prisma, secret, activeKeyCacheMs: 0 });
    tmp = await mkdtemp(path.join(os.tmpdir(), 'license-desk-signing-'));
  });
  afterAll(async () => {
    await prisma?.$disconnect();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('creates exactly one ACTIVE key when many callers race on a table without one', async () => {
    // Open the pool's connections first, so that the callers really do overlap.
    await Promise.all(Array.from({ length: 8 }, () => prisma.$queryRaw`SELECT pg_sleep(0.05)::text`));
    for (let round = 1; round <= 3; round++) {
      // The "no active key" state without deleting anything: retired keys still verify.
      await prisma.signingKey.updateMany({ where: { status: 'ACTIVE' }, data: { status: 'RETIRED', retiredAt: new Date() } });
      // Separate stores (no shared memory) on one pool: only the database can serialise them.
      const racers = Array.from({ length: 8 }, () => createKeyStore({ prisma, secret }));
      const keys = await Promise.all(racers.map((store) => store.activeKey()));
      expect(new Set(keys.map((key) => key.kid)).size, `round ${round}`).toBe(1);
      expect(await prisma.signingKey.count({ where: { status: 'ACTIVE' } }), `round ${round}`).toBe(1);
      expect(keys[0]).toMatchObject({ algorithm: 'Ed25519', status: 'ACTIVE', retiredAt: null });
      expect(keys[0]!.kid).toMatch(/^ld-\d{8}-[0-9a-f]{8}$/);
      expect(keys[0]!.kid.slice(3, 11)).toBe(new Date().toISOString().slice(0, 10).replaceAll('-', ''));
      expect((await keyStore.activeKey()).kid).toBe(keys[0]!.kid);
    }
  });

  it("keeps the active key for activeKeyCacheMs, sees its own rotation at once and another process's after that", async () => {
    const worker = createKeyStore({ prisma, secret, activeKeyCacheMs: 300 });
    const api = createKeyStore({ prisma, secret, activeKeyCacheMs: 300 });
    const before = await worker.activeKey();
    const rotatedHere = await worker.rotate();
    expect((await worker.activeKey()).kid).toBe(rotatedHere.kid);

    const rotatedElsewhere = await api.rotate();
    // Within the cache time the worker still signs with the key it knew (which still verifies).
    expect((await worker.sign(new Uint8Array([1]))).kid).toBe(rotatedHere.kid);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect((await worker.sign(new Uint8Array([1]))).kid).toBe(rotatedElsewhere.kid);
    expect(new Set([before.kid, rotatedHere.kid, rotatedElsewhere.kid]).size).toBe(3);
  });

  it('signs and verifies a license file round trip', async () => {
    const grants = sampleGrants({ serial: 'RT0000000001' });
    const signed = await signLicense({ keyStore, grants });
    expect(signed.fileName).toBe('license-RT0000000001.lic');
    expect(signed.kid).toBe((await keyStore.activeKey()).kid);
    expect(JSON.parse(signed.content).kid).toBe(signed.kid);
    expect(await verifyWithStore(keyStore, signed.content)).toEqual({ valid: true, kid: signed.kid, grants });

    // A store that has never seen the key (a new process) decrypts it from the table.
    const fresh = createKeyStore({ prisma, secret });
    const { kid, signature } = await fresh.sign(new TextEncoder().encode('hello'));
    expect(kid).toBe(signed.kid);
    expect(signature).toHaveLength(64);
  });

  it('fails after a one-character change in data, sig or kid', async () => {
    const { content } = await signLicense({ keyStore, grants: sampleGrants({ serial: 'TAMPER000001' }) });
    const { data, sig } = JSON.parse(content) as { data: string; sig: string };
    const changed = {
      data: withField(content, 'data', (d) => changeCharAt(d, Math.floor(data.length / 2), BASE64URL_ALPHABET)),
      sig: withField(content, 'sig', (s) => changeCharAt(s, Math.floor(sig.length / 3), BASE64_ALPHABET)),
      kid: withField(content, 'kid', (k) => changeCharAt(k, k.length - 1, '0123456789abcdef')),
    };
    expect(await verifyWithStore(keyStore, changed.data)).toMatchObject({ valid: false, reason: 'bad-signature' });
    expect(await verifyWithStore(keyStore, changed.sig)).toMatchObject({ valid: false, reason: 'bad-signature' });
    expect(await verifyWithStore(keyStore, changed.kid)).toMatchObject({ valid: false, reason: 'unknown-key' });
  });

  it('verifies with openssl and the published PEM, without our code', async () => {
    // -rawin (sign or verify the message itself, as Ed25519 needs) arrived in OpenSSL 3.0.
    expect((await run('openssl', ['version'])).stdout).toMatch(/^OpenSSL (?:[3-9]|[1-9]\d)\./);
    const { content, kid } = await signLicense({ keyStore, grants: sampleGrants({ serial: 'OPENSSL00001' }) });
    const published = (await keyStore.publicKeys()).find((key) => key.kid === kid)!;
    const keyPem = path.join(tmp, 'key.pem');
    await writeFile(keyPem, published.publicKeyPem);

    const opensslVerify = async (licenseText: string, name: string) => {
      const { data, sig } = JSON.parse(licenseText) as { data: string; sig: string };
      const dataFile = path.join(tmp, `${name}-data.txt`);
      const sigFile = path.join(tmp, `${name}-sig.bin`);
      await writeFile(dataFile, data); // as `jq -j .data`: no trailing newline
      await writeFile(sigFile, Buffer.from(sig, 'base64')); // as `base64 -d`
      const args = ['pkeyutl', '-verify', '-pubin', '-inkey', keyPem, '-rawin', '-in', dataFile, '-sigfile', sigFile];
      return run('openssl', args).then(
        ({ stdout }) => ({ ok: true, output: stdout }),
        (error: { code?: number; stdout?: string }) => ({ ok: false, output: `${error.code} ${error.stdout ?? ''}` }),
      );
    };

    expect(await opensslVerify(content, 'genuine')).toEqual({ ok: true, output: 'Signature Verified Successfully\n' });
    const data = JSON.parse(content).data as string;
    const tampered = withField(content, 'data', (d) => changeCharAt(d, data.length - 10, BASE64URL_ALPHABET));
    expect(await opensslVerify(tampered, 'tampered')).toMatchObject({ ok: false, output: expect.stringMatching(/^1 Signature Verification Failure/) });
    const badSig = withField(content, 'sig', (s) => changeCharAt(s, 5, BASE64_ALPHABET));
    expect(await opensslVerify(badSig, 'bad-sig')).toMatchObject({ ok: false });

    // The documented shell recipe, word for word (jq and base64 from the OS).
    const licFile = path.join(tmp, 'license.lic');
    await writeFile(licFile, content);
    const recipe =
      'jq -j .data license.lic > data.txt; jq -r .sig license.lic | base64 -d > sig.bin; ' +
      'openssl pkeyutl -verify -pubin -inkey key.pem -rawin -in data.txt -sigfile sig.bin';
    expect((await run('sh', ['-c', recipe], { cwd: tmp })).stdout).toBe('Signature Verified Successfully\n');
    await writeFile(licFile, tampered);
    await expect(run('sh', ['-c', recipe], { cwd: tmp })).rejects.toMatchObject({ code: 1 });
  });

  it('keeps verifying files signed before a rotation', async () => {
    const before = await signLicense({ keyStore, grants: sampleGrants({ serial: 'ROTATE000001' }) });
    const rotated = await keyStore.rotate();
    expect(rotated.kid).not.toBe(before.kid);
    expect(rotated).toMatchObject({ status: 'ACTIVE', retiredAt: null });
    expect(await prisma.signingKey.count({ where: { status: 'ACTIVE' } })).toBe(1);

    const after = await signLicense({ keyStore, grants: sampleGrants({ serial: 'ROTATE000002' }) });
    expect(after.kid).toBe(rotated.kid);
    expect(await verifyWithStore(keyStore, before.content)).toMatchObject({ valid: true, kid: before.kid });
    expect(await verifyWithStore(keyStore, after.content)).toMatchObject({ valid: true, kid: rotated.kid });
    // Another process verifies too.
    expect(await verifyWithStore(createKeyStore({ prisma, secret }), before.content)).toMatchObject({ valid: true });

    const published = await keyStore.publicKeys();
    const old = published.find((key) => key.kid === before.kid)!;
    const current = published.find((key) => key.kid === rotated.kid)!;
    expect(old).toMatchObject({ status: 'RETIRED', algorithm: 'Ed25519', retiredAt: expect.any(Date) });
    expect(old.retiredAt!.getTime()).toBeGreaterThanOrEqual(old.createdAt.getTime());
    expect(current).toMatchObject({ status: 'ACTIVE', algorithm: 'Ed25519', retiredAt: null });
    expect(published.indexOf(old)).toBeLessThan(published.indexOf(current));
    expect(createPublicKey(current.publicKeyPem).asymmetricKeyType).toBe('ed25519');
    expect(Object.keys(current).sort()).toEqual(['algorithm', 'createdAt', 'kid', 'publicKeyPem', 'retiredAt', 'status']);
  });

  it('stores the private key encrypted as documented, and a wrong secret says so', async () => {
    const { kid, publicKeyPem } = await keyStore.activeKey();
    const row = await prisma.signingKey.findUniqueOrThrow({ where: { id: kid } });
    const stored = Buffer.from(row.privateKeyEnc);

    // Decrypt independently, following the documented scheme: iv(12) | tag(16) | AES-256-GCM(PKCS#8 DER).
    const aesKey = Buffer.from(hkdfSync('sha256', secret, kid, 'license-desk signing key', 32));
    const decipher = createDecipheriv('aes-256-gcm', aesKey, stored.subarray(0, 12));
    decipher.setAuthTag(stored.subarray(12, 28));
    const der = Buffer.concat([decipher.update(stored.subarray(28)), decipher.final()]);
    const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    expect(createPublicKey(privateKey).export({ type: 'spki', format: 'pem' })).toBe(publicKeyPem);

    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url');
    expect(seed).toHaveLength(32);
    expect(stored.includes(der)).toBe(false);
    expect(stored.includes(seed)).toBe(false);
    expect(stored.toString('latin1')).not.toContain('PRIVATE KEY');
    expect(stored.toString('latin1')).not.toContain(pem.split('\n')[1]!);

    const wrong = createKeyStore({ prisma, secret: `${secret}-but-not-quite` });
    await expect(wrong.sign(new Uint8Array([1, 2, 3]))).rejects.toThrow(`SIGNING_KEY_SECRET does not decrypt signing key ${kid}; was the secret changed?`);
    await expect(signLicense({ keyStore: wrong, grants: sampleGrants() })).rejects.toThrow(/was the secret changed\?/);
    expect(() => createKeyStore({ prisma, secret: 'short' })).toThrow(/at least 32 characters/);
  });
});
