import { z } from 'zod';
import { DomainError, isDomainError } from './errors.ts';
import { MAC_EXAMPLE, normalizeMac } from './mac-address.ts';

/**
 * The request file: what an installation writes about itself so that a partner can ask for its
 * license without typing its MAC address or hardware key (Milestone's .lrq, VIVOTEK's .req). Ours
 * is open and documented (docs/request-file.md, whose JSON Schema is generated from this schema):
 * a small JSON object that `scripts/request-file.ts` writes on the installation.
 *
 * A new installation, a channel expansion and a return take it instead of the typed lock, and a
 * return is confirmed by the file of the reduced installation. Each file is good for one use: its
 * nonce is recorded, and a second request or confirmation with it is refused (a replay).
 *
 * Every message is read by a partner, so each names the file and the field.
 */

/** The format and its version: a file of another version is refused by name. */
export const REQUEST_FILE_FORMAT = 'license-desk-request-file/1';
const FORMAT_FAMILY = 'license-desk-request-file/';
/** A request file is at most this many bytes (UTF-8): a few hundred are enough. */
export const MAX_REQUEST_FILE_BYTES = 16 * 1024;
export const MIN_NONCE_LENGTH = 16;
const MAX_CHANNELS = 10_000;
const PRODUCT_EXAMPLE = 'MIRASYS-V9-ENTERPRISE';

const FOREIGN = `The request file is not a License Desk request file: its "format" must be "${REQUEST_FILE_FORMAT}". Create it with the License Desk request file generator on the installation (docs/request-file.md).`;

/** zod's type error, split: a field that is absent is "required", one of the wrong type says what it must be. */
const either = (required: string, wrongType: string) => ({ error: (issue: { input?: unknown }) => (issue.input === undefined ? required : wrongType) });

const macOfFile = z
  .string(either("The request file's hardware has no MAC address", `The request file's MAC address must be text, e.g. "${MAC_EXAMPLE}"`))
  .meta({ description: `The installation's MAC address: 12 hex digits, e.g. ${MAC_EXAMPLE} (c8:d9:d2:9a:a3:1b and c8-d9-d2-9a-a3-1b are read too)` })
  .superRefine((value, ctx) => {
    try {
      normalizeMac(value);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      ctx.addIssue({ code: 'custom', message: `The request file's MAC address "${value}" is not valid: ${error.message}` });
    }
  });

const hardwareOfFile = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('MAC'), mac: macOfFile }),
    z.strictObject({
      type: z.literal('HARDWARE_KEY'),
      key: z
        .string(either("The request file's hardware has no hardware key code", "The request file's hardware key code must be text"))
        .trim()
        .min(1, "The request file's hardware key code is empty")
        .max(200, "The request file's hardware key code can be at most 200 characters")
        .meta({ description: "The hardware key (dongle or CPU) code; its format depends on the product's system type, checked against the catalogue" }),
    }),
  ],
  either(
    'The request file has no hardware: give {"type": "MAC", "mac": "…"} or {"type": "HARDWARE_KEY", "key": "…"}',
    `The request file's hardware type must be MAC or HARDWARE_KEY, e.g. {"type": "MAC", "mac": "${MAC_EXAMPLE}"}`,
  ),
);

