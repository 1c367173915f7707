import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createActivities } from '../activities/index.ts';
import { requestReference } from '../domain/request-forms.ts';
import { createPrismaClient, type PrismaClient } from '../prisma/client.ts';
import type { Clock } from '../services/clock.ts';
import { createOutbox, type EnqueueInput, type Mailer } from '../services/mail/outbox.ts';
import { createKeyStore } from '../services/signing/key-store.ts';
import { signLicense, verifyWithStore } from '../services/signing/sign-license.ts';
import { fileStack } from './support/file-stack.ts';
import { mailTo, newPartner } from './support/request-harness.ts';

describe('createActivities({ prisma, mailer, signer, clock }): the activities run on the services they are given', () => {
  let prisma: PrismaClient;
  beforeAll(() => {
    prisma = createPrismaClient(fileStack.databaseUrl);
  });
  afterAll(async () => {
    await prisma?.$disconnect();
  });

  it('a fixed clock dates the decision, the license and its file, and the mail goes through the mailer swapped in, not SMTP', async () => {
    const fixed = '2031-03-04T05:06:07.000Z';
    const clock: Clock = { now: () => new Date(fixed) };
    // The outbox on nodemailer's stream transport, which builds each message and sends it nowhere;
    // the mailer around it keeps what the activities asked it to deliver.
    const outbox = createOutbox({
      prisma,
      transport: nodemailer.createTransport({ streamTransport: true, buffer: true }),
      from: 'Desk <desk@clock.test>',
      clock,
    });
    const delivered: EnqueueInput[] = [];
    const mailer: Mailer = {
      deliver(input) {
        delivered.push(input);
        return outbox.deliver(input);
      },
    };
    const keyStore = createKeyStore({ prisma, secret: inject('signingKeySecret') });
    const activities = createActivities({ prisma, mailer, signer: (grants) => signLicense({ keyStore, grants }), clock, publicUrl: 'http://localhost:3000' });

    const p = await newPartner(prisma, { stock: 10 });
    const request = await prisma.request.create({
      data: {
        type: 'NEW_INSTALLATION',
        companyId: p.company.id,
        requesterId: p.user.id,
        payload: {
          type: 'NEW_INSTALLATION',
          productId: p.product.id,
          channels: 4,
          vcaChannels: 0,
          lock: { type: 'MAC', value: 'C8:D9:D2:9A:A3:1B' },
          endUserCompany: 'Clock Oy',
          deliveryEmails: [p.deliveryEmail],
        },
        deliveryEmails: [p.deliveryEmail],
        workflowId: `clock-${p.tag}`,
      },
    });

    const stock = await activities.prepareNewInstallation({ requestId: request.id });
    await activities.reserveStock({ requestId: request.id, stock });
    await activities.recordStep({ requestId: request.id, step: 'approved', action: 'request_approved', status: 'PROCESSING', decided: true });
    const issued = await activities.createLicense({ requestId: request.id });
    await activities.notify({
      requestId: request.id,
      key: 'approved',
      mail: { kind: 'approved', serial: issued.serial, productName: p.product.name, channels: 4, fileName: issued.fileName },
      attachRevisionId: issued.revisionId,
    });
    await activities.recordStep({ requestId: request.id, step: 'completed', action: 'request_completed', status: 'COMPLETED', completed: true });

    const row = await prisma.request.findUniqueOrThrow({ where: { id: request.id } });
    expect(row.decidedAt?.toISOString()).toBe(fixed);
    expect(row.completedAt?.toISOString()).toBe(fixed);

    const license = await prisma.license.findUniqueOrThrow({ where: { id: issued.licenseId }, include: { revisions: true } });
    expect(license.activatedAt?.toISOString()).toBe(fixed);
    expect(license.smaStart?.toISOString()).toBe(fixed);
    // The test product's SMA is 12 months.
    expect(license.smaEnd?.toISOString()).toBe('2032-03-04T05:06:07.000Z');
    const verified = await verifyWithStore(keyStore, license.revisions[0]!.signedFile);
    expect(verified.valid).toBe(true);
    expect(verified.valid && verified.grants.issuedAt).toBe(fixed);

    expect(delivered.map((d) => [d.key, d.to])).toEqual([[`${request.id}:approved`, [p.deliveryEmail]]]);
    const mail = await prisma.outboxEmail.findUniqueOrThrow({ where: { idempotencyKey: `${request.id}:approved` } });
    expect(mail.subject).toBe(`${requestReference(row.number)} approved: license ${issued.serial}`);
    expect(mail.status).toBe('SENT');
    expect(mail.sentAt?.toISOString()).toBe(fixed);
    expect(await mailTo(p.deliveryEmail)).toEqual([]);
  });
});
