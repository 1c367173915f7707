import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  sign as cryptoSign,
  type KeyObject,
} from 'node:crypto';
import type { PrismaClient, SigningKeyStatus } from '../../prisma/client.ts';

/**
 * The Ed25519 keys that sign license files, kept in the SigningKey table.
 *
 * - Exactly one key is ACTIVE and signs new files. `rotate()` retires it (it stays in the table
 *   so that files it signed keep verifying) and makes a new one.
 * - Private keys are PKCS#8 DER, encrypted at rest with AES-256-GCM. The AES key is
 *   HKDF-SHA256(ikm = SIGNING_KEY_SECRET as UTF-8, salt = kid, info = "license-desk signing key"),
 *   32 bytes; `privateKeyEnc` is iv (12 bytes) | tag (16 bytes) | ciphertext.
 * - Key ids read `ld-<yyyymmdd>-<8 hex>` (UTC creation date).
 */

export interface SigningKeyInfo {
  kid: string;
  algorithm: string;
  publicKeyPem: string;
  status: SigningKeyStatus;
  createdAt: Date;
  retiredAt: Date | null;
}

/** The active key, ready to sign synchronously (the private key is already decrypted). */
export interface Signer {
  kid: string;
  sign(bytes: Uint8Array): Uint8Array;
}

export interface KeyStore {
  /** The ACTIVE key; the first call on an empty table creates it. */
  activeKey(): Promise<SigningKeyInfo>;
  /** Makes a new ACTIVE key and retires the previous one. */
  rotate(): Promise<SigningKeyInfo>;
  /** Every key, active and retired, oldest first: what the API publishes. */
  publicKeys(): Promise<SigningKeyInfo[]>;
  /** The active key with its private key decrypted. */
  activeSigner(): Promise<Signer>;
  sign(bytes: Uint8Array): Promise<{ kid: string; signature: Uint8Array }>;
}

export class SigningKeySecretError extends Error {
  constructor(readonly kid: string) {
    super(`SIGNING_KEY_SECRET does not decrypt signing key ${kid}; was the secret changed?`);
    this.name = 'SigningKeySecretError';
  }
}

export const SIGNING_KEY_HKDF_INFO = 'license-desk signing key';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const MIN_SECRET_LENGTH = 32;
// Serialises key creation and rotation across processes, for the length of one transaction.
const KEY_LOCK_NAME = 'license-desk:signing-key';
const TRANSACTION_OPTIONS = { maxWait: 15_000, timeout: 15_000 };

type Transaction = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/**
 * How long a process keeps using the active key it looked up. A rotation in this process takes
 * effect at once; one made elsewhere (the API rotates, the worker signs) within this long. Files
 * signed meanwhile with the just-retired key still verify: retired keys stay published.
 */
export const ACTIVE_KEY_CACHE_MS = 5_000;

