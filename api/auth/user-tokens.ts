import { randomBytes } from 'node:crypto';
import type { PrismaClient } from '../../prisma/client.ts';
import type { UserTokenPurpose } from '../../prisma/generated/client.ts';
import { hashToken } from './sessions.ts';

/** How long a mailed link works: an invitation for a week, a reset for an hour. */
export const USER_TOKEN_TTL_MS: Record<UserTokenPurpose, number> = {
  INVITATION: 7 * 24 * 60 * 60 * 1000,
  PASSWORD_RESET: 60 * 60 * 1000,
};

/**
 * Issues a single-use link token. Earlier unused tokens of the same purpose stop working, so
 * only the latest mail's link is live. Only the hash is stored.
 */
export async function issueUserToken(prisma: PrismaClient, input: { userId: string; purpose: UserTokenPurpose; ip?: string; now?: Date }) {
  const now = input.now ?? new Date();
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + USER_TOKEN_TTL_MS[input.purpose]);
  await prisma.$transaction([
    prisma.userToken.updateMany({ where: { userId: input.userId, purpose: input.purpose, usedAt: null }, data: { usedAt: now } }),
    prisma.userToken.create({ data: { userId: input.userId, purpose: input.purpose, tokenHash: hashToken(token), expiresAt, requestedIp: input.ip } }),
  ]);
  return { token, expiresAt };
}

/**
 * Spends a token: returns its user id, or undefined when the token is unknown, used, expired or
 * for another purpose. The conditional update makes two concurrent uses spend it once.
 */
export async function spendUserToken(prisma: PrismaClient, token: string, purpose: UserTokenPurpose, now = new Date()) {
  const tokenHash = hashToken(token);
  const spent = await prisma.userToken.updateMany({ where: { tokenHash, purpose, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
  if (spent.count !== 1) return undefined;
  const row = await prisma.userToken.findUniqueOrThrow({ where: { tokenHash }, select: { userId: true } });
  return row.userId;
}

/** Password resets asked for an account in the last hour (the limit is 5). */
export function recentResets(prisma: PrismaClient, userId: string, now = new Date()) {
  return prisma.userToken.count({ where: { userId, purpose: 'PASSWORD_RESET', createdAt: { gt: new Date(now.getTime() - 60 * 60 * 1000) } } });
}
