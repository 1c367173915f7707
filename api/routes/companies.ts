import { Hono } from 'hono';
import { z } from 'zod';
import { emailAddress } from '../../domain/email-address.ts';
import type { PrismaClient } from '../../prisma/client.ts';
import type { Prisma } from '../../prisma/generated/client.ts';
import { requireRole, type AuthEnv } from '../auth/middleware.ts';
import { idsFilter, listQuery, listResponse, notFound, orderOf } from '../simple-rest.ts';
import { isDesk, visibleCompanyIds } from '../tenancy.ts';
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
  reshipNeedsApproval: z.boolean({ message: 'Reships need approval must be true or false' }).optional(),
  contactEmail: emailAddress('Give an e-mail address, e.g. orders@example.com').nullable().optional(),
  timeZone: z
    .string()
    .trim()
    .refine((tz) => Intl.supportedValuesOf('timeZone').includes(tz) || tz === 'UTC', 'Choose a time zone such as Europe/Helsinki')
    .optional(),
});

/** What keeps a company from being deleted. */
const withUses = {
  parent: { select: { name: true } },
  _count: { select: { users: true, licenses: true, requests: true, stockEntries: true, children: true } },
} as const;

const counted = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * Why a company cannot be deleted, as a sentence, or null when it can: never the vendor, never a
 * company with licenses (their history names it), and not while anything else still points to it.
 */
export function deleteRefusal(company: Prisma.CompanyGetPayload<{ include: typeof withUses }>, webhookEndpoints = 0): string | null {
  if (company.kind === 'VENDOR') return `${company.name} is the vendor company; it cannot be deleted.`;
  const n = company._count;
  if (n.licenses > 0) return `${company.name} holds ${counted(n.licenses, 'license', 'licenses')}; a company with licenses cannot be deleted.`;
  const uses = [
    n.users ? counted(n.users, 'user', 'users') : '',
    n.requests ? counted(n.requests, 'request', 'requests') : '',
    n.stockEntries ? counted(n.stockEntries, 'stock entry', 'stock entries') : '',
    n.children ? counted(n.children, 'dealer', 'dealers') : '',
    webhookEndpoints ? counted(webhookEndpoints, 'webhook endpoint', 'webhook endpoints') : '',
  ].filter(Boolean);
  if (uses.length === 0) return null;
  const list = uses.length === 1 ? uses[0] : `${uses.slice(0, -1).join(', ')} and ${uses.at(-1)}`;
  return `${company.name} still has ${list}; it cannot be deleted until they are moved or removed.`;
}

/**
 * Companies: partners read their own (and a distributor its dealers); desk admins create,
 * update and delete. The vendor company, a company with licenses, and one that still has users,
 * requests or stock cannot be deleted (deleteRefusal says why).
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
        description:
          'A distributor that cannot see its dealers\' data still lists their names with `filter={"parentId": "<its own id>"}`, to choose a reship\'s dealer',
        who: 'logged in',
        answers: { 200: listOf(shapes.company, 'The companies') },
      }),
      validate('query', listQuery(['name', 'kind', 'createdAt'], companyFilter)),
      async (c) => {
        const { sort, range, filter = {} } = c.req.valid('query');
        // A distributor picks a reship's dealer from its own dealers, whether or not it sees their data.
        const ownDealers = filter.parentId !== undefined && filter.parentId === c.var.user.companyId && !isDesk(c.var.user);
        const where: Prisma.CompanyWhereInput = {
          AND: [
            ownDealers ? {} : await scope(c.var.user),
            filter.id ? { id: { in: filter.id } } : {},
            filter.kind ? { kind: filter.kind } : {},
            filter.parentId ? { parentId: filter.parentId } : {},
            filter.q ? { name: { contains: filter.q, mode: 'insensitive' } } : {},
          ],
        };
        return listResponse(c, 'companies', range, ({ skip, take }) =>
          Promise.all([
            prisma.company.findMany({
              where,
              orderBy: orderOf(sort, ['name', 'ASC']),
              skip,
              take,
              // A distributor that does not see its dealers' data reads their names here (the reship's
              // dealer picker), not their contact address.
              ...(ownDealers ? { omit: { contactEmail: true } } : {}),
            }),
            prisma.company.count({ where }),
          ]),
        );
      },
    )
    .get(
      '/:id',
      documented({
        summary: 'A company, with how many users, licenses, requests, stock entries and dealers it has, and whether it can be deleted',
        who: 'logged in',
        answers: { 200: { description: 'The company', json: shapes.companyDetail } },
      }),
      validate('param', idParam),
      async (c) => {
        const found = await prisma.company.findFirst({ where: { AND: [{ id: c.req.valid('param').id }, await scope(c.var.user)] }, include: withUses });
        const { _count, parent, ...company } = found ?? notFound('Company');
        const counts = {
          users: _count.users,
          licenses: _count.licenses,
          requests: _count.requests,
          stockEntries: _count.stockEntries,
          dealers: _count.children,
        };
        const webhookEndpoints = await prisma.webhookEndpoint.count({ where: { companyId: found!.id } });
        return c.json({ ...company, parentName: parent?.name ?? null, counts, deleteRefusal: deleteRefusal(found!, webhookEndpoints) });
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
        summary: 'Delete an unused company: never the vendor company, nor one with licenses',
        who: 'desk admin',
        answers: {
          200: { description: 'The deleted company', json: shapes.company },
          409: 'The vendor company, a company with licenses, or one that still has users, requests, stock or dealers: the message says which',
        },
      }),
      deskAdmin,
      validate('param', idParam),
      async (c) => {
        const { id } = c.req.valid('param');
        const company = (await prisma.company.findUnique({ where: { id }, include: withUses })) ?? notFound('Company');
        const refusal = deleteRefusal(company, await prisma.webhookEndpoint.count({ where: { companyId: id } }));
        if (refusal) throw fieldError('id', refusal, 409);
        const { _count, parent, ...deleted } = company;
        await prisma.company.delete({ where: { id } });
        return c.json(deleted);
      },
    );
}
