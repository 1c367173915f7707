import { describe, expect, it } from 'vitest';
import { DomainError } from '../../domain/errors.ts';
import { SERIAL_ALPHABET, distinctSerials, generateSerial, isSerial, normalizeSerial } from '../../domain/serial.ts';

/** A seeded xorshift source, so the tests are repeatable. */
function seededBytes(seed: number) {
  let state = seed >>> 0 || 1;
  return (n: number) => {
    const bytes = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      state >>>= 0;
      bytes[i] = state & 0xff;
    }
    return bytes;
  };
}

describe('generateSerial', () => {
  it('makes 12 Crockford base32 characters from the injected bytes', () => {
    expect(SERIAL_ALPHABET).toBe('0123456789ABCDEFGHJKMNPQRSTVWXYZ');
    expect(generateSerial((n) => new Uint8Array(n))).toBe('000000000000');
    expect(generateSerial((n) => new Uint8Array(n).fill(255))).toBe('ZZZZZZZZZZZZ');
    // Each character is the low 5 bits of one byte: 27 -> V, 8 -> 8, 28 -> W, 18 -> J ...
    const bytes = [27, 8, 28, 18, 21, 14, 14, 8, 9, 23, 6, 10].map((v, i) => v + 32 * i);
    expect(generateSerial(() => Uint8Array.from(bytes))).toBe('V8WJNEE89Q6A');
  });

  it('asks for 12 bytes and refuses a short source', () => {
    const asked: number[] = [];
    generateSerial((n) => {
      asked.push(n);
      return new Uint8Array(n);
    });
    expect(asked).toEqual([12]);
    expect(() => generateSerial(() => new Uint8Array(11))).toThrow(/12 random bytes/);
  });

  it('is repeatable for a repeatable source, valid, and uses the whole alphabet evenly', () => {
    expect(generateSerial(seededBytes(42))).toBe(generateSerial(seededBytes(42)));
    const source = seededBytes(7);
    const counts = new Map<string, number>();
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const serial = generateSerial(source);
      expect(isSerial(serial)).toBe(true);
      seen.add(serial);
      for (const c of serial) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    expect(seen.size).toBe(2000);
    expect([...counts.keys()].sort().join('')).toBe(SERIAL_ALPHABET);
    // 24,000 characters over 32 symbols: 750 each on average.
    for (const n of counts.values()) expect(n).toBeGreaterThan(600);
  });
});

describe('normalizeSerial', () => {
  it('upper-cases and strips spaces and hyphens', () => {
    expect(normalizeSerial('v8wjnee89q6a')).toBe('V8WJNEE89Q6A');
    expect(normalizeSerial(' V8WJ-NEE8-9Q6A ')).toBe('V8WJNEE89Q6A');
    expect(normalizeSerial('v8wj nee8 9q6a')).toBe('V8WJNEE89Q6A');
  });

  it('reads I and L as 1 and O as 0, as Crockford decoding allows', () => {
    expect(normalizeSerial('GWKJ4XXPPJB5')).toBe('GWKJ4XXPPJB5');
    expect(normalizeSerial('8ZAQB999YJKi')).toBe('8ZAQB999YJK1');
    expect(normalizeSerial('PXMJ699ZZQL6')).toBe('PXMJ699ZZQ16');
    expect(normalizeSerial('oo0000000000')).toBe('000000000000');
  });

  it('refuses a wrong length with the expected form', () => {
    for (const input of ['V8WJNEE89Q6', 'V8WJNEE89Q6AA', '']) {
      expect(() => normalizeSerial(input)).toThrow(DomainError);
      expect(() => normalizeSerial(input)).toThrow(/^Serial must be 12 characters, e\.g\. V8WJNEE89Q6A/);
    }
  });

  it('refuses U and punctuation, naming them', () => {
    try {
      normalizeSerial('V8WJNEE89QUA');
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('SERIAL_CHARACTERS');
      expect((error as DomainError).field).toBe('serial');
      expect((error as DomainError).message).toContain('"U"');
      expect((error as DomainError).message).toContain('e.g. V8WJNEE89Q6A');
    }
    expect(() => normalizeSerial('V8WJ.NEE8.9Q6A')).toThrow(/"\."/);
  });
});

describe('distinctSerials', () => {
  it('normalises each serial and keeps the first of each, in the order typed', () => {
    expect(distinctSerials(['v8wj-nee8-9q6a', 'ABCDEFGH1JK0', 'V8WJNEE89Q6A', 'abcdefghljko'])).toEqual(['V8WJNEE89Q6A', 'ABCDEFGH1JK0']);
    expect(distinctSerials([])).toEqual([]);
  });

  it("refuses a malformed one in normalizeSerial's words", () => {
    expect(() => distinctSerials(['V8WJNEE89Q6A', 'V8WJNEE89Q6'])).toThrow(
      new DomainError('Serial must be 12 characters, e.g. V8WJNEE89Q6A (got 11)', { code: 'SERIAL_LENGTH', field: 'serial' }),
    );
  });
});

describe('isSerial', () => {
  it('accepts only the stored form', () => {
    expect(isSerial('V8WJNEE89Q6A')).toBe(true);
    expect(isSerial('v8wjnee89q6a')).toBe(false);
    expect(isSerial('V8WJ-NEE89Q6A')).toBe(false);
    expect(isSerial('V8WJNELYVQ6A')).toBe(false); // L is not in the alphabet
    expect(isSerial('V8WJNEE89Q6')).toBe(false);
  });
});
