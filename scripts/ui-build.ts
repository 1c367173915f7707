import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../embedded/tools.ts';

export const UI_DIR = path.join(ROOT, 'admin-ui');
export const UI_DIST = path.join(UI_DIR, 'dist');

function newestMtime(target: string): number {
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

/** The sources the bundle is made of: the app, its config, and the shared request forms. */
const SOURCES = [
  path.join(UI_DIR, 'src'),
  path.join(UI_DIR, 'index.html'),
  path.join(UI_DIR, 'vite.config.ts'),
  path.join(ROOT, 'domain', 'request-forms.ts'),
  path.join(ROOT, 'domain', 'request-labels.ts'),
];

export function uiBuildIsStale(): boolean {
  const built = path.join(UI_DIST, 'index.html');
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  return SOURCES.some((source) => existsSync(source) && newestMtime(source) > builtAt);
}

/**
 * Builds admin-ui/dist when it is missing or older than its sources, with `vite build` in a child
 * process with NODE_ENV=production. In this process NODE_ENV may be something else (vitest sets
 * `test`), and vite then bundles React's development build: about 30% more JavaScript, as the
 * browser tests used to serve.
 */
export async function ensureUiBuilt(options: { outDir?: string; env?: NodeJS.ProcessEnv } = {}): Promise<void> {
  if (!options.outDir && !uiBuildIsStale()) return;
  const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const args = [
    vite,
    'build',
    '--config',
    path.join(UI_DIR, 'vite.config.ts'),
    '--logLevel',
    'warn',
    ...(options.outDir ? ['--outDir', options.outDir, '--emptyOutDir'] : []),
  ];
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, ...options.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) throw new Error(`vite build failed (exit ${code}):\n${output.join('').slice(-4000)}`);
}
