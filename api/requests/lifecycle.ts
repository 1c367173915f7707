import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { parseRequestFile } from '../../domain/request-file.ts';
import { requestForm, type RequestForm, type RequestType } from '../../domain/request-forms.ts';
import { normalizeSerial } from '../../domain/serial.ts';
import type { PrismaClient } from '../../prisma/client.ts';
import type { Prisma } from '../../prisma/generated/client.ts';
import { requestReference } from '../../domain/request-labels.ts';
import type * as workflows from '../../workflows/index.ts';
import type { DecisionPolicy } from '../../workflows/decision.ts';
import { requestSearchAttributes, type RequestMemo } from '../../workflows/search-attributes.ts';

/** The workflow type that runs each request type. Types without one are not built yet. */
export const WORKFLOW_BY_TYPE: Partial<Record<RequestType, keyof typeof workflows>> = {
  NEW_INSTALLATION: 'requestNewInstallation',
  CHANNEL_EXPANSION: 'requestChannelExpansion',
  STOCK_ADDITION: 'requestStockAddition',
  RETURN_CONFIRMATION: 'requestReturnConfirmation',
  UPGRADE: 'requestUpgrade',
  OWNERSHIP_CHANGE: 'requestOwnershipChange',
  HARDWARE_REPLACEMENT: 'requestHardwareReplacement',
  PARTIAL_TRANSFER: 'requestPartialTransfer',
  STOCK_RESHIP: 'requestStockReship',
  SMA_RENEWAL: 'requestSmaRenewal',
};

export class RequestNotSupportedError extends Error {}

/** A request's workflow id: a business key, the request's own id. */
const workflowIdOf = (requestId: string) => `request-${requestId}`;

/**
 * Records a partner's request and starts its workflow (the lifecycle module the API calls).
 * The workflow id is a business key, so a repeated start finds the running workflow.
 */
export async function submitRequest(
  deps: { prisma: PrismaClient; client: Client; taskQueue: string },
  input: { companyId: string; requesterId: string; form: RequestForm; policy?: Partial<DecisionPolicy> },
) {
  const form = requestForm.parse(input.form);
  const workflowType = WORKFLOW_BY_TYPE[form.type];
  if (!workflowType) throw new RequestNotSupportedError(`${form.type} requests are not available yet.`);
  const request = await recordRequest(deps.prisma, { ...input, form });
  await startRequestWorkflow(deps, { ...request, companyName: request.company.name }, workflowType, input.policy);
  const { company: _company, ...recorded } = request;
  return recorded;
}

/**
 * The request's row as a submission records it, with its workflow id, before any workflow starts.
 * Tests that start the workflow themselves (another office calendar, a crash before the start)
 * record it here too.
 */
export async function recordRequest(prisma: PrismaClient, input: { companyId: string; requesterId: string; form: RequestForm }) {
  const { form } = input;
  const id = randomUUID();
  // The request file's nonce is recorded with the request: a second request with the same file fails here (unique).
  const file = 'requestFile' in form && form.requestFile !== undefined ? parseRequestFile(form.requestFile) : undefined;
  return prisma.request.create({
    data: {
      id,
      type: form.type,
      companyId: input.companyId,
      requesterId: input.requesterId,
      payload: form as object,
      deliveryEmails: form.deliveryEmails,
      comments: form.comments,
      workflowId: workflowIdOf(id),
      serial: 'serial' in form ? storedSerial(form.serial) : undefined,
      requestFileUses: file ? { create: { nonce: file.nonce, purpose: 'SUBMISSION', installationId: file.installationId } } : undefined,
    },
    include: { company: { select: { name: true } } },
  });
}

/**
 * The serial column (12 characters) as the workflow will read the typed serial; left empty when
 * it is no serial at all (the workflow refuses it with its reason). Writing the text as typed
 * answered 500 for anything longer than 12, e.g. "V8WJ-NEE8-9Q6A".
 */
function storedSerial(typed: string) {
  try {
    return normalizeSerial(typed);
  } catch {
    return undefined;
  }
}

/** What a request's workflow is started with: its ids, and what Temporal's tools can find it by. */
export interface StartedRequest {
  id: string;
  number: number;
  type: RequestType;
  status: string;
  workflowId: string;
  companyId: string;
  companyName: string;
}

/**
 * Starts a request's workflow; false when a workflow with its id was already there. The memo and
 * search attributes let an operator find it with `temporal workflow list --query` or the Web UI
 * (docs/operations.md); the status is the row's, since a restore starts requests already under way.
 */
export async function startRequestWorkflow(
  deps: { client: Client; taskQueue: string },
  request: StartedRequest,
  workflowType: keyof typeof workflows,
  policy?: Partial<DecisionPolicy>,
  workflowIdReusePolicy?: 'REJECT_DUPLICATE',
) {
  const reference = requestReference(request.number);
  const memo: RequestMemo = { reference, companyId: request.companyId, companyName: request.companyName, requestType: request.type };
  try {
    await deps.client.workflow.start(workflowType, {
      workflowId: request.workflowId,
      taskQueue: deps.taskQueue,
      args: [{ requestId: request.id, policy }],
      workflowIdReusePolicy,
      memo: { ...memo },
      typedSearchAttributes: requestSearchAttributes({ reference, companyId: request.companyId, requestType: request.type, status: request.status }),
    });
    return true;
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    return false;
  }
}

/** How old a request without a started workflow must be before the API starts it: no submission takes this long. */
export const UNSTARTED_AFTER_MS = 10_000;

/**
 * Starts the workflow of each request that was recorded but never started. submitRequest writes
 * the row, then starts the workflow; an API process that dies in between (SIGKILL, a power cut)
 * left a request "Submitted" for ever, which no worker would ever pick up. Such a row is
 * SUBMITTED with no `request_submitted` event (its workflow's first step), older than
 * `olderThanMs` (so not a submission still under way), and has the workflow id submitRequest
 * gives (rows made otherwise, as tests do, are not ours to start). A start that finds the
 * workflow (running, its worker down) changes nothing, and REJECT_DUPLICATE never runs a closed
 * one again. Answers the numbers of the requests it started. `where` narrows the search (tests).
 */
export async function startUnstartedRequests(
  deps: { prisma: PrismaClient; client: Client; taskQueue: string; policy?: Partial<DecisionPolicy> },
  options: { olderThanMs?: number; where?: Prisma.RequestWhereInput } = {},
) {
  const rows = await deps.prisma.request.findMany({
    where: {
      ...options.where,
      status: 'SUBMITTED',
      createdAt: { lt: new Date(Date.now() - (options.olderThanMs ?? UNSTARTED_AFTER_MS)) },
      historyEvents: { none: { action: 'request_submitted' } },
    },
    select: { id: true, number: true, type: true, status: true, workflowId: true, companyId: true, company: { select: { name: true } } },
    orderBy: { createdAt: 'asc' },
    take: 100,
  });
  const started: number[] = [];
  for (const row of rows) {
    const workflowType = WORKFLOW_BY_TYPE[row.type];
    if (!workflowType || row.workflowId !== workflowIdOf(row.id)) continue;
    if (await startRequestWorkflow(deps, { ...row, companyName: row.company.name }, workflowType, deps.policy, 'REJECT_DUPLICATE')) started.push(row.number);
  }
  return started;
}
