import { describe, expect, it } from 'vitest';
import { DomainError, isDomainError } from '../../domain/errors.ts';

describe('DomainError', () => {
  it('carries a message for people, a code for programs and the field it is about', () => {
    const error = new DomainError('MAC address must be 12 hex digits, e.g. c8d9d29aa31b', { code: 'MAC_LENGTH', field: 'macAddress' });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('DomainError');
    expect(error.code).toBe('MAC_LENGTH');
    expect(error.field).toBe('macAddress');
    expect(error.message).toBe('MAC address must be 12 hex digits, e.g. c8d9d29aa31b');
    expect('field' in new DomainError('x', { code: 'X' })).toBe(false);
  });

  it('is recognised by shape too, e.g. after crossing into the workflow sandbox', () => {
    expect(isDomainError(new DomainError('x', { code: 'X' }))).toBe(true);
    expect(isDomainError(Object.assign(new Error('x'), { name: 'DomainError', code: 'X' }))).toBe(true);
    expect(isDomainError(new Error('x'))).toBe(false);
    expect(isDomainError('DomainError')).toBe(false);
    expect(isDomainError(null)).toBe(false);
  });
});