export const requestFileSchema = z
  .strictObject({
    format: z.literal(REQUEST_FILE_FORMAT, { message: FOREIGN }).meta({ description: 'The format and its version; always this value' }),
    product: z
      .string(either('The request file names no product', `The request file's product must be a product code, e.g. "${PRODUCT_EXAMPLE}"`))
      .trim()
      .min(1, `The request file's product is empty; it must be a product code, e.g. "${PRODUCT_EXAMPLE}"`)
      .max(100, "The request file's product code can be at most 100 characters")
      .meta({ description: `The product code of the installed software, as the desk's product list names it, e.g. ${PRODUCT_EXAMPLE}` }),
    hardware: hardwareOfFile.meta({ description: 'What the license is locked to: the MAC address, or the hardware key code' }),
    installationId: z
      .string(either('The request file has no installationId', "The request file's installationId must be text"))
      .trim()
      .min(1, "The request file's installationId is empty")
      .max(100, "The request file's installationId can be at most 100 characters")
      .meta({ description: 'A stable name of the installation, the same in each file it writes (the generator derives it from the host name)' }),
    channels: z
      .number(either('The request file does not say how many channels the installation has', "The request file's channels must be a whole number, 0 or more"))
      .int("The request file's channels must be a whole number, 0 or more")
      .min(0, "The request file's channels cannot be negative; a new installation has 0")
      .max(MAX_CHANNELS, `The request file's channels can be at most ${MAX_CHANNELS}`)
      .meta({ description: 'The channels the installation is licensed for now: 0 for a new installation' }),
    createdAt: z.iso
      .datetime({ offset: true, message: "The request file's createdAt must be an ISO 8601 date-time, e.g. 2026-12-08T09:30:00Z" })
      .meta({ description: 'When the file was written (ISO 8601, UTC or with an offset)' }),
    nonce: z
      .string(either('The request file has no nonce', "The request file's nonce must be text"))
      .min(MIN_NONCE_LENGTH, `The request file's nonce must be at least ${MIN_NONCE_LENGTH} random characters; write a new file with the generator`)
      .max(200, "The request file's nonce can be at most 200 characters")
      .regex(/^[A-Za-z0-9_-]+$/, "The request file's nonce may hold only letters, digits, _ and -")
      .meta({ description: `At least ${MIN_NONCE_LENGTH} random characters (base64url), new in every file: each file is accepted once` }),
  })
  .meta({
    title: 'License Desk request file',
    description: `An installation's request for its license (${REQUEST_FILE_FORMAT}). UTF-8 JSON, at most ${MAX_REQUEST_FILE_BYTES / 1024} KB.`,
  });

export type RequestFile = z.infer<typeof requestFileSchema>;
/** The lock the file names, in the shape of the forms' `lock` (domain/request-forms.ts). */
export type RequestFileLock = { type: 'MAC'; value: string } | { type: 'HARDWARE_KEY'; value: string };

function refuse(code: string, message: string): never {
  throw new DomainError(message, { code, field: 'requestFile' });
}

const byteLength = (text: string) => new TextEncoder().encode(text).length;

/** A request file is at most 16 KB: refused before it is read (a form checks the picked file's size first). */
export function checkRequestFileSize(bytes: number) {
  if (bytes <= MAX_REQUEST_FILE_BYTES) return;
  refuse(
    'REQUEST_FILE_TOO_LARGE',
    `The request file is ${Math.ceil(bytes / 1024)} KB; a request file is at most ${MAX_REQUEST_FILE_BYTES / 1024} KB. Give the file the generator wrote, unchanged.`,
  );
}

/**
 * Reads a request file's text (as uploaded or picked in the form) and answers the file, or
 * refuses with a DomainError on `requestFile` that says what is wrong: too large, not JSON, not
 * a License Desk request file (or another version of the format), or a field that is missing or
 * malformed. The MAC address comes back as 12 lowercase hex digits.
 */
export function parseRequestFile(input: string | Uint8Array): RequestFile {
  checkRequestFileSize(typeof input === 'string' ? byteLength(input) : input.byteLength);
  const text = typeof input === 'string' ? input : new TextDecoder('utf-8', { fatal: false }).decode(input);
  if (text.trim() === '') refuse('REQUEST_FILE_EMPTY', 'The request file is empty; give the file the generator wrote.');
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    refuse(
      'REQUEST_FILE_NOT_JSON',
      `The request file is not valid JSON, so it is not a License Desk request file. Give the file the generator wrote, unchanged.`,
    );
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json) || !('format' in json)) refuse('REQUEST_FILE_FOREIGN', FOREIGN);
  const format = (json as { format: unknown }).format;
  if (typeof format === 'string' && format !== REQUEST_FILE_FORMAT && format.startsWith(FORMAT_FAMILY)) {
    refuse(
      'REQUEST_FILE_VERSION',
      `The request file is of format ${format}; this desk reads ${REQUEST_FILE_FORMAT}. Write the file again with the generator of this desk.`,
    );
  }
  const parsed = requestFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    if (issue.code === 'unrecognized_keys') {
      refuse('REQUEST_FILE_FIELD', `The request file has a field its format does not know: "${issue.keys[0]}". Give the file the generator wrote, unchanged.`);
    }
    refuse(issue.path[0] === 'format' ? 'REQUEST_FILE_FOREIGN' : 'REQUEST_FILE_FIELD', issue.message);
  }
  const file = parsed.data;
  return file.hardware.type === 'MAC' ? { ...file, hardware: { type: 'MAC', mac: normalizeMac(file.hardware.mac) } } : file;
}

