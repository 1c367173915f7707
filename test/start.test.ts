import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, isPortOpen, waitFor } from '../embedded/process.ts';
import { ROOT } from '../embedded/tools.ts';
import { DEMO_PASSWORD } from '../prisma/demo-data.ts';

/** `npm start` on a fresh data folder: everything up, healthy, seeded; Ctrl-C stops it all. */
describe('npm start (the embedded default)', () => {
  let dataDir: string;
  let running: ChildProcess | undefined;
  afterAll(async () => {
    running?.kill('SIGKILL');
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  async function start(env: NodeJS.ProcessEnv) {
    const child = spawn('npm', ['start'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    running = child;
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start was not up within 150s:\n${output}`)), 150_000);
      child.stdout!.on('data', () => {
        if (output.includes('Press Ctrl-C to stop.')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`npm start exited with ${code}:\n${output}`));
      });
    });
    return { child, output: () => output };
  }

  // A terminal's Ctrl-C signals the whole foreground process group. npm itself then ends by
  // that signal; the supervisor under it must have stopped every part and said so.
  async function pressCtrlC(started: { child: ChildProcess; output: () => string }) {
    const exited = new Promise<string>((resolve) => started.child.once('exit', (code, signal) => resolve(signal ?? `code ${code}`)));
    process.kill(-started.child.pid!, 'SIGINT');
    const how = await exited;
    expect(started.output()).toContain('Stopping License Desk...');
    expect(started.output().trimEnd().endsWith('Stopped.')).toBe(true);
    return how;
  }

  it('starts everything on fresh data, answers health, keeps data across a restart, and stops cleanly', async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'license-desk-start-'));
    const ports = {
      EMBEDDED_PG_PORT: await freePort(),
      EMBEDDED_TEMPORAL_PORT: await freePort(),
      EMBEDDED_TEMPORAL_UI_PORT: await freePort(),
      EMBEDDED_SMTP_PORT: await freePort(),
      API_PORT: await freePort(),
    };
    const env = {
      DATA_DIR: dataDir,
      ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
      // The suite's own stack is in the environment of this process; npm start must embed its own.
      DATABASE_URL: '',
      TEMPORAL_ADDRESS: '',
      SMTP_URL: '',
    };

    const first = await start(env);
    const out = first.output();
    expect(out).toContain(`http://localhost:${ports.API_PORT}`);
    expect(out).toContain(`http://127.0.0.1:${ports.EMBEDDED_TEMPORAL_UI_PORT}/namespaces/license-desk/workflows`);
    expect(out).toContain('desk.admin@license-desk.test');
    expect(out).toContain('admin@tapsan-turva.test');

    const health = await fetch(`http://127.0.0.1:${ports.API_PORT}/api/health`);
    expect(health.status).toBe(200);
    const body = (await health.json()) as { checks: Record<string, { status: string }> };
    expect(Object.fromEntries(Object.entries(body.checks).map(([name, c]) => [name, c.status]))).toEqual({ database: 'up', temporal: 'up', smtp: 'up', workers: 'up' });

    const ui = await fetch(`http://127.0.0.1:${ports.EMBEDDED_TEMPORAL_UI_PORT}/api/v1/namespaces/license-desk`);
    expect(ui.status).toBe(200);

    const databaseUrl = `postgresql://license_desk:license_desk@127.0.0.1:${ports.EMBEDDED_PG_PORT}/license_desk`;
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    const users = await db.query('SELECT count(*)::int AS n FROM "User"');
    const stocks = await db.query('SELECT count(*)::int AS n FROM "StockBalance" WHERE available > 0');
    await db.query(`INSERT INTO "Company" (id, name, kind, "updatedAt") VALUES (gen_random_uuid(), 'Survives Restart Oy', 'DEALER', now())`);
    await db.end();
    expect(users.rows[0].n).toBe(6);
    expect(stocks.rows[0].n).toBe(8);

    expect(['SIGINT', 'code 0']).toContain(await pressCtrlC(first));
    for (const port of Object.values(ports)) expect(await isPortOpen(port), `port ${port} closed`).toBe(false);

    const second = await start(env);
    const again = new pg.Client({ connectionString: databaseUrl });
    await again.connect();
    const kept = await again.query(`SELECT count(*)::int AS n FROM "Company" WHERE name = 'Survives Restart Oy'`);
    const usersAfter = await again.query('SELECT count(*)::int AS n FROM "User"');
    await again.end();
    expect(kept.rows[0].n).toBe(1);
    expect(usersAfter.rows[0].n).toBe(6);

    // A crashed worker or API is restarted by the supervisor, and the rest keeps running.
    const origin = `http://localhost:${ports.API_PORT}`;
    const api = (p: string, init: RequestInit = {}) => fetch(`http://127.0.0.1:${ports.API_PORT}${p}`, { ...init, headers: { origin, 'content-type': 'application/json', ...init.headers } });
    const loggedIn = await api('/api/auth/login', { method: 'POST', body: JSON.stringify({ email: 'desk.admin@license-desk.test', password: DEMO_PASSWORD }) });
    expect(loggedIn.status).toBe(200);
    const cookie = loggedIn.headers.get('set-cookie')!.split(';')[0]!;
    const [, workerPid, apiPid] = /Worker\s+pid (\d+), task queue .*; the API pid (\d+)/.exec(second.output())!.map(Number);
    const restartedPid = async (part: string, killedAt: number) => {
      const line = await waitFor(`the supervisor to restart the ${part}`, async () => new RegExp(`\\[supervisor\\] ${part} restarted \\(pid (\\d+)\\)`).exec(second.output()), { timeoutMs: 30_000, intervalMs: 100 });
      console.log(`[npm start] the ${part} was restarted ${((Date.now() - killedAt) / 1000).toFixed(1)}s after SIGKILL`);
      return Number(line![1]);
    };
    const healthyWith = (workerIdentity: string) =>
      waitFor('health to see the restarted worker', async () => {
        const response = await api('/api/health').catch(() => undefined);
        const body = response?.status === 200 ? ((await response.json()) as { checks: { workers: { identities: string[] } } }) : undefined;
        return body?.checks.workers.identities.some((id) => id.startsWith(workerIdentity));
      }, { timeoutMs: 60_000, intervalMs: 250 });

    process.kill(workerPid!, 'SIGKILL');
    const newWorker = await restartedPid('worker', Date.now());
    expect(second.output()).toContain('[supervisor] worker exited unexpectedly (signal SIGKILL); restarting it in 1 s (restart 1)');
    await healthyWith(`${newWorker}@`);

    process.kill(apiPid!, 'SIGKILL');
    await restartedPid('api', Date.now());
    await healthyWith(`${newWorker}@`);
    // Sessions live in PostgreSQL: the desk stays logged in across the API's crash.
    expect((await api('/api/auth/me', { headers: { cookie } })).status).toBe(200);

    expect(['SIGINT', 'code 0']).toContain(await pressCtrlC(second));
    running = undefined;
  }, 400_000);
});
