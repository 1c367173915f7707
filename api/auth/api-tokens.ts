import { randomBytes } from 'node:crypto';
import type { PrismaClient } from '../../prisma/client.ts';
import { hashToken, type SessionUser } from './sessions.ts';

/** Partner API tokens look like `ldt_<43 characters>`; the prefix tells them apart from sessions. */
export const API_TOKEN_PREFIX = 'ldt_';

/**
 * Creates a token for the creator's company. The secret is returned once and only its SHA-256
 * is stored; the list shows the first characters so an admin can tell tokens apart.
 */
export async function createApiToken(prisma: PrismaClient, input: { companyId: string; createdById: string; name: string; expiresAt?: Date }) {
  const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const row = await prisma.apiToken.create({
    data: {
      companyId: input.companyId,
      createdById: input.createdById,
      name: input.name,
      prefix: token.slice(0, 12),
      tokenHash: hashToken(token),
      expiresAt: input.expiresAt,
    },
  });
  return { row, token };
}

/**
 * The caller behind a bearer token: the creating user, acting as a partner user of the token's
 * company (a token never manages users or tokens). Revoked, expired tokens and deactivated
 * creators are refused.
 */
export async function findApiTokenUser(prisma: PrismaClient, token: string, now = new Date()): Promise<SessionUser | undefined> {
  if (!token.startsWith(API_TOKEN_PREFIX)) return undefined;
  const row = await prisma.apiToken.findUnique({ where: { tokenHash: hashToken(token) }, include: { createdBy: true, company: { select: { name: true } } } });
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now) || !row.createdBy.active || row.createdBy.companyId !== row.companyId) return undefined;
  // Record use at most once a minute.
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    await prisma.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return {
    id: row.createdBy.id,
    email: row.createdBy.email,
    name: `${row.createdBy.name} (API token "${row.name}")`,
    role: 'PARTNER_USER',
    companyId: row.companyId,
    companyName: row.company.name,
    apiTokenId: row.id,
  };
}
