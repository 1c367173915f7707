// Captures the workflow histories that test/request-guarantees.test.ts replays. Run it after a
// deliberate, patched() change to a workflow, and commit the new fixtures:
//   npx vitest run --dir . --include 'scripts/capture-histories.vitest.ts'
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { expect, inject, it } from 'vitest';
import { fileStack } from '../test/support/file-stack.ts';
import { submitRequest } from '../api/requests/lifecycle.ts';
import { TEMPORAL_CLI } from '../embedded/tools.ts';
import { createPrismaClient } from '../prisma/client.ts';
import { loadDemoData } from '../prisma/demo-data.ts';
import { approveUpdate, rejectUpdate } from '../workflows/messages.ts';
import { newPartner, startTestWorker, waitForPhase } from '../test/support/request-harness.ts';

it('captures histories', async () => {
  const prisma = createPrismaClient(fileStack.databaseUrl);
  await loadDemoData(prisma);
  const admin = await prisma.user.findUniqueOrThrow({ where: { email: 'desk.admin@license-desk.test' } });
  const desk = { userId: admin.id, name: admin.name };
  const connection = await Connection.connect({ address: inject('temporalAddress') });
  const client = new Client({ connection, namespace: fileStack.temporalNamespace });
  const native = await NativeConnection.connect({ address: inject('temporalAddress') });
  const worker = await startTestWorker({ connection: native, namespace: fileStack.temporalNamespace, prisma });
  const p = await newPartner(prisma, { stock: 50 });
  const submit = (form: any) =>
    submitRequest(
      { prisma, client, taskQueue: worker.taskQueue },
      { companyId: p.company.id, requesterId: p.user.id, form: { deliveryEmails: [p.deliveryEmail], ...form } },
    );
  const save = async (name: string, workflowId: string) => {
    const { stdout } = await promisify(execFile)(
      TEMPORAL_CLI,
      ['workflow', 'show', '-w', workflowId, '--address', inject('temporalAddress'), '--namespace', fileStack.temporalNamespace, '--output', 'json'],
      { maxBuffer: 32 * 1024 * 1024 },
    );
    await writeFile(new URL(`../test/fixtures/histories/${name}.json`, import.meta.url), stdout);
  };
  const install = await submit({
    type: 'NEW_INSTALLATION',
    productId: p.product.id,
    channels: 5,
    lock: { type: 'MAC', value: 'c8d9d29aa31b' },
    endUserCompany: 'History Oy',
  });
  await waitForPhase(client, install.workflowId, 'awaiting_decision');
  await client.workflow.getHandle(install.workflowId).executeUpdate(approveUpdate, { args: [{ actor: desk, comment: 'ok' }] });
  const { serial } = (await client.workflow.getHandle(install.workflowId).result()) as any;
  await save('new-installation-approved', install.workflowId);

  const rejected = await submit({
    type: 'NEW_INSTALLATION',
    productId: p.product.id,
    channels: 2,
    lock: { type: 'MAC', value: 'c8d9d29aa31c' },
    endUserCompany: 'History Oy',
  });
  await waitForPhase(client, rejected.workflowId, 'awaiting_decision');
  await client.workflow.getHandle(rejected.workflowId).executeUpdate(rejectUpdate, { args: [{ actor: desk, reason: 'Not on the order' }] });
  await client.workflow.getHandle(rejected.workflowId).result();
  await save('new-installation-rejected', rejected.workflowId);

  const addition = await submit({ type: 'STOCK_ADDITION', productId: p.product.id, channels: 10, orderReference: 'PO-1' });
  await waitForPhase(client, addition.workflowId, 'awaiting_decision');
  await client.workflow.getHandle(addition.workflowId).executeUpdate(approveUpdate, { args: [{ actor: desk }] });
  await client.workflow.getHandle(addition.workflowId).result();
  await save('stock-addition-approved', addition.workflowId);

  const expansion = await submit({ type: 'CHANNEL_EXPANSION', serial, macAddress: 'c8d9d29aa31b', channels: 3 });
  await waitForPhase(client, expansion.workflowId, 'awaiting_decision');
  await client.workflow.getHandle(expansion.workflowId).executeUpdate(approveUpdate, { args: [{ actor: desk }] });
  await client.workflow.getHandle(expansion.workflowId).result();
  await save('channel-expansion-approved', expansion.workflowId);

  const refused = await submit({
    type: 'NEW_INSTALLATION',
    productId: p.product.id,
    channels: 2,
    lock: { type: 'MAC', value: 'ffffffffffff' },
    endUserCompany: 'History Oy',
  });
  await client.workflow.getHandle(refused.workflowId).result();
  await save('new-installation-refused', refused.workflowId);
  expect(true).toBe(true);
  await worker.stop();
  await native.close();
  await connection.close();
  await prisma.$disconnect();
}, 120_000);
