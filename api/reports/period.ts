import { z } from 'zod';

/** The longest period a report may cover, in years. */
export const MAX_REPORT_YEARS = 5;

const DAY_MS = 86_400_000;

/** A calendar day as `YYYY-MM-DD`, read as midnight UTC. */
export const isoDay = (field: string) =>
  z
    .string({ message: `${field} must be a date like 2021-08-01` })
    .trim()
    .refine((text) => startOfUtcDay(text) !== undefined, `${field} must be a date like 2021-08-01`);

/** The companies the caller may see, set by the server from the session (never from a query). */
export const companyScopeSchema = z.array(z.uuid({ message: 'companyScope must hold company ids' }));

/** Midnight UTC of `YYYY-MM-DD`, or undefined when the text is not a real calendar day. */
export function startOfUtcDay(text: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
  const day = new Date(`${text}T00:00:00.000Z`);
  // Date rolls 2021-02-30 over to March; a real day survives the round trip.
  return Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== text ? undefined : day;
}

/**
 * The half-open interval [from, before) of a `from`..`to` filter: `from` starts at midnight UTC
 * and `to` counts its whole day, so `before` is midnight UTC of the day after `to`.
 */
export function periodOf(input: { from?: string; to?: string }): { from?: Date; before?: Date } {
  const from = input.from ? startOfUtcDay(input.from) : undefined;
  const to = input.to ? startOfUtcDay(input.to) : undefined;
  return { from, before: to ? new Date(to.getTime() + DAY_MS) : undefined };
}

/**
 * Refuses a period that ends before it starts, or that spans more than MAX_REPORT_YEARS (checked
 * when both ends are given; an open-ended period reads all history on that side).
 */
export function checkPeriod(input: { from?: string; to?: string }, ctx: z.RefinementCtx) {
  const { from, before } = periodOf(input);
  if (!from || !before) return;
  if (before.getTime() <= from.getTime()) {
    ctx.addIssue({
      code: 'custom',
      path: ['to'],
      message: `The period ends (${input.to}) before it starts (${input.from}); pick a "to" date on or after "from".`,
    });
    return;
  }
  const limit = new Date(from);
  limit.setUTCFullYear(limit.getUTCFullYear() + MAX_REPORT_YEARS);
  if (before.getTime() > limit.getTime()) {
    const lastDay = new Date(limit.getTime() - DAY_MS).toISOString().slice(0, 10);
    ctx.addIssue({
      code: 'custom',
      path: ['to'],
      message: `A report covers at most ${MAX_REPORT_YEARS} years; from ${input.from} pick a "to" date on or before ${lastDay}, or run several reports.`,
    });
  }
}
