import { describe, expect, it } from 'vitest';
import { DomainError } from '../../domain/errors.ts';
import { exactly } from '../support/answers.ts';
import {
  TIER_ORDER,
  checkUpgrade,
  compareTiers,
  compareVersions,
  isProductTier,
  productLabel,
  tierLabel,
  type ProductTier,
  type TieredProduct,
} from '../../domain/tiers.ts';
import { ProductTier as PrismaProductTier } from '../../prisma/generated/enums.ts';

const v = (version: string, tier: ProductTier, isDemo = false): TieredProduct => ({ version, tier, isDemo });

describe('tiers', () => {
  it('match the Prisma enum, lowest first', () => {
    expect([...TIER_ORDER].sort()).toEqual(Object.values(PrismaProductTier).sort());
    expect(TIER_ORDER).toEqual(['BASE', 'PRO', 'ENTERPRISE', 'ENTERPRISE_PLUS']);
    expect(compareTiers('BASE', 'PRO')).toBeLessThan(0);
    expect(compareTiers('ENTERPRISE_PLUS', 'ENTERPRISE')).toBeGreaterThan(0);
    expect(compareTiers('PRO', 'PRO')).toBe(0);
    expect(isProductTier('ENTERPRISE_PLUS')).toBe(true);
    expect(isProductTier('GOLD')).toBe(false);
  });

  it('have labels the way partners write them', () => {
    expect(TIER_ORDER.map(tierLabel)).toEqual(['Base', 'Pro', 'Enterprise', 'Enterprise Plus']);
    expect(productLabel(v('9.0', 'PRO'))).toBe('V9 Pro');
    expect(productLabel(v('9.1', 'ENTERPRISE_PLUS', true))).toBe('V9.1 Enterprise Plus Demo');
    expect(productLabel(v('10.0.0', 'BASE'))).toBe('V10 Base');
  });
});

describe('compareVersions', () => {
  it('compares numerically by dot parts', () => {
    expect(compareVersions('9.1', '9.0')).toBeGreaterThan(0);
    expect(compareVersions('10.0', '9.1')).toBeGreaterThan(0);
    expect(compareVersions('9.10', '9.9')).toBeGreaterThan(0);
    expect(compareVersions('9', '9.0')).toBe(0);
    expect(compareVersions('V9.0', '9')).toBe(0);
    expect(compareVersions('7.0', '9.0')).toBeLessThan(0);
  });

  it('refuses a version that is not numbers and dots', () => {
    expect(() => compareVersions('CP20', '9.0')).toThrow(DomainError);
    expect(() => compareVersions('CP20', '9.0')).toThrow(exactly('Version must be numbers separated by dots, e.g. 9.1 (got "CP20")'));
    expect(() => compareVersions('9.x', '9.0')).toThrow('Version must be numbers separated by dots, e.g. 9.1 (got "9.x")');
  });
});

describe('checkUpgrade', () => {
  it.each([
    ['a higher tier on the same version', v('9.0', 'PRO'), v('9.0', 'ENTERPRISE')],
    ['two tiers up', v('9.0', 'BASE'), v('9.0', 'ENTERPRISE_PLUS')],
    ['the same tier on a later version', v('9.0', 'PRO'), v('9.1', 'PRO')],
    ['the same tier on a later major version', v('9.1', 'ENTERPRISE'), v('10.0', 'ENTERPRISE')],
    ['a higher tier on a later version', v('8.0', 'BASE'), v('9.0', 'PRO')],
    ['a demo to the same full product', v('9.0', 'PRO', true), v('9.0', 'PRO')],
    ['a demo to a higher full tier', v('9.0', 'BASE', true), v('9.0', 'ENTERPRISE')],
    ['a demo to a full product on a later version', v('7.0', 'ENTERPRISE', true), v('9.0', 'ENTERPRISE')],
    ['a demo to a higher demo', v('9.0', 'PRO', true), v('9.0', 'ENTERPRISE', true)],
  ])('allows %s', (_, from, to) => {
    expect(checkUpgrade({ from, to })).toEqual({ ok: true });
  });

  it('refuses the same product', () => {
    expect(checkUpgrade({ from: v('9.0', 'PRO'), to: v('9.0', 'PRO') })).toEqual({
      ok: false,
      reason: 'This license is already on V9 Pro; choose a higher tier or a later version.',
    });
    expect(checkUpgrade({ from: v('9.0', 'PRO', true), to: v('9', 'PRO', true) })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('already on V9 Pro Demo'),
    });
  });

  it('refuses a lower tier, also on a later version', () => {
    expect(checkUpgrade({ from: v('9.0', 'ENTERPRISE'), to: v('9.0', 'PRO') })).toEqual({
      ok: false,
      reason: 'V9 Pro is a lower tier than V9 Enterprise; an upgrade must stay on Enterprise or go to a higher tier.',
    });
    expect(checkUpgrade({ from: v('9.0', 'ENTERPRISE'), to: v('10.0', 'PRO') }).ok).toBe(false);
    expect(checkUpgrade({ from: v('9.0', 'ENTERPRISE', true), to: v('9.0', 'PRO') }).ok).toBe(false);
  });

  it('refuses an earlier version, also with a higher tier', () => {
    expect(checkUpgrade({ from: v('9.0', 'PRO'), to: v('8.0', 'PRO') })).toEqual({
      ok: false,
      reason: 'V8 Pro is an earlier version than V9 Pro; an upgrade must stay on version 9.0 or go to a later one.',
    });
    expect(checkUpgrade({ from: v('9.1', 'BASE'), to: v('9.0', 'ENTERPRISE_PLUS') }).ok).toBe(false);
    expect(checkUpgrade({ from: v('9.0', 'BASE', true), to: v('8.0', 'ENTERPRISE') }).ok).toBe(false);
  });

  it('refuses a full license to a demo', () => {
    expect(checkUpgrade({ from: v('9.0', 'PRO'), to: v('9.0', 'ENTERPRISE', true) })).toEqual({
      ok: false,
      reason: 'V9 Pro is a full license and cannot be changed to a demo (V9 Enterprise Demo); choose a full product.',
    });
    expect(checkUpgrade({ from: v('9.0', 'PRO'), to: v('10.0', 'PRO', true) }).ok).toBe(false);
  });
});
