import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import type { CaughtMessage } from '../embedded/smtp-catcher.ts';
import { fileStack } from './support/file-stack.ts';

const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');

describe('SMTP through SMTP_URL', () => {
  it('delivers a message whole, with its attachment, to the catcher', async () => {
    const smtpUrl = fileStack.smtpUrl;
    const mailDir = fileStack.mailDir;
    const subject = `License V8WJNEE89Q6A ${Date.now()}`;
    const licenseFile = JSON.stringify({ data: randomBytes(48).toString('base64url'), kid: 'k1', sig: randomBytes(64).toString('base64url') });
    const binary = randomBytes(64 * 1024); // also proves binary bytes survive the encoding

    const transport = nodemailer.createTransport(smtpUrl);
    const info = await transport.sendMail({
      from: 'License Desk <license-desk@license-desk.test>',
      to: ['orders@nordic-distribution.test', 'tech@tapsan-turva.test'],
      subject,
      text: 'Your license file is attached. Tervetuloa — ääkköset pysyvät.',
      attachments: [
        { filename: 'license-V8WJNEE89Q6A.lic', content: licenseFile, contentType: 'application/json' },
        { filename: 'blob.bin', content: binary },
      ],
    });
    transport.close();
    expect(info.rejected).toEqual([]);

    const index = (await readFile(path.join(mailDir, 'index.jsonl'), 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as CaughtMessage);
    const entry = index.find((m) => m.subject === subject);
    expect(entry).toBeDefined();
    expect(entry!.envelopeTo).toEqual(['orders@nordic-distribution.test', 'tech@tapsan-turva.test']);
    expect(entry!.messageId).toBe(info.messageId);
    expect(entry!.attachments.map((a) => a.filename)).toEqual(['license-V8WJNEE89Q6A.lic', 'blob.bin']);

    const parsed = await PostalMime.parse(await readFile(path.join(mailDir, entry!.file)));
    expect(parsed.subject).toBe(subject);
    expect(parsed.text?.trim()).toBe('Your license file is attached. Tervetuloa — ääkköset pysyvät.');
    const [lic, blob] = parsed.attachments;
    expect(Buffer.from(lic!.content as ArrayBuffer).toString('utf8')).toBe(licenseFile);
    expect(sha256(new Uint8Array(blob!.content as ArrayBuffer))).toBe(sha256(binary));
  });
});
