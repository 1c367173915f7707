import type { PrismaClient } from '../prisma/client.ts';
import { DESK_ROLES } from './auth/middleware.ts';
import type { SessionUser } from './auth/sessions.ts';

export function isDesk(user: SessionUser) {
  return (DESK_ROLES as readonly string[]).includes(user.role);
}

/**
 * The companies whose data a user may see: desk staff see all (undefined); a partner sees its
 * own company, and a distributor also its dealers when it is allowed to.
 */
export async function visibleCompanyIds(prisma: PrismaClient, user: SessionUser): Promise<string[] | undefined> {
  if (isDesk(user)) return undefined;
  const company = await prisma.company.findUniqueOrThrow({ where: { id: user.companyId }, select: { seesDealers: true, children: { select: { id: true } } } });
  return [user.companyId, ...(company.seesDealers ? company.children.map((c) => c.id) : [])];
}

/** A Prisma `where` fragment limiting rows to the visible companies. */
export function companyScope(ids: string[] | undefined) {
  return ids ? { companyId: { in: ids } } : {};
}
