import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { Manifest } from '../embedded/backup/format.ts';
import { releaseEmbeddedPostgresExitHooks, startEmbeddedPostgres } from '../embedded/postgres.ts';
import { freePort, waitFor } from '../embedded/process.ts';
import { ROOT } from '../embedded/tools.ts';
import { DEMO_PASSWORD } from '../prisma/demo-data.ts';
import { npmStart, npmStartEnvironment, pressCtrlC } from './support/npm-start.ts';

/**
 * `npm run backup` while requests are being submitted and approved, then `npm run restore` onto
 * an empty folder and `npm start` on it: the same licenses and stock ledger as the backup's
 * snapshot, every license downloads and verifies, and every open request (the one left waiting
 * for approval before the backup, and those caught mid-way by it) can be approved and completes.
 * All of it through real processes, as an operator would run them.
 */
describe('npm run backup / npm run restore', () => {
  let root: string;
  let backupDir: string;
  const running = new Set<ChildProcess>();
  afterAll(async () => {
    for (const child of running) killGroup(child, 'SIGKILL');
    if (root) await rm(root, { recursive: true, force: true });
  });

  const killGroup = (child: ChildProcess, signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      /* already gone */
    }
  };

  async function systemEnv(dataDir: string) {
    const system = await npmStartEnvironment(dataDir);
    // The suite's workflow bundle: each npm start here would otherwise bundle the same code again.
    return { ...system, env: { ...system.env, SIGNING_KEY_SECRET: '', WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath') } as typeof system.env };
  }

  async function startSystem(env: Record<string, string>) {
    const started = await npmStart(env, (child) => running.add(child));
    return {
      output: () => started.output(),
      async stop() {
        await pressCtrlC(started);
        running.delete(started.child);
      },
    };
  }

  /** `npm run <script> -- args`: its exit code and everything it printed. */
  function npmRun(script: string, args: string[], env: Record<string, string>) {
    const child = spawn('npm', ['run', '--silent', script, '--', ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    running.add(child);
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    return new Promise<{ code: number | null; output: string }>((resolve) =>
      child.once('exit', (code) => {
        running.delete(child);
        resolve({ code, output });
      }),
    );
  }

  /** A logged-in user of the API on `port`: cookie and Origin as a browser sends them. */
  async function login(port: number, email: string) {
    const origin = `http://localhost:${port}`;
    const call = async (p: string, init: RequestInit = {}) => {
      const response = await fetch(`http://127.0.0.1:${port}${p}`, {
        ...init,
        headers: { origin, 'content-type': 'application/json', ...(cookie ? { cookie } : {}), ...init.headers },
      });
      return response;
    };
    let cookie = '';
    const response = await call('/api/auth/login', { method: 'POST', body: JSON.stringify({ email, password: DEMO_PASSWORD }) });
    expect(response.status, await response.clone().text()).toBe(200);
    cookie = response.headers.get('set-cookie')!.split(';')[0]!;
    const json = async <T>(p: string, init: RequestInit = {}) => {
      const answer = await call(p, init);
      const text = await answer.text();
      if (!answer.ok) throw new Error(`${init.method ?? 'GET'} ${p} answered ${answer.status}: ${text}`);
      return JSON.parse(text) as T;
    };
    return { call, json };
  }
  type Session = Awaited<ReturnType<typeof login>>;

  let macCounter = 0;
  const nextMac = () => {
    macCounter += 1;
    return `02:00:00:${[(macCounter >> 16) & 255, (macCounter >> 8) & 255, macCounter & 255].map((b) => b.toString(16).padStart(2, '0')).join(':')}`;
  };
  const submit = (partner: Session, productId: string) =>
    partner.json<{ id: string }>('/api/requests', {
      method: 'POST',
      body: JSON.stringify({
        type: 'NEW_INSTALLATION',
        productId,
        channels: 1 + (macCounter % 3),
        lock: { type: 'MAC', value: nextMac() },
        endUserCompany: 'Backup Test Oy',
        deliveryEmails: ['orders@tapsan-turva.test'],
      }),
    });
  const statusOf = async (session: Session, id: string) => (await session.json<{ status: string }>(`/api/requests/${id}`)).status;
  const waitStatus = (session: Session, id: string, wanted: string[], timeoutMs = 60_000) =>
    waitFor(
      `request ${id} to be ${wanted.join(' or ')}`,
      async () => {
        const status = await statusOf(session, id);
        return wanted.includes(status) ? status : undefined;
      },
      { timeoutMs, intervalMs: 200 },
    );
  const approve = (desk: Session, id: string) => desk.json(`/api/requests/${id}/approve`, { method: 'POST', body: JSON.stringify({ comment: 'Checked' }) });

  interface LedgerRow {
    id: string;
    companyId: string;
    productId: string;
    kind: string;
    channels: number;
    idempotencyKey: string;
  }
  interface LicenseRow {
    id: string;
    serial: string;
    companyId: string;
    productId: string;
    channels: number;
  }
  /** The ledger and the licenses, row by row, with SQL of the test's own (not the backup's). */
  async function readRows(databaseUrl: string) {
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const ledger = await db.query<LedgerRow>(
        `SELECT id::text, "companyId"::text, "productId"::text, kind::text, channels, "idempotencyKey" FROM "StockLedgerEntry" ORDER BY id`,
      );
      const licenses = await db.query<LicenseRow>(`SELECT id::text, serial, "companyId"::text, "productId"::text, channels FROM "License" ORDER BY serial`);
      const counted = await db.query<{ n: string }>(`SELECT coalesce(sum(licenses), 0)::text AS n FROM "LicenseCount"`);
      return { ledger: ledger.rows, licenses: licenses.rows, licenseCount: Number(counted.rows[0]!.n) };
    } finally {
      await db.end();
    }
  }
  const sums = (ledger: LedgerRow[]) => {
    const by = new Map<string, { entries: number; channels: number }>();
    for (const row of ledger) {
      const key = `${row.companyId}/${row.productId}/${row.kind}`;
      const sum = by.get(key) ?? { entries: 0, channels: 0 };
      sum.entries += 1;
      sum.channels += row.channels;
      by.set(key, sum);
    }
    return Object.fromEntries([...by].sort(([a], [b]) => a.localeCompare(b)));
  };

  it('backs up under load, restores onto an empty folder, and every license and open request carries on', async () => {
    const started = Date.now();
    const took = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
    root = await mkdtemp(path.join(os.tmpdir(), 'license-desk-backup-'));
    // As root, PostgreSQL runs as the `postgres` user, which must pass through to each data folder.
    await chmod(root, 0o755);
    backupDir = path.join(root, 'backup');
    const original = await systemEnv(path.join(root, 'data'));

    // --- The original system: licenses, and one request left waiting for the desk. ---
    const first = await startSystem(original.env);
    console.log(`[backup-restore] original system up after ${took()}`);
    const partner = await login(original.ports.API_PORT, 'user@tapsan-turva.test');
    const desk = await login(original.ports.API_PORT, 'desk.agent@license-desk.test');
    const products = await partner.json<Array<{ id: string; code: string }>>(
      `/api/products?filter=${encodeURIComponent(JSON.stringify({ q: 'MIRASYS-V9-BASE' }))}`,
    );
    const productId = products.find((p) => p.code === 'MIRASYS-V9-BASE')!.id;

    const issued = await Promise.all(
      [1, 2, 3].map(async () => {
        const { id } = await submit(partner, productId);
        await waitStatus(partner, id, ['PENDING_APPROVAL']);
        await approve(desk, id);
        await waitStatus(partner, id, ['COMPLETED']);
        return id;
      }),
    );
    const pending = (await submit(partner, productId)).id;
    await waitStatus(partner, pending, ['PENDING_APPROVAL']);
    // A request the API has recorded but whose workflow start has not reached Temporal yet: what
    // the backup catches when a submission falls on its lock of Temporal's store (the API writes
    // the row, then starts the workflow). Made here by hand, so that the restore meets one. It is
    // dated two minutes ahead so that the API's own sweep for unstarted requests (rows older than
    // 10 s, every 30 s) leaves it to the restore, on both systems.
    const orphan = { id: randomUUID(), number: 0 };
    const direct = new pg.Client({ connectionString: original.databaseUrl });
    await direct.connect();
    const inserted = await direct
      .query<{ number: number }>(
        `INSERT INTO "Request" (id, type, "companyId", "requesterId", payload, "deliveryEmails", "workflowId", "createdAt", "updatedAt")
       SELECT $1, type, "companyId", "requesterId", jsonb_set(payload, '{lock,value}', to_jsonb($2::text)), "deliveryEmails", $3,
              now() + interval '2 minutes', now()
       FROM "Request" WHERE id = $4 RETURNING number`,
        [orphan.id, nextMac(), `request-${orphan.id}`, pending],
      )
      .finally(() => direct.end());
    orphan.number = inserted.rows[0]!.number;
    const beforeBackup = await readRows(original.databaseUrl);
    expect(beforeBackup.licenses).toHaveLength(issued.length);

    // --- Load: two partners' worth of submissions, half of them approved, during the backup. ---
    let loading = true;
    const loadSubmitted: string[] = [];
    const loop = async (approveEvery: number) => {
      for (let i = 0; loading; i++) {
        const { id } = await submit(partner, productId);
        loadSubmitted.push(id);
        if (i % approveEvery === 0) {
          await waitStatus(partner, id, ['PENDING_APPROVAL']);
          await approve(desk, id);
        }
      }
    };
    const load = Promise.all([loop(2), loop(3)]);
    await delay(1_500);
    const submittedBeforeBackup = loadSubmitted.length;
    const backup = await npmRun('backup', ['--out', backupDir], original.env);
    const submittedDuringBackup = loadSubmitted.length - submittedBeforeBackup;
    loading = false;
    await load;
    expect(backup.code, backup.output).toBe(0);
    expect(submittedDuringBackup, 'requests submitted while the backup ran').toBeGreaterThan(0);
    console.log(`[backup-restore] backup made under load after ${took()} (${submittedDuringBackup} requests submitted while it ran):\n${backup.output}`);
    const manifest = JSON.parse(await readFile(path.join(backupDir, 'manifest.json'), 'utf8')) as Manifest;
    const secretFile = `${backupDir}.secret`;
    expect((await stat(secretFile)).mode & 0o777).toBe(0o600);
    expect(await readdir(backupDir)).not.toContain('secret');

    const afterBackup = await readRows(original.databaseUrl);
    await first.stop();

    // --- Restore onto an empty folder. ---
    const restored = await systemEnv(path.join(root, 'restored'));
    const restore = await npmRun('restore', [backupDir], restored.env);
    expect(restore.code, restore.output).toBe(0);
    console.log(`[backup-restore] restored after ${took()}:\n${restore.output}`);
    expect(restore.output).toContain('Restore complete');
    expect(restore.output).toMatch(new RegExp(`had no workflow yet; started again: [^\\n]*LD-${String(orphan.number).padStart(6, '0')}`));

    // The restored database as the restore left it, before anything runs on it.
    releaseEmbeddedPostgresExitHooks();
    const db = await startEmbeddedPostgres({ dataDir: path.join(restored.env.DATA_DIR, 'postgres'), port: await freePort() });
    const restoredRows = await readRows(db.url).finally(() => db.stop());

    // Identical to the backup's snapshot: the figures the backup took in it...
    expect(restoredRows.licenses).toHaveLength(manifest.postgres.figures.licenses);
    expect(restoredRows.ledger).toHaveLength(manifest.postgres.figures.ledgerEntries);
    expect(sums(restoredRows.ledger)).toEqual(
      Object.fromEntries(
        manifest.postgres.figures.ledger.map((r) => [`${r.companyId}/${r.productId}/${r.kind}`, { entries: r.entries, channels: r.channels }] as const),
      ),
    );
    expect(restoredRows.licenseCount).toBe(restoredRows.licenses.length);
    // ...and, row by row, what the original system held: everything it had before the backup
    // began, nothing it did not have after the backup ended, every row unchanged.
    const originalLedger = new Map(afterBackup.ledger.map((row) => [row.id, row]));
    for (const row of restoredRows.ledger) expect(originalLedger.get(row.id)).toEqual(row);
    const restoredLedgerIds = new Set(restoredRows.ledger.map((row) => row.id));
    for (const row of beforeBackup.ledger) expect(restoredLedgerIds.has(row.id)).toBe(true);
    const originalLicenses = new Map(afterBackup.licenses.map((row) => [row.id, row]));
    for (const row of restoredRows.licenses) expect(originalLicenses.get(row.id)).toEqual(row);
    const restoredLicenseIds = new Set(restoredRows.licenses.map((row) => row.id));
    for (const row of beforeBackup.licenses) expect(restoredLicenseIds.has(row.id)).toBe(true);
    expect(restoredRows.ledger.length).toBeGreaterThan(beforeBackup.ledger.length);
    console.log(
      `[backup-restore] restored: ${restoredRows.licenses.length} licenses, ${restoredRows.ledger.length} ledger entries ` +
        `(original: ${beforeBackup.ledger.length} before the backup, ${afterBackup.ledger.length} after it)`,
    );

    // --- npm start on the restored folder: every open request completes. ---
    const second = await startSystem(restored.env);
    console.log(`[backup-restore] restored system up after ${took()}`);
    const partner2 = await login(restored.ports.API_PORT, 'user@tapsan-turva.test');
    const desk2 = await login(restored.ports.API_PORT, 'desk.agent@license-desk.test');
    const open = new pg.Client({ connectionString: restored.databaseUrl });
    await open.connect();
    const openRequests = (
      await open.query<{ id: string }>(`SELECT id::text FROM "Request" WHERE status NOT IN ('COMPLETED', 'REJECTED', 'CANCELLED', 'EXPIRED', 'FAILED')`)
    ).rows.map((r) => r.id);
    // npm start loads the demo data on every start; on the restored data it adds nothing.
    const demo = await open
      .query<{ users: number; companies: number; products: number; openingStocks: number }>(
        `SELECT (SELECT count(*)::int FROM "User") AS users, (SELECT count(*)::int FROM "Company") AS companies, (SELECT count(*)::int FROM "Product") AS products,
              (SELECT count(*)::int FROM "StockLedgerEntry" WHERE "idempotencyKey" LIKE 'demo-data:%') AS "openingStocks"`,
      )
      .finally(() => open.end());
    expect(demo.rows[0]).toEqual({ users: 6, companies: 3, products: 10, openingStocks: 8 });
    expect(openRequests).toContain(pending);
    expect(openRequests).toContain(orphan.id);
    const completedLicenses = await Promise.all(
      openRequests.map(async (id) => {
        // Those approved before the backup complete on their own; the rest wait for the desk.
        const status = await waitStatus(partner2, id, ['PENDING_APPROVAL', 'COMPLETED']);
        if (status === 'PENDING_APPROVAL') {
          // An approval the workflow took just before the snapshot of its store, while the database was
          // copied a moment earlier: the desk is told in words, and the request completes all the same.
          const answer = await desk2.call(`/api/requests/${id}/approve`, { method: 'POST', body: JSON.stringify({ comment: 'Checked' }) });
          if (answer.status !== 200)
            expect({ status: answer.status, body: await answer.json() }).toEqual({ status: 409, body: { message: 'This request was already approved.' } });
        }
        await waitStatus(partner2, id, ['COMPLETED']);
        return (await partner2.json<{ licenseId: string }>(`/api/requests/${id}`)).licenseId;
      }),
    );
    console.log(
      `[backup-restore] ${openRequests.length} open requests (the one left pending and the one without a workflow among them) approved and completed after ${took()}`,
    );

    // Every license, old and new, downloads and verifies.
    const licenses = await desk2.json<Array<{ id: string; serial: string }>>(`/api/licenses?range=${encodeURIComponent('[0,999]')}`);
    // The restored licenses, plus one per request completed since (some had theirs already: they
    // were signed before the snapshot and completed after it). None issued twice.
    const expectedIds = new Set([...restoredRows.licenses.map((l) => l.id), ...completedLicenses]);
    expect(completedLicenses.every(Boolean)).toBe(true);
    expect(licenses.map((l) => l.id).sort()).toEqual([...expectedIds].sort());
    for (const license of licenses) {
      const file = await desk2.call(`/api/licenses/${license.id}/download`);
      expect(file.status).toBe(200);
      const body = Buffer.from(await file.arrayBuffer());
      const verdict = (await (
        await fetch(`http://127.0.0.1:${restored.ports.API_PORT}/api/verify`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body })
      ).json()) as {
        valid: boolean;
        grants?: { serial: string };
      };
      expect(verdict, license.serial).toMatchObject({ valid: true, grants: { serial: license.serial } });
    }
    console.log(`[backup-restore] ${licenses.length} licenses downloaded and verified after ${took()}`);
    await second.stop();
  }, 300_000);

  it('refuses a data folder that holds data, and a secret that does not open the keys, in words', async () => {
    expect(backupDir && existsSync(path.join(backupDir, 'manifest.json')), 'the backup the first test made').toBeTruthy();
    const used = await systemEnv(path.join(root, 'data'));
    const before = await readdir(used.env.DATA_DIR);
    const refused = await npmRun('restore', [backupDir], used.env);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain(`Restore refused: the data folder ${used.env.DATA_DIR} is not empty`);
    expect(refused.output).toContain('A restore goes onto an empty data folder only');
    expect(await readdir(used.env.DATA_DIR)).toEqual(before);

    const wrongSecret = path.join(root, 'wrong.secret');
    await writeFile(wrongSecret, `${'x'.repeat(44)}\n`, { mode: 0o600 });
    const empty = await systemEnv(path.join(root, 'empty'));
    await mkdir(empty.env.DATA_DIR);
    const wrong = await npmRun('restore', [backupDir, '--secret', wrongSecret], empty.env);
    expect(wrong.code).toBe(1);
    expect(wrong.output).toMatch(/Restore refused: the signing secret \(.*wrong\.secret\) does not open signing key\(s\) ld-/);
    expect(await readdir(empty.env.DATA_DIR)).toEqual([]);
  }, 120_000);
});
