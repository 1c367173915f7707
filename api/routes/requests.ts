import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { z } from 'zod';
import { requestForm } from '../../domain/request-forms.ts';
import { RequestStatus, type PrismaClient } from '../../prisma/client.ts';
import type { DecisionPolicy } from '../../workflows/decision.ts';
import { approveUpdate, cancelUpdate, confirmReturnUpdate, partnerReplySignal, rejectUpdate, requestInformationUpdate } from '../../workflows/messages.ts';
import { requireRole, type AuthEnv } from '../auth/middleware.ts';
import { RequestNotSupportedError, submitRequest } from '../requests/lifecycle.ts';
import { listQuery, notFound, pageOf, setContentRange } from '../simple-rest.ts';
import { companyScope, isDesk, visibleCompanyIds } from '../tenancy.ts';
import { validate } from '../validation.ts';

const requestFilter = z.strictObject({
  type: z.enum(['NEW_INSTALLATION', 'CHANNEL_EXPANSION', 'STOCK_ADDITION', 'UPGRADE', 'OWNERSHIP_CHANGE', 'HARDWARE_REPLACEMENT', 'RETURN_CONFIRMATION']).optional(),
  status: z.enum(RequestStatus, { message: 'status must be a request status, e.g. PENDING_APPROVAL' }).optional(),
  companyId: z.uuid().optional(),
  assigneeId: z.uuid().optional(),
  q: z.string().trim().max(100).optional(),
});
const idParam = z.object({ id: z.uuid({ message: 'Not a request id' }) });
const comment = z.string().trim().max(2000);

export interface RequestRouteDeps {
  prisma: PrismaClient;
  client: Client;
  taskQueue: string;
  policy: DecisionPolicy;
}

/**
 * Requests: partners submit and follow them; the desk decides. Decisions are workflow updates,
 * so the workflow's validator has the last word: a closed or already-decided request answers
 * 409 with its reason, and a request whose workflow is gone answers 404.
 */
