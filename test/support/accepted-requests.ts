import { expect } from 'vitest';
import type { PrismaClient } from '../../prisma/client.ts';
import { until } from './api-harness.ts';

/** The workflow's refusal when the stock is short (services/stock-ledger.ts InsufficientStockError): the one the API leaves to it. */
const STOCK_SHORTAGE = /^Your stock of .+ has \d+ channels? available; this request needs \d+\.$/;

/**
 * Waits until the workflow of each request the API accepted has checked it (the request left
 * SUBMITTED), then holds that none was rejected for a reason the API could have seen at
 * submission: the only rejection allowed is a stock shortage, which the workflow decides.
 */
export async function expectNoInputRejections(prisma: PrismaClient, requestIds: string[], timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  await until(
    async () => ((await prisma.request.count({ where: { id: { in: requestIds }, status: 'SUBMITTED' } })) === 0 || Date.now() > deadline ? true : undefined),
    `the workflows of ${requestIds.length} accepted requests to check them`,
    Math.ceil(timeoutMs / 200) + 1,
  );
  const rows = await prisma.request.findMany({ where: { id: { in: requestIds } }, select: { id: true, type: true, status: true, payload: true } });
  expect(
    rows.filter((r) => r.status === 'SUBMITTED').map((r) => `${r.type} ${r.id}`),
    'accepted requests the workflow never checked',
  ).toEqual([]);
  const rejections = await prisma.historyEvent.findMany({
    where: { requestId: { in: requestIds }, action: 'request_rejected', actorUserId: null },
    select: { requestId: true, comment: true },
  });
  const forInput = rejections.filter((e) => !STOCK_SHORTAGE.test(e.comment ?? ''));
  expect(
    forInput.map((e) => `${e.comment} ← ${JSON.stringify(rows.find((r) => r.id === e.requestId)?.payload)}`),
    'accepted (201) requests the workflow rejected for what the API could have seen',
  ).toEqual([]);
  return { checked: rows.length, stockShortages: rejections.length - forInput.length };
}
