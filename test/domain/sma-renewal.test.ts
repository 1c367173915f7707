import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../domain/errors.ts';
import {
  addMonthsClamped,
  checkNoCoolingOffRenewal,
  checkRenewable,
  coolingOffEndsAt,
  graceEndsAt,
  renewalChanges,
  renewedSmaEnd,
  type RenewableLicense,
} from '../../domain/sma-renewal.ts';

const at = (iso: string) => new Date(iso);
const license = (smaEnd: string | null, over: Partial<RenewableLicense> = {}): RenewableLicense => ({
  serial: 'V8WJNEE89Q6A',
  status: 'ACTIVE',
  smaEnd: smaEnd ? at(smaEnd) : null,
  product: { name: 'V9 Pro', smaMonths: 12, smaGraceDays: 30 },
  ...over,
});

/** The DomainError a rule throws, or undefined. */
function refusal(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (isDomainError(error)) return { code: error.code, field: error.field, message: error.message };
    throw error;
  }
  return undefined;
}

describe('SMA renewal dates', () => {
  it('adds calendar months and keeps a month end that the target month lacks', () => {
    expect(addMonthsClamped(at('2026-01-31T10:00:00Z'), 1).toISOString()).toBe('2026-02-28T10:00:00.000Z');
    expect(addMonthsClamped(at('2028-01-31T10:00:00Z'), 1).toISOString()).toBe('2028-02-29T10:00:00.000Z');
    expect(addMonthsClamped(at('2026-03-31T00:00:00Z'), 1).toISOString()).toBe('2026-04-30T00:00:00.000Z');
    expect(addMonthsClamped(at('2026-08-31T00:00:00Z'), 6).toISOString()).toBe('2027-02-28T00:00:00.000Z');
    expect(addMonthsClamped(at('2026-12-15T08:30:00Z'), 1).toISOString()).toBe('2027-01-15T08:30:00.000Z');
    expect(addMonthsClamped(at('2026-05-31T00:00:00Z'), 24).toISOString()).toBe('2028-05-31T00:00:00.000Z');
  });

  it('renews a leap day to the last day of February in a common year, and back to the 29th in a leap year', () => {
    expect(renewedSmaEnd(at('2028-02-29T00:00:00Z'), 12).toISOString()).toBe('2029-02-28T00:00:00.000Z');
    expect(renewedSmaEnd(at('2028-02-29T00:00:00Z'), 48).toISOString()).toBe('2032-02-29T00:00:00.000Z');
    expect(renewedSmaEnd(at('2027-02-28T00:00:00Z'), 12).toISOString()).toBe('2028-02-28T00:00:00.000Z');
  });

  it('counts the grace period and the cooling-off period from their starts', () => {
    expect(graceEndsAt(at('2026-12-01T00:00:00Z'), 30).toISOString()).toBe('2026-12-31T00:00:00.000Z');
    expect(coolingOffEndsAt(at('2026-12-08T12:00:00Z'), 24).toISOString()).toBe('2026-12-09T12:00:00.000Z');
  });
});

