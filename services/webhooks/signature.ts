import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Webhook secrets and signatures.
 *
 * - A secret reads `whsec_<43 base64url characters>` (32 random bytes). It is shown once, at
 *   creation or rotation, and kept encrypted: AES-256-GCM with the key
 *   HKDF-SHA256(ikm = SIGNING_KEY_SECRET, salt = endpoint id, info = "license-desk webhook secret"),
 *   stored as iv (12 bytes) | tag (16 bytes) | ciphertext, as the signing keys are (key-store.ts).
 * - Signatures follow Stripe's scheme: `X-License-Desk-Signature: t=<unix seconds>,v1=<hex>` where
 *   the hex is HMAC-SHA256(key = the whole secret string as UTF-8, message = "<t>.<raw body>").
 */

export const WEBHOOK_SECRET_HKDF_INFO = 'license-desk webhook secret';
export const SIGNATURE_HEADER = 'X-License-Desk-Signature';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** What lists show of a secret: enough to tell two apart, never enough to sign. */
export function secretPrefix(secret: string): string {
  return `${secret.slice(0, 10)}…`;
}

function aesKey(masterSecret: string, endpointId: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(masterSecret, 'utf8'), Buffer.from(endpointId, 'utf8'), WEBHOOK_SECRET_HKDF_INFO, 32));
}

export function encryptWebhookSecret(masterSecret: string, endpointId: string, secret: string): Uint8Array<ArrayBuffer> {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', aesKey(masterSecret, endpointId), iv);
  const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return new Uint8Array(Buffer.concat([iv, cipher.getAuthTag(), body]));
}

export function decryptWebhookSecret(masterSecret: string, endpointId: string, stored: Uint8Array): string {
  const bytes = Buffer.from(stored);
  const decipher = createDecipheriv('aes-256-gcm', aesKey(masterSecret, endpointId), bytes.subarray(0, IV_BYTES));
  decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new Error(`SIGNING_KEY_SECRET does not decrypt the secret of webhook endpoint ${endpointId}; was the secret changed? Rotate the endpoint's secret.`);
  }
}

/** The signature header's value for `body` sent at `timestamp` (unix seconds). */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

/**
 * What a receiver runs (docs/webhooks.md has the same code to copy): true when the header signs
 * this exact body with this secret and its timestamp is within `toleranceSeconds` of `now`.
 */
export function verifyWebhookSignature(input: { secret: string; header: string; body: string; toleranceSeconds?: number; now?: Date }): boolean {
  const parts = Object.fromEntries(input.header.split(',').map((part) => part.split('=', 2) as [string, string]));
  const timestamp = Number(parts.t);
  if (!Number.isInteger(timestamp) || !parts.v1) return false;
  const nowSeconds = Math.floor((input.now ?? new Date()).getTime() / 1000);
  if (Math.abs(nowSeconds - timestamp) > (input.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signWebhook(input.secret, timestamp, input.body).split('v1=')[1]!, 'hex');
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
