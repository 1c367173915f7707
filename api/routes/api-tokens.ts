import { Hono } from 'hono';
import { z } from 'zod';
import type { PrismaClient } from '../../prisma/client.ts';
import { createApiToken } from '../auth/api-tokens.ts';
import { requireRole, type AuthEnv } from '../auth/middleware.ts';
import { idsFilter, listQuery, listResponse, notFound, orderOf } from '../simple-rest.ts';
import * as shapes from '../answer-shapes.ts';
import { documented, listOf } from '../route-docs.ts';
import { validate } from '../validation.ts';

const FIELDS = {
  id: true,
  name: true,
  prefix: true,
  createdAt: true,
  lastUsedAt: true,
  expiresAt: true,
  revokedAt: true,
  createdBy: { select: { name: true } },
} as const;
const tokenFilter = z.strictObject({ id: idsFilter, revoked: z.boolean().optional() });
const createBody = z.strictObject({
  name: z.string({ message: 'Name the token after the integration that uses it' }).trim().min(1, 'Name the token after the integration that uses it').max(100),
  expiresInDays: z.number().int('Give whole days').min(1, 'A token lasts at least 1 day').max(730, 'A token lasts at most 730 days').optional(),
});
const idParam = z.object({ id: z.uuid({ message: 'Not a token id' }) });

/**
 * A partner admin's API tokens for the company's integrations. The secret is shown once, at
 * creation; "delete" revokes. Tokens act as partner users of the company.
 */
export function apiTokenRoutes(deps: { prisma: PrismaClient }) {
  const { prisma } = deps;
  const present = ({ createdBy, ...t }: { createdBy: { name: string } } & Record<string, unknown>) => ({ ...t, createdByName: createdBy.name });
  return new Hono<AuthEnv>()
    .use(requireRole('PARTNER_ADMIN'))
    .get(
      '/',
      documented({ summary: "The company's API tokens", who: 'partner admin', answers: { 200: listOf(shapes.apiToken, 'The tokens, without their secrets') } }),
      validate('query', listQuery(['createdAt', 'name', 'lastUsedAt'], tokenFilter)),
      async (c) => {
        const { sort, range, filter = {} } = c.req.valid('query');
        const where = {
          companyId: c.var.user.companyId,
          ...(filter.id ? { id: { in: filter.id } } : {}),
          ...(filter.revoked !== undefined ? { revokedAt: filter.revoked ? { not: null } : null } : {}),
        };
        return listResponse(c, 'api-tokens', range, async ({ skip, take }) => {
          const [rows, total] = await Promise.all([
            prisma.apiToken.findMany({ where, orderBy: orderOf(sort, ['createdAt', 'DESC']), skip, take, select: FIELDS }),
            prisma.apiToken.count({ where }),
          ]);
          return [rows.map(present), total];
        });
      },
    )
    .get(
      '/:id',
      documented({ summary: 'One API token', who: 'partner admin', answers: { 200: { description: 'The token, without its secret', json: shapes.apiToken } } }),
      validate('param', idParam),
      async (c) => {
        const row = await prisma.apiToken.findFirst({ where: { id: c.req.valid('param').id, companyId: c.var.user.companyId }, select: FIELDS });
        return c.json(present(row ?? notFound('API token')));
      },
    )
    .post(
      '/',
      documented({
        summary: 'Create a token; the secret is shown once',
        who: 'partner admin',
        answers: { 201: { description: 'The token with its secret in `token`', json: shapes.newApiToken } },
      }),
      validate('json', createBody),
      async (c) => {
        const { name, expiresInDays } = c.req.valid('json');
        const { row, token } = await createApiToken(prisma, {
          companyId: c.var.user.companyId,
          createdById: c.var.user.id,
          name,
          expiresAt: expiresInDays ? new Date(Date.now() + expiresInDays * 86_400_000) : undefined,
        });
        const { tokenHash: _hash, ...shown } = row;
        return c.json({ ...shown, createdByName: c.var.user.name, token }, 201);
      },
    )
    .delete(
      '/:id',
      documented({ summary: 'Revoke a token', who: 'partner admin', answers: { 200: { description: 'The token with `revokedAt`', json: shapes.apiToken } } }),
      validate('param', idParam),
      async (c) => {
        const { id } = c.req.valid('param');
        const existing = await prisma.apiToken.findFirst({ where: { id, companyId: c.var.user.companyId } });
        if (!existing) notFound('API token');
        await prisma.apiToken.update({ where: { id }, data: { revokedAt: existing.revokedAt ?? new Date() } });
        return c.json(present((await prisma.apiToken.findUniqueOrThrow({ where: { id }, select: FIELDS })) as never));
      },
    );
}
