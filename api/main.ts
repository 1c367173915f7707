import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import { loadConfig, requireServices } from '../config/env.ts';
import { createPrismaClient } from '../prisma/client.ts';
import { createApp } from './app.ts';
import { createSessionStore } from './auth/sessions.ts';
import { createKeyStore } from '../activities/signing/key-store.ts';
import { createOutbox } from '../activities/mail/outbox.ts';
import { createMailTransport } from '../activities/mail/transport.ts';

/** Starts the API against the services in the environment (npm start sets them). */
export async function startApi(options: { env?: NodeJS.ProcessEnv; log?: (line: string) => void } = {}) {
  const config = loadConfig(options.env);
  const services = requireServices(config);
  const prisma = createPrismaClient(services.databaseUrl, config.database.poolSize);
  // Lazy, so that the API starts (and /api/health says 503) while Temporal is still down.
  const connection = Connection.lazy({ address: services.temporalAddress });
  const transport = createMailTransport(services.smtpUrl);
  const app = createApp({
    prisma,
    temporal: { connection, namespace: services.temporalNamespace },
    smtpUrl: services.smtpUrl,
    workerSeenWithinMs: config.health.workerSeenWithinMs,
    sessions: createSessionStore(prisma),
    publicUrl: config.api.publicUrl,
    corsOrigins: config.api.corsOrigins,
    keyStore: createKeyStore({ prisma, secret: services.signingKeySecret }),
    requests: { client: new Client({ connection, namespace: services.temporalNamespace }), taskQueue: config.temporal.taskQueue, policy: config.deskPolicy },
    mail: {
      mailer: { transport, from: config.smtp.from, publicUrl: config.api.publicUrl },
      outbox: createOutbox({ prisma, transport, from: config.smtp.from }),
    },
    log: options.log,
    uiDir: fileURLToPath(new URL('../admin-ui/dist', import.meta.url)),
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: config.api.host, port: config.api.port }, () => resolve(s));
  });
  return {
    url: `http://${config.api.host === '0.0.0.0' ? 'localhost' : config.api.host}:${config.api.port}`,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await connection.close();
      transport.close();
      await prisma.$disconnect();
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const api = await startApi();
  console.log(`API listening on ${api.url}`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, async () => {
      await api.stop();
      process.exit(0);
    });
  }
}
