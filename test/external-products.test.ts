import { createHash } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitRequest } from '../api/requests/lifecycle.ts';
import type { PrismaClient } from '../prisma/client.ts';
import { approveUpdate, uploadExternalFileUpdate } from '../workflows/messages.ts';
import { balanceOf, mailTo, newPartner, startRequestWorld, startTestWorker, type RequestWorld, waitForPhase } from './support/request-harness.ts';

describe('external products: the license file comes from outside', () => {
  let prisma: PrismaClient;
  let connection: Connection;
  let nativeConnection: NativeConnection;
  let client: Client;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  let desk: { userId: string; name: string };

  let world: RequestWorld;
  beforeAll(async () => {
    world = await startRequestWorld({ poolSize: 10 });
    ({ prisma, connection, nativeConnection, client, worker, desk } = world);
  });
  afterAll(() => world?.stop());

  it('waits after approval for the desk to upload the file, then issues the license with it and e-mails it', async () => {
    const p = await newPartner(prisma, { stock: 8, external: true });
    const request = await submitRequest(
      { prisma, client, taskQueue: worker.taskQueue },
      { companyId: p.company.id, requesterId: p.user.id, form: { type: 'NEW_INSTALLATION', productId: p.product.id, channels: 4, vcaChannels: 0, lock: { type: 'MAC', value: 'c8d9d29aa31b' }, endUserCompany: 'UM Oy', deliveryEmails: [p.deliveryEmail] } },
    );
    const handle = client.workflow.getHandle(request.workflowId);
    await waitForPhase(client, request.workflowId, 'awaiting_decision');
    // An upload before approval is refused: the workflow is not waiting for a file yet.
    await expect(handle.executeUpdate(uploadExternalFileUpdate, { args: [{ actor: desk, attachmentId: 'x' }] })).rejects.toThrow();
    await handle.executeUpdate(approveUpdate, { args: [{ actor: desk }] });
    await waitForPhase(client, request.workflowId, 'waiting_for_file');
    expect((await prisma.request.findUniqueOrThrow({ where: { id: request.id } })).status).toBe('WAITING_FOR_FILE');

    const content = 'UM4730 LICENSE\nPORTS=4\nKEY=11-10465697\n';
    const attachment = await prisma.requestAttachment.create({
      data: {
        requestId: request.id,
        uploadedById: desk.userId,
        kind: 'LICENSE_FILE',
        fileName: 'um4730-11-10465697.lic',
        contentType: 'application/octet-stream',
        size: Buffer.byteLength(content),
        sha256: createHash('sha256').update(content).digest('hex'),
        content: Buffer.from(content),
      },
    });
    await handle.executeUpdate(uploadExternalFileUpdate, { args: [{ actor: desk, attachmentId: attachment.id }] });
    expect(await handle.result()).toMatchObject({ outcome: 'completed', revision: 1 });

    const license = await prisma.license.findFirstOrThrow({ where: { companyId: p.company.id }, include: { revisions: true } });
    expect(license.revisions[0]).toMatchObject({ external: true, signingKeyId: null, signedFile: content, fileName: 'um4730-11-10465697.lic' });
    expect(await balanceOf(prisma, p.company.id, p.product.id)).toEqual({ available: 4, reserved: 0, consumed: 4 });
    const approved = (await mailTo(p.deliveryEmail)).find((m) => m.entry.attachments.length === 1)!;
    expect(approved.parsed.attachments[0]!.filename).toBe('um4730-11-10465697.lic');
    expect(Buffer.from(approved.parsed.attachments[0]!.content as ArrayBuffer).toString('utf8')).toBe(content);
  });
});
