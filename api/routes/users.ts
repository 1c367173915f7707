import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { emailAddress } from '../../domain/email-address.ts';
import type { PrismaClient } from '../../prisma/client.ts';
import type { Prisma } from '../../prisma/generated/client.ts';
import { sendAccountMail, setPasswordUrl, type AccountMailer } from '../auth/account-mail.ts';
import { DESK_ROLES, requireRole, ROLES, type AuthEnv } from '../auth/middleware.ts';
import type { SessionStore, SessionUser } from '../auth/sessions.ts';
import { issueUserToken } from '../auth/user-tokens.ts';
import { idsFilter, listQuery, listResponse, notFound, orderOf } from '../simple-rest.ts';
import { isDesk } from '../tenancy.ts';
import * as shapes from '../answer-shapes.ts';
import { documented, listOf } from '../route-docs.ts';
import { fieldError as unprocessable, validate } from '../validation.ts';

const userFilter = z.strictObject({
  id: idsFilter,
  q: z.string().trim().max(100).optional(),
  companyId: z.uuid().optional(),
  role: z.enum(ROLES).optional(),
  active: z.boolean().optional(),
});
const idParam = z.object({ id: z.uuid({ message: 'Not a user id' }) });
const name = z.string({ message: 'Give the name' }).trim().min(1, 'Give the name').max(120, 'Use at most 120 characters for the name');
const createBody = z.strictObject({
  email: emailAddress('Give an e-mail address, e.g. name@example.com'),
  name,
  role: z.enum(ROLES, { message: 'Choose a role' }),
  companyId: z.uuid({ message: 'Choose a company' }).optional(),
});
const updateBody = z.strictObject({ name: name.optional(), role: z.enum(ROLES, { message: 'Choose a role' }).optional(), active: z.boolean().optional() });

/** What any response shows of a user: never the password hash or lockout counters. */
const PUBLIC_FIELDS = {
  id: true,
  email: true,
  name: true,
  role: true,
  companyId: true,
  active: true,
  lastLoginAt: true,
  createdAt: true,
  updatedAt: true,
  company: { select: { name: true } },
} as const;
type PublicUser = Prisma.UserGetPayload<{ select: typeof PUBLIC_FIELDS }>;
const present = ({ company, ...user }: PublicUser) => ({ ...user, companyName: company.name });

/**
 * Users. Desk admins manage everyone; desk agents may read (to assign and impersonate); a
 * partner admin manages the users of the own company, the way Mirasys company administration
 * works. A new user is invited by mail to set a password; "delete" deactivates, because
 * history keeps pointing at the user.
 */
