// eslint-disable-next-line no-restricted-imports -- verifying a signature needs node:crypto; no workflow imports this file (the signing service and the tests do)
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';

/**
 * The signed `.lic` license file (format "license-desk/v1").
 *
 * A file named `license-<SERIAL>.lic` holds a small JSON document, pretty-printed with two
 * spaces and a trailing newline:
 *
 *   {
 *     "format": "license-desk/v1",
 *     "kid": "ld-20261122-1a2b3c4d",
 *     "alg": "Ed25519",
 *     "data": "<base64url, no padding, of the UTF-8 JSON grants>",
 *     "sig": "<standard padded base64 of the 64-byte Ed25519 signature>"
 *   }
 *
 * The signature covers the exact ASCII bytes of the `data` string (not the decoded JSON), so
 * anyone with the public key (published by the API as PEM) can check a file without our code.
 * docs/license-file.md is the format's reference for integrators: every grant field, key ids and
 * rotation, an openssl recipe and verifiers in Go and Python. Change it with this module:
 * test/signing/license-file-verifiers.test.ts checks its grants table against
 * LicenseGrantsSchema and runs its recipe and the Go verifier on files signed here.
 *
 * This module is pure apart from Node's crypto: no database, no clock. It is for activities
 * and the API, never for workflow code.
 */

export const LICENSE_FILE_FORMAT = 'license-desk/v1';
export const LICENSE_FILE_ALGORITHM = 'Ed25519';
/** Far larger than any real file; a bigger upload is refused before parsing. */
const MAX_FILE_BYTES = 64 * 1024;
const ED25519_SIGNATURE_BYTES = 64;

// Date-times first: grants mostly carry them, and a union that fails its first branch pays for
// building that branch's issues on every file it signs (half of the validation's cost).
const isoDate = z.union([z.iso.datetime({ offset: true }), z.iso.date()], {
  error: 'must be an ISO 8601 date or date-time, e.g. 2026-11-22 or 2026-11-22T10:00:00Z',
});

// Each message completes "<field> …" (describeIssues puts the field's path first), so that a
// verifier reads e.g. "channels must be a whole number of at least 0".
const text = z.string({ error: 'must be text' });
const filled = text.min(1, 'must not be empty');
const count = (min: number) =>
  z
    .number({ error: `must be a whole number of at least ${min}` })
    .int(`must be a whole number of at least ${min}`)
    .min(min, `must be a whole number of at least ${min}`);
const record = <S extends z.core.$ZodLooseShape>(shape: S, fields: string) =>
  z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? `has fields the format does not define: ${issue.keys.join(', ')}` : `must be an object with ${fields}`,
  });

export const LicenseGrantsSchema = record(
  {
    serial: text.regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/, 'must be letters, digits and dashes, e.g. V8WJNEE89Q6A'),
    revision: count(1),
    product: record(
      {
        code: filled,
        name: filled,
        version: text,
        tier: z.enum(['BASE', 'PRO', 'ENTERPRISE', 'ENTERPRISE_PLUS'], { error: 'must be BASE, PRO, ENTERPRISE, ENTERPRISE_PLUS or null' }).nullable(),
        isDemo: z.boolean({ error: 'must be true or false' }),
      },
      'code, name, version, tier and isDemo',
    ),
    channels: count(0),
    vcaChannels: count(0),
    lock: record(
      {
        type: z.enum(['MAC', 'HARDWARE_KEY'], { error: 'must be MAC or HARDWARE_KEY' }),
        value: filled,
        hardwareKeyType: filled.optional(),
      },
      'type and value',
    ),
    hardwareSerial: filled.optional(),
    owner: record({ companyId: filled, name: filled }, 'companyId and name'),
    endUser: record({ company: filled, contact: filled.optional() }, 'company'),
    sma: record({ start: isoDate.optional(), end: isoDate.optional() }, 'optional start and end dates'),
    /** Null means permanent. */
    expiresAt: isoDate.nullable(),
    issuedAt: isoDate,
    features: z.array(text, { error: 'must be a list of texts' }),
  },
  'the fields serial, revision, product, channels, vcaChannels, lock, owner, endUser, sma, expiresAt, issuedAt and features',
);

