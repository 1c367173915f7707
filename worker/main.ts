import { createServer } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, type LogLevel } from '@temporalio/worker';
import { calendarWarnings } from '../config/business-calendar.ts';
import { loadConfig, requireServices } from '../config/env.ts';
import { createPrismaClient } from '../prisma/client.ts';
import { createActivities } from '../activities/index.ts';
import { createServices } from '../services/index.ts';
import { createWebhookDispatcher } from '../services/webhooks/dispatcher.ts';
import { ensureSmaSchedule } from './sma-schedule.ts';
import { activityInterceptors } from './activity-heartbeat.ts';
import { refuseWithoutSearchAttributes } from './search-attribute-check.ts';
import { workflowCode } from './workflow-bundle.ts';

/**
 * Runs a Temporal worker for the request workflows. With WORKER_HEALTH_PORT set, it also
 * answers GET /health (200 while the worker is running), for container healthchecks.
 */
export async function startWorker(options: { env?: NodeJS.ProcessEnv; log?: (line: string) => void } = {}) {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => console.log(line));
  const config = loadConfig(env);
  const services = requireServices(config);
  const healthPort = config.worker.healthPort;
  // A calendar that ran out of holidays still works, so it warns rather than stops the worker.
  for (const warning of calendarWarnings(config.deskPolicy.calendar, config.calendarFile)) log(`Warning: ${warning}`);

  await refuseWithoutSearchAttributes({ address: services.temporalAddress, namespace: services.temporalNamespace });

  const prisma = createPrismaClient(services.databaseUrl, config.database.poolSize);
  const { outbox, signer, clock, transport, webhooks } = createServices({
    prisma,
    smtpUrl: services.smtpUrl,
    mailFrom: config.smtp.from,
    signingKeySecret: services.signingKeySecret,
    webhookAllowPrivate: config.webhooks.allowPrivate,
  });
  const connection = await NativeConnection.connect({ address: services.temporalAddress });
  const worker = await Worker.create({
    connection,
    namespace: services.temporalNamespace,
    taskQueue: config.temporal.taskQueue,
    ...workflowCode(config.worker.bundlePath),
    interceptors: { activity: activityInterceptors },
    activities: createActivities({
      prisma,
      mailer: outbox,
      signer,
      clock,
      publicUrl: config.api.publicUrl,
      deskSlaBusinessHours: config.deskPolicy.escalateAfterBusinessHours,
      deskCalendar: config.deskPolicy.calendar,
      webhooks,
    }),
  });
  // The daily SMA renewal reminders: created on the first start, brought up to date after.
  const clientConnection = await Connection.connect({ address: services.temporalAddress });
  await ensureSmaSchedule({
    client: new Client({ connection: clientConnection, namespace: services.temporalNamespace }),
    taskQueue: config.temporal.taskQueue,
  });
  const running = worker.run();
  // Starts the webhook deliveries after their events commit (services/webhooks/dispatcher.ts).
  const dispatcher = createWebhookDispatcher({
    prisma,
    client: new Client({ connection: clientConnection, namespace: services.temporalNamespace }),
    taskQueue: config.temporal.taskQueue,
    retry: config.webhooks.retry,
    databaseUrl: services.databaseUrl,
    sweepEveryMs: config.webhooks.sweepEveryMs,
    log,
  });
  await dispatcher.start();

  const health = healthPort
    ? createServer((req, res) => {
        const ok = worker.getState() === 'RUNNING';
        res.writeHead(req.url === '/health' ? (ok ? 200 : 503) : 404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ state: worker.getState(), taskQueue: config.temporal.taskQueue }));
      }).listen(healthPort, '0.0.0.0')
    : undefined;
  log(`Worker ready: polling task queue "${config.temporal.taskQueue}" in namespace "${services.temporalNamespace}"`);

  return {
    worker,
    running,
    async stop() {
      health?.close();
      await dispatcher.stop();
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await connection.close();
      await clientConnection.close();
      transport.close();
      await prisma.$disconnect();
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // The SDK's runtime handles SIGINT/SIGTERM itself and shuts the worker down gracefully.
  const level = ({ debug: 'DEBUG', info: 'INFO', warn: 'WARN', error: 'ERROR' } as const)[loadConfig().logLevel];
  // The bundler reports every module at INFO; a person starting the desk needs warnings only.
  Runtime.install({ logger: new DefaultLogger(level === 'INFO' ? 'WARN' : (level as LogLevel)) });
  const worker = await startWorker();
  await worker.running.finally(() => worker.stop());
}
