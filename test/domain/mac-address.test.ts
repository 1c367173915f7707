import { describe, expect, it } from 'vitest';
import { DomainError } from '../../domain/errors.ts';
import { canonicalMacsIn, displayMac, formatMac, normalizeMac } from '../../domain/mac-address.ts';

function refusal(input: string): DomainError {
  try {
    normalizeMac(input);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).field).toBe('macAddress');
    return error as DomainError;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be refused`);
}

describe('normalizeMac', () => {
  it.each(['c8d9d29aa31b', 'C8D9D29AA31B', 'C8:D9:D2:9A:A3:1B', 'c8-d9-d2-9a-a3-1b', 'C8D9.D29A.A31B', '  c8:d9:d2:9a:a3:1b \t'])(
    'reads %j as c8d9d29aa31b',
    (input) => {
      expect(normalizeMac(input)).toBe('c8d9d29aa31b');
    },
  );

  it('keeps real addresses from the Mirasys license report', () => {
    expect(normalizeMac('00:0C:29:A1:9D:EA')).toBe('000c29a19dea'); // VMware: first byte 00
    expect(normalizeMac('b4-96-91-47-98-90')).toBe('b49691479890');
  });

  it('refuses a wrong number of digits and says how many it got', () => {
    const short = refusal('c8d9d29aa31');
    expect(short.code).toBe('MAC_LENGTH');
    expect(short.message).toBe('MAC address must be 12 hex digits, e.g. c8d9d29aa31b (got 11)');
    expect(refusal('c8:d9:d2:9a:a3:1b:00').code).toBe('MAC_LENGTH');
  });

  it('refuses characters that are not hex digits and names them', () => {
    const error = refusal('c8:d9:d2:9a:a3:1g');
    expect(error.code).toBe('MAC_CHARACTERS');
    expect(error.message).toContain('"g"');
    expect(error.message).toContain('e.g. c8d9d29aa31b');
    expect(refusal('c8 d9 d2 9a a3 1b').message).toContain('a space');
  });

  it('refuses misplaced or mixed separators with the accepted forms', () => {
    for (const input of ['c8:d9-d2:9a:a3:1b', 'c8d:9d2:9aa:31b', 'c8d9:d29a:a31b', 'c8.d9.d2.9a.a3.1b']) {
      const error = refusal(input);
      expect(error.code).toBe('MAC_SEPARATORS');
      expect(error.message).toContain('c8:d9:d2:9a:a3:1b');
      expect(error.message).toContain('c8d9.d29a.a31b');
    }
  });

  it('refuses an empty value', () => {
    expect(refusal('  ').code).toBe('MAC_REQUIRED');
  });

  it('refuses the all-zero address', () => {
    const error = refusal('00:00:00:00:00:00');
    expect(error.code).toBe('MAC_ALL_ZERO');
    expect(error.message).toContain('e.g. c8d9d29aa31b');
  });

  it('refuses the broadcast address', () => {
    const error = refusal('FF-FF-FF-FF-FF-FF');
    expect(error.code).toBe('MAC_BROADCAST');
    expect(error.message).toContain('broadcast');
  });

  it('refuses multicast addresses (first byte odd)', () => {
    const error = refusal('01:00:5e:00:00:fb');
    expect(error.code).toBe('MAC_MULTICAST');
    expect(error.message).toContain('01:00:5e:00:00:fb');
    expect(error.message).toContain('e.g. c8d9d29aa31b');
    expect(refusal('33:33:00:00:00:01').code).toBe('MAC_MULTICAST'); // IPv6 multicast
    expect(refusal('c9d9d29aa31b').code).toBe('MAC_MULTICAST');
  });

  it('accepts locally administered unicast addresses (virtual machines)', () => {
    expect(normalizeMac('02:42:ac:11:00:02')).toBe('0242ac110002');
  });
});

describe('formatMac', () => {
  it('shows the stored form with colons', () => {
    expect(formatMac('c8d9d29aa31b')).toBe('c8:d9:d2:9a:a3:1b');
    expect(formatMac('C8-D9-D2-9A-A3-1B')).toBe('c8:d9:d2:9a:a3:1b');
  });

  it('refuses something that is not 12 hex digits', () => {
    expect(() => formatMac('c8d9')).toThrow('MAC address must be 12 hex digits, e.g. c8d9d29aa31b');
  });
});

describe('displayMac', () => {
  it('shows every way a MAC is written in the one canonical form', () => {
    for (const written of ['c8d9d29aa31b', 'C8D9D29AA31B', 'C8:D9:D2:9A:A3:1B', 'c8-d9-d2-9a-a3-1b', 'C8D9.D29A.A31B', ' c8:d9:d2:9a:a3:1b ']) {
      expect(displayMac(written)).toBe('c8:d9:d2:9a:a3:1b');
    }
    expect(displayMac('c8d9d29aa31b')).toBe(formatMac('c8d9d29aa31b'));
  });

  it('gives back what is not a MAC as it was, and nothing for nothing', () => {
    expect(displayMac('1A2B-3C4D')).toBe('1A2B-3C4D');
    expect(displayMac('c8:d9:d2:9a:a3')).toBe('c8:d9:d2:9a:a3');
    expect(displayMac(null)).toBe('');
    expect(displayMac(undefined)).toBe('');
  });
});

describe('canonicalMacsIn', () => {
  it('writes every labelled MAC of a timeline text in the canonical form, and leaves hardware keys alone', () => {
    expect(canonicalMacsIn('Channels: +5, MAC: C8:D9:D2:9A:A3:1B')).toBe('Channels: +5, MAC: c8:d9:d2:9a:a3:1b');
    expect(canonicalMacsIn('MAC: c8d9d29aa31b → C8-D9-D2-9A-A3-1C')).toBe('MAC: c8:d9:d2:9a:a3:1b → c8:d9:d2:9a:a3:1c');
    expect(canonicalMacsIn('MAC c8d9.d29a.a31b')).toBe('MAC c8:d9:d2:9a:a3:1b');
    expect(canonicalMacsIn('Hardware key: 4410011575A6 → 4410011575A7')).toBe('Hardware key: 4410011575A6 → 4410011575A7');
    expect(canonicalMacsIn('Serial V8WJNEE89Q6A, channels: 8 → 12')).toBe('Serial V8WJNEE89Q6A, channels: 8 → 12');
  });
});