/** What a license file grants, exactly as signed. */
export type LicenseGrants = z.infer<typeof LicenseGrantsSchema>;

/** The JSON document inside a `.lic` file, with its grants decoded. */
export interface LicenseFile {
  format: typeof LICENSE_FILE_FORMAT;
  kid: string;
  alg: typeof LICENSE_FILE_ALGORITHM;
  /** base64url (no padding) of the UTF-8 JSON grants; the signed bytes. */
  data: string;
  /** Standard padded base64 of the Ed25519 signature. */
  sig: string;
  grants: LicenseGrants;
}

export type LicenseFileVerification =
  { valid: true; kid: string; grants: LicenseGrants } | { valid: false; reason: 'malformed' | 'unknown-key' | 'bad-signature'; message: string; kid?: string };

/** A file that is not a well-formed license-desk/v1 document. */
export class LicenseFileFormatError extends Error {
  constructor(detail: string) {
    super(`This is not a License Desk license file: ${detail}`);
    this.name = 'LicenseFileFormatError';
  }
}

export function licenseFileName(serial: string): string {
  return `license-${serial}.lic`;
}

/** Builds the signed file. `sign` gets the ASCII bytes of the base64url data string. */
export function encodeLicenseFile({ grants, kid, sign }: { grants: LicenseGrants; kid: string; sign: (bytes: Uint8Array) => Uint8Array }): {
  fileName: string;
  content: string;
} {
  const checked = LicenseGrantsSchema.safeParse(grants);
  if (!checked.success) {
    throw new Error(`Cannot sign a license whose grants are invalid: ${describeIssues(checked.error)}`);
  }
  if (!isKid(kid)) throw new Error(`Cannot sign with key id ${JSON.stringify(kid)}: a key id is 1-100 printable characters`);

  const data = Buffer.from(JSON.stringify(checked.data), 'utf8').toString('base64url');
  const signature = sign(Buffer.from(data, 'ascii'));
  if (signature.length !== ED25519_SIGNATURE_BYTES) {
    throw new Error(`An Ed25519 signature is ${ED25519_SIGNATURE_BYTES} bytes; the signer returned ${signature.length}`);
  }
  // The same text as JSON.stringify(document, null, 2) + "\n", written out because this runs once
  // per signature and the generic pretty-printer cost as much as a tenth of one. Only `kid` can
  // need escaping: `data` is base64url and `sig` base64 (test/signing/license-file.test.ts).
  const sig = Buffer.from(signature.buffer, signature.byteOffset, signature.byteLength).toString('base64');
  const content =
    `{\n  "format": "${LICENSE_FILE_FORMAT}",\n  "kid": ${JSON.stringify(kid)},\n  "alg": "${LICENSE_FILE_ALGORITHM}",\n` +
    `  "data": "${data}",\n  "sig": "${sig}"\n}\n`;
  return { fileName: licenseFileName(checked.data.serial), content };
}

/**
 * Reads a `.lic` file without checking its signature: use `verifyLicenseFile` before trusting
 * what it grants. Throws `LicenseFileFormatError` for anything malformed.
 */
export function parseLicenseFile(text: string): LicenseFile {
  const envelope = parseEnvelope(text);
  return { ...envelope, grants: decodeGrants(envelope.data) };
}

/**
 * Says whether a file is genuine and what it grants. `publicKeys` maps key ids to Ed25519
 * public keys (KeyObject or PEM), retired ones included, so old files keep verifying.
 */