export function userRoutes(deps: { prisma: PrismaClient; sessions: SessionStore; mailer?: AccountMailer }) {
  const { prisma } = deps;

  function scopeOf(user: SessionUser): Prisma.UserWhereInput {
    return isDesk(user) ? {} : { companyId: user.companyId };
  }

  async function findManaged(user: SessionUser, id: string) {
    return (await prisma.user.findFirst({ where: { id, ...scopeOf(user) }, select: PUBLIC_FIELDS })) ?? notFound('User');
  }

  /** Partner admins and desk admins write; the roles they may hand out differ. */
  function checkRoleGrant(actor: SessionUser, role: (typeof ROLES)[number] | undefined, companyKind: string) {
    if (!role) return;
    const deskRole = (DESK_ROLES as readonly string[]).includes(role);
    if (actor.role !== 'DESK_ADMIN' && deskRole) throw new HTTPException(403, { message: 'Only a desk administrator can give desk roles.' });
    if (deskRole && companyKind !== 'VENDOR') throw unprocessable('role', 'Desk roles belong to users of the vendor company');
    if (!deskRole && companyKind === 'VENDOR') throw unprocessable('role', 'Users of the vendor company have desk roles');
  }

  async function invite(actor: SessionUser, user: { id: string; email: string; name: string; companyName: string }) {
    if (!deps.mailer) throw new HTTPException(503, { message: 'Invitations cannot be mailed: no mail server is configured.' });
    const { token, expiresAt } = await issueUserToken(prisma, { userId: user.id, purpose: 'INVITATION' });
    try {
      await sendAccountMail(deps.mailer, user.email, {
        kind: 'invitation',
        userName: user.name,
        companyName: user.companyName,
        invitedBy: actor.name,
        url: setPasswordUrl(deps.mailer.publicUrl, token, 'invitation'),
        expiresAt,
      });
    } catch {
      throw new HTTPException(502, { message: 'The user is saved, but the invitation could not be mailed. Try "Send invitation again" in a moment.' });
    }
  }

  const readers = requireRole('PARTNER_ADMIN', 'DESK_AGENT', 'DESK_ADMIN');
  const writers = requireRole('PARTNER_ADMIN', 'DESK_ADMIN');

  return new Hono<AuthEnv>()
    .get(
      '/',
      documented({
        summary: 'Users (partner admins: the own company)',
        who: 'partner admin, desk',
        answers: { 200: listOf(shapes.user, 'The users, never a password hash') },
      }),
      readers,
      validate('query', listQuery(['name', 'email', 'role', 'createdAt', 'lastLoginAt'], userFilter)),
      async (c) => {
        const { sort, range, filter = {} } = c.req.valid('query');
        const where: Prisma.UserWhereInput = {
          AND: [
            scopeOf(c.var.user),
            filter.id ? { id: { in: filter.id } } : {},
            filter.companyId ? { companyId: filter.companyId } : {},
            filter.role ? { role: filter.role } : {},
            filter.active !== undefined ? { active: filter.active } : {},
            filter.q ? { OR: [{ name: { contains: filter.q, mode: 'insensitive' } }, { email: { contains: filter.q, mode: 'insensitive' } }] } : {},
          ],
        };
        return listResponse(c, 'users', range, async ({ skip, take }) => {
          const [rows, total] = await Promise.all([
            prisma.user.findMany({ where, orderBy: orderOf(sort, ['name', 'ASC']), skip, take, select: PUBLIC_FIELDS }),
            prisma.user.count({ where }),
          ]);
          return [rows.map(present), total];
        });
      },
    )
    .get(
      '/:id',
      documented({ summary: 'A user', who: 'partner admin, desk', answers: { 200: { description: 'The user', json: shapes.user } } }),
      readers,
      validate('param', idParam),
      async (c) => c.json(present(await findManaged(c.var.user, c.req.valid('param').id))),
    )
    .post(
      '/',
      documented({
        summary: 'Create a user and mail the invitation',
        description: 'Only a desk admin gives desk roles, and only to users of the vendor company',
        who: 'partner admin (own company), desk admin',
        answers: {
          201: { description: 'The user', json: shapes.user },
          404: 'The company is not found, or is not yours',
          409: 'A user with this e-mail address already exists',
          502: 'The user is saved, but the invitation could not be mailed',
          503: 'No mail server is configured',
        },
      }),
      writers,
      validate('json', createBody),
      async (c) => {
        const body = c.req.valid('json');
        const actor = c.var.user;
        const companyId = actor.role === 'DESK_ADMIN' ? body.companyId : actor.companyId;
        if (!companyId) throw unprocessable('companyId', 'Choose a company');
        if (actor.role !== 'DESK_ADMIN' && body.companyId && body.companyId !== actor.companyId)
          throw new HTTPException(404, { message: 'Company not found.' });
        const company = (await prisma.company.findUnique({ where: { id: companyId } })) ?? notFound('Company');
        checkRoleGrant(actor, body.role, company.kind);
        if (await prisma.user.findUnique({ where: { email: body.email } })) throw unprocessable('email', 'A user with this e-mail address already exists', 409);
        // '!' is no scrypt hash: nobody can log in until the invitation link sets a password.
        const user = await prisma.user.create({
          data: { email: body.email, name: body.name, role: body.role, companyId, passwordHash: '!' },
          select: PUBLIC_FIELDS,
        });
        await invite(actor, { ...user, companyName: company.name });
        return c.json(present(user), 201);
      },
    )
    .post(
      '/:id/invite',
      documented({
        summary: 'Mail the invitation again',
        who: 'partner admin, desk admin',
        answers: {
          202: { description: 'The invitation is sent', json: shapes.message },
          409: 'The user is not active',
          502: 'The invitation could not be mailed',
          503: 'No mail server is configured',
        },
      }),
      writers,
      validate('param', idParam),
      async (c) => {
        const user = await findManaged(c.var.user, c.req.valid('param').id);
        if (!user.active) throw unprocessable('active', 'Activate the user before inviting them', 409);
        await invite(c.var.user, { ...user, companyName: user.company.name });
        return c.json({ message: `Invitation sent to ${user.email}.` }, 202);
      },
    )
    .put(
      '/:id',
      documented({
        summary: "Change a user's name, role or active flag",
        who: 'partner admin, desk admin',
        answers: { 200: { description: 'The user', json: shapes.user }, 409: 'You cannot deactivate yourself or change your own role' },
      }),
      writers,
      validate('param', idParam),
      validate('json', updateBody),
      async (c) => {
        const body = c.req.valid('json');
        const existing = await findManaged(c.var.user, c.req.valid('param').id);
        if (existing.id === c.var.user.id && (body.active === false || (body.role && body.role !== existing.role))) {
          throw unprocessable(
            body.active === false ? 'active' : 'role',
            'You cannot deactivate yourself or change your own role; ask another administrator',
            409,
          );
        }
        const company = await prisma.company.findUniqueOrThrow({ where: { id: existing.companyId } });
        checkRoleGrant(c.var.user, body.role, company.kind);
        const user = await prisma.user.update({ where: { id: existing.id }, data: body, select: PUBLIC_FIELDS });
        if (body.active === false || (body.role && body.role !== existing.role)) await deps.sessions.destroyAllOf(user.id);
        return c.json(present(user));
      },
    )
    .delete(
      '/:id',
      documented({
        summary: 'Deactivate a user; their sessions end and their API tokens are revoked',
        who: 'partner admin, desk admin',
        answers: { 200: { description: 'The deactivated user', json: shapes.user }, 409: 'You cannot deactivate yourself' },
      }),
      writers,
      validate('param', idParam),
      async (c) => {
        const existing = await findManaged(c.var.user, c.req.valid('param').id);
        if (existing.id === c.var.user.id) throw unprocessable('id', 'You cannot deactivate yourself; ask another administrator', 409);
        const user = await prisma.user.update({ where: { id: existing.id }, data: { active: false }, select: PUBLIC_FIELDS });
        await deps.sessions.destroyAllOf(user.id);
        await prisma.apiToken.updateMany({ where: { createdById: user.id, revokedAt: null }, data: { revokedAt: new Date() } });
        return c.json(present(user));
      },
    );
}
