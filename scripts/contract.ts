// npm run test:contract: the API against its own OpenAPI document. Boots the system on a
// private embedded stack (free ports, a temporary folder, the demo data), then runs
// schemathesis with every check twice: as a partner integration with an API token, and as the
// desk with a session cookie. Prints the figures; exits 1 on any failure.
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { createWriteStream, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startApi } from '../api/main.ts';
import { createApiToken } from '../api/auth/api-tokens.ts';
import { migrateDatabase } from '../embedded/migrate.ts';
import { freePort } from '../embedded/process.ts';
import { releaseEmbeddedPostgresExitHooks } from '../embedded/postgres.ts';
import { configOnFreePorts, startStack } from '../embedded/stack.ts';
import { ensureSchemathesis, ensureTemporalCli, ROOT } from '../embedded/tools.ts';
import { createPrismaClient } from '../prisma/client.ts';
import { DEMO_PASSWORD, loadDemoData } from '../prisma/demo-data.ts';
import { startWorker } from '../worker/main.ts';

/** Examples per operation in the fuzzing phase (CONTRACT_MAX_EXAMPLES); the run's length grows with it. */
const MAX_EXAMPLES = Number(process.env.CONTRACT_MAX_EXAMPLES ?? 5);
const CONFIG_FILE = path.join(ROOT, 'test', 'contract', 'schemathesis.toml');
/** schemathesis' reports and the API's log lines, kept for a look after a failure. */
const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'contract');
/** The desk's run leaves out the calls that end or replace its own session (they run as the partner). */
const SESSION_CHANGING = ['/api/auth/logout', '/api/auth/impersonate', '/api/auth/impersonate/stop'];

const started = Date.now();
const seconds = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;
const quiet = () => {};

