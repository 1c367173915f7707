import { Hono } from 'hono';
import { z } from 'zod';
import type { PrismaClient } from '../../prisma/client.ts';
import type { Prisma } from '../../prisma/generated/client.ts';
import { requireRole, type AuthEnv } from '../auth/middleware.ts';
import { idsFilter, listQuery, listResponse, notFound, orderOf } from '../simple-rest.ts';
import { isDesk } from '../tenancy.ts';
import * as shapes from '../answer-shapes.ts';
import { documented, listOf } from '../route-docs.ts';
import { fieldError, validate } from '../validation.ts';

const productFilter = z.strictObject({
  id: idsFilter,
  q: z.string().trim().max(100).optional(),
  family: z.string().trim().max(100).optional(),
  isDemo: z.boolean().optional(),
  external: z.boolean().optional(),
  active: z.boolean().optional(),
});
const idParam = z.object({ id: z.uuid({ message: 'Not a product id' }) });
const count = (what: string) =>
  z
    .number({ message: `${what} must be a number` })
    .int(`${what} must be a whole number`)
    .min(0, `${what} cannot be negative`)
    .max(100_000);
const productBody = z.strictObject({
  code: z
    .string({ message: 'Give the product code' })
    .trim()
    .min(1, 'Give the product code')
    .max(60)
    .regex(/^[A-Za-z0-9._-]+$/, 'Use letters, digits, dot, dash and underscore in the code'),
  name: z.string({ message: 'Give the product name' }).trim().min(1, 'Give the product name').max(200),
  family: z.string({ message: 'Give the product family' }).trim().min(1, 'Give the product family').max(100),
  version: z.string({ message: 'Give the version' }).trim().min(1, 'Give the version').max(40),
  tier: z.enum(['BASE', 'PRO', 'ENTERPRISE', 'ENTERPRISE_PLUS']).nullable().optional(),
  isDemo: z.boolean().optional(),
  demoDays: count('Demo days').min(1, 'A demo lasts at least 1 day').nullable().optional(),
  minChannels: count('Minimum channels').min(1, 'The minimum is at least 1 channel').optional(),
  maxChannels: count('Maximum channels').min(1, 'The maximum is at least 1 channel'),
  servers: count('Servers').nullable().optional(),
  users: count('Users').nullable().optional(),
  features: z.array(z.string().trim().min(1).max(100)).max(100).optional(),
  smaMonths: count('SMA months').max(120).nullable().optional(),
  smaGraceDays: z
    .number({ message: 'SMA grace period must be a whole number of days' })
    .int('SMA grace period must be a whole number of days')
    .min(0, 'SMA grace period cannot be negative; 0 means no renewal after the SMA ends')
    .max(3650, 'SMA grace period can be at most 3650 days')
    .optional(),
  lockType: z.enum(['MAC', 'HARDWARE_KEY'], { message: 'Choose the lock: MAC address or hardware key' }),
  hardwareKeyType: z.string().trim().max(40).nullable().optional(),
  external: z.boolean().optional(),
  active: z.boolean().optional(),
});
const checkRanges = <T extends { minChannels?: number; maxChannels?: number; isDemo?: boolean; demoDays?: number | null }>(p: T, ctx: z.RefinementCtx) => {
  if (p.minChannels !== undefined && p.maxChannels !== undefined && p.minChannels > p.maxChannels)
    ctx.addIssue({ code: 'custom', path: ['maxChannels'], message: 'The maximum must be at least the minimum' });
  if (p.isDemo && !p.demoDays) ctx.addIssue({ code: 'custom', path: ['demoDays'], message: 'A demo product needs its number of days' });
};

/**
 * The catalogue. Everyone reads the active products (partners choose from them when they fill
 * in a request; desk staff also see inactive ones); desk admins create and change products.
 * "Delete" retires a product (active = false): licenses and history keep pointing at it.
 */
