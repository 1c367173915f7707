import { localeOr, type Locale } from '../../domain/locale.ts';
import type { PrismaClient } from '../../prisma/client.ts';

/**
 * The language of one mail to these addresses: the language the recipients chose (User.locale), when
 * every recipient who is a user and has chosen chose the same one; English otherwise (an address
 * that is no user's, a user who never chose, or recipients who disagree).
 */
export async function recipientLocale(prisma: PrismaClient, addresses: string[]): Promise<Locale> {
  if (addresses.length === 0) return 'en';
  const users = await prisma.user.findMany({
    where: { email: { in: addresses.map((a) => a.trim()), mode: 'insensitive' }, locale: { not: null } },
    select: { locale: true },
  });
  const chosen = new Set(users.map((u) => localeOr(u.locale)));
  return chosen.size === 1 ? [...chosen][0]! : 'en';
}
