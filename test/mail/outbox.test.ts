import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutbox, messageIdFor, type Outbox } from '../../services/mail/outbox.ts';
import { createMailTransport, type MailTransport } from '../../services/mail/transport.ts';
import { renderMail } from '../../services/mail/templates.ts';
import type { CaughtMessage } from '../../embedded/smtp-catcher.ts';
import { createPrismaClient, type PrismaClient } from '../../prisma/client.ts';
import { sampleModels } from './sample-models.ts';
import { fileStack } from '../support/file-stack.ts';

const FROM = 'License Desk <license-desk@license-desk.test>';
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const randomSerial = () => Array.from(randomBytes(12), (b) => CROCKFORD[b % 32]).join('');

async function caught(): Promise<CaughtMessage[]> {
  const text = await readFile(path.join(fileStack.mailDir, 'index.jsonl'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as CaughtMessage);
}

async function caughtWithSubject(subject: string) {
  return (await caught()).filter((m) => m.subject === subject);
}

async function parse(entry: CaughtMessage) {
  const raw = await readFile(path.join(fileStack.mailDir, entry.file));
  return { raw: raw.toString('utf8'), parsed: await PostalMime.parse(raw) };
}

/** A port nothing listens on: bind an ephemeral port, then close it. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('outbox e-mail', () => {
  let prisma: PrismaClient;
  let transport: MailTransport;
  let outbox: Outbox;
  const sentSubjects = new Set<string>();

  beforeAll(() => {
    prisma = createPrismaClient(fileStack.databaseUrl);
    transport = createMailTransport(fileStack.smtpUrl);
    outbox = createOutbox({ prisma, transport, from: FROM });
  });
  afterAll(async () => {
    transport?.close();
    await prisma?.$disconnect();
  });

  /** A company, a partner user and a submitted request of our own. */
  async function scratchRequest() {
    const tag = randomUUID();
    const company = await prisma.company.create({ data: { name: `Mail Test ${tag}`, kind: 'DEALER', contactEmail: `orders-${tag}@partner.test` } });
    const user = await prisma.user.create({
      data: { companyId: company.id, email: `user-${tag}@partner.test`, name: 'Mail Tester', role: 'PARTNER_USER', passwordHash: 'not-a-real-hash' },
    });
    const request = await prisma.request.create({
      data: {
        type: 'NEW_INSTALLATION',
        companyId: company.id,
        requesterId: user.id,
        payload: {},
        deliveryEmails: [`delivery-${tag}@partner.test`],
        workflowId: `mail-test-${tag}`,
      },
    });
    const models = sampleModels({ requestId: request.id, requestNumber: request.number, companyName: company.name, publicUrl: 'http://localhost:3000' });
    return { tag, company, user, request, models };
  }

  it('records a message once per key, and sends it once even when sends race', async () => {
    const { request, models } = await scratchRequest();
    const key = `${request.id}:request_received`;
    const input = { key, requestId: request.id, to: request.deliveryEmails, cc: ['desk@license-desk.test'], model: models.request_received };

    const first = await outbox.enqueue(input);
    const again = await outbox.enqueue({ ...input, to: ['someone-else@partner.test'] });
    expect(again).toEqual(first);
    expect(await prisma.outboxEmail.count({ where: { idempotencyKey: key } })).toBe(1);
    expect(first).toMatchObject({ status: 'PENDING', attempts: 0, subject: renderMail(models.request_received).subject, to: request.deliveryEmails });
    expect(first.html).toContain('<!DOCTYPE html>');

    // Concurrent enqueues collapse into one row too.
    const racedKey = `${request.id}:raced`;
    const raced = await Promise.all([1, 2, 3].map(() => outbox.enqueue({ ...input, key: racedKey })));
    expect(new Set(raced.map((r) => r.id)).size).toBe(1);

    const [a, b] = await Promise.all([outbox.send(key), outbox.send(key)]);
    const sent = await outbox.send(key);
    for (const row of [a, b, sent]) expect(row).toMatchObject({ id: first.id, status: 'SENT', attempts: 1, messageId: messageIdFor(key) });
    expect(sent.sentAt).toBeInstanceOf(Date);

    const messages = await caughtWithSubject(first.subject);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ messageId: messageIdFor(key), from: 'license-desk@license-desk.test' });
    expect(messages[0]!.envelopeTo.sort()).toEqual([...request.deliveryEmails, 'desk@license-desk.test'].sort());
    sentSubjects.add(first.subject);
  });

  it('attaches the signed license file of a revision byte for byte', async () => {
    const { tag, company, request, models } = await scratchRequest();
    const product = await prisma.product.create({
      data: { code: `MAIL-TEST-${tag}`, name: 'Mail Test Pro', family: 'Mail Test VMS', version: '9', tier: 'PRO', maxChannels: 250, lockType: 'MAC' },
    });
    const serial = randomSerial();
    const license = await prisma.license.create({
      data: {
        serial,
        companyId: company.id,
        productId: product.id,
        channels: 16,
        lockType: 'MAC',
        macAddress: 'c8d9d29aa31b',
        endUserCompany: 'Kauppakeskus Oy',
        status: 'ACTIVE',
        currentRevision: 1,
      },
    });
    const signingKey = await prisma.signingKey.create({
      data: {
        id: `mail-test-${tag}`,
        publicKeyPem: '-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----\n',
        privateKeyEnc: randomBytes(32),
        status: 'RETIRED',
      },
    });
    const fileName = `license-${serial}.lic`;
    // Non-ASCII and long lines on purpose: the bytes must survive the MIME encoding.
    const signedFile = `${JSON.stringify({ data: randomBytes(600).toString('base64url'), kid: signingKey.id, sig: randomBytes(64).toString('base64url'), note: 'Käyttöoikeus ✓' })}\n`;
    const revision = await prisma.licenseRevision.create({
      data: {
        licenseId: license.id,
        revision: 1,
        productId: product.id,
        channels: 16,
        vcaChannels: 0,
        macAddress: 'c8d9d29aa31b',
        grants: { channels: 16 },
        fileName,
        signedFile,
        signingKeyId: signingKey.id,
        requestId: request.id,
      },
    });

    const key = `${request.id}:approved`;
    const row = await outbox.enqueue({
      key,
      requestId: request.id,
      to: request.deliveryEmails,
      model: { ...models.approved, serial, fileName, licenseId: license.id },
      attachments: [
        { fileName, contentType: 'application/json', revisionId: revision.id },
        { fileName: 'readme.txt', contentType: 'text/plain', content: 'Install the file on the server.' },
      ],
    });
    expect(row.subject).toBe(`LD-${String(request.number).padStart(6, '0')} approved: license ${serial}`);
    // The row refers to the revision; the bytes stay in LicenseRevision.
    expect(row.attachments).toEqual([
      { fileName, contentType: 'application/json', revisionId: revision.id },
      { fileName: 'readme.txt', contentType: 'text/plain', content: 'Install the file on the server.', encoding: 'utf8' },
    ]);

    await outbox.send(key);
    const [entry, ...others] = await caughtWithSubject(row.subject);
    expect(others).toHaveLength(0);
    expect(entry!.attachments.map((a) => a.filename)).toEqual([fileName, 'readme.txt']);
    const { parsed } = await parse(entry!);
    const lic = parsed.attachments.find((a) => a.filename === fileName)!;
    expect(lic.mimeType).toBe('application/json');
    expect(Buffer.from(lic.content as ArrayBuffer).equals(Buffer.from(signedFile, 'utf8'))).toBe(true);
    expect(parsed.text).toContain(fileName);
    sentSubjects.add(row.subject);
  });

  it('records a failed send and delivers it on a later attempt', async () => {
    const { request, models } = await scratchRequest();
    const deadTransport = createMailTransport(`smtp://127.0.0.1:${await closedPort()}`);
    const deadOutbox = createOutbox({ prisma, transport: deadTransport, from: FROM });
    const key = `${request.id}:rejected`;
    const row = await deadOutbox.enqueue({ key, requestId: request.id, to: request.deliveryEmails, model: models.rejected });

    await expect(deadOutbox.send(key)).rejects.toThrow(/ECONNREFUSED|connect/i);
    deadTransport.close();
    const failed = await prisma.outboxEmail.findUniqueOrThrow({ where: { id: row.id } });
    expect(failed).toMatchObject({ status: 'FAILED', attempts: 1, sentAt: null });
    expect(failed.lastError).toMatch(/ECONNREFUSED|connect/i);
    expect(await caughtWithSubject(row.subject)).toHaveLength(0);

    const sent = await outbox.send(key);
    expect(sent).toMatchObject({ status: 'SENT', attempts: 2, messageId: messageIdFor(key) });
    expect(await caughtWithSubject(row.subject)).toHaveLength(1);
    sentSubjects.add(row.subject);
  });

  it('does not send again when the server took the message but the database could not record it', async () => {
    const { request, models } = await scratchRequest();
    const key = `${request.id}:approved`;
    const row = await outbox.enqueue({ key, requestId: request.id, to: request.deliveryEmails, model: models.rejected });
    // The database refuses every write to this row, as it would if PostgreSQL went away between
    // the SMTP server's acceptance and the SENT record.
    await prisma.$executeRawUnsafe(`
      CREATE OR REPLACE FUNCTION fault_refuse_outbox_record() RETURNS trigger AS $$
      BEGIN
        IF NEW."idempotencyKey" = '${key}' THEN RAISE EXCEPTION 'injected fault: the connection to the database was lost'; END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql`);
    await prisma.$executeRawUnsafe(
      `CREATE TRIGGER fault_refuse_outbox_record BEFORE UPDATE ON "OutboxEmail" FOR EACH ROW EXECUTE FUNCTION fault_refuse_outbox_record()`,
    );
    try {
      await expect(outbox.send(key)).rejects.toThrow(/injected fault: the connection to the database was lost/);
    } finally {
      await prisma.$executeRawUnsafe('DROP TRIGGER IF EXISTS fault_refuse_outbox_record ON "OutboxEmail"');
      await prisma.$executeRawUnsafe('DROP FUNCTION IF EXISTS fault_refuse_outbox_record()');
    }
    expect(await prisma.outboxEmail.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: 'PENDING', attempts: 0 });
    expect(await caughtWithSubject(row.subject)).toHaveLength(1);

    // The next attempt in this process records the acceptance instead of sending a second copy.
    const sent = await outbox.send(key);
    expect(sent).toMatchObject({ status: 'SENT', attempts: 1, messageId: messageIdFor(key) });
    expect(await caughtWithSubject(row.subject)).toHaveLength(1);
    sentSubjects.add(row.subject);
  });

  it('refuses to send a key that was never enqueued', async () => {
    await expect(outbox.send(`missing:${randomUUID()}`)).rejects.toThrow(/enqueue it before sending/);
  });

  it("resends a recorded message as a new, numbered copy, and lists a request's mail", async () => {
    const { request, models } = await scratchRequest();
    const key = `${request.id}:cancelled`;
    const original = await outbox.deliver({ key, requestId: request.id, to: request.deliveryEmails, model: models.cancelled });
    const copy = await outbox.resend(original.id);
    const copyOfCopy = await outbox.resend(copy.id);
    expect(copy).toMatchObject({ idempotencyKey: `${key}:resend:1`, status: 'SENT', subject: original.subject, text: original.text, html: original.html });
    expect(copyOfCopy.idempotencyKey).toBe(`${key}:resend:2`);
    expect(copy.messageId).not.toBe(original.messageId);

    const messages = await caughtWithSubject(original.subject);
    expect(messages.map((m) => m.messageId).sort()).toEqual([original.messageId, copy.messageId, copyOfCopy.messageId].sort());

    const listed = await outbox.list({ requestId: request.id });
    expect(listed.map((r) => r.idempotencyKey)).toEqual([key, `${key}:resend:1`, `${key}:resend:2`]);
    expect(await outbox.list({ requestId: request.id, status: 'FAILED' })).toEqual([]);
    sentSubjects.add(original.subject);
  });

  it('sends every kind with a text part and an HTML part', async () => {
    const { request, models } = await scratchRequest();
    for (const model of Object.values(models)) {
      const row = await outbox.deliver({ key: `${request.id}:${model.kind}`, requestId: request.id, to: request.deliveryEmails, model });
      sentSubjects.add(row.subject);
    }
    expect(sentSubjects.size).toBeGreaterThanOrEqual(16);

    for (const subject of sentSubjects) {
      const messages = await caughtWithSubject(subject);
      expect(messages.length, subject).toBeGreaterThanOrEqual(1);
      for (const entry of messages) {
        const { raw, parsed } = await parse(entry);
        expect(raw, subject).toMatch(/Content-Type: multipart\/alternative/i);
        expect(raw, subject).toMatch(/Content-Type: text\/plain/i);
        expect(raw, subject).toMatch(/Content-Type: text\/html/i);
        expect(parsed.text?.trim().length, subject).toBeGreaterThan(0);
        expect(parsed.html, subject).toContain('<!DOCTYPE html>');
      }
    }
  });
});
