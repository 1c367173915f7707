import path from 'node:path';
import type { Config } from '../config/env.ts';
import { startEmbeddedPostgres } from './postgres.ts';
import { startEmbeddedTemporal } from './temporal.ts';
import { startSmtpCatcher } from './smtp-catcher.ts';

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
 * configuration does not point at an existing service. Stops what it started, in reverse.
 */
export async function startStack(
  config: Config,
  options: { ui?: boolean; persistTemporal?: boolean; log?: (line: string) => void; onUnexpectedExit?: () => void } = {},
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
      const db = await startEmbeddedPostgres({ dataDir: path.join(config.dataDir, 'postgres'), port: config.database.embeddedPort, log });
      databaseUrl = db.url;
      parts.push({ name: 'postgres', embedded: true, url: db.url, version: db.version, stop: db.stop });
    }

    let temporalAddress = config.temporal.address;
    let temporalUiUrl: string | undefined;
    if (!temporalAddress) {
      const temporal = await startEmbeddedTemporal({
        port: config.temporal.embeddedPort,
        uiPort: options.ui ? config.temporal.embeddedUiPort : undefined,
        namespace: config.temporal.namespace,
        dbFile: options.persistTemporal ? path.join(config.dataDir, 'temporal', 'temporal.db') : undefined,
        log,
        onUnexpectedExit: options.onUnexpectedExit,
      });
      temporalAddress = temporal.address;
      temporalUiUrl = temporal.uiUrl;
      parts.push({ name: 'temporal', embedded: true, url: temporal.address, stop: temporal.stop });
    }

    let smtpUrl = config.smtp.url;
    let mailDir: string | undefined;
    if (!smtpUrl) {
      mailDir = path.join(config.dataDir, 'mail');
      const smtp = await startSmtpCatcher({ dir: mailDir, port: config.smtp.embeddedPort, log });
      smtpUrl = smtp.url;
      parts.push({ name: 'smtp', embedded: true, url: smtp.url, stop: smtp.stop });
    }

    return { databaseUrl, temporalAddress, smtpUrl, temporalUiUrl, mailDir, parts, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
