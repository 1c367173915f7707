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
const SOURCES = [path.join(UI_DIR, 'src'), path.join(UI_DIR, 'index.html'), path.join(UI_DIR, 'vite.config.ts'), path.join(ROOT, 'domain', 'request-forms.ts')];

export function uiBuildIsStale(): boolean {
  const built = path.join(UI_DIST, 'index.html');
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  return SOURCES.some((source) => existsSync(source) && newestMtime(source) > builtAt);
}

/** Builds admin-ui/dist with vite's JS API when it is missing or older than its sources. */
export async function ensureUiBuilt(): Promise<void> {
  if (!uiBuildIsStale()) return;
  const { build } = await import('vite');
  await build({ configFile: path.join(UI_DIR, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
}
