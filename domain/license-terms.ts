/**
 * The dates a license runs by, as plain functions of the product and the time they start: its
 * SMA (software maintenance) term, a demo's expiry, an interim license's expiry, and what an
 * upgrade from a demo to a full product changes. The license operations and the activities
 * call them with their clock's time.
 */

const DAY_MS = 86_400_000;

/** How long an interim license runs (NEC LMS: a hardware replacement's temporary license). */
export const INTERIM_LICENSE_DAYS = 30;

/** `months` calendar months later, in UTC (31 January + 1 month is 3 March, as Date counts). */
export function addMonths(date: Date, months: number): Date {
  const d = new Date(date);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d;
}

/** A new license's terms from `now`: an SMA of the product's months, and a demo's expiry after its days; null where the product has none. */
export function newLicenseTerms(product: { smaMonths: number | null; isDemo: boolean; demoDays: number | null }, now: Date) {
  return {
    smaStart: product.smaMonths ? now : null,
    smaEnd: product.smaMonths ? addMonths(now, product.smaMonths) : null,
    expiresAt: product.isDemo && product.demoDays ? new Date(now.getTime() + product.demoDays * DAY_MS) : null,
  };
}

/** When an interim license issued at `now` expires. */
export function interimExpiry(now: Date): Date {
  return new Date(now.getTime() + INTERIM_LICENSE_DAYS * DAY_MS);
}

/** An upgrade from a demo product to a full one makes the license a full one: no expiry. */
export function upgradeMakesFull(from: { isDemo: boolean }, to: { isDemo: boolean }): boolean {
  return from.isDemo && !to.isDemo;
}

/**
 * What an upgrade changes in a license's terms at `now`: from a demo to a full product the expiry
 * goes, and the SMA starts when the target product has one and the license had none yet.
 */
export function upgradeTerms(
  license: { smaEnd: Date | null },
  from: { isDemo: boolean },
  to: { isDemo: boolean; smaMonths: number | null },
  now: Date,
): { expiresAt?: null; smaStart?: Date; smaEnd?: Date } {
  if (!upgradeMakesFull(from, to)) return {};
  return { expiresAt: null, ...(to.smaMonths && !license.smaEnd ? { smaStart: now, smaEnd: addMonths(now, to.smaMonths) } : {}) };
}
