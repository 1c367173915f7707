import { createHash, randomBytes } from 'node:crypto';
import type { PrismaClient } from '../../prisma/client.ts';

export const SESSION_COOKIE = 'ld_session';
export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;

/** The database keeps only a hash of the token: a stolen database row cannot be replayed. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: 'PARTNER_USER' | 'PARTNER_ADMIN' | 'DESK_AGENT' | 'DESK_ADMIN';
  companyId: string;
}

/**
 * Cookie sessions stored in PostgreSQL. A login always issues a new token (no session
 * fixation); a session slides forward while used and ends at its expiry or on logout.
 */
export function createSessionStore(prisma: PrismaClient, clock: () => Date = () => new Date()) {
  return {
    async create(userId: string, meta: { userAgent?: string; ip?: string } = {}) {
      const token = randomBytes(32).toString('base64url');
      const now = clock();
      await prisma.session.create({
        data: { id: hashToken(token), userId, expiresAt: new Date(now.getTime() + SESSION_TTL_MS), userAgent: meta.userAgent?.slice(0, 300), ip: meta.ip },
      });
      return token;
    },

    async find(token: string): Promise<SessionUser | undefined> {
      const now = clock();
      const session = await prisma.session.findUnique({ where: { id: hashToken(token) }, include: { user: true } });
      if (!session || session.expiresAt <= now || !session.user.active) return undefined;
      // Slide the expiry at most once a minute, not on every request.
      if (now.getTime() - session.lastSeenAt.getTime() > 60_000) {
        await prisma.session.update({ where: { id: session.id }, data: { lastSeenAt: now, expiresAt: new Date(now.getTime() + SESSION_TTL_MS) } });
      }
      const { id, email, name, role, companyId } = session.user;
      return { id, email, name, role, companyId };
    },

    async destroy(token: string) {
      await prisma.session.deleteMany({ where: { id: hashToken(token) } });
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
