import type { CoolingOffRenewal } from '../domain/sma-renewal.ts';
import type { PrismaClient } from '../prisma/client.ts';

/**
 * The SMA renewals that can still be cancelled (status COOLING_OFF), with their serials as the
 * form holds them (as typed: `checkNoCoolingOffRenewal` compares them as stored serials). Few at
 * any time (a day's renewals), so they are all read rather than matched in the JSON.
 */
export async function coolingOffRenewals(prisma: Pick<PrismaClient, 'request'>): Promise<CoolingOffRenewal[]> {
  const rows = await prisma.request.findMany({
    where: { type: 'SMA_RENEWAL', status: 'COOLING_OFF' },
    select: { number: true, coolingOffEndsAt: true, payload: true },
    orderBy: { number: 'asc' },
  });
  return rows.map((r) => {
    const serials = (r.payload as { serials?: unknown } | null)?.serials;
    return {
      number: r.number,
      coolingOffEndsAt: r.coolingOffEndsAt,
      serials: Array.isArray(serials) ? serials.filter((s): s is string => typeof s === 'string') : [],
    };
  });
}