export function createKeyStore({
  prisma,
  secret,
  clock = () => new Date(),
  activeKeyCacheMs = ACTIVE_KEY_CACHE_MS,
}: {
  prisma: PrismaClient;
  secret: string;
  clock?: () => Date;
  activeKeyCacheMs?: number;
}): KeyStore {
  if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`SIGNING_KEY_SECRET must be at least ${MIN_SECRET_LENGTH} characters; generate one with: openssl rand -base64 32`);
  }
  const privateKeys = new Map<string, KeyObject>();

  const findActive = (db: PrismaClient | Transaction) =>
    db.signingKey.findFirst({ where: { status: 'ACTIVE' }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });

  async function lockKeys(tx: Transaction) {
    await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext(${KEY_LOCK_NAME}))::text AS locked`;
  }

  async function insertKey(tx: Transaction) {
    const createdAt = clock();
    const kid = newKid(createdAt);
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const row = await tx.signingKey.create({
      data: {
        id: kid,
        algorithm: 'Ed25519',
        publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        privateKeyEnc: encryptPrivateKey(privateKey, secret, kid),
        status: 'ACTIVE',
        createdAt,
      },
    });
    privateKeys.set(kid, privateKey);
    return row;
  }

  // The active key, looked up at most once per activeKeyCacheMs: reading it from PostgreSQL for
  // every file cost more than the signature itself (npm run bench: 733 vs 18,006 ops/s).
  let cachedActive: { info: SigningKeyInfo; until: number } | undefined;
  const remember = (info: SigningKeyInfo) => {
    cachedActive = { info, until: performance.now() + activeKeyCacheMs };
    return info;
  };

  async function activeKey(): Promise<SigningKeyInfo> {
    if (cachedActive && performance.now() < cachedActive.until) return cachedActive.info;
    const existing = await findActive(prisma);
    if (existing) return remember(toInfo(existing));
    return remember(
      toInfo(
        await prisma.$transaction(async (tx) => {
          await lockKeys(tx);
          // Whoever held the lock before us may have created it.
          return (await findActive(tx)) ?? (await insertKey(tx));
        }, TRANSACTION_OPTIONS),
      ),
    );
  }

  async function rotate(): Promise<SigningKeyInfo> {
    return remember(
      toInfo(
        await prisma.$transaction(async (tx) => {
          await lockKeys(tx);
          const created = await insertKey(tx);
          await tx.signingKey.updateMany({
            where: { status: 'ACTIVE', id: { not: created.id } },
            data: { status: 'RETIRED', retiredAt: clock() },
          });
          return created;
        }, TRANSACTION_OPTIONS),
      ),
    );
  }

  async function publicKeys(): Promise<SigningKeyInfo[]> {
    const rows = await prisma.signingKey.findMany({ orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    return rows.map(toInfo);
  }

  async function privateKeyFor(kid: string): Promise<KeyObject> {
    const cached = privateKeys.get(kid);
    if (cached) return cached;
    const row = await prisma.signingKey.findUniqueOrThrow({ where: { id: kid } });
    const privateKey = decryptPrivateKey(row.privateKeyEnc, secret, kid);
    // A key whose halves disagree would sign files nobody can verify.
    const derived = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
    const stored = createPublicKey(row.publicKeyPem).export({ type: 'spki', format: 'der' });
    if (!derived.equals(stored)) {
      throw new Error(`Signing key ${kid}: the private key does not match the published public key`);
    }
    privateKeys.set(kid, privateKey);
    return privateKey;
  }

  async function activeSigner(): Promise<Signer> {
    const { kid } = await activeKey();
    const privateKey = await privateKeyFor(kid);
    return { kid, sign: (bytes) => cryptoSign(null, bytes, privateKey) };
  }

  return {
    activeKey,
    rotate,
    publicKeys,
    activeSigner,
    async sign(bytes) {
      const signer = await activeSigner();
      return { kid: signer.kid, signature: signer.sign(bytes) };
    },
  };
}

/** `ld-<yyyymmdd>-<8 hex>`, the date in UTC. */
export function newKid(createdAt: Date): string {
  const day = createdAt.toISOString().slice(0, 10).replaceAll('-', '');
  return `ld-${day}-${randomBytes(4).toString('hex')}`;
}

function wrappingKey(secret: string, kid: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.from(kid, 'utf8'), SIGNING_KEY_HKDF_INFO, 32));
}

/** iv | tag | AES-256-GCM(PKCS#8 DER). */
export function encryptPrivateKey(privateKey: KeyObject, secret: string, kid: string): Uint8Array<ArrayBuffer> {
  const der = privateKey.export({ type: 'pkcs8', format: 'der' });
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', wrappingKey(secret, kid), iv);
  const ciphertext = Buffer.concat([cipher.update(der), cipher.final()]);
  der.fill(0);
  const sealed = new Uint8Array(IV_BYTES + TAG_BYTES + ciphertext.length);
  sealed.set(iv, 0);
  sealed.set(cipher.getAuthTag(), IV_BYTES);
  sealed.set(ciphertext, IV_BYTES + TAG_BYTES);
  return sealed;
}

export function decryptPrivateKey(sealed: Uint8Array, secret: string, kid: string): KeyObject {
  const bytes = Buffer.from(sealed);
  if (bytes.length <= IV_BYTES + TAG_BYTES) throw new SigningKeySecretError(kid);
  const decipher = createDecipheriv('aes-256-gcm', wrappingKey(secret, kid), bytes.subarray(0, IV_BYTES));
  decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  let der: Buffer;
  try {
    der = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    throw new SigningKeySecretError(kid);
  }
  try {
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } finally {
    der.fill(0);
  }
}

function toInfo(row: {
  id: string;
  algorithm: string;
  publicKeyPem: string;
  status: SigningKeyStatus;
  createdAt: Date;
  retiredAt: Date | null;
}): SigningKeyInfo {
  return {
    kid: row.id,
    algorithm: row.algorithm,
    publicKeyPem: row.publicKeyPem,
    status: row.status,
    createdAt: row.createdAt,
    retiredAt: row.retiredAt,
  };
}
