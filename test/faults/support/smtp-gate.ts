import net from 'node:net';

/**
 * A TCP proxy in front of the SMTP catcher, so a fault test can break the mail path at will:
 * - `down()` closes the listener (connections are refused, as when the SMTP server is gone)
 *   and `up()` listens again on the same port;
 * - `hold(address, 'body')` lets a session whose `RCPT TO` names `address` run up to and
 *   including its `DATA` command, then holds the message body: the sender hangs in the middle
 *   of the e-mail, and the server never receives a complete message;
 * - `hold(address, 'reply')` forwards the whole message but holds the server's reply to it:
 *   the server has stored the message, and the sender never learns that it did.
 * A held session stays open until the sender dies or gives up.
 */
export interface SmtpGate {
  port: number;
  /** Sessions held so far, by recipient address. */
  held(address: string): number;
  hold(address: string, stage: 'body' | 'reply'): void;
  /** Stops holding new sessions (held ones stay held until they close). */
  clearHolds(): void;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startSmtpGate(options: { port: number; targetPort: number; host?: string }): Promise<SmtpGate> {
  const host = options.host ?? '127.0.0.1';
  const holds = new Map<string, 'body' | 'reply'>();
  const heldCount = new Map<string, number>();
  const sockets = new Set<net.Socket>();

  const onConnection = (client: net.Socket) => {
    const upstream = net.connect({ port: options.targetPort, host });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {});
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());

    const recipients: string[] = [];
    let pendingLine = '';
    let inData = false;
    let stage: 'body' | 'reply' | undefined;
    let holdingBody = false;
    let holdingReply = false;

    // Client -> server: forward the bytes as they come, and read the command lines alongside
    // (latin1 keeps one character per byte, so offsets in the text are offsets in the chunk).
    client.on('data', (chunk: Buffer) => {
      if (holdingBody) return;
      const carried = pendingLine.length;
      const text = pendingLine + chunk.toString('latin1');
      let lineStart = 0;
      for (let end = text.indexOf('\r\n'); end !== -1; lineStart = end + 2, end = text.indexOf('\r\n', lineStart)) {
        const line = text.slice(lineStart, end);
        if (!inData) {
          const rcpt = /^RCPT TO:\s*<([^>]*)>/i.exec(line);
          if (rcpt) recipients.push(rcpt[1]!.toLowerCase());
          if (/^DATA$/i.test(line)) {
            inData = true;
            const match = recipients.find((r) => holds.has(r));
            stage = match ? holds.get(match) : undefined;
            if (match && stage === 'body') {
              // Forward up to the end of the DATA line; hold everything after it.
              holdingBody = true;
              heldCount.set(match, (heldCount.get(match) ?? 0) + 1);
              upstream.write(chunk.subarray(0, end + 2 - carried));
              return;
            }
          }
        } else if (line === '.') {
          inData = false;
          const match = recipients.find((r) => holds.get(r) === 'reply');
          if (stage === 'reply' && match) {
            heldCount.set(match, (heldCount.get(match) ?? 0) + 1);
            holdingReply = true;
          }
        }
      }
      pendingLine = text.slice(lineStart);
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!holdingReply) client.write(chunk);
    });
  };

  let server: net.Server | undefined;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = net.createServer(onConnection);
      s.once('error', reject);
      s.listen(options.port, host, () => {
        s.off('error', reject);
        server = s;
        resolve();
      });
    });
  const unlisten = async () => {
    const s = server;
    server = undefined;
    for (const socket of sockets) socket.destroy();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };
  await listen();

  return {
    port: options.port,
    held: (address) => heldCount.get(address.toLowerCase()) ?? 0,
    hold: (address, stage) => void holds.set(address.toLowerCase(), stage),
    clearHolds: () => holds.clear(),
    down: unlisten,
    up: () => (server ? Promise.resolve() : listen()),
    close: unlisten,
  };
}
