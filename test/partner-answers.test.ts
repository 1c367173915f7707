import { describe, expect, it } from 'vitest';
import { submitRequest } from '../api/requests/lifecycle.ts';
import { cancelUpdate, partnerReplyUpdate, requestInformationUpdate } from '../workflows/messages.ts';
import { until } from './support/api-harness.ts';
import { newPartner, useRequestWorld, startTestWorker, waitForPhase } from './support/request-harness.ts';
import { fileStack } from './support/file-stack.ts';

/**
 * The partner's answers to the desk's question (the partnerAnswer update). Answers that reach
 * the workflow together must all land on the timeline, in order; one that comes after the
 * workflow took the answers is refused with a reason rather than dropped.
 */
describe('partner answers to a question from the desk', () => {
  const world = useRequestWorld();

  it('records every answer that arrived together, in order, and refuses a later one', async () => {
    const { prisma, client, nativeConnection, desk } = world;
    // A worker of this test's own, so that it can be stopped while the answers arrive.
    const namespace = fileStack.temporalNamespace;
    let worker = await startTestWorker({ connection: nativeConnection, namespace, prisma });
    let stopped = false;
    try {
      const p = await newPartner(prisma, { stock: 10 });
      const request = await submitRequest(
        { prisma, client, taskQueue: worker.taskQueue },
        {
          companyId: p.company.id,
          requesterId: p.user.id,
          form: { type: 'STOCK_ADDITION', productId: p.product.id, channels: 5, orderReference: `PO-${p.tag}`, deliveryEmails: [p.deliveryEmail] } as never,
        },
      );
      const handle = client.workflow.getHandle(request.workflowId);
      await waitForPhase(client, request.workflowId, 'awaiting_decision');
      await handle.executeUpdate(requestInformationUpdate, { args: [{ actor: desk, question: 'Which order is it?' }] });
      await waitForPhase(client, request.workflowId, 'waiting_for_partner');
      await until(
        async () => ((await prisma.request.findUniqueOrThrow({ where: { id: request.id } })).status === 'WAITING_FOR_PARTNER' ? true : undefined),
        'WAITING_FOR_PARTNER',
      );

      // With no worker polling, both answers wait at the server and reach the workflow in one task.
      await worker.stop();
      stopped = true;
      const answers = ['It is PO-1', 'Sorry: PO-2, the first was a typo'];
      const sent: Array<Promise<{ phase: string }>> = [];
      for (const message of answers) {
        sent.push(handle.executeUpdate(partnerReplyUpdate, { args: [{ actor: p.actor, message }] }));
        // Apart enough that the server admits them in this order.
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      worker = await startTestWorker({ connection: nativeConnection, namespace, prisma, taskQueue: worker.taskQueue });
      stopped = false;
      expect((await Promise.all(sent)).map((ack) => ack.phase)).toEqual(['waiting_for_partner', 'waiting_for_partner']);

      await until(
        async () => ((await prisma.historyEvent.count({ where: { requestId: request.id, action: 'partner_replied' } })) === 2 ? true : undefined),
        'both answers on the timeline',
      );
      const replied = await prisma.historyEvent.findMany({ where: { requestId: request.id, action: 'partner_replied' }, orderBy: { id: 'asc' } });
      expect(replied.map((e) => ({ comment: e.comment, actorName: e.actorName }))).toEqual(answers.map((comment) => ({ comment, actorName: p.user.name })));
      expect((await prisma.request.findUniqueOrThrow({ where: { id: request.id } })).status).toBe('PENDING_APPROVAL');

      // The desk has its answers: another one is refused with the reason, not swallowed.
      await expect(handle.executeUpdate(partnerReplyUpdate, { args: [{ actor: p.actor, message: 'And PO-3' }] })).rejects.toMatchObject({
        cause: { message: 'The desk has not asked anything on this request.' },
      });
      expect(await prisma.historyEvent.count({ where: { requestId: request.id, action: 'partner_replied' } })).toBe(2);
      await handle.executeUpdate(cancelUpdate, { args: [{ actor: desk, reason: 'Test done' }] });
      expect(await handle.result()).toMatchObject({ outcome: 'cancelled' });
    } finally {
      if (!stopped) await worker.stop();
    }
  });
});
