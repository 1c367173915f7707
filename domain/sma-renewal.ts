import { DomainError } from './errors.ts';
import { requestReference } from './request-labels.ts';
import { normalizeSerial } from './serial.ts';

/**
 * SMA renewal (NEC LMS "Software Assurance": renewal, grace period, 24-hour cooling-off; the
 * Milestone Care renewal the reminders ask for), as plain functions of the license, its product
 * and the time. The API runs `checkRenewable` at submission and the workflow's activities run it
 * again; the fulfilment computes the new end with `renewedSmaEnd` under the license's row lock.
 *
 * - The new term always runs on from the old end: a renewal before the end extends it, one inside
 *   the grace period after the end is backdated to it (no gap, no free days).
 * - Outside the grace period the SMA has lapsed: NEC quotes a reinstatement, which is the desk's
 *   to price, so the partner is told to ask the desk instead of renewing here.
 * - After an issued renewal the partner may cancel it during the cooling-off period.
 */

const DAY_MS = 86_400_000;

/** Days after an SMA's end in which a renewal is still taken, when the product says nothing else (the NEC guide gives no number). */
export const DEFAULT_SMA_GRACE_DAYS = 30;
/** How long after an issued renewal the partner may cancel it: NEC's cooling-off period. */
export const DEFAULT_SMA_COOLING_OFF_HOURS = 24;
/** At most this many licenses in one renewal request. */
export const MAX_RENEWAL_SERIALS = 50;

/**
 * `months` calendar months after `date`, in UTC, kept at the month's end when the day does not
 * exist: 31 January + 1 month is 28 (or 29) February, and 29 February 2028 + 12 months is
 * 28 February 2029. The time of day is kept.
 */
export function addMonthsClamped(date: Date, months: number): Date {
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const d = new Date(date);
  d.setUTCDate(1);
  d.setUTCFullYear(year, month, Math.min(date.getUTCDate(), lastDay));
  return d;
}

/** The last moment a renewal is still taken for an SMA that ends (or ended) at `smaEnd`. */
export function graceEndsAt(smaEnd: Date, graceDays: number): Date {
  return new Date(smaEnd.getTime() + graceDays * DAY_MS);
}

/** The SMA's end after a renewal of `months`: always from the old end, also when it is past (backdated inside the grace period). */
export function renewedSmaEnd(smaEnd: Date, months: number): Date {
  return addMonthsClamped(smaEnd, months);
}

/** When the partner can no longer cancel a renewal issued at `issuedAt`. */
export function coolingOffEndsAt(issuedAt: Date, hours: number): Date {
  return new Date(issuedAt.getTime() + hours * 3_600_000);
}

/** "2026-12-08": dates in refusals are UTC days. */
const day = (date: Date) => date.toISOString().slice(0, 10);

export interface RenewableLicense {
  serial: string;
  status: string;
  smaEnd: Date | null;
  product: { name: string; smaMonths: number | null; smaGraceDays: number };
}

/** What a renewal of one license does: from its end now to the new end. */
export interface RenewalTerm {
  previousEnd: Date;
  newEnd: Date;
  months: number;
  /** The SMA had ended: the new term is backdated to its end. */
  backdated: boolean;
}

/**
 * Whether the license's SMA can be renewed at `now`, and what the renewal gives. Refused (a
 * DomainError on `serials`) for a license that is not active, a product without an SMA term, a
 * license without an SMA, and an SMA that ended longer ago than the product's grace period.
 */
export function checkRenewable(license: RenewableLicense, now: Date, field = 'serials'): RenewalTerm {
  const { serial, product } = license;
  const refuse = (code: string, message: string): never => {
    throw new DomainError(message, { code, field });
  };
  if (license.status !== 'ACTIVE') {
    refuse(
      'LICENSE_NOT_ACTIVE',
      `License ${serial} is ${license.status.toLowerCase().replace('_', ' ')}, not active; only an active license's SMA can be renewed.`,
    );
  }
  if (!product.smaMonths) refuse('NO_SMA_TERM', `License ${serial} (${product.name}) has no SMA to renew: its product has no SMA term.`);
  if (!license.smaEnd) refuse('NO_SMA', `License ${serial} has no SMA to renew; ask the desk to start one.`);
  const smaEnd = license.smaEnd!;
  const months = product.smaMonths!;
  const lastDay = graceEndsAt(smaEnd, product.smaGraceDays);
  if (now.getTime() > lastDay.getTime()) {
    refuse(
      'SMA_GRACE_PASSED',
      `The SMA of license ${serial} ended on ${day(smaEnd)}, more than ${product.smaGraceDays} days ago (the grace period of ${product.name} ended on ${day(lastDay)}), so it can no longer be renewed here. Ask the desk for a reinstatement quote: comment on any request or e-mail the desk.`,
    );
  }
  return { previousEnd: smaEnd, newEnd: renewedSmaEnd(smaEnd, months), months, backdated: smaEnd.getTime() < now.getTime() };
}

/**
 * "SMA end of V8WJNEE89Q6A: 2026-11-20 → 2027-11-20 (renewed in the grace period, from its end)": the
 * words on the license's history, the request's timeline (which lists every license) and the report.
 */
export function renewalChanges(serial: string, term: { previousEnd: Date; newEnd: Date; backdated?: boolean }): string {
  return `SMA end of ${serial}: ${day(term.previousEnd)} → ${day(term.newEnd)}${term.backdated ? ' (renewed in the grace period, from its end)' : ''}`;
}

/** "2026-12-09 12:00 UTC": a moment as the timeline writes it. */
export function utcMinute(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** An SMA renewal still in its cooling-off period: its reference number, when that ends, and its licenses' serials as typed. */
export interface CoolingOffRenewal {
  number: number;
  coolingOffEndsAt: Date | null;
  serials: string[];
}

/**
 * A license whose SMA renewal can still be cancelled may not change owner, give channels, be
 * returned or move to new hardware: the cancel would revise a license that is no longer the
 * renewal's (another company's, or not active). Refused (a DomainError on `field`, code
 * RENEWAL_COOLING_OFF) for the first serial that is in one of `renewals`. The renewals' serials
 * are compared as stored serials (the form keeps them as typed).
 */
export function checkNoCoolingOffRenewal(serials: string[], renewals: CoolingOffRenewal[], field = 'serial'): void {
  const stored = (typed: string) => {
    try {
      return normalizeSerial(typed);
    } catch {
      return typed;
    }
  };
  for (const serial of serials) {
    const renewal = renewals.find((r) => r.serials.some((s) => stored(s) === serial));
    if (!renewal) continue;
    const until = renewal.coolingOffEndsAt ? utcMinute(renewal.coolingOffEndsAt) : 'its cooling-off period ends';
    throw new DomainError(
      `License ${serial} has an SMA renewal (${requestReference(renewal.number)}) that can still be cancelled until ${until}; send this request after that, or make the renewal final first.`,
      { code: 'RENEWAL_COOLING_OFF', field },
    );
  }
}
