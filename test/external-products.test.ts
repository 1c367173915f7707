import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { submitRequest } from '../api/requests/lifecycle.ts';
import { approveUpdate, uploadExternalFileUpdate } from '../workflows/messages.ts';
import { balanceOf, mailTo, newPartner, useRequestWorld, waitForPhase } from './support/request-harness.ts';

describe('external products: the license file comes from outside', () => {
  const world = useRequestWorld({ poolSize: 10 });

  it('waits after approval for the desk to upload the file, then issues the license with it and e-mails it', async () => {
    const p = await newPartner(world.prisma, { stock: 8, external: true });
    const request = await submitRequest(
      { prisma: world.prisma, client: world.client, taskQueue: world.worker.taskQueue },
      {
        companyId: p.company.id,
        requesterId: p.user.id,
        form: {
          type: 'NEW_INSTALLATION',
          productId: p.product.id,
          channels: 4,
          vcaChannels: 0,
          lock: { type: 'MAC', value: 'c8d9d29aa31b' },
          endUserCompany: 'UM Oy',
          deliveryEmails: [p.deliveryEmail],
        },
      },
    );
    const handle = world.client.workflow.getHandle(request.workflowId);
    await waitForPhase(world.client, request.workflowId, 'awaiting_decision');
    // An upload before approval is refused: the workflow is not waiting for a file yet.
    await expect(handle.executeUpdate(uploadExternalFileUpdate, { args: [{ actor: world.desk, attachmentId: 'x' }] })).rejects.toThrow();
    await handle.executeUpdate(approveUpdate, { args: [{ actor: world.desk }] });
    await waitForPhase(world.client, request.workflowId, 'waiting_for_file');
    expect((await world.prisma.request.findUniqueOrThrow({ where: { id: request.id } })).status).toBe('WAITING_FOR_FILE');

    const content = 'UM4730 LICENSE\nPORTS=4\nKEY=11-10465697\n';
    const attachment = await world.prisma.requestAttachment.create({
      data: {
        requestId: request.id,
        uploadedById: world.desk.userId,
        kind: 'LICENSE_FILE',
        fileName: 'um4730-11-10465697.lic',
        contentType: 'application/octet-stream',
        size: Buffer.byteLength(content),
        sha256: createHash('sha256').update(content).digest('hex'),
        content: Buffer.from(content),
      },
    });
    await handle.executeUpdate(uploadExternalFileUpdate, { args: [{ actor: world.desk, attachmentId: attachment.id }] });
    expect(await handle.result()).toMatchObject({ outcome: 'completed', revision: 1 });

    const license = await world.prisma.license.findFirstOrThrow({ where: { companyId: p.company.id }, include: { revisions: true } });
    expect(license.revisions[0]).toMatchObject({ external: true, signingKeyId: null, signedFile: content, fileName: 'um4730-11-10465697.lic' });
    expect(await balanceOf(world.prisma, p.company.id, p.product.id)).toEqual({ available: 4, reserved: 0, consumed: 4 });
    const approved = (await mailTo(p.deliveryEmail)).find((m) => m.entry.attachments.length === 1)!;
    expect(approved.parsed.attachments[0]!.filename).toBe('um4730-11-10465697.lic');
    expect(Buffer.from(approved.parsed.attachments[0]!.content as ArrayBuffer).toString('utf8')).toBe(content);
  });
});
