import { generateKeyPairSync, sign } from 'node:crypto';
import { createKeyStore } from '../services/signing/key-store.ts';
import { signLicense } from '../services/signing/sign-license.ts';
import { parseLicenseFile, type LicenseGrants } from '../domain/license-file.ts';
import type { PrismaClient } from '../prisma/client.ts';

export const SIGNING_SECONDS = 3;

/** What a typical license file grants: a V9 Pro with 16 channels on a MAC. */
export const SAMPLE_GRANTS: LicenseGrants = {
  serial: 'V8WJNEE89Q6A',
  revision: 1,
  product: { code: 'MIRASYS-V9-PRO', name: 'V9 Pro', version: '9.0', tier: 'PRO', isDemo: false },
  channels: 16,
  vcaChannels: 2,
  lock: { type: 'MAC', value: 'c8d9d29aa31b' },
  owner: { companyId: '0b7a4c1e-2f59-4a8e-9d0e-3c5f7a9b1d2e', name: 'Tapsan Turva Oy' },
  endUser: { company: 'Tapio Koistinen Oy', contact: 'tapio@example.com' },
  sma: { start: '2026-11-22T00:00:00.000Z', end: '2027-11-22T00:00:00.000Z' },
  expiresAt: null,
  issuedAt: '2026-11-22T10:00:00.000Z',
  features: ['Mirasys Default skin', 'VCA channels'],
};

/**
 * Calls `op` back to back for `seconds` (after a short warm-up) and returns operations per
 * second. A synchronous `op` is not awaited, so the raw figure pays no promise overhead.
 */
async function opsPerSecond(op: () => unknown, seconds: number) {
  const once = async () => {
    const done = op();
    if (done instanceof Promise) await done;
  };
  for (let i = 0; i < 200; i++) await once();
  let count = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  while (performance.now() < until) {
    for (let i = 0; i < 50; i++) {
      const done = op();
      if (done instanceof Promise) await done;
    }
    count += 50;
  }
  return count / ((performance.now() - started) / 1000);
}

export interface SigningResult {
  /** signLicense({ keyStore, grants }): what the issuing activity calls for each file. */
  app: number;
  /** The same file made with a signer fetched once (no key lookup per file). */
  appCachedSigner: number;
  /** node:crypto Ed25519 `sign()` over the same bytes (the base64url data string). */
  raw: number;
}

/**
 * Signing, sequentially on one core: the app's signLicense (validate the grants, encode, look up
 * the active key in PostgreSQL, sign) against node:crypto Ed25519 over the bytes it signs.
 */
export async function measureSigning(prisma: PrismaClient, secret: string): Promise<SigningResult> {
  const keyStore = createKeyStore({ prisma, secret });
  const first = await signLicense({ keyStore, grants: SAMPLE_GRANTS });
  const signedBytes = Buffer.from(parseLicenseFile(first.content).data, 'ascii');

  const app = await opsPerSecond(() => signLicense({ keyStore, grants: SAMPLE_GRANTS }), SIGNING_SECONDS);
  const signer = await keyStore.activeSigner();
  const cachedStore = { ...keyStore, activeSigner: async () => signer };
  const appCachedSigner = await opsPerSecond(() => signLicense({ keyStore: cachedStore, grants: SAMPLE_GRANTS }), SIGNING_SECONDS);
  const { privateKey } = generateKeyPairSync('ed25519');
  const raw = await opsPerSecond(() => sign(null, signedBytes, privateKey), SIGNING_SECONDS);
  return { app, appCachedSigner, raw };
}
