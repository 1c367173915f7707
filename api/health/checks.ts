import net from 'node:net';
import tls from 'node:tls';
import type { Connection } from '@temporalio/client';
import type { PrismaClient } from '../../prisma/client.ts';

export type CheckResult =
  | { status: 'up'; version: string; latencyMs: number; [detail: string]: unknown }
  | { status: 'down'; error: string; latencyMs: number };

const CHECK_TIMEOUT_MS = 3000;

async function timed(run: () => Promise<Record<string, unknown> & { version: string }>): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const result = await Promise.race([
      run(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { status: 'up', ...result, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { status: 'down', error: error instanceof Error ? error.message : String(error), latencyMs: Math.round(performance.now() - started) };
  } finally {
    clearTimeout(timer);
  }
}

export function checkDatabase(prisma: PrismaClient): Promise<CheckResult> {
  return timed(async () => {
    const [row] = await prisma.$queryRaw<Array<{ server_version: string }>>`SHOW server_version`;
    const [migrations] = await prisma.$queryRaw<Array<{ applied: bigint }>>`
      SELECT count(*) AS applied FROM "_prisma_migrations" WHERE finished_at IS NOT NULL`;
    return { version: `PostgreSQL ${row!.server_version}`, migrations: Number(migrations!.applied) };
  });
}

export function checkTemporal(connection: Connection, namespace: string): Promise<CheckResult> {
  // A gRPC deadline, not only the race in timed(): during an outage the client's retries stop at
  // the deadline instead of piling up behind every health probe.
  return timed(() =>
    connection.withDeadline(Date.now() + CHECK_TIMEOUT_MS, async () => {
      const info = await connection.workflowService.getSystemInfo({});
      const ns = await connection.workflowService.describeNamespace({ namespace });
      const cluster = await connection.workflowService.getClusterInfo({});
      return {
        version: cluster.serverVersion || info.serverVersion || 'unknown',
        namespace: ns.namespaceInfo?.name ?? namespace,
      };
    }),
  );
}

/** Connects to the SMTP server and reads its greeting, which names the server. */
export function checkSmtp(smtpUrl: string): Promise<CheckResult> {
  return timed(
    () =>
      new Promise((resolve, reject) => {
        const url = new URL(smtpUrl);
        const secure = url.protocol === 'smtps:';
        const port = Number(url.port || (secure ? 465 : 25));
        const socket = secure
          ? tls.connect({ host: url.hostname, port, servername: url.hostname })
          : net.connect({ host: url.hostname, port });
        let greeting = '';
        socket.setEncoding('utf8');
        socket.on('data', (chunk: string) => {
          greeting += chunk;
          if (!greeting.includes('\n')) return;
          const line = greeting.split(/\r?\n/)[0]!;
          socket.end('QUIT\r\n');
          if (line.startsWith('220')) resolve({ version: line.slice(4).trim() || 'SMTP' });
          else reject(new Error(`unexpected greeting: ${line}`));
        });
        socket.once('error', reject);
      }),
  );
}
