import path from 'node:path';
import { loadConfig, type Config } from '../config/env.ts';
import { freePort } from './process.ts';
import { startEmbeddedPostgres } from './postgres.ts';
import { startEmbeddedTemporal } from './temporal.ts';
import { startSmtpCatcher } from './smtp-catcher.ts';
import { startRestartable, type Supervision } from './restart-loop.ts';

export interface StackPart {
  name: string;
  embedded: boolean;
  url: string;
  version?: string;
  stop(): Promise<void>;
}

export interface Stack {
  databaseUrl: string;
  temporalAddress: string;
  smtpUrl: string;
  temporalUiUrl?: string;
  mailDir?: string;
  parts: StackPart[];
  stop(): Promise<void>;
}

/**
 * Starts the embedded PostgreSQL, Temporal dev server and SMTP catcher, each only when the
 * configuration does not point at an existing service. Stops what it started, in reverse. The
 * SMTP catcher runs inside this process, so it cannot die without the supervisor.
 */
export async function startStack(
  config: Config,
  options: {
    ui?: boolean;
    persistTemporal?: boolean;
    log?: (line: string) => void;
    /** Restart embedded PostgreSQL and Temporal when they die (npm start); without it a death is only logged. */
    supervision?: Supervision;
  } = {},
): Promise<Stack> {
  const log = options.log ?? (() => {});
  const parts: StackPart[] = [];
  const stop = async () => {
    for (const part of [...parts].reverse()) {
      await part.stop().catch((error: unknown) => log(`[stack] stopping ${part.name}: ${String(error)}`));
    }
  };

  try {
    let databaseUrl = config.database.url;
    if (!databaseUrl) {
      const dataDir = path.join(config.dataDir, 'postgres');
      const db = await startRestartable(
        'postgres',
        (onUnexpectedExit, partLog) => startEmbeddedPostgres({ dataDir, port: config.database.embeddedPort, log: partLog, onUnexpectedExit }),
        log,
        options.supervision,
      );
      databaseUrl = db.first.url;
      parts.push({ name: 'postgres', embedded: true, url: db.first.url, version: db.first.version, stop: () => db.stop() });
    }

    let temporalAddress = config.temporal.address;
    let temporalUiUrl: string | undefined;
    if (!temporalAddress) {
      // An in-memory Temporal (the tests) would come back empty, so only a persistent one is restarted.
      const temporal = await startRestartable(
        'temporal',
        (onUnexpectedExit, partLog) =>
          startEmbeddedTemporal({
            port: config.temporal.embeddedPort,
            uiPort: options.ui ? config.temporal.embeddedUiPort : undefined,
            namespace: config.temporal.namespace,
            dbFile: options.persistTemporal ? path.join(config.dataDir, 'temporal', 'temporal.db') : undefined,
            log: partLog,
            onUnexpectedExit,
          }),
        log,
        options.persistTemporal ? options.supervision : undefined,
      );
      temporalAddress = temporal.first.address;
      temporalUiUrl = temporal.first.uiUrl;
      parts.push({ name: 'temporal', embedded: true, url: temporal.first.address, stop: () => temporal.stop() });
    }

    let smtpUrl = config.smtp.url;
    let mailDir: string | undefined;
    if (!smtpUrl) {
      mailDir = path.join(config.dataDir, 'mail');
      const smtp = await startSmtpCatcher({ dir: mailDir, port: config.smtp.embeddedPort, log });
      smtpUrl = smtp.url;
      parts.push({ name: 'smtp', embedded: true, url: smtp.url, stop: () => smtp.stop() });
    }

    return { databaseUrl, temporalAddress, smtpUrl, temporalUiUrl, mailDir, parts, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The configuration of a stack of its own, on free ports in `dataDir`: the test set-up's, the bench's. */
export async function configOnFreePorts(dataDir: string, nodeEnv: 'test' | 'production'): Promise<Config> {
  return loadConfig({
    NODE_ENV: nodeEnv,
    DATA_DIR: dataDir,
    EMBEDDED_PG_PORT: String(await freePort()),
    EMBEDDED_TEMPORAL_PORT: String(await freePort()),
    EMBEDDED_SMTP_PORT: String(await freePort()),
  });
}