export function verifyLicenseFile(text: string, publicKeys: ReadonlyMap<string, KeyObject | string>): LicenseFileVerification {
  let envelope: Envelope;
  try {
    envelope = parseEnvelope(text);
  } catch (error) {
    return { valid: false, reason: 'malformed', message: (error as Error).message };
  }
  const { kid } = envelope;
  const key = publicKeys.get(kid);
  if (key === undefined) {
    return {
      valid: false,
      reason: 'unknown-key',
      kid,
      message: `The file was signed with key ${kid}, which is not one of our signing keys; it is not genuine or comes from another installation.`,
    };
  }
  const publicKey = typeof key === 'string' ? createPublicKey(key) : key;
  if (publicKey.asymmetricKeyType !== 'ed25519') {
    throw new Error(`Signing key ${kid} is ${publicKey.asymmetricKeyType ?? 'not an asymmetric key'}, not Ed25519`);
  }
  const genuine = verify(null, Buffer.from(envelope.data, 'ascii'), publicKey, Buffer.from(envelope.sig, 'base64'));
  if (!genuine) {
    return {
      valid: false,
      reason: 'bad-signature',
      kid,
      message: `The signature does not match the license data for key ${kid}: the file was changed after signing.`,
    };
  }
  try {
    return { valid: true, kid, grants: decodeGrants(envelope.data) };
  } catch (error) {
    // Signed by us but unreadable: only a bug in the signer could produce this.
    return { valid: false, reason: 'malformed', kid, message: (error as Error).message };
  }
}

type Envelope = Omit<LicenseFile, 'grants'>;

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function parseEnvelope(text: string): Envelope {
  if (typeof text !== 'string') throw new LicenseFileFormatError('expected the text of a .lic file');
  if (Buffer.byteLength(text, 'utf8') > MAX_FILE_BYTES) {
    throw new LicenseFileFormatError(`it is larger than ${MAX_FILE_BYTES / 1024} KiB`);
  }
  let document: unknown;
  try {
    document = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw new LicenseFileFormatError('it is not JSON');
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new LicenseFileFormatError('expected a JSON object with format, kid, alg, data and sig');
  }
  const { format, kid, alg, data, sig, ...rest } = document as Record<string, unknown>;
  const extra = Object.keys(rest);
  if (extra.length) throw new LicenseFileFormatError(`unexpected field ${extra.map((k) => JSON.stringify(k)).join(', ')}`);
  if (format !== LICENSE_FILE_FORMAT) {
    throw new LicenseFileFormatError(`"format" must be "${LICENSE_FILE_FORMAT}", found ${describe(format)}`);
  }
  if (alg !== LICENSE_FILE_ALGORITHM) {
    throw new LicenseFileFormatError(`"alg" must be "${LICENSE_FILE_ALGORITHM}", found ${describe(alg)}`);
  }
  if (!isKid(kid)) throw new LicenseFileFormatError(`"kid" must be a key id such as "ld-20261122-1a2b3c4d", found ${describe(kid)}`);
  if (typeof data !== 'string' || !BASE64URL.test(data) || data.length % 4 === 1) {
    throw new LicenseFileFormatError('"data" must be a base64url string (A-Z a-z 0-9 - _, no padding)');
  }
  // Only the canonical spelling is accepted, so that no two strings carry the same signature.
  if (typeof sig !== 'string' || !BASE64.test(sig) || Buffer.from(sig, 'base64').toString('base64') !== sig) {
    throw new LicenseFileFormatError('"sig" must be standard base64 with padding');
  }
  const signatureBytes = Buffer.from(sig, 'base64').length;
  if (signatureBytes !== ED25519_SIGNATURE_BYTES) {
    throw new LicenseFileFormatError(`"sig" must hold a ${ED25519_SIGNATURE_BYTES}-byte Ed25519 signature, found ${signatureBytes} bytes`);
  }
  return { format: LICENSE_FILE_FORMAT, kid, alg: LICENSE_FILE_ALGORITHM, data, sig };
}

function decodeGrants(data: string): LicenseGrants {
  const bytes = Buffer.from(data, 'base64url');
  if (bytes.toString('base64url') !== data) {
    throw new LicenseFileFormatError('"data" is not canonical base64url');
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new LicenseFileFormatError('"data" does not decode to UTF-8 JSON');
  }
  const grants = LicenseGrantsSchema.safeParse(json);
  if (!grants.success) throw new LicenseFileFormatError(`the license data is invalid: ${describeIssues(grants.error)}`);
  return grants.data;
}

function isKid(kid: unknown): kid is string {
  return typeof kid === 'string' && /^[\x21-\x7e]{1,100}$/.test(kid);
}

function describe(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value).slice(0, 60);
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(grants)'} ${issue.message}`).join('; ');
}
