import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { requestForm, type RequestForm, type RequestType } from '../../domain/request-forms.ts';
import { normalizeSerial } from '../../domain/serial.ts';
import type { PrismaClient } from '../../prisma/client.ts';
import type * as workflows from '../../workflows/index.ts';
import type { DecisionPolicy } from '../../workflows/decision.ts';

/** The workflow type that runs each request type. Types without one are not built yet. */
export const WORKFLOW_BY_TYPE: Partial<Record<RequestType, keyof typeof workflows>> = {
  NEW_INSTALLATION: 'requestNewInstallation',
  CHANNEL_EXPANSION: 'requestChannelExpansion',
  STOCK_ADDITION: 'requestStockAddition',
  RETURN_CONFIRMATION: 'requestReturnConfirmation',
  UPGRADE: 'requestUpgrade',
  OWNERSHIP_CHANGE: 'requestOwnershipChange',
  HARDWARE_REPLACEMENT: 'requestHardwareReplacement',
};

export class RequestNotSupportedError extends Error {}

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
  const id = randomUUID();
  const request = await deps.prisma.request.create({
    data: {
      id,
      type: form.type,
      companyId: input.companyId,
      requesterId: input.requesterId,
      payload: form as object,
      deliveryEmails: form.deliveryEmails,
      comments: form.comments,
      workflowId: `request-${id}`,
      serial: 'serial' in form ? storedSerial(form.serial) : undefined,
    },
  });
  await startRequestWorkflow(deps, request.id, request.workflowId, workflowType, input.policy);
  return request;
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

export async function startRequestWorkflow(
  deps: { client: Client; taskQueue: string },
  requestId: string,
  workflowId: string,
  workflowType: keyof typeof workflows,
  policy?: Partial<DecisionPolicy>,
) {
  try {
    await deps.client.workflow.start(workflowType, { workflowId, taskQueue: deps.taskQueue, args: [{ requestId, policy }] });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}
