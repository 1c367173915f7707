// What `npm start` and `npm run cluster` share: the local signing secret, the UI build and the
// way they print where each part is.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, loadConfig, type Config } from '../config/env.ts';
import { migrateDatabase } from '../embedded/migrate.ts';
import { ROOT } from '../embedded/tools.ts';
import { createPrismaClient } from '../prisma/client.ts';
import { DEMO_PASSWORD, DEMO_USERS, loadDemoData } from '../prisma/demo-data.ts';
import { ensureUiBuilt, uiBuildIsStale } from './ui-build.ts';

/** Seconds since the supervisor started, for its progress lines. */
export function startClock() {
  const started = Date.now();
  return () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
}

/**
 * The configuration, or a message in words and exit 1: a bad environment stops the start-up.
 * `check` adds the command's own refusals (as ConfigError problems).
 */
export function loadConfigOrExit(command: string, check: (config: Config) => string[] = () => []): Config {
  try {
    const config = loadConfig();
    const problems = check(config);
    if (problems.length) throw new ConfigError(problems);
    return config;
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`${error.message}\nFix the environment and run ${command} again.`);
      process.exit(1);
    }
    throw error;
  }
}

/** Applies the migrations and loads the demo data (both idempotent). */
export async function prepareDatabase(databaseUrl: string, log: (line: string) => void, elapsed: () => string) {
  await migrateDatabase(databaseUrl);
  const prisma = createPrismaClient(databaseUrl);
  const demo = await loadDemoData(prisma).finally(() => prisma.$disconnect());
  log(`Migrations applied; demo data loaded (${demo.productCount} products) after ${elapsed()}.`);
}

/** The embedded default needs no set-up, so it keeps a generated secret beside its data (0600). */
export async function localSecret(file: string) {
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing?.trim()) return existing.trim();
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString('base64');
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/** A URL with its password replaced, for printing. */
export function redact(url: string) {
  return url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@');
}

/**
 * A fresh clone has no built UI, and a pull may have changed its sources: build it (vite, ~20 s)
 * when admin-ui/dist is missing or older than them, so the API serves the current UI.
 */
export async function buildUiIfStale(log: (line: string) => void, elapsed: () => string) {
  if (!uiBuildIsStale()) return;
  log('Building the back office and partner portal (admin-ui)...');
  try {
    await ensureUiBuilt();
    log(`UI built after ${elapsed()}.`);
  } catch (error) {
    log(`The UI could not be built (${error instanceof Error ? error.message : String(error)}); run \`npm run ui:build\` and restart.`);
  }
}

/** One aligned "label   value" line of the start-up summary. */
export const summaryLine = (log: (line: string) => void) => (label: string, value: string) => log(`  ${label.padEnd(22)} ${value}`);

/** The end of the start-up summary both `npm start` and `npm run cluster` print: the mail, the demo logins, how to stop. */
export function printMailAndLogins(log: (line: string) => void, smtpUrl: string, mailDir: string | undefined) {
  summaryLine(log)('SMTP', `${redact(smtpUrl)}${mailDir ? ` -> messages kept in ${path.relative(ROOT, mailDir)}/ (index.jsonl + .eml)` : ''}`);
  log(`\nDemo logins (password for all: ${DEMO_PASSWORD}):`);
  for (const user of DEMO_USERS) summaryLine(log)(user.role, user.email);
  log('\nPress Ctrl-C to stop.');
}