describe('checkRenewable', () => {
  it('extends an SMA that has not ended from its end, not from today', () => {
    const term = checkRenewable(license('2027-01-15T00:00:00Z'), at('2026-12-08T00:00:00Z'));
    expect(term).toEqual({ previousEnd: at('2027-01-15T00:00:00Z'), newEnd: at('2028-01-15T00:00:00Z'), months: 12, backdated: false });
  });

  it('backdates a renewal inside the grace period: the new term starts at the old end', () => {
    const term = checkRenewable(license('2026-11-20T00:00:00Z'), at('2026-12-08T00:00:00Z'));
    expect(term).toMatchObject({ previousEnd: at('2026-11-20T00:00:00Z'), newEnd: at('2027-11-20T00:00:00Z'), backdated: true });
    expect(renewalChanges('V8WJNEE89Q6A', term)).toBe('SMA end of V8WJNEE89Q6A: 2026-11-20 → 2027-11-20 (renewed in the grace period, from its end)');
  });

  it('takes a renewal on the last moment of the grace period and refuses one after it, saying what to do', () => {
    const ended = '2026-11-01T00:00:00Z';
    expect(checkRenewable(license(ended), at('2026-12-01T00:00:00Z')).newEnd).toEqual(at('2027-11-01T00:00:00Z'));
    expect(refusal(() => checkRenewable(license(ended), at('2026-12-01T00:00:01Z')))).toEqual({
      code: 'SMA_GRACE_PASSED',
      field: 'serials',
      message:
        'The SMA of license V8WJNEE89Q6A ended on 2026-11-01, more than 30 days ago (the grace period of V9 Pro ended on 2026-12-01), so it can no longer be renewed here. Ask the desk for a reinstatement quote: comment on any request or e-mail the desk.',
    });
  });

  it("follows the product's own grace period", () => {
    const product = { name: 'SV9100 InMail', smaMonths: 12, smaGraceDays: 90 };
    expect(checkRenewable(license('2026-10-01T00:00:00Z', { product }), at('2026-12-08T00:00:00Z')).backdated).toBe(true);
    expect(refusal(() => checkRenewable(license('2026-12-01T00:00:00Z', { product: { ...product, smaGraceDays: 0 } }), at('2026-12-08T00:00:00Z')))?.code).toBe(
      'SMA_GRACE_PASSED',
    );
  });

  it('refuses a license without an SMA, a product without an SMA term, and a license that is not active', () => {
    expect(refusal(() => checkRenewable(license(null), at('2026-12-08T00:00:00Z')))).toMatchObject({
      code: 'NO_SMA',
      message: 'License V8WJNEE89Q6A has no SMA to renew; ask the desk to start one.',
    });
    const demo = { name: 'V9 Pro Demo', smaMonths: null, smaGraceDays: 30 };
    expect(refusal(() => checkRenewable(license(null, { product: demo }), at('2026-12-08T00:00:00Z')))).toMatchObject({
      code: 'NO_SMA_TERM',
      message: 'License V8WJNEE89Q6A (V9 Pro Demo) has no SMA to renew: its product has no SMA term.',
    });
    expect(refusal(() => checkRenewable(license('2027-01-01T00:00:00Z', { status: 'REVOKED' }), at('2026-12-08T00:00:00Z')))).toMatchObject({
      code: 'LICENSE_NOT_ACTIVE',
      message: "License V8WJNEE89Q6A is revoked, not active; only an active license's SMA can be renewed.",
    });
  });
});

describe('checkNoCoolingOffRenewal: a license whose renewal can still be cancelled stays put', () => {
  const renewal = { number: 123, coolingOffEndsAt: new Date('2026-12-09T12:00:30Z'), serials: ['v8wj-nee8-9q6a', 'K2C4FHJ7MNPQ'] };
  const refused = (serials: string[], field?: string) => refusal(() => checkNoCoolingOffRenewal(serials, [renewal], field));

  it('refuses, in words, a serial of a renewal in its cooling-off period (its serials compared as stored, whatever was typed)', () => {
    expect(refused(['V8WJNEE89Q6A'])).toEqual({
      code: 'RENEWAL_COOLING_OFF',
      field: 'serial',
      message:
        'License V8WJNEE89Q6A has an SMA renewal (LD-000123) that can still be cancelled until 2026-12-09 12:00 UTC; send this request after that, or make the renewal final first.',
    });
    expect(refused(['AAAAAAAAAAAA', 'K2C4FHJ7MNPQ'], 'serials')).toMatchObject({
      field: 'serials',
      message: expect.stringContaining('License K2C4FHJ7MNPQ has'),
    });
  });

  it('lets through a serial of no cooling-off renewal', () => {
    expect(refused(['AAAAAAAAAAAA'])).toBeUndefined();
    expect(checkNoCoolingOffRenewal(['V8WJNEE89Q6A'], [])).toBeUndefined();
  });
});