export function productRoutes(deps: { prisma: PrismaClient }) {
  const { prisma } = deps;
  const deskAdmin = requireRole('DESK_ADMIN');
  return new Hono<AuthEnv>()
    .get(
      '/',
      documented({
        summary: 'The product catalogue',
        description: 'Partners see active products only; the desk may filter by `active`',
        who: 'logged in',
        answers: { 200: listOf(shapes.product, 'The products') },
      }),
      validate('query', listQuery(['name', 'code', 'family', 'maxChannels'], productFilter)),
      async (c) => {
        const { sort, range, filter = {} } = c.req.valid('query');
        const desk = isDesk(c.var.user);
        const where: Prisma.ProductWhereInput = {
          AND: [
            desk ? (filter.active !== undefined ? { active: filter.active } : {}) : { active: true },
            filter.id ? { id: { in: filter.id } } : {},
            filter.family ? { family: filter.family } : {},
            filter.isDemo !== undefined ? { isDemo: filter.isDemo } : {},
            filter.external !== undefined ? { external: filter.external } : {},
            filter.q ? { OR: [{ name: { contains: filter.q, mode: 'insensitive' } }, { code: { contains: filter.q, mode: 'insensitive' } }] } : {},
          ],
        };
        return listResponse(c, 'products', range, ({ skip, take }) =>
          Promise.all([prisma.product.findMany({ where, orderBy: orderOf(sort, ['code', 'ASC']), skip, take }), prisma.product.count({ where })]),
        );
      },
    )
    .get(
      '/:id',
      documented({ summary: 'A product', who: 'logged in', answers: { 200: { description: 'The product', json: shapes.product } } }),
      validate('param', idParam),
      async (c) => {
        const product = await prisma.product.findFirst({ where: { id: c.req.valid('param').id, ...(isDesk(c.var.user) ? {} : { active: true }) } });
        return c.json(product ?? notFound('Product'));
      },
    )
    .post(
      '/',
      documented({
        summary: 'Create a product',
        who: 'desk admin',
        answers: { 201: { description: 'The product', json: shapes.product }, 409: 'A product with this code already exists' },
      }),
      deskAdmin,
      validate('json', productBody.superRefine(checkRanges)),
      async (c) => {
        const body = c.req.valid('json');
        if (await prisma.product.findUnique({ where: { code: body.code } })) throw fieldError('code', 'A product with this code already exists', 409);
        return c.json(await prisma.product.create({ data: body }), 201);
      },
    )
    .put(
      '/:id',
      documented({
        summary: 'Change a product',
        who: 'desk admin',
        answers: { 200: { description: 'The product', json: shapes.product }, 409: 'A product with this code already exists' },
      }),
      deskAdmin,
      validate('param', idParam),
      validate('json', productBody.partial().superRefine(checkRanges)),
      async (c) => {
        const { id } = c.req.valid('param');
        const existing = (await prisma.product.findUnique({ where: { id } })) ?? notFound('Product');
        const body = c.req.valid('json');
        const min = body.minChannels ?? existing.minChannels;
        const max = body.maxChannels ?? existing.maxChannels;
        if (min > max) throw fieldError('maxChannels', 'The maximum must be at least the minimum');
        if (body.code && body.code !== existing.code && (await prisma.product.findUnique({ where: { code: body.code } })))
          throw fieldError('code', 'A product with this code already exists', 409);
        return c.json(await prisma.product.update({ where: { id }, data: body }));
      },
    )
    .delete(
      '/:id',
      documented({
        summary: 'Retire a product (active: false); licenses keep pointing at it',
        who: 'desk admin',
        answers: { 200: { description: 'The retired product', json: shapes.product } },
      }),
      deskAdmin,
      validate('param', idParam),
      async (c) => {
        const { id } = c.req.valid('param');
        if (!(await prisma.product.findUnique({ where: { id } }))) notFound('Product');
        return c.json(await prisma.product.update({ where: { id }, data: { active: false } }));
      },
    );
}
