import { describe, expect, it } from 'vitest';
import { DomainError } from '../../domain/errors.ts';
import { HARDWARE_KEY_TYPES, isHardwareKeyType, normalizeHardwareKey } from '../../domain/hardware-key.ts';

function refusal(systemType: string, input: string): DomainError {
  try {
    normalizeHardwareKey(systemType, input);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error(`expected ${systemType} ${JSON.stringify(input)} to be refused`);
}

describe('HARDWARE_KEY_TYPES', () => {
  it('lists the system types with a label and an example', () => {
    expect(HARDWARE_KEY_TYPES.map((t) => t.systemType)).toEqual(
      expect.arrayContaining(['SV8100', 'SV9100_CP10', 'SV9100_CP20', 'SV8500', 'DECT', 'SL2100', 'UM4730']),
    );
    for (const type of HARDWARE_KEY_TYPES) {
      expect(type.label).not.toBe('');
      expect(isHardwareKeyType(type.systemType)).toBe(true);
    }
    expect(isHardwareKeyType('SV7000')).toBe(false);
  });

  it('accepts every example as it is written (the UI shows them as placeholders)', () => {
    for (const type of HARDWARE_KEY_TYPES) {
      expect(normalizeHardwareKey(type.systemType, type.example)).toBe(type.example);
    }
  });

  it('marks UM4730 as an external product', () => {
    expect(HARDWARE_KEY_TYPES.find((t) => t.systemType === 'UM4730')?.external).toBe(true);
    expect(HARDWARE_KEY_TYPES.find((t) => t.systemType === 'SV9100_CP20')?.external).toBe(false);
  });
});

describe('normalizeHardwareKey', () => {
  it('trims, removes spaces and upper-cases case-insensitive codes', () => {
    expect(normalizeHardwareKey('SV9100_CP20', ' 4410 0115 75a6 ')).toBe('4410011575A6');
    expect(normalizeHardwareKey('SL2100', '3810004626ad')).toBe('3810004626AD');
    expect(normalizeHardwareKey('DECT', '1009fffe')).toBe('1009FFFE');
    expect(normalizeHardwareKey('SV8100', '1904 0032 4412')).toBe('190400324412');
    expect(normalizeHardwareKey('SV9100_CP10', '340209224568')).toBe('340209224568');
  });

  it('keeps the case of 28-character SV8500, SV9300 and SV9500 codes', () => {
    expect(normalizeHardwareKey('SV8500', ' 22CC538207AFD058020640CD57xO ')).toBe('22CC538207AFD058020640CD57xO');
    expect(normalizeHardwareKey('SV9500', '35G00N360103F0S0007490B6E0yQ')).toBe('35G00N360103F0S0007490B6E0yQ');
    expect(normalizeHardwareKey('SV9500', '351A488E8B068683DFC26C7DDCKe')).toBe('351A488E8B068683DFC26C7DDCKe');
    // Upper-casing would change the key, so a different case is a different key.
    expect(normalizeHardwareKey('SV8500', '22CC538207AFD058020640CD57XO')).toBe('22CC538207AFD058020640CD57XO');
  });

  it('puts back the hyphen of a UM4730 code', () => {
    expect(normalizeHardwareKey('UM4730', '11-10465697')).toBe('11-10465697');
    expect(normalizeHardwareKey('UM4730', '1110465697')).toBe('11-10465697');
    expect(refusal('UM4730', '11-1046569').message).toBe(
      'UM4730 hardware key code must be 2 digits, a hyphen and 8 digits, e.g. 11-10465697 (got "11-1046569", 10 characters)',
    );
  });

  it('refuses a code of the wrong length with the format and the example', () => {
    const error = refusal('SV9100_CP20', '4410011575A');
    expect(error.code).toBe('HARDWARE_KEY_FORMAT');
    expect(error.field).toBe('hardwareKey');
    expect(error.message).toBe(
      'SV9100 CP20 hardware key code must be 12 characters starting with 44 (digits and letters A-F), e.g. 4410011575A6 (got "4410011575A", 11 characters)',
    );
    expect(refusal('SV8500', '22CC538207AFD058020640CD57x').message).toContain('e.g. 22CC538207AFD058020640CD57xO');
  });

  it('refuses a code of another system type (wrong prefix)', () => {
    expect(refusal('SV9100_CP10', '4410011575A6').code).toBe('HARDWARE_KEY_FORMAT');
    expect(refusal('SV9100_CP20', '340209224568').code).toBe('HARDWARE_KEY_FORMAT');
    expect(refusal('DECT', '2009FFFE').message).toContain('8 hex digits starting with 1, e.g. 1009FFFE');
    expect(refusal('SV9500', '22CC538207AFD058020640CD57xO').code).toBe('HARDWARE_KEY_FORMAT');
  });

  it('refuses letters where only digits are allowed, and non-hex letters in hex codes', () => {
    expect(refusal('SV8100', '19040032441A').message).toContain('12 digits, e.g. 190400324412');
    expect(refusal('SL2100', '3810004626AG').code).toBe('HARDWARE_KEY_FORMAT');
    expect(refusal('SV8500', '22CC538207AFD058020640CD57-O').code).toBe('HARDWARE_KEY_FORMAT');
  });

  it('refuses an empty code', () => {
    const error = refusal('DECT', '   ');
    expect(error.code).toBe('HARDWARE_KEY_REQUIRED');
    expect(error.message).toContain('e.g. 1009FFFE');
  });

  it('refuses an unknown system type and lists the known ones', () => {
    const error = refusal('SV7000', '123');
    expect(error.code).toBe('HARDWARE_KEY_SYSTEM_TYPE');
    expect(error.field).toBe('systemType');
    expect(error.message).toContain('SV9100_CP20');
    expect(refusal('sv8100', '190400324412').code).toBe('HARDWARE_KEY_SYSTEM_TYPE');
  });
});
