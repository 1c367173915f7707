import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import PostalMime from 'postal-mime';
import { SMTPServer } from 'smtp-server';

export interface CaughtMessage {
  id: string;
  receivedAt: string;
  envelopeFrom: string | null;
  envelopeTo: string[];
  messageId: string | null;
  subject: string | null;
  from: string | null;
  to: string[];
  attachments: Array<{ filename: string | null; mimeType: string; size: number }>;
  size: number;
  file: string;
}

export interface SmtpCatcher {
  url: string;
  dir: string;
  banner: string;
  list(): Promise<CaughtMessage[]>;
  raw(id: string): Promise<Buffer>;
  stop(): Promise<void>;
}

export const CATCHER_BANNER = 'License Desk SMTP catcher';
const MAX_MESSAGE_BYTES = 25 * 1024 * 1024;

/**
 * An SMTP server that accepts every message and keeps it: `<dir>/<id>.eml` plus one JSON line
 * per message in `<dir>/index.jsonl`, so the desk can read exactly what was sent.
 */
export async function startSmtpCatcher(options: { dir: string; port: number; host?: string; log?: (line: string) => void }): Promise<SmtpCatcher> {
  const log = options.log ?? (() => {});
  const host = options.host ?? '127.0.0.1';
  await mkdir(options.dir, { recursive: true });
  const indexFile = path.join(options.dir, 'index.jsonl');

  const server = new SMTPServer({
    banner: CATCHER_BANNER,
    authOptional: true,
    // Accept any credentials, so that an SMTP_URL with a user and password also works here.
    onAuth: (auth, _session, callback) => callback(null, { user: auth.username ?? 'anonymous' }),
    disabledCommands: ['STARTTLS'],
    size: MAX_MESSAGE_BYTES,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      const store = async () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
          return callback(Object.assign(new Error('Message exceeds the size limit'), { responseCode: 552 }));
        }
        try {
          const raw = Buffer.concat(chunks);
          const id = `${Date.now()}-${randomUUID().slice(0, 8)}`;
          const file = `${id}.eml`;
          await writeFile(path.join(options.dir, file), raw);
          const parsed = await PostalMime.parse(raw);
          const entry: CaughtMessage = {
            id,
            receivedAt: new Date().toISOString(),
            envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            messageId: parsed.messageId ?? null,
            subject: parsed.subject ?? null,
            from: parsed.from?.address ?? null,
            to: (parsed.to ?? []).map((a) => a.address ?? '').filter(Boolean),
            attachments: parsed.attachments.map((a) => ({
              filename: a.filename,
              mimeType: a.mimeType,
              size: typeof a.content === 'string' ? Buffer.byteLength(a.content) : a.content.byteLength,
            })),
            size: raw.length,
            file,
          };
          await appendFile(indexFile, `${JSON.stringify(entry)}\n`);
          log(`[smtp] caught "${entry.subject ?? ''}" for ${entry.envelopeTo.join(', ')}`);
          callback(null, `Message stored as ${id}`);
        } catch (error) {
          callback(error as Error);
        }
      };
      // An 'end' listener is not awaited; store() answers the client through callback(), its errors included.
      stream.on('end', () => void store());
    },
  });
  server.on('error', (error) => log(`[smtp] ${error.message}`));

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) =>
      reject(
        new Error(
          `The SMTP catcher could not listen on ${host}:${options.port}: ${error.message}. Set EMBEDDED_SMTP_PORT, or SMTP_URL to use an existing server.`,
        ),
      );
    server.server.once('error', onError);
    server.listen(options.port, host, () => {
      server.server.off('error', onError);
      resolve();
    });
  });

  return {
    url: `smtp://${host}:${options.port}`,
    dir: options.dir,
    banner: CATCHER_BANNER,
    list: () => readCaughtMail(options.dir),
    async raw(id: string) {
      if (!/^[\w-]+$/.test(id)) throw new Error('Invalid message id');
      return readFile(path.join(options.dir, `${id}.eml`));
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** What a catcher that keeps its mail in `dir` has caught, in order of receipt (also after it stopped). */
export async function readCaughtMail(dir: string): Promise<CaughtMessage[]> {
  const text = await readFile(path.join(dir, 'index.jsonl'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as CaughtMessage);
}
