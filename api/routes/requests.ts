import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { z } from 'zod';
import { actorLabel, historyActorColumns } from '../../domain/actor.ts';
import { isDomainError } from '../../domain/errors.ts';
import { checkRequestFileChannels, parseRequestFile } from '../../domain/request-file.ts';
import { requestReference, requestSubmission } from '../../domain/request-forms.ts';
import { RequestStatus, RequestType, type PrismaClient } from '../../prisma/client.ts';
import type { Prisma } from '../../prisma/generated/client.ts';
import { calendarOf, type DecisionPolicy } from '../../workflows/decision.ts';
import {
  approveUpdate,
  cancelRenewalUpdate,
  finalizeRenewalUpdate,
  cancelUpdate,
  confirmReturnUpdate,
  ownerConsentUpdate,
  partnerReplyUpdate,
  rejectUpdate,
  requestInformationUpdate,
  rmaReceivedUpdate,
  uploadExternalFileUpdate,
  type DecisionAck,
} from '../../workflows/messages.ts';
import {
  approvePayload,
  bodyOf,
  cancelPayload,
  cancelRenewalPayload,
  finalizeRenewalPayload,
  freeText,
  ownerConsentPayload,
  partnerReplyPayload,
  rejectPayload,
  requestInformationPayload,
  rmaReceivedPayload,
} from '../../workflows/message-payloads.ts';
import { DESK_ROLES, PARTNER_ROLES, requireRole, type AuthEnv } from '../auth/middleware.ts';
import { actorOf, type SessionUser } from '../auth/sessions.ts';
import { approvalMessage } from '../requests/approval-message.ts';
import { RequestNotSupportedError, submitRequest } from '../requests/lifecycle.ts';
import { requestDocs } from '../requests/route-docs.ts';
import { checkFileOfLicense, checkRequestFileUnused, checkSubmission, REQUEST_FILE_REPLAYED, SubmissionRefused } from '../requests/submission-checks.ts';
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
  'COOLING_OFF',
] as const;
const requestFilter = z.strictObject({
  id: idsFilter,
  type: z.enum(RequestType).optional(),
  status: z
    .union([z.enum(RequestStatus, { message: 'status must be a request status, e.g. PENDING_APPROVAL' }), z.array(z.enum(RequestStatus)).max(20)])
    .optional(),
  /** Open requests only (not completed, rejected, cancelled, expired or failed). */
  open: z.boolean().optional(),
  companyId: z.uuid().optional(),
  assigneeId: z.uuid().optional(),
  requesterId: z.uuid().optional(),
  unassigned: z.boolean().optional(),
  /** Submitted at least this many hours ago: the desk's "waiting longer than" queue filter. */
  olderThanHours: z
    .number()
    .min(0)
    .max(24 * 365)
    .optional(),
  q: z.string().trim().max(100).optional(),
});
type RequestFilter = z.infer<typeof requestFilter>;
/** The status tabs' counts take the list's filter; its status and open keys are what they count. */
const countsQuery = listQuery(['createdAt'], requestFilter).pick({ filter: true });
/** What a queue row shows of the license a request is about. */
const LICENSE_FACTS = {
  id: true,
  serial: true,
  companyId: true,
  endUserCompany: true,
  channels: true,
  status: true,
  product: { select: { name: true } },
} as const satisfies Prisma.LicenseSelect;
const idParam = z.object({ id: z.uuid({ message: 'Not a request id' }) });
const attachmentParam = z.object({ id: z.uuid({ message: 'Not a request id' }), attachmentId: z.uuid({ message: 'Not an attachment id' }) });
const comment = freeText;
/** A unique index refused the row: for a request file, its nonce was recorded already (a replay). */
const isUniqueViolation = (error: unknown) => (error as { code?: unknown } | null)?.code === 'P2002';

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

  /** The list's filter as a where clause; `withStatus: false` leaves out the status tabs' keys (status, open), for their counts. */
  async function listWhere(user: SessionUser, filter: RequestFilter, withStatus = true): Promise<Prisma.RequestWhereInput> {
    return {
      AND: [
        await visibility(user),
        filter.id ? { id: { in: filter.id } } : {},
        filter.type ? { type: filter.type } : {},
        withStatus && filter.status ? { status: Array.isArray(filter.status) ? { in: filter.status } : filter.status } : {},
        withStatus && filter.open ? { status: { in: [...OPEN_STATUSES] } } : {},
        filter.companyId ? { companyId: filter.companyId } : {},
        filter.assigneeId ? { assigneeId: filter.assigneeId } : {},
        filter.requesterId ? { requesterId: filter.requesterId } : {},
        filter.unassigned ? { assigneeId: null } : {},
        filter.olderThanHours !== undefined ? { submittedAt: { lte: new Date(Date.now() - filter.olderThanHours * 3_600_000) } } : {},
        filter.q ? await searchOf(user, filter.q) : {},
      ],
    };
  }

  /**
   * The search box: a reference (LD-000042 or 42), a serial, a MAC, the partner company, or the end
   * user. A new installation names its end user in the form; a request about a license by the
   * license's serial (it is linked to the license only once it made or changed it).
   */
  async function searchOf(user: SessionUser, q: string): Promise<Prisma.RequestWhereInput> {
    const insensitive = { contains: q, mode: 'insensitive' as const };
    const mac = q.toLowerCase().replace(/[^0-9a-f]/g, '');
    const visible = await visibleCompanyIds(prisma, user);
    const endUsersLicenses = await prisma.license.findMany({
      where: { endUserCompany: insensitive, ...(visible ? { companyId: { in: visible } } : {}) },
      select: { serial: true },
      take: 500,
    });
    return {
      OR: [
        { serial: { contains: q.toUpperCase() } },
        ...(mac ? [{ macAddress: mac }] : []),
        { company: { name: insensitive } },
        { payload: { path: ['endUserCompany'], string_contains: q, mode: 'insensitive' } },
        { license: { endUserCompany: insensitive } },
        ...(endUsersLicenses.length ? [{ serial: { in: endUsersLicenses.map((l) => l.serial) } }] : []),
        ...(/^(LD-?)?\d{1,9}$/i.test(q) ? [{ number: Number(q.replace(/\D/g, '')) }] : []),
      ],
    };
  }

  type LicenseFacts = Prisma.LicenseGetPayload<{ select: typeof LICENSE_FACTS }>;
  type ListedRequest = Prisma.RequestGetPayload<{ include: { company: { select: { name: true } }; assignee: { select: { name: true } } } }> & {
    license: LicenseFacts | null;
  };

  /**
   * What the desk sorts a queue by, beside the request's own columns: the end user, the product
   * and channels (from the form, else from the license the request is about), and the license's
   * current state for a request about a license.
   */
  async function withTriageFacts(rows: ListedRequest[]) {
    type Form = { productId?: string; targetProductId?: string; channels?: number; endUserCompany?: string };
    const payloadOf = (r: { payload: Prisma.JsonValue }) => r.payload as Form;
    const unlinked = rows.filter((r) => !r.license && r.serial).map((r) => r.serial!.trim());
    const productIds = [...new Set(rows.flatMap((r) => [payloadOf(r).productId, payloadOf(r).targetProductId]).filter((id): id is string => !!id))];
    const [bySerial, products] = await Promise.all([
      unlinked.length ? prisma.license.findMany({ where: { serial: { in: unlinked } }, select: LICENSE_FACTS }) : [],
      productIds.length ? prisma.product.findMany({ where: { id: { in: productIds } }, select: { id: true, name: true } }) : [],
    ]);
    const productName = new Map(products.map((p) => [p.id, p.name]));
    return rows.map(({ company, assignee, license: linked, ...r }) => {
      const payload = payloadOf(r);
      // Only the requesting company's own license: another company's serial tells nothing about it.
      const license = linked ?? bySerial.find((l) => l.serial === r.serial?.trim() && l.companyId === r.companyId) ?? null;
      const product = payload.productId ? productName.get(payload.productId) : license?.product.name;
      const target = payload.targetProductId ? productName.get(payload.targetProductId) : undefined;
      return {
        ...r,
        companyName: company.name,
        assigneeName: assignee?.name ?? null,
        endUserCompany: payload.endUserCompany ?? license?.endUserCompany ?? null,
        productName: target ? `${product ?? '?'} → ${target}` : (product ?? null),
        channels: typeof payload.channels === 'number' ? payload.channels : (license?.channels ?? null),
        license: license
          ? { id: license.id, serial: license.serial, productName: license.product.name, channels: license.channels, status: license.status }
          : null,
      };
    });
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

  /**
   * The request file a return is confirmed with: a License Desk request file, not used before,
   * of the license's installation (its hardware and product), showing the channels the license
   * has after the return. Refused here (422) with the reason; the workflow checks the channels too.
   */
  async function reducedInstallationFile(request: { id: string; status: string; licenseId: string | null; serial: string | null }, content: Uint8Array) {
    try {
      const file = parseRequestFile(content);
      await checkRequestFileUnused(prisma, file);
      const license = request.licenseId
        ? await prisma.license.findUnique({ where: { id: request.licenseId }, include: { product: true } })
        : request.serial
          ? await prisma.license.findUnique({ where: { serial: request.serial }, include: { product: true } })
          : null;
      // The hardware and product are the license's from the start; the channels are compared only
      // once the reduced revision is issued (before that the workflow refuses the confirmation).
      if (license) {
        checkFileOfLicense(file, license);
        if (request.status === 'WAITING_CONFIRM') checkRequestFileChannels(file, license.channels);
      }
      return file;
    } catch (error) {
      if (isDomainError(error)) throw fieldError('file', error.message);
      if (error instanceof SubmissionRefused) throw fieldError('file', error.message);
      throw error;
    }
  }

  const handle = (request: { workflowId: string }) => deps.client.workflow.getHandle(request.workflowId);

  /**
   * What every action answers (shapes.actionAnswer): the request, its status as the database has
   * it now (the workflow moves it on moments later), the phase the workflow answered with, and
   * the sentence the caller reads.
   */
  async function answer(request: { id: string; number: number }, ack: DecisionAck, message: string) {
    const { status } = await prisma.request.findUniqueOrThrow({ where: { id: request.id }, select: { status: true } });
    return { id: request.id, reference: requestReference(request.number), status, phase: ack.phase, message };
  }

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
    .post('/', requestDocs.submit, partnerOnly, validate('json', requestSubmission), async (c) => {
      try {
        const form = c.req.valid('json');
        // What the catalogue and the licenses already decide is refused now, not by the workflow later.
        const { warnings } = await checkSubmission(prisma, { companyId: c.var.user.companyId, form });
        const request = await submitRequest(deps, { companyId: c.var.user.companyId, requesterId: c.var.user.id, form, policy: deps.policy });
        return c.json({ ...request, warnings }, 201);
      } catch (error) {
        if (error instanceof SubmissionRefused) throw fieldError(error.field, error.message);
        if (error instanceof RequestNotSupportedError) return c.json({ message: error.message }, 422);
        // The same request file sent twice at once: the second finds its nonce recorded.
        if (isUniqueViolation(error)) throw fieldError('requestFile', REQUEST_FILE_REPLAYED);
        throw error;
      }
    })
    .get(
      '/',
      requestDocs.list,
      validate('query', listQuery(['createdAt', 'number', 'status', 'type', 'dueAt', 'submittedAt', 'decidedAt'], requestFilter)),
      async (c) => {
        const { sort, range, filter = {} } = c.req.valid('query');
        const where = await listWhere(c.var.user, filter);
        return listResponse(c, 'requests', range, async ({ skip, take }) => {
          const [rows, total] = await Promise.all([
            prisma.request.findMany({
              where,
              orderBy: orderOf(sort, ['createdAt', 'DESC']),
              skip,
              take,
              include: { company: { select: { name: true } }, assignee: { select: { name: true } }, license: { select: LICENSE_FACTS } },
            }),
            prisma.request.count({ where }),
          ]);
          return [await withTriageFacts(rows), total];
        });
      },
    )
    .get('/counts', requestDocs.counts, validate('query', countsQuery), async (c) => {
      const { filter = {} } = c.req.valid('query');
      const groups = await prisma.request.groupBy({ by: ['status'], where: await listWhere(c.var.user, filter, false), _count: { _all: true } });
      const byStatus = Object.fromEntries(Object.values(RequestStatus).map((status) => [status, 0])) as Record<RequestStatus, number>;
      for (const group of groups) byStatus[group.status] = group._count._all;
      const total = Object.values(byStatus).reduce((sum, n) => sum + n, 0);
      const open = OPEN_STATUSES.reduce((sum, status) => sum + byStatus[status], 0);
      return c.json({ total, open, byStatus });
    })
    .get('/:id', requestDocs.show, validate('param', idParam), async (c) => {
      const request = await findVisible(c.var.user, c.req.valid('param').id);
      const desk = isDesk(c.var.user);
      const [timeline, attachments, comments, names, issued] = await Promise.all([
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
        // The licenses the request wrote a revision of (a partial transfer: the source and the new one).
        prisma.licenseRevision.findMany({
          where: { requestId: request.id },
          distinct: ['licenseId'],
          orderBy: { licenseId: 'asc' },
          select: { license: { select: { id: true, serial: true, companyId: true, company: { select: { name: true } } } } },
        }),
      ]);
      return c.json({
        ...request,
        companyName: names.company.name,
        requesterName: names.requester.name,
        assigneeName: names.assignee?.name ?? null,
        timeline: timeline.map((e) => ({ ...e, id: String(e.id), actor: actorLabel(e) })),
        licenses: issued.map(({ license: { company, ...l } }) => ({ ...l, companyName: company.name })),
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
    .post('/:id/approve', requestDocs.approve, deskOnly, validate('param', idParam), validate('json', bodyOf(approvePayload)), async (c) => {
      const request = await findVisible(c.var.user, c.req.valid('param').id);
      const ack = await send(request, () =>
        handle(request).executeUpdate(approveUpdate, { args: [{ actor: actorOf(c.var.user), comment: c.req.valid('json').comment }] }),
      );
      return c.json(await answer(request, ack, approvalMessage(request, calendarOf(deps.policy))));
    })
    .post('/:id/reject', requestDocs.reject, deskOnly, validate('param', idParam), validate('json', bodyOf(rejectPayload)), async (c) => {
      const request = await findVisible(c.var.user, c.req.valid('param').id);
      const ack = await send(request, () =>
        handle(request).executeUpdate(rejectUpdate, { args: [{ actor: actorOf(c.var.user), reason: c.req.valid('json').reason }] }),
      );
      return c.json(await answer(request, ack, `${requestReference(request.number)} is rejected; the partner is told why.`));
    })
    .post(
      '/:id/request-information',
      requestDocs.requestInformation,
      deskOnly,
      validate('param', idParam),
      validate('json', bodyOf(requestInformationPayload)),
      async (c) => {
        const request = await findVisible(c.var.user, c.req.valid('param').id);
        const ack = await send(request, () =>
          handle(request).executeUpdate(requestInformationUpdate, { args: [{ actor: actorOf(c.var.user), question: c.req.valid('json').question }] }),
        );
        return c.json(await answer(request, ack, `The question is sent; ${requestReference(request.number)} waits for the partner's answer.`));
      },
    )
    .post('/:id/reply', requestDocs.reply, partnerOnly, validate('param', idParam), validate('json', bodyOf(partnerReplyPayload)), async (c) => {
      const request = await findVisible(c.var.user, c.req.valid('param').id);
      if (request.status !== 'WAITING_FOR_PARTNER') throw fieldError('message', 'The desk has not asked anything on this request', 409);
      const ack = await send(request, () =>
        handle(request).executeUpdate(partnerReplyUpdate, { args: [{ actor: actorOf(c.var.user), message: c.req.valid('json').message }] }),
      );
      return c.json(await answer(request, ack, 'Your answer was sent to the desk.'), 202);
    })
    .post('/:id/cancel', requestDocs.cancel, validate('param', idParam), validate('json', bodyOf(cancelPayload)), async (c) => {
      const request = await findVisible(c.var.user, c.req.valid('param').id);
      const ack = await send(request, () =>
        handle(request).executeUpdate(cancelUpdate, { args: [{ actor: actorOf(c.var.user), reason: c.req.valid('json').reason }] }),
      );
      return c.json(await answer(request, ack, `${requestReference(request.number)} is cancelled; anything reserved for it is released.`));
    })
    .post('/:id/cancel-renewal', requestDocs.cancelRenewal, validate('param', idParam), validate('json', bodyOf(cancelRenewalPayload)), async (c) => {
      const request = await findVisible(c.var.user, c.req.valid('param').id);
      if (request.type !== 'SMA_RENEWAL')
        throw fieldError('id', 'Only an SMA renewal can be cancelled in its cooling-off period; use cancel for other requests', 409);
      const ack = await send(request, () =>
        handle(request).executeUpdate(cancelRenewalUpdate, { args: [{ actor: actorOf(c.var.user), reason: c.req.valid('json').reason }] }),
      );
      return c.json(
        await answer(
          request,
          ack,
          `The renewal ${requestReference(request.number)} is cancelled; each license goes back to its previous SMA end and the files are e-mailed.`,
        ),
      );
    })
    .post('/:id/finalize-renewal', requestDocs.finalizeRenewal, validate('param', idParam), validate('json', bodyOf(finalizeRenewalPayload)), async (c) => {
      const request = await findVisible(c.var.user, c.req.valid('param').id);
      if (request.type !== 'SMA_RENEWAL') throw fieldError('id', 'Only an SMA renewal has a cooling-off period to end', 409);
      const ack = await send(request, () =>
        handle(request).executeUpdate(finalizeRenewalUpdate, { args: [{ actor: actorOf(c.var.user), reason: c.req.valid('json').reason }] }),
      );
      return c.json(await answer(request, ack, `The renewal ${requestReference(request.number)} is final; it can no longer be cancelled.`));
    })
    .post('/:id/confirm-return', requestDocs.confirmReturn, partnerOnly, uploadLimit, validate('param', idParam), async (c) => {
      const request = await findVisible(c.var.user, c.req.valid('param').id);
      if (request.type !== 'RETURN_CONFIRMATION') throw fieldError('id', 'Only a return confirmation can be confirmed', 409);
      // The partner confirms with the request file of the reduced installation, or just presses confirm.
      const upload = await readUpload(c, { required: false });
      const file = upload ? await reducedInstallationFile(request, upload.content) : undefined;
      const attachment = upload
        ? await prisma.requestAttachment.create({
            data: { requestId: request.id, uploadedById: c.var.user.id, impersonatorId: c.var.user.impersonator?.id, kind: 'REQUEST_FILE', ...upload },
            select: { id: true, fileName: true, size: true, sha256: true },
          })
        : undefined;
      if (file) {
        try {
          await prisma.requestFileUse.create({
            data: { nonce: file.nonce, requestId: request.id, purpose: 'RETURN_CONFIRMATION', installationId: file.installationId },
          });
        } catch (error) {
          await prisma.requestAttachment.delete({ where: { id: attachment!.id } });
          if (isUniqueViolation(error)) throw fieldError('file', REQUEST_FILE_REPLAYED);
          throw error;
        }
      }
      const discard = attachment
        ? () =>
            prisma.$transaction([
              prisma.requestFileUse.deleteMany({ where: { nonce: file?.nonce ?? '', requestId: request.id } }),
              prisma.requestAttachment.delete({ where: { id: attachment.id } }),
            ])
        : undefined;
      const ack = await send(
        request,
        () =>
          handle(request).executeUpdate(confirmReturnUpdate, {
            args: [
              {
                actor: actorOf(c.var.user),
                attachmentId: attachment?.id,
                ...(file ? { requestFile: { channels: file.channels, installationId: file.installationId } } : {}),
              },
            ],
          }),
        discard,
      );
      return c.json(await answer(request, ack, `The return of ${requestReference(request.number)} is confirmed; its channels go back to your stock.`));
    })
    .post(
      '/:id/consent',
      requestDocs.consent,
      requireRole('PARTNER_ADMIN'),
      validate('param', idParam),
      validate('json', bodyOf(ownerConsentPayload)),
      async (c) => {
        const request = await findVisible(c.var.user, c.req.valid('param').id);
        // A partial transfer's current owner is the requester: only the license's owner can ask for one.
        const currentOwner =
          request.type === 'PARTIAL_TRANSFER' ? request.companyId : (request.payload as { currentOwnerCompanyId?: string }).currentOwnerCompanyId;
        if (request.type !== 'OWNERSHIP_CHANGE' && request.type !== 'PARTIAL_TRANSFER')
          throw fieldError('consent', 'Only an ownership change or a partial transfer asks for consent', 409);
        if (currentOwner !== c.var.user.companyId) throw new HTTPException(403, { message: 'Only an administrator of the current owner can answer.' });
        const { consent, comment: text } = c.req.valid('json');
        const ack = await send(request, () =>
          handle(request).executeUpdate(ownerConsentUpdate, { args: [{ actor: actorOf(c.var.user), consent, comment: text }] }),
        );
        const reference = requestReference(request.number);
        return c.json(
          await answer(
            request,
            ack,
            consent
              ? `Your consent is recorded; the desk decides ${reference} next.`
              : `Your refusal is recorded; ${reference} closes and ${request.type === 'PARTIAL_TRANSFER' ? 'the channels stay' : 'the licenses stay'} with your company.`,
          ),
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
      const stored = `The license file of ${requestReference(request.number)} is stored; the workflow delivers it to the partner.`;
      return c.json({ ...(await answer(request, ack, stored)), attachment }, 201);
    })
    .post('/:id/rma-received', requestDocs.rmaReceived, deskOnly, validate('param', idParam), validate('json', bodyOf(rmaReceivedPayload)), async (c) => {
      const request = await findVisible(c.var.user, c.req.valid('param').id);
      if (request.type !== 'HARDWARE_REPLACEMENT') throw fieldError('id', 'Only a hardware replacement waits for returned hardware', 409);
      // The workflow's validator answers whether the part is awaited (or already recorded): no status pre-check to race.
      const ack = await send(request, () =>
        handle(request).executeUpdate(rmaReceivedUpdate, { args: [{ actor: actorOf(c.var.user), note: c.req.valid('json').note }] }),
      );
      return c.json(await answer(request, ack, `The returned hardware of ${requestReference(request.number)} is recorded.`), 202);
    })
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
