import { Hono } from 'hono';
import { z } from 'zod';
import type { PrismaClient } from '../../prisma/client.ts';
import type { AuthEnv } from '../auth/middleware.ts';
import { listQuery, pageOf, setContentRange } from '../simple-rest.ts';
import { validate } from '../validation.ts';

const productFilter = z.strictObject({ q: z.string().trim().max(100).optional(), family: z.string().trim().max(100).optional(), isDemo: z.boolean().optional() });

/** The catalogue partners choose from when they fill in a request (active products only). */
export function productRoutes(deps: { prisma: PrismaClient }) {
  return new Hono<AuthEnv>().get('/', validate('query', listQuery(['name', 'code', 'family'], productFilter)), async (c) => {
    const { sort, range, filter = {} } = c.req.valid('query');
    const where = {
      active: true,
      ...(filter.family ? { family: filter.family } : {}),
      ...(filter.isDemo !== undefined ? { isDemo: filter.isDemo } : {}),
      ...(filter.q ? { OR: [{ name: { contains: filter.q, mode: 'insensitive' as const } }, { code: { contains: filter.q, mode: 'insensitive' as const } }] } : {}),
    };
    const { skip, take } = pageOf(range);
    const [rows, total] = await Promise.all([
      deps.prisma.product.findMany({ where, orderBy: { [sort?.[0] ?? 'code']: (sort?.[1] ?? 'ASC').toLowerCase() }, skip, take }),
      deps.prisma.product.count({ where }),
    ]);
    setContentRange(c, 'products', skip, rows.length, total);
    return c.json(rows);
  });
}
