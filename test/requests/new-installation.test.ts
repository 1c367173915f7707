import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { createKeyStore } from '../../services/signing/key-store.ts';
import { submitRequest } from '../../api/requests/lifecycle.ts';
import { approveUpdate, cancelUpdate, rejectUpdate, uploadExternalFileUpdate } from '../../workflows/messages.ts';
import { balanceOf, mailTo, newPartner, useRequestWorld, startTestWorker, waitForPhase } from '../support/request-harness.ts';
import { attachmentText, expectUpdateRefused, expectWorkflowClosed, requestSteps, verifyLicenseText, type Partner } from '../support/request-steps.ts';
import { fileStack } from '../support/file-stack.ts';

describe('new installation on the real Temporal server, PostgreSQL and SMTP', () => {
  const world = useRequestWorld({ poolSize: 20 });
  const { submit } = requestSteps(world);

  const newInstallation = (p: Partner, overrides: Record<string, unknown> = {}) =>
    submit(p, {
      type: 'NEW_INSTALLATION',
      productId: p.product.id,
      channels: 5,
      lock: { type: 'MAC', value: 'C8:D9:D2:9A:A3:1B' },
      endUserCompany: 'Tapio Koistinen test',
      ...overrides,
    });

  it('new installation: reserve, approve, license signed and e-mailed, stock consumed, timeline written', async () => {
    const p = await newPartner(world.prisma, { stock: 20 });
    const request = await newInstallation(p);
    await waitForPhase(world.client, request.workflowId, 'awaiting_decision');
    expect(await balanceOf(world.prisma, p.company.id, p.product.id)).toEqual({ available: 15, reserved: 5, consumed: 0 });

    const handle = world.client.workflow.getHandle(request.workflowId);
    await handle.executeUpdate(approveUpdate, { args: [{ actor: world.desk, comment: 'Order checked' }] });
    const result = await handle.result();
    expect(result).toMatchObject({ outcome: 'completed', revision: 1 });

    const license = await world.prisma.license.findFirstOrThrow({ where: { companyId: p.company.id } });
    expect(license).toMatchObject({ macAddress: 'c8d9d29aa31b', channels: 5, status: 'ACTIVE', endUserCompany: 'Tapio Koistinen test' });
    expect(license.serial).toMatch(/^[0-9A-HJKMNP-TV-Z]{12}$/);
    expect(await balanceOf(world.prisma, p.company.id, p.product.id)).toEqual({ available: 15, reserved: 0, consumed: 5 });
    expect(await world.prisma.stockLedgerEntry.count({ where: { requestId: request.id } })).toBe(2);

    const saved = await world.prisma.request.findUniqueOrThrow({ where: { id: request.id }, include: { historyEvents: { orderBy: { id: 'asc' } } } });
    expect(saved.status).toBe('COMPLETED');
    expect(saved.historyEvents.map((e) => e.action)).toEqual(['request_submitted', 'stock_reserved', 'request_approved', 'created', 'request_completed']);
    expect(saved.historyEvents.find((e) => e.action === 'created')!.changes).toBe('Channels: +5, MAC: c8:d9:d2:9a:a3:1b');
    // The submission is the partner's; the steps after it are the desk's or the system's.
    expect(saved.historyEvents.map((e) => e.actorName)).toEqual([p.user.name, 'License Desk', world.desk.name, 'License Desk', 'License Desk']);

    const mails = await mailTo(p.deliveryEmail);
    expect(mails.map((m) => m.parsed.subject)).toHaveLength(2);
    const approved = mails.find((m) => m.entry.attachments.length === 1)!;
    expect(approved.parsed.subject).toContain(license.serial);
    expect(approved.parsed.html).toBeTruthy();
    expect(approved.parsed.text).toBeTruthy();
    const lic = approved.parsed.attachments[0]!;
    expect(lic.filename).toBe(`license-${license.serial}.lic`);
    const verification = await verifyLicenseText(world.prisma, attachmentText(lic.content));
    expect(verification).toMatchObject({ valid: true, grants: { serial: license.serial, channels: 5, lock: { type: 'MAC', value: 'c8d9d29aa31b' } } });
  });

  it('rejection releases the reservation and tells the partner why', async () => {
    const p = await newPartner(world.prisma, { stock: 10 });
    const request = await newInstallation(p, { channels: 4 });
    await waitForPhase(world.client, request.workflowId, 'awaiting_decision');
    const handle = world.client.workflow.getHandle(request.workflowId);
    await handle.executeUpdate(rejectUpdate, { args: [{ actor: world.desk, reason: 'The end user is not on the order.' }] });
    expect(await handle.result()).toEqual({ outcome: 'rejected', reason: 'The end user is not on the order.' });
    expect(await balanceOf(world.prisma, p.company.id, p.product.id)).toEqual({ available: 10, reserved: 0, consumed: 0 });
    expect(await world.prisma.license.count({ where: { companyId: p.company.id } })).toBe(0);
    expect((await world.prisma.request.findUniqueOrThrow({ where: { id: request.id } })).status).toBe('REJECTED');
    const rejected = (await mailTo(p.deliveryEmail)).find((m) => m.parsed.text?.includes('The end user is not on the order.'));
    expect(rejected).toBeDefined();
    // A second decision is refused by the update's validator: the workflow is closed by then.
    await expectWorkflowClosed(handle.executeUpdate(approveUpdate, { args: [{ actor: world.desk }] }));
  });

  it('the partner can cancel before fulfilment and the channels come back', async () => {
    const p = await newPartner(world.prisma, { stock: 10 });
    const request = await newInstallation(p, { channels: 3 });
    await waitForPhase(world.client, request.workflowId, 'awaiting_decision');
    const handle = world.client.workflow.getHandle(request.workflowId);
    await handle.executeUpdate(cancelUpdate, { args: [{ actor: p.actor, reason: 'Ordered twice' }] });
    expect(await handle.result()).toMatchObject({ outcome: 'cancelled' });
    expect(await balanceOf(world.prisma, p.company.id, p.product.id)).toEqual({ available: 10, reserved: 0, consumed: 0 });
    expect((await world.prisma.request.findUniqueOrThrow({ where: { id: request.id } })).status).toBe('CANCELLED');
  });

  it('refuses a bad MAC address and an uncovered stock with messages a partner understands, moving nothing', async () => {
    const p = await newPartner(world.prisma, { stock: 2 });
    // The form refuses a broadcast MAC before anything is recorded (the API answers 422); no workflow sees it.
    await expect(newInstallation(p, { lock: { type: 'MAC', value: 'ff:ff:ff:ff:ff:ff' } })).rejects.toMatchObject({
      issues: [
        {
          path: ['lock', 'value'],
          message: "MAC address ff:ff:ff:ff:ff:ff is the broadcast address, not a network card's; use the server's MAC, e.g. c8d9d29aa31b",
        },
      ],
    });
    expect(await world.prisma.request.count({ where: { companyId: p.company.id } })).toBe(0);

    const tooMany = await newInstallation(p, { channels: 5 });
    const r2 = await world.client.workflow.getHandle(tooMany.workflowId).result();
    expect(r2).toEqual({ outcome: 'rejected', reason: expect.stringContaining('has 2 channels available; this request needs 5') });
    expect(await world.prisma.stockLedgerEntry.count({ where: { requestId: tooMany.id } })).toBe(0);
    expect(await balanceOf(world.prisma, p.company.id, p.product.id)).toEqual({ available: 2, reserved: 0, consumed: 0 });
  });

  it('compensation: when signing fails after the reservation, the stock comes back and the request fails visibly', async () => {
    // A worker whose SIGNING_KEY_SECRET cannot open the active key: a real, permanent failure.
    const broken = await startTestWorker({
      connection: world.nativeConnection,
      namespace: fileStack.temporalNamespace,
      prisma: world.prisma,
      signingKeySecret: randomBytes(32).toString('base64'),
    });
    try {
      // Make sure an active key exists (made with the good secret).
      await createKeyStore({ prisma: world.prisma, secret: inject('signingKeySecret') }).activeSigner();
      const p = await newPartner(world.prisma, { stock: 10 });
      const request = await submitRequest(
        { prisma: world.prisma, client: world.client, taskQueue: broken.taskQueue },
        {
          companyId: p.company.id,
          requesterId: p.user.id,
          form: {
            type: 'NEW_INSTALLATION',
            productId: p.product.id,
            channels: 6,
            vcaChannels: 0,
            lock: { type: 'MAC', value: 'c8d9d29aa31c' },
            endUserCompany: 'X',
            deliveryEmails: [p.deliveryEmail],
          },
        },
      );
      await waitForPhase(world.client, request.workflowId, 'awaiting_decision');
      expect(await balanceOf(world.prisma, p.company.id, p.product.id)).toMatchObject({ available: 4, reserved: 6 });
      await world.client.workflow.getHandle(request.workflowId).executeUpdate(approveUpdate, { args: [{ actor: world.desk }] });
      expect(await world.client.workflow.getHandle(request.workflowId).result()).toMatchObject({ outcome: 'failed' });
      expect(await balanceOf(world.prisma, p.company.id, p.product.id)).toEqual({ available: 10, reserved: 0, consumed: 0 });
      expect(await world.prisma.license.count({ where: { companyId: p.company.id } })).toBe(0);
      expect((await world.prisma.request.findUniqueOrThrow({ where: { id: request.id } })).status).toBe('FAILED');
    } finally {
      await broken.stop();
    }
  });

  describe('external products: the license file comes from outside', () => {
    it('waits after approval for the desk to upload the file, then issues the license with it and e-mails it', async () => {
      const p = await newPartner(world.prisma, { stock: 8, external: true });
      const request = await submit(p, {
        type: 'NEW_INSTALLATION',
        productId: p.product.id,
        channels: 4,
        vcaChannels: 0,
        lock: { type: 'MAC', value: 'c8d9d29aa31b' },
        endUserCompany: 'UM Oy',
      });
      const handle = world.client.workflow.getHandle(request.workflowId);
      await waitForPhase(world.client, request.workflowId, 'awaiting_decision');
      // An upload before approval is refused: the workflow is not waiting for a file yet, and it
      // registers the update's handler only then, so Temporal refuses it in its own words (the
      // API refuses first, by the request's status: 409 "This request is not waiting for a license file").
      await expectUpdateRefused(
        handle.executeUpdate(uploadExternalFileUpdate, { args: [{ actor: world.desk, attachmentId: 'x' }] }),
        'No registered handler for update: uploadExternalFile',
      );
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
});
