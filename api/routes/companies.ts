import { Hono } from 'hono';
import { z } from 'zod';
import { emailAddress } from '../../domain/email-address.ts';
import type { PrismaClient } from '../../prisma/client.ts';
import type { Prisma } from '../../prisma/generated/client.ts';
import { requireRole, type AuthEnv } from '../auth/middleware.ts';
import { idsFilter, listQuery, listResponse, notFound, orderOf } from '../simple-rest.ts';
import { visibleCompanyIds } from '../tenancy.ts';
import * as shapes from '../answer-shapes.ts';
import { documented, listOf } from '../route-docs.ts';
import { fieldError, validate } from '../validation.ts';

const KINDS = ['VENDOR', 'DISTRIBUTOR', 'DEALER', 'INTEGRATOR'] as const;
const companyFilter = z.strictObject({
  id: idsFilter,
  q: z.string().trim().max(100).optional(),
  kind: z.enum(KINDS).optional(),
  parentId: z.uuid().optional(),
});
const idParam = z.object({ id: z.uuid({ message: 'Not a company id' }) });
const companyBody = z.strictObject({
  name: z.string({ message: 'Give the company name' }).trim().min(1, 'Give the company name').max(200, 'Use at most 200 characters for the name'),
  kind: z.enum(KINDS, { message: 'Choose the kind: distributor, dealer, integrator or vendor' }),
  parentId: z.uuid({ message: 'Choose the distributor from the list' }).nullable().optional(),
  seesDealers: z.boolean().optional(),
  contactEmail: emailAddress('Give an e-mail address, e.g. orders@example.com').nullable().optional(),
  timeZone: z
    .string()
    .trim()
    .refine((tz) => Intl.supportedValuesOf('timeZone').includes(tz) || tz === 'UTC', 'Choose a time zone such as Europe/Helsinki')
    .optional(),
});

/**
 * Companies: partners read their own (and a distributor its dealers); desk admins create,
 * update and delete. A company with users, licenses, requests or stock cannot be deleted.
 */
export function companyRoutes(deps: { prisma: PrismaClient }) {
  const { prisma } = deps;
  const deskAdmin = requireRole('DESK_ADMIN');

  async function scope(user: AuthEnv['Variables']['user']): Promise<Prisma.CompanyWhereInput> {
    const ids = await visibleCompanyIds(prisma, user);
    return ids ? { id: { in: ids } } : {};
  }

  async function checkParent(parentId: string | null | undefined, selfId?: string) {
    if (!parentId) return;
    if (parentId === selfId) throw fieldError('parentId', 'A company cannot be its own distributor');
    const parent = await prisma.company.findUnique({ where: { id: parentId } });
    if (!parent) throw fieldError('parentId', 'Choose the distributor from the list');
    if (parent.kind !== 'DISTRIBUTOR') throw fieldError('parentId', `${parent.name} is not a distributor`);
  }

  return new Hono<AuthEnv>()
    .get(
      '/',
      documented({
        summary: 'Companies: partners see their own and, for a distributor, its dealers',
        who: 'logged in',
        answers: { 200: listOf(shapes.company, 'The companies') },
      }),
      validate('query', listQuery(['name', 'kind', 'createdAt'], companyFilter)),
      async (c) => {
        const { sort, range, filter = {} } = c.req.valid('query');
        const where: Prisma.CompanyWhereInput = {
          AND: [
            await scope(c.var.user),
            filter.id ? { id: { in: filter.id } } : {},
            filter.kind ? { kind: filter.kind } : {},
            filter.parentId ? { parentId: filter.parentId } : {},
            filter.q ? { name: { contains: filter.q, mode: 'insensitive' } } : {},
          ],
        };
        return listResponse(c, 'companies', range, ({ skip, take }) =>
          Promise.all([prisma.company.findMany({ where, orderBy: orderOf(sort, ['name', 'ASC']), skip, take }), prisma.company.count({ where })]),
        );
      },
    )
    .get(
      '/:id',
      documented({ summary: 'A company', who: 'logged in', answers: { 200: { description: 'The company', json: shapes.company } } }),
      validate('param', idParam),
      async (c) => {
        const company = await prisma.company.findFirst({ where: { AND: [{ id: c.req.valid('param').id }, await scope(c.var.user)] } });
        return c.json(company ?? notFound('Company'));
      },
    )
    .post(
      '/',
      documented({
        summary: 'Create a company',
        description: "A dealer's `parentId` must be a distributor",
        who: 'desk admin',
        answers: { 201: { description: 'The company', json: shapes.company }, 409: 'A company with this name already exists' },
      }),
      deskAdmin,
      validate('json', companyBody),
      async (c) => {
        const body = c.req.valid('json');
        await checkParent(body.parentId);
        if (await prisma.company.findUnique({ where: { name: body.name } })) throw fieldError('name', 'A company with this name already exists', 409);
        return c.json(await prisma.company.create({ data: body }), 201);
      },
    )
    .put(
      '/:id',
      documented({
        summary: 'Change a company',
        who: 'desk admin',
        answers: { 200: { description: 'The company', json: shapes.company }, 409: 'A company with this name already exists' },
      }),
      deskAdmin,
      validate('param', idParam),
      validate('json', companyBody.partial()),
      async (c) => {
        const { id } = c.req.valid('param');
        const body = c.req.valid('json');
        if (!(await prisma.company.findUnique({ where: { id } }))) notFound('Company');
        await checkParent(body.parentId, id);
        if (body.name && (await prisma.company.findFirst({ where: { name: body.name, id: { not: id } } })))
          throw fieldError('name', 'A company with this name already exists', 409);
        return c.json(await prisma.company.update({ where: { id }, data: body }));
      },
    )
    .delete(
      '/:id',
      documented({
        summary: 'Delete an unused company',
        who: 'desk admin',
        answers: {
          200: { description: 'The deleted company', json: shapes.company },
          409: 'The company still has users, licenses, requests, stock or dealers',
        },
      }),
      deskAdmin,
      validate('param', idParam),
      async (c) => {
        const { id } = c.req.valid('param');
        const company =
          (await prisma.company.findUnique({
            where: { id },
            include: { _count: { select: { users: true, licenses: true, requests: true, stockEntries: true, children: true } } },
          })) ?? notFound('Company');
        const inUse = Object.entries(company._count).filter(([, n]) => n > 0);
        if (inUse.length > 0) {
          throw fieldError(
            'id',
            `${company.name} still has ${inUse.map(([what, n]) => `${n} ${what === 'children' ? 'dealers' : what === 'stockEntries' ? 'stock entries' : what}`).join(', ')}; it cannot be deleted`,
            409,
          );
        }
        const { _count, ...deleted } = company;
        await prisma.company.delete({ where: { id } });
        return c.json(deleted);
      },
    );
}
