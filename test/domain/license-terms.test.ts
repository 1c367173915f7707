import { describe, expect, it } from 'vitest';
import { addMonths, INTERIM_LICENSE_DAYS, interimExpiry, newLicenseTerms, upgradeMakesFull, upgradeTerms } from '../../domain/license-terms.ts';

const now = new Date('2026-01-31T09:30:00.000Z');
const iso = (d: Date | null | undefined) => d?.toISOString() ?? d;

describe('license terms', () => {
  it('adds calendar months in UTC, as Date counts them', () => {
    expect(addMonths(new Date('2026-03-15T12:00:00.000Z'), 12).toISOString()).toBe('2027-03-15T12:00:00.000Z');
    expect(addMonths(now, 1).toISOString()).toBe('2026-03-03T09:30:00.000Z');
    expect(now.toISOString()).toBe('2026-01-31T09:30:00.000Z');
  });

  it("gives a new license the product's SMA from now, and a demo its expiry after its days", () => {
    const full = newLicenseTerms({ smaMonths: 12, isDemo: false, demoDays: null }, now);
    expect([iso(full.smaStart), iso(full.smaEnd), full.expiresAt]).toEqual(['2026-01-31T09:30:00.000Z', '2027-01-31T09:30:00.000Z', null]);
    const demo = newLicenseTerms({ smaMonths: null, isDemo: true, demoDays: 30 }, now);
    expect([demo.smaStart, demo.smaEnd, iso(demo.expiresAt)]).toEqual([null, null, '2026-03-02T09:30:00.000Z']);
    // A demo product without days never expires; a full one with days ignores them.
    expect(newLicenseTerms({ smaMonths: 0, isDemo: true, demoDays: null }, now)).toEqual({ smaStart: null, smaEnd: null, expiresAt: null });
    expect(newLicenseTerms({ smaMonths: null, isDemo: false, demoDays: 30 }, now).expiresAt).toBeNull();
  });

  it('runs an interim license for 30 days', () => {
    expect(INTERIM_LICENSE_DAYS).toBe(30);
    expect(interimExpiry(now).toISOString()).toBe('2026-03-02T09:30:00.000Z');
  });

  it('drops the expiry and starts the SMA only when an upgrade makes a demo a full license', () => {
    const demo = { isDemo: true };
    const full = { isDemo: false, smaMonths: 12 };
    expect(upgradeMakesFull(demo, full)).toBe(true);
    expect(upgradeMakesFull({ isDemo: false }, full)).toBe(false);
    expect(upgradeMakesFull(demo, { isDemo: true })).toBe(false);

    const terms = upgradeTerms({ smaEnd: null }, demo, full, now);
    expect({ ...terms, smaStart: iso(terms.smaStart), smaEnd: iso(terms.smaEnd) }).toEqual({
      expiresAt: null,
      smaStart: '2026-01-31T09:30:00.000Z',
      smaEnd: '2027-01-31T09:30:00.000Z',
    });
    // An SMA that was running stays; a target without SMA starts none.
    expect(upgradeTerms({ smaEnd: new Date('2026-06-01T00:00:00.000Z') }, demo, full, now)).toEqual({ expiresAt: null });
    expect(upgradeTerms({ smaEnd: null }, demo, { isDemo: false, smaMonths: null }, now)).toEqual({ expiresAt: null });
    expect(upgradeTerms({ smaEnd: null }, { isDemo: false }, full, now)).toEqual({});
  });
});
