import { Hono } from 'hono';
import { z } from 'zod';
import type { Outbox } from '../../services/mail/outbox.ts';
import type { PrismaClient } from '../../prisma/client.ts';
import type { Prisma } from '../../prisma/generated/client.ts';
import { requireRole, type AuthEnv } from '../auth/middleware.ts';
import { idsFilter, listQuery, listResponse, notFound, orderOf } from '../simple-rest.ts';
import * as shapes from '../answer-shapes.ts';
import { documented, listOf, STATUS_WORDS } from '../route-docs.ts';
import { validate } from '../validation.ts';

const outboxFilter = z.strictObject({
  id: idsFilter,
  status: z.enum(['PENDING', 'SENT', 'FAILED']).optional(),
  requestId: z.uuid().optional(),
  q: z.string().trim().max(200).optional(),
});
const idParam = z.object({ id: z.uuid({ message: 'Not an e-mail id' }) });
const LIST_FIELDS = {
  id: true,
  idempotencyKey: true,
  requestId: true,
  to: true,
  cc: true,
  subject: true,
  status: true,
  attempts: true,
  lastError: true,
  messageId: true,
  sentAt: true,
  createdAt: true,
  updatedAt: true,
} as const;

/**
 * The desk's view of the e-mail outbox: every message the workflows recorded, its delivery
 * state, its body, and a resend that sends one more copy (the original row stays as it was).
 */
export function outboxRoutes(deps: { prisma: PrismaClient; outbox?: Outbox }) {
  const { prisma } = deps;
  return new Hono<AuthEnv>()
    .use(requireRole('DESK_AGENT', 'DESK_ADMIN'))
    .get(
      '/',
      documented({
        summary: 'The e-mail outbox',
        description: 'Every e-mail the workflows recorded, with its delivery state, attempts and last error',
        who: 'desk',
        answers: { 200: listOf(shapes.outboxMail, 'The e-mails, without their bodies') },
      }),
      validate('query', listQuery(['createdAt', 'sentAt', 'status', 'subject'], outboxFilter)),
      async (c) => {
        const { sort, range, filter = {} } = c.req.valid('query');
        const where: Prisma.OutboxEmailWhereInput = {
          AND: [
            filter.id ? { id: { in: filter.id } } : {},
            filter.status ? { status: filter.status } : {},
            filter.requestId ? { requestId: filter.requestId } : {},
            filter.q ? { OR: [{ subject: { contains: filter.q, mode: 'insensitive' } }, { to: { has: filter.q.toLowerCase() } }] } : {},
          ],
        };
        return listResponse(c, 'outbox', range, ({ skip, take }) =>
          Promise.all([
            prisma.outboxEmail.findMany({ where, orderBy: [orderOf(sort, ['createdAt', 'DESC']), { id: 'asc' }], skip, take, select: LIST_FIELDS }),
            prisma.outboxEmail.count({ where }),
          ]),
        );
      },
    )
    .get(
      '/:id',
      documented({
        summary: 'One e-mail with its body',
        who: 'desk',
        answers: { 200: { description: 'The e-mail; attachments by name only', json: shapes.outboxMailDetail } },
      }),
      validate('param', idParam),
      async (c) => {
        const mail = await prisma.outboxEmail.findUnique({ where: { id: c.req.valid('param').id } });
        if (!mail) notFound('E-mail');
        // Attachment references only: the bytes are license files, downloadable from the license.
        const attachments = (mail.attachments as Array<{ fileName: string; contentType: string }>).map(({ fileName, contentType }) => ({
          fileName,
          contentType,
        }));
        return c.json({ ...mail, attachments });
      },
    )
    .post(
      '/:id/resend',
      documented({
        summary: 'Send one more copy',
        who: 'desk',
        answers: { 201: { description: 'The copy', json: shapes.outboxMail }, 502: STATUS_WORDS[502]!, 503: 'No mail server is configured' },
      }),
      validate('param', idParam),
      async (c) => {
        if (!deps.outbox) return c.json({ message: 'No mail server is configured.' }, 503);
        const { id } = c.req.valid('param');
        if (!(await prisma.outboxEmail.findUnique({ where: { id }, select: { id: true } }))) notFound('E-mail');
        try {
          const copy = await deps.outbox.resend(id);
          return c.json(await prisma.outboxEmail.findUniqueOrThrow({ where: { id: copy.id }, select: LIST_FIELDS }), 201);
        } catch (error) {
          // The copy is recorded as FAILED with its error; the desk can resend again later.
          return c.json({ message: `The mail server did not take the message: ${(error as Error).message}` }, 502);
        }
      },
    );
}
