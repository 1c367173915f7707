import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import { loadConfig, requireServices } from '../config/env.ts';
import { createPrismaClient } from '../prisma/client.ts';
import { createApp } from './app.ts';
import { createSessionStore } from './auth/sessions.ts';
import { createServices } from '../services/index.ts';
import { requestReference } from '../domain/request-forms.ts';
import { startUnstartedRequests } from './requests/lifecycle.ts';

/** How often the API looks for requests whose workflow was never started (startUnstartedRequests). */
const UNSTARTED_SWEEP_EVERY_MS = 30_000;

/** Starts the API against the services in the environment (npm start sets them). */
export async function startApi(options: { env?: NodeJS.ProcessEnv; log?: (line: string) => void } = {}) {
  const config = loadConfig(options.env);
  const services = requireServices(config);
  const prisma = createPrismaClient(services.databaseUrl, config.database.poolSize);
  // Lazy, so that the API starts (and /api/health says 503) while Temporal is still down.
  const connection = Connection.lazy({ address: services.temporalAddress });
  const { transport, keyStore, outbox } = createServices({
    prisma,
    smtpUrl: services.smtpUrl,
    mailFrom: config.smtp.from,
    signingKeySecret: services.signingKeySecret,
  });
  const requests = {
    client: new Client({ connection, namespace: services.temporalNamespace }),
    taskQueue: config.temporal.taskQueue,
    policy: config.deskPolicy,
  };
  const app = createApp({
    prisma,
    temporal: { connection, namespace: services.temporalNamespace },
    smtpUrl: services.smtpUrl,
    workerSeenWithinMs: config.health.workerSeenWithinMs,
    calendar: { calendar: config.deskPolicy.calendar, file: config.calendarFile },
    sessions: createSessionStore(prisma),
    publicUrl: config.api.publicUrl,
    corsOrigins: config.api.corsOrigins,
    keyStore,
    requests,
    webhooks: { masterSecret: services.signingKeySecret, allowHttp: config.webhooks.allowHttp, allowPrivate: config.webhooks.allowPrivate },
    mail: {
      mailer: { transport, from: config.smtp.from, publicUrl: config.api.publicUrl },
      outbox,
    },
    log: options.log,
    uiDir: fileURLToPath(new URL('../admin-ui/dist', import.meta.url)),
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: config.api.host, port: config.api.port }, () => resolve(s));
  });
  // A request recorded by an API process that died before it started the workflow (a crash, a
  // power cut) is started here, at start-up and then every half minute.
  const log = options.log ?? ((line: string) => console.log(line));
  const sweep = () =>
    startUnstartedRequests({ prisma, ...requests })
      .then(
        (numbers) =>
          numbers.length &&
          log(`Started the workflows of ${numbers.length} request(s) recorded but never started: ${numbers.map(requestReference).join(', ')}`),
      )
      .catch((error: unknown) =>
        log(
          `Looking for requests never started failed (tried again in ${UNSTARTED_SWEEP_EVERY_MS / 1000} s): ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
  void sweep();
  // A timer does not await its callback; sweep() catches and logs its own errors.
  const sweeper = setInterval(() => void sweep(), UNSTARTED_SWEEP_EVERY_MS);
  return {
    url: `http://${config.api.host === '0.0.0.0' ? 'localhost' : config.api.host}:${config.api.port}`,
    async stop() {
      clearInterval(sweeper);
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
    // Node does not await a signal listener; a stop that fails ends the process as an unhandled rejection.
    process.once(signal, () => void api.stop().then(() => process.exit(0)));
  }
}