/** The lock a parsed file names, as the forms give it. */
export function lockOfRequestFile(file: Pick<RequestFile, 'hardware'>): RequestFileLock {
  return file.hardware.type === 'MAC' ? { type: 'MAC', value: file.hardware.mac } : { type: 'HARDWARE_KEY', value: file.hardware.key };
}

/** How messages name the file's hardware: "MAC c8d9d29aa31b" or "hardware key 1234-ABCD". */
export function describeRequestFileHardware(file: Pick<RequestFile, 'hardware'>): string {
  return file.hardware.type === 'MAC' ? `MAC ${file.hardware.mac}` : `hardware key ${file.hardware.key}`;
}

/** The file's product code is the product's (codes compare without case). */
export function checkRequestFileProduct(file: Pick<RequestFile, 'product'>, product: { code: string; name: string }, what: string) {
  if (file.product.trim().toUpperCase() === product.code.toUpperCase()) return;
  refuse(
    'REQUEST_FILE_PRODUCT',
    `The request file is for product ${file.product}, but ${what} is ${product.name} (${product.code}). Give the request file of a ${product.name} installation.`,
  );
}

/** The file's hardware is what the license is locked to. */
export function checkRequestFileLockedTo(
  file: Pick<RequestFile, 'hardware'>,
  license: { serial: string; lockType: 'MAC' | 'HARDWARE_KEY'; macAddress: string | null; hardwareKey: string | null },
) {
  const lock = lockOfRequestFile(file);
  const matches =
    lock.type === 'MAC'
      ? license.lockType === 'MAC' && license.macAddress === lock.value
      : license.lockType === 'HARDWARE_KEY' && (license.hardwareKey ?? '').toUpperCase() === lock.value.trim().toUpperCase();
  if (matches) return;
  const locked = license.lockType === 'MAC' ? `MAC ${license.macAddress ?? '?'}` : `hardware key ${license.hardwareKey ?? '?'}`;
  refuse(
    'REQUEST_FILE_HARDWARE',
    `The request file is of the installation with ${describeRequestFileHardware(file)}, but license ${license.serial} is locked to ${locked}. Give the request file of that installation.`,
  );
}

/** A return's confirmation: the file of the reduced installation shows the channels the license has after the return. */
export function checkRequestFileChannels(file: Pick<RequestFile, 'channels'>, channelsAfterReturn: number) {
  if (file.channels === channelsAfterReturn) return;
  refuse(
    'REQUEST_FILE_CHANNELS',
    `The request file shows ${file.channels} channel${file.channels === 1 ? '' : 's'}; after the return the license has ${channelsAfterReturn}. ` +
      'Import the reduced license on the installation, then write its request file again and confirm with that file.',
  );
}

/** A new installation's file: the installation has no license yet. */
export function checkRequestFileNew(file: Pick<RequestFile, 'channels'>) {
  if (file.channels === 0) return;
  refuse(
    'REQUEST_FILE_LICENSED',
    `The request file shows ${file.channels} channel${file.channels === 1 ? '' : 's'}, so the installation is licensed already; ` +
      'for more channels ask for a channel expansion, or give the request file of the new installation (0 channels).',
  );
}

/**
 * The form's text field holding a request file: the file's text, at most 16 KB, parsed by
 * `parseRequestFile` (its message is the field's).
 */
export const requestFileText = z
  .string({ message: 'The request file must be sent as the text of the file (a JSON string)' })
  .superRefine((text, ctx) => {
    try {
      parseRequestFile(text);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      ctx.addIssue({ code: 'custom', message: error.message });
    }
  })
  .meta({
    description: `The installation's request file (docs/request-file.md): the file's text, at most ${MAX_REQUEST_FILE_BYTES / 1024} KB. Given instead of the typed lock, the lock comes from the file`,
  });

/** The JSON Schema of the format, as docs/request-file.md publishes it. */
export function requestFileJsonSchema() {
  return z.toJSONSchema(requestFileSchema, { target: 'draft-2020-12', io: 'input' });
}
