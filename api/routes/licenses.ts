import { Hono } from 'hono';
import { z } from 'zod';
import { actorLabel, historyActorColumns } from '../../domain/actor.ts';
import { normalizeMac } from '../../domain/mac-address.ts';
import { actorOf } from '../auth/sessions.ts';
import type { PrismaClient } from '../../prisma/client.ts';
import type { AuthEnv } from '../auth/middleware.ts';
import { idsFilter, listQuery, notFound, pageOf, setContentRange } from '../simple-rest.ts';
import { companyScope, visibleCompanyIds } from '../tenancy.ts';
import * as shapes from '../answer-shapes.ts';
import { documented, download, listOf } from '../route-docs.ts';
import { validate } from '../validation.ts';

const licenseFilter = z.strictObject({
  id: idsFilter,
  q: z.string().trim().max(200).optional(),
  serial: z.string().trim().max(20).optional(),
  mac: z.string().trim().max(40).optional(),
  status: z.enum(['CREATED', 'ACTIVE', 'WAITING_CONFIRM', 'REVOKED', 'EXPIRED']).optional(),
  productId: z.uuid().optional(),
  companyId: z.uuid().optional(),
});
const idParam = z.object({ id: z.uuid({ message: 'Not a license id' }) });

/**
 * Licenses: list (search by serial, MAC or end user), details with revisions and history, and
 * the download of the current `license-<SERIAL>.lic`, recorded as "License downloaded". Another
 * company's license answers 404, exactly like a missing one.
 */
/**
 * How many licenses the visible companies own (all, for the desk), narrowed to `companyId` when
 * given: read from the trigger-kept LicenseCount rows, not counted over the licenses.
 */
async function licensesOwnedBy(prisma: PrismaClient, visible: string[] | undefined, companyId: string | undefined) {
  const companies = companyId ? (visible === undefined || visible.includes(companyId) ? [companyId] : []) : visible;
  const { _sum } = await prisma.licenseCount.aggregate({ _sum: { licenses: true }, where: companies ? { companyId: { in: companies } } : {} });
  return Number(_sum.licenses ?? 0);
}

export function licenseRoutes(deps: { prisma: PrismaClient }) {
  const { prisma } = deps;

  async function findVisible(user: AuthEnv['Variables']['user'], id: string) {
    const license = await prisma.license.findFirst({
      where: { id, ...companyScope(await visibleCompanyIds(prisma, user)) },
      include: { product: true, company: true },
    });
    return license ?? notFound('License');
  }

  return new Hono<AuthEnv>()
    .get(
      '/',
      documented({
        summary: 'Search licenses',
        description: '`q` matches a serial, an end user or a MAC; `mac` takes any MAC notation',
        who: 'logged in',
        answers: { 200: listOf(shapes.licenseRow, 'The licenses') },
      }),
      validate('query', listQuery(['createdAt', 'serial', 'channels', 'endUserCompany', 'status'], licenseFilter)),
      async (c) => {
        const { sort, range, filter = {} } = c.req.valid('query');
        const visible = await visibleCompanyIds(prisma, c.var.user);
        const where = {
          // Tenancy and the caller's filters must all hold.
          AND: [
            companyScope(visible),
            filter.id ? { id: { in: filter.id } } : {},
            filter.companyId ? { companyId: filter.companyId } : {},
            filter.serial ? { serial: { contains: filter.serial.toUpperCase() } } : {},
            filter.mac ? { macAddress: safeMac(filter.mac) ?? filter.mac.toLowerCase() } : {},
            filter.status ? { status: filter.status } : {},
            filter.productId ? { productId: filter.productId } : {},
            filter.q
              ? {
                  OR: [
                    { serial: { contains: filter.q.toUpperCase() } },
                    { endUserCompany: { contains: filter.q, mode: 'insensitive' as const } },
                    { macAddress: safeMac(filter.q) ?? filter.q.toLowerCase() },
                  ],
                }
              : {},
          ],
        };
        const { skip, take } = pageOf(range);
        const { companyId, ...narrowing } = filter;
        const onlyCompanies = Object.values(narrowing).every((value) => value === undefined);
        const [rows, total] = await Promise.all([
          prisma.license.findMany({
            where,
            orderBy: { [sort?.[0] ?? 'createdAt']: (sort?.[1] ?? 'DESC').toLowerCase() },
            skip,
            take,
            include: { product: { select: { name: true } }, company: { select: { name: true } } },
          }),
          onlyCompanies ? licensesOwnedBy(prisma, visible, companyId) : prisma.license.count({ where }),
        ]);
        setContentRange(c, 'licenses', skip, rows.length, total);
        // The desk's list shows each license's owner by name (its Owner column).
        return c.json(rows.map(({ product, company, ...l }) => ({ ...l, productName: product.name, companyName: company.name })));
      },
    )
    .get(
      '/:id',
      documented({
        summary: 'A license with its revisions and history',
        who: 'logged in',
        answers: { 200: { description: 'The license', json: shapes.licenseDetail } },
      }),
      validate('param', idParam),
      async (c) => {
        const license = await findVisible(c.var.user, c.req.valid('param').id);
        const [revisions, history] = await Promise.all([
          prisma.licenseRevision.findMany({
            where: { licenseId: license.id },
            orderBy: { revision: 'desc' },
            select: {
              id: true,
              revision: true,
              channels: true,
              vcaChannels: true,
              macAddress: true,
              hardwareKey: true,
              fileName: true,
              signingKeyId: true,
              external: true,
              createdAt: true,
            },
          }),
          prisma.historyEvent.findMany({
            where: { licenseId: license.id, partnerVisible: true },
            orderBy: { id: 'asc' },
            select: { id: true, occurredAt: true, action: true, actorName: true, realActorName: true, changes: true, comment: true },
          }),
        ]);
        return c.json({ ...license, revisions, history: history.map((h) => ({ ...h, id: String(h.id), actor: actorLabel(h) })) });
      },
    )
    .get(
      '/:id/download',
      documented({
        summary: 'Download the current revision as license-SERIAL.lic',
        description: 'Recorded in the history as "License downloaded (revision n)"',
        who: 'logged in',
        answers: { 200: download('application/json', 'The signed license file') },
      }),
      validate('param', idParam),
      async (c) => {
        const license = await findVisible(c.var.user, c.req.valid('param').id);
        const revision = await prisma.licenseRevision.findFirst({ where: { licenseId: license.id }, orderBy: { revision: 'desc' } });
        if (!revision) notFound('License file');
        await prisma.historyEvent.create({
          data: {
            action: 'downloaded',
            ...historyActorColumns(actorOf(c.var.user)),
            companyId: license.companyId,
            licenseId: license.id,
            changes: `License downloaded (revision ${revision.revision})`,
          },
        });
        c.header('Content-Disposition', `attachment; filename="${revision.fileName}"`);
        return c.body(revision.signedFile, 200, { 'content-type': 'application/json; charset=utf-8' });
      },
    );
}

function safeMac(value: string) {
  try {
    return normalizeMac(value);
  } catch {
    return undefined;
  }
}