const schemathesis = await ensureSchemathesis();
await ensureTemporalCli();
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'license-desk-contract-'));
const config = await configOnFreePorts(dataDir, 'test');
releaseEmbeddedPostgresExitHooks();
const stack = await startStack(config, { ui: false, persistTemporal: false, log: quiet });
const cleanup: Array<() => Promise<unknown>> = [() => stack.stop(), () => rm(dataDir, { recursive: true, force: true })];
let failed = true;
try {
  await migrateDatabase(stack.databaseUrl);
  const prisma = createPrismaClient(stack.databaseUrl);
  cleanup.unshift(() => prisma.$disconnect());
  await loadDemoData(prisma);

  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_URL: stack.databaseUrl,
    TEMPORAL_ADDRESS: stack.temporalAddress,
    TEMPORAL_NAMESPACE: config.temporal.namespace,
    SMTP_URL: stack.smtpUrl,
    SIGNING_KEY_SECRET: randomBytes(32).toString('base64'),
    API_HOST: '127.0.0.1',
    API_PORT: String(port),
    PUBLIC_URL: publicUrl,
  };
  const worker = await startWorker({ env, log: quiet });
  cleanup.unshift(() => worker.stop());
  await rm(ARTIFACTS, { recursive: true, force: true });
  await mkdir(ARTIFACTS, { recursive: true });
  const apiLog = createWriteStream(path.join(ARTIFACTS, 'api.log'));
  cleanup.push(() => new Promise((resolve) => apiLog.end(resolve)));
  const api = await startApi({ env, log: (line) => apiLog.write(`${line}\n`) });
  cleanup.unshift(() => api.stop());
  console.log(`API up on ${publicUrl} after ${seconds()}.`);

  // A partner integration: a token of Tapsan Turva's admin, which acts as a partner user.
  const partnerAdmin = await prisma.user.findUniqueOrThrow({ where: { email: 'admin@tapsan-turva.test' } });
  const { token } = await createApiToken(prisma, { companyId: partnerAdmin.companyId, createdById: partnerAdmin.id, name: 'contract run' });
  // The desk: a desk admin's session cookie, with the Origin its unsafe calls need.
  const login = await fetch(`${publicUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'desk.admin@license-desk.test', password: DEMO_PASSWORD }),
  });
  if (login.status !== 200) throw new Error(`The desk admin's login answered ${login.status}`);
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;

  // Each caller gets the operations its role may call (the document's x-who), plus the public
  // ones: an operation that can only answer 403 to it teaches nothing that the other run misses.
  const document = (await (await fetch(`${publicUrl}/api/openapi.json`)).json()) as {
    paths: Record<string, Record<string, { operationId: string; 'x-who': string }>>;
  };
  const operations = Object.entries(document.paths).flatMap(([route, item]) =>
    Object.entries(item).map(([method, op]) => ({ route, label: `${method.toUpperCase()} ${route}`, id: op.operationId, who: op['x-who'] })),
  );
  const forRole = (role: 'partner' | 'desk') => (op: { who: string }) => op.who === 'anyone' || op.who.startsWith('logged in') || op.who.includes(role);
  const shared = (op: { who: string; route: string }) => forRole('partner')(op) && forRole('desk')(op) && !SESSION_CHANGING.includes(op.route);
  // The coverage phase (every boundary the schema names, not bounded by the examples) runs once
  // per operation: the operations both callers share are dealt between the two runs, which then
  // take about as long as each other.
  const sharedLabels = operations.filter(shared).map((op) => op.label);
  const withoutCoverage = (labels: string[]) => `\n[[operations]]\ninclude-name = ${JSON.stringify(labels)}\nphases.coverage.enabled = false\n`;
  const runs = [
    // Credentials through the document's own security schemes, so that schemathesis knows them
    // and checks that a request without them is refused.
    {
      who: 'partner with an API token',
      slug: 'partner',
      settings: `[auth.openapi.apiToken]\nbearer = "${token}"\n${withoutCoverage(sharedLabels.filter((_, i) => i % 2 === 1))}`,
      headers: [] as string[],
      operations: operations.filter(forRole('partner')),
    },
    {
      who: 'desk admin with a session',
      slug: 'desk',
      settings: `[auth.openapi.session]\napi_key = "${cookie.split('=')[1]}"\n${withoutCoverage(sharedLabels.filter((_, i) => i % 2 === 0))}`,
      headers: [`Origin: ${publicUrl}`],
      operations: operations.filter(forRole('desk')).filter((op) => !SESSION_CHANGING.includes(op.route)),
    },
  ];
  // Both at once, one schemathesis worker each: the two cores are shared with the system under test.
  const results = await Promise.all(
    runs.map(async (run) => {
      const reportDir = path.join(ARTIFACTS, run.slug);
      const configFile = path.join(ARTIFACTS, `${run.slug}.toml`);
      await writeFile(configFile, `${await readFile(CONFIG_FILE, 'utf8')}\n${run.settings}`);
      const args = [
        '--config-file',
        configFile,
        'run',
        `${publicUrl}/api/openapi.json`,
        '--checks',
        'all',
        '--phases',
        'examples,coverage,fuzzing',
        '--max-examples',
        String(MAX_EXAMPLES),
        '--workers',
        '1',
        '--seed',
        process.env.CONTRACT_SEED ?? '1',
        '--no-color',
        '--report',
        'json',
        '--report-dir',
        reportDir,
        ...run.headers.flatMap((header) => ['-H', header]),
        ...run.operations.flatMap((op) => ['--include-operation-id', op.id]),
      ];
      const output = path.join(ARTIFACTS, `${run.slug}.txt`);
      console.log(
        `schemathesis as the ${run.who}: ${run.operations.length} operations, at most ${MAX_EXAMPLES} examples each in the fuzzing phase (output in ${path.relative(ROOT, output)})`,
      );
      const { code, text } = await new Promise<{ code: number; text: string }>((resolve) => {
        // In the artifacts folder: schemathesis keeps a crash cache (.schemathesis/) where it runs.
        execFile(schemathesis, args, { cwd: ARTIFACTS, maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) =>
          resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, text: `${stdout}${stderr}` }),
        );
      });
      await writeFile(output, text);
      return { ...run, code, text, ...(await runFigures(reportDir)) };
    }),
  );
  for (const r of results) if (r.code !== 0 || r.failures > 0) console.log(`\n===== schemathesis as the ${r.who} =====\n${r.text}`);

  console.log(`\nContract run (${seconds()} in all):`);
  for (const r of results)
    console.log(
      `  ${r.who}: ${r.tested} operations, ${r.cases} cases, ${r.failures} failures, ${r.errors} errors (schemathesis exit ${r.code}, ${r.seconds.toFixed(0)} s)`,
    );
  failed = results.some((r) => r.code !== 0 || r.failures > 0 || r.errors > 0);
} catch (error) {
  console.error(error);
} finally {
  for (const step of cleanup) await step().catch(() => {});
}
process.exit(failed ? 1 : 0);

/** Operations, test cases, failures and errors from schemathesis' JSON run report. */
async function runFigures(reportDir: string) {
  const file = readdirSync(reportDir).find((f) => f.endsWith('.json'));
  if (!file) return { tested: 0, cases: 0, failures: Number.NaN, errors: Number.NaN, seconds: 0 };
  const report = JSON.parse(await readFile(path.join(reportDir, file), 'utf8')) as {
    running_time: number;
    operations: { tested: number };
    test_cases: { generated: number; unique_failures: number };
    errors: unknown[];
  };
  return {
    tested: report.operations.tested,
    cases: report.test_cases.generated,
    failures: report.test_cases.unique_failures,
    errors: report.errors.length,
    seconds: report.running_time,
  };
}
