import { execFile } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { createBrotliDecompress } from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';
import { TOOLS_DIR } from './tools.ts';

const run = promisify(execFile);

/** Debian's package (`apt-get install chromium`): used when it is there. */
export const DEBIAN_CHROMIUM = '/usr/bin/chromium';

export interface ResolvedChromium {
  executablePath: string;
  /** Added to the browser's environment: the npm build finds its own libraries and fonts. */
  env: Record<string, string>;
  source: 'CHROMIUM_PATH' | 'debian' | 'npm';
}

/**
 * Which Chromium the browser tests and the benchmark drive: CHROMIUM_PATH when set, else
 * Debian's when it is installed, else the build that the `@sparticuz/chromium` devDependency
 * ships (unpacked once into the tools folder). LICENSE_DESK_BROWSER=npm skips Debian's, so the
 * npm build can be tried on a machine that has both.
 */
export async function resolveChromium(environment: NodeJS.ProcessEnv = process.env): Promise<ResolvedChromium> {
  if (environment.CHROMIUM_PATH) return { executablePath: environment.CHROMIUM_PATH, env: {}, source: 'CHROMIUM_PATH' };
  if (environment.LICENSE_DESK_BROWSER !== 'npm' && existsSync(DEBIAN_CHROMIUM)) return { executablePath: DEBIAN_CHROMIUM, env: {}, source: 'debian' };
  return { ...(await ensureNpmChromium()), source: 'npm' };
}

export async function launchChromium(): Promise<Browser> {
  const { executablePath, env } = await resolveChromium();
  return chromium.launch({
    executablePath,
    env: { ...process.env, ...env },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/** Where the npm package keeps its brotli-packed build, and its version (which names our copy). */
function npmPackage(): { binDir: string; version: string } {
  // Its entry point sits some folders down (build/, build/cjs/ by release), and build/cjs has a
  // package.json of its own: the package's is the first one up that carries its name.
  const name = '@sparticuz/chromium';
  for (let dir = path.dirname(createRequire(import.meta.url).resolve(name)); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    const { name: found, version } = existsSync(manifest)
      ? (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version: string })
      : { version: '' };
    if (found === name) return { binDir: path.join(dir, 'bin'), version };
  }
  throw new Error(`${name} has no package.json`);
}

/**
 * Unpacks the npm build into TOOLS_DIR/chromium-<version> the first time (about 8 s on 2 cores), with the
 * libraries it needs beyond glibc (NSS, NSPR, expat: the package's al2023.tar.br) and its fonts.
 * The package's own executablePath() unpacks into the shared /tmp and adds those libraries only on
 * Amazon Linux, so this does it here. Test files run side by side: each unpacks into its own
 * folder and renames it into place, and a file that loses that race uses the winner's copy.
 */
export async function ensureNpmChromium(): Promise<Omit<ResolvedChromium, 'source'>> {
  const { binDir, version } = npmPackage();
  const dir = path.join(TOOLS_DIR, `chromium-${version}`);
  const resolved = {
    executablePath: path.join(dir, 'chromium'),
    env: { LD_LIBRARY_PATH: path.join(dir, 'lib'), FONTCONFIG_PATH: dir },
  };
  if (existsSync(resolved.executablePath)) return resolved;

  await mkdir(TOOLS_DIR, { recursive: true });
  const partial = await mkdtemp(path.join(TOOLS_DIR, `.chromium-${version}-`));
  try {
    await pipeline(
      createReadStream(path.join(binDir, 'chromium.br')),
      createBrotliDecompress(),
      createWriteStream(path.join(partial, 'chromium'), { mode: 0o755 }),
    );
    for (const archive of ['al2023.tar.br', 'fonts.tar.br', 'swiftshader.tar.br']) await untarBrotli(path.join(binDir, archive), partial);
    // The package's fonts.conf names /tmp/fonts; this one names the fonts unpacked here.
    await writeFile(
      path.join(partial, 'fonts.conf'),
      `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <dir>${path.join(dir, 'fonts')}</dir>\n  <cachedir>${path.join(dir, 'fonts-cache')}</cachedir>\n</fontconfig>\n`,
    );
    await chmod(partial, 0o755);
    await rename(partial, dir);
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    if (!existsSync(resolved.executablePath)) throw error;
  }
  return resolved;
}

/** A .tar.br into a folder, through the system's tar (every Linux has one). */
async function untarBrotli(archive: string, into: string): Promise<void> {
  const tarFile = path.join(into, path.basename(archive, '.br'));
  await pipeline(createReadStream(archive), createBrotliDecompress(), createWriteStream(tarFile));
  await run('tar', ['-xf', tarFile, '-C', into, '--no-same-owner']).catch((error: Error & { stderr?: string }) => {
    throw new Error(`tar could not unpack ${archive}: ${error.stderr?.trim() || error.message}`);
  });
  await rm(tarFile);
}
