import { DomainError } from './errors.ts';

/**
 * License serials are 12 characters of Crockford base32 (60 random bits), e.g. V8WJNEE89Q6A.
 * The alphabet leaves out I, L, O and U so a serial read over the phone is not misheard; when
 * decoding, Crockford reads I and L as 1 and O as 0.
 */
export const SERIAL_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const SERIAL_LENGTH = 12;
export const SERIAL_EXAMPLE = 'V8WJNEE89Q6A';

const SERIAL = /^[0-9A-HJKMNP-TV-Z]{12}$/;

/**
 * Draws a new serial from the injected random source (activity: `crypto.randomBytes`; workflow:
 * its deterministic `Math.random`). Each character takes the low 5 bits of one byte; 256 is a
 * multiple of 32, so every character is uniform. Uniqueness is the database's job (retry on a
 * unique-constraint clash).
 */
export function generateSerial(randomBytes: (n: number) => Uint8Array): string {
  const bytes = randomBytes(SERIAL_LENGTH);
  if (bytes.length < SERIAL_LENGTH) {
    throw new Error(`generateSerial needs ${SERIAL_LENGTH} random bytes, the source gave ${bytes.length}`);
  }
  let serial = '';
  for (let i = 0; i < SERIAL_LENGTH; i++) serial += SERIAL_ALPHABET[bytes[i]! & 31];
  return serial;
}

/** Reads a serial as a person typed it: case, spaces, hyphens and I/L/O look-alikes forgiven. */
export function normalizeSerial(input: string): string {
  const serial = input
    .replace(/[\s-]+/g, '')
    .toUpperCase()
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0');
  const stray = [...new Set(serial.replace(/[0-9A-HJKMNP-TV-Z]/g, ''))];
  if (stray.length > 0) {
    throw new DomainError(
      `Serial may contain only digits and the letters A-Z except U (found ${stray.map((c) => `"${c}"`).join(', ')}); ` +
        `it must be 12 characters, e.g. ${SERIAL_EXAMPLE}`,
      { code: 'SERIAL_CHARACTERS', field: 'serial' },
    );
  }
  if (serial.length !== SERIAL_LENGTH) {
    throw new DomainError(`Serial must be 12 characters, e.g. ${SERIAL_EXAMPLE} (got ${serial.length})`, {
      code: 'SERIAL_LENGTH',
      field: 'serial',
    });
  }
  return serial;
}

/** Serials as a person typed them, each normalised (normalizeSerial) and given once, in the order typed. */
export function distinctSerials(inputs: string[]): string[] {
  return [...new Set(inputs.map((input) => normalizeSerial(input)))];
}

/** True when `s` is a serial in its stored form (upper case, no separators, no look-alikes). */
export function isSerial(s: string): boolean {
  return SERIAL.test(s);
}
