import { createHash, randomBytes } from 'node:crypto';
import type { Actor } from '../../domain/actor.ts';
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
  companyName: string;
  /** The language the user chose ('en' or 'fi'); null until they choose (the UI then follows the browser). */
  locale?: string | null;
  /** The desk user acting as this user, while impersonating. */
  impersonator?: { id: string; name: string };
  /** Set when the caller is a partner integration's API token rather than a browser session. */
  apiTokenId?: string;
}

/** Who did something, for workflow messages and history rows (see domain/actor.ts). */
export function actorOf(user: SessionUser): Actor {
  return { userId: user.id, name: user.name, ...(user.impersonator ? { impersonator: { userId: user.impersonator.id, name: user.impersonator.name } } : {}) };
}

/**
 * Cookie sessions stored in PostgreSQL. A login always issues a new token (no session
 * fixation); a session slides forward while used and ends at its expiry or on logout.
 */
export function createSessionStore(prisma: PrismaClient, clock: () => Date = () => new Date()) {
  return {
    async create(userId: string, meta: { userAgent?: string; ip?: string; impersonatorId?: string } = {}) {
      const token = randomBytes(32).toString('base64url');
      const now = clock();
      await prisma.session.create({
        data: {
          id: hashToken(token),
          userId,
          impersonatorId: meta.impersonatorId,
          expiresAt: new Date(now.getTime() + SESSION_TTL_MS),
          userAgent: meta.userAgent?.slice(0, 300),
          ip: meta.ip,
        },
      });
      return token;
    },

    async find(token: string): Promise<SessionUser | undefined> {
      const now = clock();
      const session = await prisma.session.findUnique({
        where: { id: hashToken(token) },
        include: { user: { include: { company: { select: { name: true } } } }, impersonator: { select: { id: true, name: true, active: true } } },
      });
      if (!session || session.expiresAt <= now || !session.user.active) return undefined;
      if (session.impersonator && !session.impersonator.active) return undefined;
      // Slide the expiry at most once a minute, not on every request.
      if (now.getTime() - session.lastSeenAt.getTime() > 60_000) {
        await prisma.session.update({ where: { id: session.id }, data: { lastSeenAt: now, expiresAt: new Date(now.getTime() + SESSION_TTL_MS) } });
      }
      const { id, email, name, role, companyId, company, locale } = session.user;
      const impersonator = session.impersonator ? { id: session.impersonator.id, name: session.impersonator.name } : undefined;
      return { id, email, name, role, companyId, companyName: company.name, locale, ...(impersonator ? { impersonator } : {}) };
    },

    /** Ends every session of a user (after a password change or deactivation). */
    async destroyAllOf(userId: string) {
      await prisma.session.deleteMany({ where: { OR: [{ userId }, { impersonatorId: userId }] } });
    },

    async destroy(token: string) {
      await prisma.session.deleteMany({ where: { id: hashToken(token) } });
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