export function requestRoutes(deps: RequestRouteDeps) {
  const { prisma } = deps;
  const partnerOnly = requireRole('PARTNER_USER', 'PARTNER_ADMIN');
  const deskOnly = requireRole('DESK_AGENT', 'DESK_ADMIN');

  async function findVisible(user: AuthEnv['Variables']['user'], id: string) {
    return (await prisma.request.findFirst({ where: { id, ...companyScope(await visibleCompanyIds(prisma, user)) } })) ?? notFound('Request');
  }

  async function send<T>(run: () => Promise<T>) {
    try {
      return await run();
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw new HTTPException(404, { message: 'This request is no longer running.' });
      if (error instanceof WorkflowUpdateFailedError) {
        throw new HTTPException(409, { message: (error.cause as Error | undefined)?.message ?? 'This request cannot take that action now.' });
      }
      throw error;
    }
  }

  const actorOf = (user: AuthEnv['Variables']['user']) => ({ userId: user.id, name: user.name });

  return new Hono<AuthEnv>()
    .post('/', partnerOnly, validate('json', requestForm), async (c) => {
      try {
        const request = await submitRequest(deps, { companyId: c.var.user.companyId, requesterId: c.var.user.id, form: c.req.valid('json'), policy: deps.policy });
        return c.json(request, 201);
      } catch (error) {
        if (error instanceof RequestNotSupportedError) return c.json({ message: error.message }, 422);
        throw error;
      }
    })
    .get('/', validate('query', listQuery(['createdAt', 'number', 'status', 'type', 'dueAt'], requestFilter)), async (c) => {
      const { sort, range, filter = {} } = c.req.valid('query');
      const where = {
        AND: [
          companyScope(await visibleCompanyIds(prisma, c.var.user)),
          filter.type ? { type: filter.type } : {},
          filter.status ? { status: filter.status } : {},
          filter.companyId ? { companyId: filter.companyId } : {},
          filter.assigneeId ? { assigneeId: filter.assigneeId } : {},
          filter.q ? { OR: [{ serial: { contains: filter.q.toUpperCase() } }, { macAddress: filter.q.toLowerCase().replace(/[^0-9a-f]/g, '') }] } : {},
        ],
      };
      const { skip, take } = pageOf(range);
      const [rows, total] = await Promise.all([
        prisma.request.findMany({ where, orderBy: { [sort?.[0] ?? 'createdAt']: (sort?.[1] ?? 'DESC').toLowerCase() }, skip, take, include: { company: { select: { name: true } } } }),
        prisma.request.count({ where }),
      ]);
      setContentRange(c, 'requests', skip, rows.length, total);
      return c.json(rows.map(({ company, ...r }) => ({ ...r, companyName: company.name })));
    })
    .get('/:id', validate('param', idParam), async (c) => {
      const request = await findVisible(c.var.user, c.req.valid('param').id);
      const timeline = await prisma.historyEvent.findMany({
        where: { requestId: request.id, ...(isDesk(c.var.user) ? {} : { partnerVisible: true }) },
        orderBy: { id: 'asc' },
        select: { id: true, occurredAt: true, action: true, actorName: true, changes: true, comment: true },
      });
      return c.json({ ...request, timeline: timeline.map((e) => ({ ...e, id: String(e.id) })) });
    })
    .post('/:id/approve', deskOnly, validate('param', idParam), validate('json', z.strictObject({ comment: comment.optional() })), async (c) => {
      const request = await findVisible(c.var.user, c.req.valid('param').id);
      const ack = await send(() => deps.client.workflow.getHandle(request.workflowId).executeUpdate(approveUpdate, { args: [{ actor: actorOf(c.var.user), comment: c.req.valid('json').comment }] }));
      return c.json(ack);
    })
    .post('/:id/reject', deskOnly, validate('param', idParam), validate('json', z.strictObject({ reason: comment.min(1, 'Give the partner a reason') })), async (c) => {
      const request = await findVisible(c.var.user, c.req.valid('param').id);
      const ack = await send(() => deps.client.workflow.getHandle(request.workflowId).executeUpdate(rejectUpdate, { args: [{ actor: actorOf(c.var.user), reason: c.req.valid('json').reason }] }));
      return c.json(ack);
    })
    .post('/:id/request-information', deskOnly, validate('param', idParam), validate('json', z.strictObject({ question: comment.min(1, 'Write the question') })), async (c) => {
      const request = await findVisible(c.var.user, c.req.valid('param').id);
      const ack = await send(() =>
        deps.client.workflow.getHandle(request.workflowId).executeUpdate(requestInformationUpdate, { args: [{ actor: actorOf(c.var.user), question: c.req.valid('json').question }] }),
      );
      return c.json(ack);
    })
    .post('/:id/reply', partnerOnly, validate('param', idParam), validate('json', z.strictObject({ message: comment.min(1, 'Write your answer') })), async (c) => {
      const request = await findVisible(c.var.user, c.req.valid('param').id);
      await send(() => deps.client.workflow.getHandle(request.workflowId).signal(partnerReplySignal, { actor: actorOf(c.var.user), message: c.req.valid('json').message }));
      return c.body(null, 202);
    })
    .post('/:id/cancel', validate('param', idParam), validate('json', z.strictObject({ reason: comment.optional() })), async (c) => {
      const request = await findVisible(c.var.user, c.req.valid('param').id);
      const ack = await send(() => deps.client.workflow.getHandle(request.workflowId).executeUpdate(cancelUpdate, { args: [{ actor: actorOf(c.var.user), reason: c.req.valid('json').reason }] }));
      return c.json(ack);
    })
    .post('/:id/confirm-return', partnerOnly, validate('param', idParam), async (c) => {
      const request = await findVisible(c.var.user, c.req.valid('param').id);
      const ack = await send(() => deps.client.workflow.getHandle(request.workflowId).executeUpdate(confirmReturnUpdate, { args: [{ actor: actorOf(c.var.user) }] }));
      return c.json(ack);
    });
}
