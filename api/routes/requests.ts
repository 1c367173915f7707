import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { z } from 'zod';
import { actorLabel, historyActorColumns } from '../../domain/actor.ts';
import { requestForm, requestReference } from '../../domain/request-forms.ts';
import { RequestStatus, type PrismaClient } from '../../prisma/client.ts';
import type { Prisma } from '../../prisma/generated/client.ts';
import { calendarOf, type DecisionPolicy } from '../../workflows/decision.ts';
import {
  approveUpdate,
  cancelUpdate,
  confirmReturnUpdate,
  ownerConsentUpdate,
  partnerReplyUpdate,
  rejectUpdate,
  requestInformationUpdate,
  rmaReceivedSignal,
  uploadExternalFileUpdate,
} from '../../workflows/messages.ts';
import { DESK_ROLES, PARTNER_ROLES, requireRole, type AuthEnv } from '../auth/middleware.ts';
import { actorOf, type SessionUser } from '../auth/sessions.ts';
import { approvalMessage } from '../requests/approval-message.ts';
import { RequestNotSupportedError, submitRequest } from '../requests/lifecycle.ts';
import { requestDocs } from '../requests/route-docs.ts';
import { checkSubmission, SubmissionRefused } from '../requests/submission-checks.ts';
import { idsFilter, listQuery, listResponse, notFound, orderOf } from '../simple-rest.ts';
import { isDesk, visibleCompanyIds } from '../tenancy.ts';
import { attachmentHeaders, readUpload, uploadLimit } from '../uploads.ts';
import { fieldError, validate } from '../validation.ts';

