import { describe, expect, inject, it } from 'vitest';
import { createActivities } from '../activities/index.ts';
import { createServices } from '../services/index.ts';
import { recordRequest, startUnstartedRequests, submitRequest } from '../api/requests/lifecycle.ts';
import { approveUpdate } from '../workflows/messages.ts';
import { balanceOf, mailTo, newPartner, useRequestWorld, waitForPhase } from './support/request-harness.ts';
import { fileStack } from './support/file-stack.ts';

describe('exactly-once and concurrency guarantees', () => {
  const world = useRequestWorld({ poolSize: 30 });

  it('a retried activity leaves one ledger entry and sends one e-mail', async () => {
    const p = await newPartner(world.prisma, { stock: 10 });
    const request = await world.prisma.request.create({
      data: {
        type: 'STOCK_ADDITION',
        companyId: p.company.id,
        requesterId: p.user.id,
        payload: {},
        deliveryEmails: [p.deliveryEmail],
        workflowId: `retry-${p.tag}`,
      },
    });
    // A Temporal retry runs the same activity again with the same input; do exactly that.
    const { outbox, signer, clock } = createServices({
      prisma: world.prisma,
      smtpUrl: fileStack.smtpUrl,
      mailFrom: 'desk@license-desk.test',
      signingKeySecret: inject('signingKeySecret'),
    });
    const activities = createActivities({ prisma: world.prisma, mailer: outbox, signer, clock, publicUrl: 'http://localhost:3000' });
    const stock = { companyId: p.company.id, productId: p.product.id, productName: p.product.name, channels: 4 };
    await activities.reserveStock({ requestId: request.id, stock });
    await activities.reserveStock({ requestId: request.id, stock });
    await Promise.all([activities.reserveStock({ requestId: request.id, stock }), activities.reserveStock({ requestId: request.id, stock })]);
    expect(await world.prisma.stockLedgerEntry.count({ where: { requestId: request.id } })).toBe(1);
    expect(await balanceOf(world.prisma, p.company.id, p.product.id)).toEqual({ available: 6, reserved: 4, consumed: 0 });

    const spec = { kind: 'stock_credited' as const, productName: p.product.name, channels: 4, orderReference: 'PO-1' };
    await activities.notify({ requestId: request.id, key: 'stock_credited', mail: spec });
    await Promise.all([
      activities.notify({ requestId: request.id, key: 'stock_credited', mail: spec }),
      activities.notify({ requestId: request.id, key: 'stock_credited', mail: spec }),
    ]);
    expect(await world.prisma.outboxEmail.count({ where: { requestId: request.id } })).toBe(1);
    expect(await mailTo(p.deliveryEmail)).toHaveLength(1);
  });

  it('50 parallel new-installation requests against a stock of 20 end with exactly 20 licenses', async () => {
    const p = await newPartner(world.prisma, { stock: 20 });
    const requests = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        submitRequest(
          { prisma: world.prisma, client: world.client, taskQueue: world.worker.taskQueue },
          {
            companyId: p.company.id,
            requesterId: p.user.id,
            form: {
              type: 'NEW_INSTALLATION',
              productId: p.product.id,
              channels: 1,
              vcaChannels: 0,
              lock: { type: 'MAC', value: `c8d9d29a${(0x1000 + i).toString(16)}` },
              endUserCompany: `Site ${i}`,
              deliveryEmails: [p.deliveryEmail],
            },
          },
        ),
      ),
    );
    // Each request either holds one channel and waits for the desk, or was refused for stock.
    const firstOutcomes = await Promise.all(
      requests.map(async (r) => {
        for (;;) {
          const row = await world.prisma.request.findUniqueOrThrow({ where: { id: r.id } });
          if (row.status === 'PENDING_APPROVAL' || row.status === 'REJECTED') return { request: r, status: row.status };
          await new Promise((res) => setTimeout(res, 200));
        }
      }),
    );
    const pending = firstOutcomes.filter((o) => o.status === 'PENDING_APPROVAL');
    expect(pending).toHaveLength(20);
    expect(await balanceOf(world.prisma, p.company.id, p.product.id)).toEqual({ available: 0, reserved: 20, consumed: 0 });

    await Promise.all(
      pending.map(async ({ request }) => {
        await waitForPhase(world.client, request.workflowId, 'awaiting_decision', 60_000);
        await world.client.workflow.getHandle(request.workflowId).executeUpdate(approveUpdate, { args: [{ actor: world.desk }] });
        return world.client.workflow.getHandle(request.workflowId).result();
      }),
    );
    expect(await world.prisma.license.count({ where: { companyId: p.company.id } })).toBe(20);
    expect(await balanceOf(world.prisma, p.company.id, p.product.id)).toEqual({ available: 0, reserved: 0, consumed: 20 });
    const refused = await world.prisma.request.findMany({
      where: { id: { in: firstOutcomes.filter((o) => o.status === 'REJECTED').map((o) => o.request.id) } },
      include: { historyEvents: true },
    });
    expect(refused).toHaveLength(30);
    expect(refused.every((r) => r.historyEvents.some((e) => e.comment?.includes('0 channels available')))).toBe(true);
  }, 180_000);

  it('starts, once, the workflow of a request whose API died between recording it and starting its workflow', async () => {
    const p = await newPartner(world.prisma, { stock: 10 });
    const form = {
      type: 'NEW_INSTALLATION' as const,
      productId: p.product.id,
      channels: 2,
      vcaChannels: 0,
      lock: { type: 'MAC' as const, value: 'c8d9d29a0fff' },
      endUserCompany: 'Orphan site',
      deliveryEmails: [p.deliveryEmail],
    };
    // What submitRequest wrote before the process died: the row, with the workflow id it gives.
    const orphan = await recordRequest(world.prisma, { companyId: p.company.id, requesterId: p.user.id, form });
    // A row made some other way (as tests do) is not the sweep's to start.
    const other = await world.prisma.request.create({
      data: {
        type: form.type,
        companyId: p.company.id,
        requesterId: p.user.id,
        payload: form,
        deliveryEmails: form.deliveryEmails,
        workflowId: `other-${orphan.id}`,
      },
    });
    const sweep = (olderThanMs?: number) =>
      startUnstartedRequests(
        { prisma: world.prisma, client: world.client, taskQueue: world.worker.taskQueue },
        { olderThanMs, where: { companyId: p.company.id } },
      );

    expect(await sweep()).toEqual([]); // younger than a submission may take
    expect(await sweep(0)).toEqual([orphan.number]);
    await waitForPhase(world.client, orphan.workflowId, 'awaiting_decision');
    expect(await sweep(0)).toEqual([]);
    expect(await balanceOf(world.prisma, p.company.id, p.product.id)).toEqual({ available: 8, reserved: 2, consumed: 0 });
    expect((await world.prisma.request.findUniqueOrThrow({ where: { id: other.id } })).status).toBe('SUBMITTED');
    await world.client.workflow.getHandle(orphan.workflowId).executeUpdate(approveUpdate, { args: [{ actor: world.desk }] });
    expect((await world.client.workflow.getHandle(orphan.workflowId).result()).outcome).toBe('completed');
  });
});