const OPEN_STATUSES = [
  'SUBMITTED',
  'PENDING_APPROVAL',
  'WAITING_FOR_PARTNER',
  'WAITING_FOR_CONSENT',
  'WAITING_FOR_FILE',
  'WAITING_FOR_RMA',
  'WAITING_CONFIRM',
  'WAITING_FOR_OFFICE_HOURS',
  'PROCESSING',
] as const;
const requestFilter = z.strictObject({
  id: idsFilter,
  type: z
    .enum(['NEW_INSTALLATION', 'CHANNEL_EXPANSION', 'STOCK_ADDITION', 'UPGRADE', 'OWNERSHIP_CHANGE', 'HARDWARE_REPLACEMENT', 'RETURN_CONFIRMATION'])
    .optional(),
  status: z
    .union([z.enum(RequestStatus, { message: 'status must be a request status, e.g. PENDING_APPROVAL' }), z.array(z.enum(RequestStatus)).max(20)])
    .optional(),
  /** Open requests only (not completed, rejected, cancelled, expired or failed). */
  open: z.boolean().optional(),
  companyId: z.uuid().optional(),
  assigneeId: z.uuid().optional(),
  unassigned: z.boolean().optional(),
  /** Submitted at least this many hours ago: the desk's "waiting longer than" queue filter. */
  olderThanHours: z
    .number()
    .min(0)
    .max(24 * 365)
    .optional(),
  q: z.string().trim().max(100).optional(),
});
const idParam = z.object({ id: z.uuid({ message: 'Not a request id' }) });
const attachmentParam = z.object({ id: z.uuid({ message: 'Not a request id' }), attachmentId: z.uuid({ message: 'Not an attachment id' }) });
const comment = z.string().trim().max(2000, 'Use at most 2000 characters');

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
  const partnerOnly = requireRole(...PARTNER_ROLES);
  const deskOnly = requireRole(...DESK_ROLES);

  /**
   * The requests a user may see: the own companies' requests, plus ownership changes of
   * licenses the own companies hold now (their admin must consent).
   */
  async function visibility(user: SessionUser): Promise<Prisma.RequestWhereInput> {
    const ids = await visibleCompanyIds(prisma, user);
    if (!ids) return {};
    return {
      OR: [{ companyId: { in: ids } }, ...ids.map((id) => ({ type: 'OWNERSHIP_CHANGE' as const, payload: { path: ['currentOwnerCompanyId'], equals: id } }))],
    };
  }

  async function findVisible(user: SessionUser, id: string) {
    return (await prisma.request.findFirst({ where: { AND: [{ id }, await visibility(user)] } })) ?? notFound('Request');
  }

  /**
   * Sends a message to the request's workflow. The request exists (the caller found it), so a
   * workflow that is gone means the request has closed: 409 with its status, not 404. `undo`
   * removes what the route stored for a message that was refused (an uploaded file).
   */
  async function send<T>(request: { id: string }, run: () => Promise<T>, undo?: () => Promise<unknown>) {
    try {
      return await run();
    } catch (error) {
      await undo?.();
      if (error instanceof WorkflowNotFoundError) {
        const current = await prisma.request.findUnique({ where: { id: request.id }, select: { status: true } });
        throw new HTTPException(409, {
          message: `This request is already ${(current?.status ?? 'closed').toLowerCase().replaceAll('_', ' ')} and cannot take that action.`,
        });
      }
      if (error instanceof WorkflowUpdateFailedError) {
        throw new HTTPException(409, { message: (error.cause as Error | undefined)?.message ?? 'This request cannot take that action now.' });
      }
      throw error;
    }
  }

  const handle = (request: { workflowId: string }) => deps.client.workflow.getHandle(request.workflowId);

  async function storeAttachment(
    c: Parameters<typeof readUpload>[0],
    requestId: string,
    user: SessionUser,
    kind: 'LICENSE_FILE' | 'REQUEST_FILE',
    required: boolean,
  ) {
    const file = await readUpload(c, { required });
    if (!file) return undefined;
    return prisma.requestAttachment.create({
      data: { requestId, uploadedById: user.id, impersonatorId: user.impersonator?.id, kind, ...file },
      select: { id: true, fileName: true, size: true, sha256: true },
    });
  }

  return new Hono<AuthEnv>()
    .post('/', requestDocs.submit, partnerOnly, validate('json', requestForm), async (c) => {
      try {
        const form = c.req.valid('json');
        // What the catalogue and the licenses already decide is refused now, not by the workflow later.
        const { warnings } = await checkSubmission(prisma, { companyId: c.var.user.companyId, form });
        const request = await submitRequest(deps, { companyId: c.var.user.companyId, requesterId: c.var.user.id, form, policy: deps.policy });
        return c.json({ ...request, warnings }, 201);
      } catch (error) {
        if (error instanceof SubmissionRefused) throw fieldError(error.field, error.message);
        if (error instanceof RequestNotSupportedError) return c.json({ message: error.message }, 422);
        throw error;
      }
    })
    .get(
      '/',
      requestDocs.list,
      validate('query', listQuery(['createdAt', 'number', 'status', 'type', 'dueAt', 'submittedAt', 'decidedAt'], requestFilter)),
      async (c) => {
        const { sort, range, filter = {} } = c.req.valid('query');
        const where: Prisma.RequestWhereInput = {
          AND: [
            await visibility(c.var.user),
            filter.id ? { id: { in: filter.id } } : {},
            filter.type ? { type: filter.type } : {},
            filter.status ? { status: Array.isArray(filter.status) ? { in: filter.status } : filter.status } : {},
            filter.open ? { status: { in: [...OPEN_STATUSES] } } : {},
            filter.companyId ? { companyId: filter.companyId } : {},
            filter.assigneeId ? { assigneeId: filter.assigneeId } : {},
            filter.unassigned ? { assigneeId: null } : {},
            filter.olderThanHours !== undefined ? { submittedAt: { lte: new Date(Date.now() - filter.olderThanHours * 3_600_000) } } : {},
            filter.q
              ? {
                  OR: [
                    { serial: { contains: filter.q.toUpperCase() } },
                    { macAddress: filter.q.toLowerCase().replace(/[^0-9a-f]/g, '') || undefined },
                    { company: { name: { contains: filter.q, mode: 'insensitive' } } },
                    ...(/^(LD-?)?\d{1,9}$/i.test(filter.q) ? [{ number: Number(filter.q.replace(/\D/g, '')) }] : []),
                  ],
                }
              : {},
          ],
        };
        return listResponse(c, 'requests', range, async ({ skip, take }) => {
          const [rows, total] = await Promise.all([
            prisma.request.findMany({
              where,
              orderBy: orderOf(sort, ['createdAt', 'DESC']),
              skip,
              take,
              include: { company: { select: { name: true } }, assignee: { select: { name: true } } },
            }),
            prisma.request.count({ where }),
          ]);
          return [rows.map(({ company, assignee, ...r }) => ({ ...r, companyName: company.name, assigneeName: assignee?.name ?? null })), total];
        });
      },
    )
    .get('/:id', requestDocs.show, validate('param', idParam), async (c) => {
      const request = await findVisible(c.var.user, c.req.valid('param').id);
      const desk = isDesk(c.var.user);
      const [timeline, attachments, comments, names] = await Promise.all([
        prisma.historyEvent.findMany({
          where: { requestId: request.id, ...(desk ? {} : { partnerVisible: true }) },
          orderBy: { id: 'asc' },
          select: { id: true, occurredAt: true, action: true, actorName: true, realActorName: true, changes: true, comment: true },
        }),
        prisma.requestAttachment.findMany({
          where: { requestId: request.id },
          orderBy: { createdAt: 'asc' },
          select: {
            id: true,
            kind: true,
            fileName: true,
            size: true,
            sha256: true,
            createdAt: true,
            uploadedBy: { select: { name: true } },
            impersonator: { select: { name: true } },
          },
        }),
        prisma.requestComment.findMany({
          where: { requestId: request.id, ...(desk ? {} : { partnerVisible: true }) },
          orderBy: { createdAt: 'asc' },
          select: { id: true, body: true, partnerVisible: true, createdAt: true, author: { select: { name: true } }, impersonator: { select: { name: true } } },
        }),
        prisma.request.findUniqueOrThrow({
          where: { id: request.id },
          select: { company: { select: { name: true } }, requester: { select: { name: true } }, assignee: { select: { name: true } } },
        }),
      ]);
      return c.json({
        ...request,
        companyName: names.company.name,
        requesterName: names.requester.name,
        assigneeName: names.assignee?.name ?? null,
        timeline: timeline.map((e) => ({ ...e, id: String(e.id), actor: actorLabel(e) })),
        // Under impersonation both names, as the timeline shows them: "Taru Tapsa (IMP: Dana Desk)".
        attachments: attachments.map(({ uploadedBy, impersonator, ...a }) => ({
          ...a,
          uploadedByName: actorLabel({ actorName: uploadedBy.name, realActorName: impersonator?.name }),
          impersonatorName: impersonator?.name ?? null,
        })),
        comments: comments.map(({ author, impersonator, ...m }) => ({
          ...m,
          authorName: actorLabel({ actorName: author.name, realActorName: impersonator?.name }),
          impersonatorName: impersonator?.name ?? null,
        })),
      });
    })
    .post(
      '/:id/approve',
      requestDocs.approve,
      deskOnly,
      validate('param', idParam),
      validate('json', z.strictObject({ comment: comment.optional() })),
      async (c) => {
        const request = await findVisible(c.var.user, c.req.valid('param').id);
        await send(request, () =>
          handle(request).executeUpdate(approveUpdate, { args: [{ actor: actorOf(c.var.user), comment: c.req.valid('json').comment }] }),
        );
        return c.json({ decision: 'approved', message: approvalMessage(request, calendarOf(deps.policy)) });
      },
    )
    .post(
      '/:id/reject',
      requestDocs.reject,
      deskOnly,
      validate('param', idParam),
      validate('json', z.strictObject({ reason: comment.min(1, 'Give the partner a reason') })),
      async (c) => {
        const request = await findVisible(c.var.user, c.req.valid('param').id);
        await send(request, () => handle(request).executeUpdate(rejectUpdate, { args: [{ actor: actorOf(c.var.user), reason: c.req.valid('json').reason }] }));
        return c.json({ decision: 'rejected', message: `${requestReference(request.number)} is rejected; the partner is told why.` });
      },
    )
    .post(
      '/:id/request-information',
      requestDocs.requestInformation,
      deskOnly,
      validate('param', idParam),
      validate('json', z.strictObject({ question: comment.min(1, 'Write the question') })),
      async (c) => {
        const request = await findVisible(c.var.user, c.req.valid('param').id);
        await send(request, () =>
          handle(request).executeUpdate(requestInformationUpdate, { args: [{ actor: actorOf(c.var.user), question: c.req.valid('json').question }] }),
        );
        return c.json({
          decision: 'information_requested',
          message: `The question is sent; ${requestReference(request.number)} waits for the partner's answer.`,
        });
      },
    )
    .post(
      '/:id/reply',
      requestDocs.reply,
      partnerOnly,
      validate('param', idParam),
      validate('json', z.strictObject({ message: comment.min(1, 'Write your answer') })),
      async (c) => {
        const request = await findVisible(c.var.user, c.req.valid('param').id);
        if (request.status !== 'WAITING_FOR_PARTNER') throw fieldError('message', 'The desk has not asked anything on this request', 409);
        await send(request, () =>
          handle(request).executeUpdate(partnerReplyUpdate, { args: [{ actor: actorOf(c.var.user), message: c.req.valid('json').message }] }),
        );
        return c.json({ message: 'Your answer was sent to the desk.' }, 202);
      },
    )
    .post('/:id/cancel', requestDocs.cancel, validate('param', idParam), validate('json', z.strictObject({ reason: comment.optional() })), async (c) => {
      const request = await findVisible(c.var.user, c.req.valid('param').id);
      return c.json(
        await send(request, () => handle(request).executeUpdate(cancelUpdate, { args: [{ actor: actorOf(c.var.user), reason: c.req.valid('json').reason }] })),
      );
    })
    .post('/:id/confirm-return', requestDocs.confirmReturn, partnerOnly, uploadLimit, validate('param', idParam), async (c) => {
      const request = await findVisible(c.var.user, c.req.valid('param').id);
      if (request.type !== 'RETURN_CONFIRMATION') throw fieldError('id', 'Only a return confirmation can be confirmed', 409);
      // The partner may attach the reduced request file, or just press confirm.
      const attachment = await storeAttachment(c, request.id, c.var.user, 'REQUEST_FILE', false);
      const discard = attachment ? () => prisma.requestAttachment.delete({ where: { id: attachment.id } }) : undefined;
      return c.json(
        await send(
          request,
          () => handle(request).executeUpdate(confirmReturnUpdate, { args: [{ actor: actorOf(c.var.user), attachmentId: attachment?.id }] }),
          discard,
        ),
      );
    })
    .post(
      '/:id/consent',
      requestDocs.consent,
      requireRole('PARTNER_ADMIN'),
      validate('param', idParam),
      validate('json', z.strictObject({ consent: z.boolean({ message: 'Say whether you consent: true or false' }), comment: comment.optional() })),
      async (c) => {
        const request = await findVisible(c.var.user, c.req.valid('param').id);
        const currentOwner = (request.payload as { currentOwnerCompanyId?: string }).currentOwnerCompanyId;
        if (request.type !== 'OWNERSHIP_CHANGE') throw fieldError('consent', 'Only an ownership change asks for consent', 409);
        if (currentOwner !== c.var.user.companyId) throw new HTTPException(403, { message: 'Only an administrator of the current owner can answer.' });
        const { consent, comment: text } = c.req.valid('json');
        return c.json(
          await send(request, () => handle(request).executeUpdate(ownerConsentUpdate, { args: [{ actor: actorOf(c.var.user), consent, comment: text }] })),
        );
      },
    )
    .post(
      '/:id/assign',
      requestDocs.assign,
      deskOnly,
      validate('param', idParam),
      validate('json', z.strictObject({ assigneeId: z.uuid({ message: 'Choose a desk user' }).nullable() })),
      async (c) => {
        const request = await findVisible(c.var.user, c.req.valid('param').id);
        const { assigneeId } = c.req.valid('json');
        const assignee = assigneeId ? await prisma.user.findFirst({ where: { id: assigneeId, active: true, role: { in: [...DESK_ROLES] } } }) : null;
        if (assigneeId && !assignee) throw fieldError('assigneeId', 'Choose an active desk user');
        const actor = actorOf(c.var.user);
        await prisma.$transaction([
          prisma.request.update({ where: { id: request.id }, data: { assigneeId } }),
          prisma.historyEvent.create({
            data: {
              action: assignee ? 'assigned' : 'unassigned',
              ...historyActorColumns(actor),
              companyId: request.companyId,
              requestId: request.id,
              changes: assignee ? `Assignee: ${assignee.name}` : 'Assignee: none',
              partnerVisible: false,
            },
          }),
        ]);
        return c.json({ id: request.id, assigneeId, assigneeName: assignee?.name ?? null });
      },
    )
    .post('/:id/external-file', requestDocs.externalFile, deskOnly, uploadLimit, validate('param', idParam), async (c) => {
      const request = await findVisible(c.var.user, c.req.valid('param').id);
      if (request.status !== 'WAITING_FOR_FILE') throw fieldError('file', 'This request is not waiting for a license file', 409);
      const attachment = (await storeAttachment(c, request.id, c.var.user, 'LICENSE_FILE', true))!;
      const discard = () => prisma.requestAttachment.delete({ where: { id: attachment.id } });
      const ack = await send(
        request,
        () => handle(request).executeUpdate(uploadExternalFileUpdate, { args: [{ actor: actorOf(c.var.user), attachmentId: attachment.id }] }),
        discard,
      );
      return c.json({ ...ack, attachment }, 201);
    })
    .post(
      '/:id/rma-received',
      requestDocs.rmaReceived,
      deskOnly,
      validate('param', idParam),
      validate('json', z.strictObject({ note: comment.optional() })),
      async (c) => {
        const request = await findVisible(c.var.user, c.req.valid('param').id);
        if (request.status !== 'WAITING_FOR_RMA') throw fieldError('note', 'This request is not waiting for returned hardware', 409);
        await send(request, () => handle(request).signal(rmaReceivedSignal, { actor: actorOf(c.var.user), note: c.req.valid('json').note }));
        return c.json({ message: 'The returned hardware is recorded.' }, 202);
      },
    )
    .post(
      '/:id/comments',
      requestDocs.comment,
      validate('param', idParam),
      validate('json', z.strictObject({ body: comment.min(1, 'Write the comment'), internal: z.boolean().optional() })),
      async (c) => {
        const request = await findVisible(c.var.user, c.req.valid('param').id);
        const { body, internal } = c.req.valid('json');
        if (internal && !isDesk(c.var.user)) throw new HTTPException(403, { message: 'Only the desk can write internal notes.' });
        const impersonator = c.var.user.impersonator;
        const row = await prisma.requestComment.create({
          data: { requestId: request.id, authorId: c.var.user.id, impersonatorId: impersonator?.id, body, partnerVisible: !internal },
          select: { id: true, body: true, partnerVisible: true, createdAt: true },
        });
        return c.json(
          { ...row, authorName: actorLabel({ actorName: c.var.user.name, realActorName: impersonator?.name }), impersonatorName: impersonator?.name ?? null },
          201,
        );
      },
    )
    .get('/:id/attachments/:attachmentId', requestDocs.attachment, validate('param', attachmentParam), async (c) => {
      const { id, attachmentId } = c.req.valid('param');
      const request = await findVisible(c.var.user, id);
      const file = (await prisma.requestAttachment.findFirst({ where: { id: attachmentId, requestId: request.id } })) ?? notFound('Attachment');
      return c.body(new Uint8Array(file.content), 200, attachmentHeaders(file.fileName));
    });
}
