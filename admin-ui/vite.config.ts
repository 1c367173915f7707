import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const root = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.join(root, 'dist');

/** Text files worth compressing; smaller ones cost more in headers than they save. */
const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt|map)$/;
const MIN_BYTES = 1024;

/**
 * Writes `file.br` (brotli, quality 11) and `file.gz` (gzip, level 9) beside each text file of
 * the build, once, at build time. The API's static handler (api/ui-static.ts) sends the one the
 * browser accepts with `Content-Encoding` and `Vary: Accept-Encoding`, so no request pays for
 * compression.
 */
function precompress(): Plugin {
  const brotli = promisify(brotliCompress);
  const gz = promisify(gzip);
  let dir = outDir;
  return {
    name: 'license-desk-precompress',
    apply: 'build',
    configResolved(config) {
      dir = path.resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      const files = (await readdir(dir, { recursive: true })).map((f) => path.join(dir, f)).filter((f) => COMPRESSIBLE.test(f));
      await Promise.all(
        files.map(async (file) => {
          if ((await stat(file)).size < MIN_BYTES) return;
          const body = await readFile(file);
          const [br, gzipped] = await Promise.all([
            brotli(body, {
              params: {
                [constants.BROTLI_PARAM_QUALITY]: 11,
                [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
                [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
              },
            }),
            gz(body, { level: 9 }),
          ]);
          await Promise.all([writeFile(`${file}.br`, br), writeFile(`${file}.gz`, gzipped)]);
        }),
      );
    },
  };
}

/**
 * The back office and partner portal. `npm run ui:build` writes admin-ui/dist, which the API
 * serves; `npm run ui:dev` serves it with hot reload and proxies /api to a running API.
 * Pages behind the login are split into chunks of their own (see src/common/lazyPage.ts).
 */
/**
 * LICENSE_DESK_UI_SINGLE_BUNDLE=1 builds the UI as it was before: one bundle, no precompressed
 * files. Only the first-load benchmark's baseline uses it (bench/measure-first-load.ts).
 */
const singleBundle = process.env.LICENSE_DESK_UI_SINGLE_BUNDLE === '1';

export default defineConfig({
  root,
  base: './',
  plugins: singleBundle ? [react()] : [react(), precompress()],
  build: {
    outDir,
    emptyOutDir: true,
    chunkSizeWarningLimit: 3000,
    sourcemap: false,
    rollupOptions: {
      output: singleBundle
        ? { inlineDynamicImports: true }
        : {
            // react-admin's core is one web of modules that re-export each other; split across
            // chunks it would load in the wrong order (Rollup warns of circular chunks), so it
            // stays whole, loaded with the app after the login form (src/boot.tsx). React has a
            // chunk of its own: the login form needs it, and left unassigned it would be drawn
            // into react-admin's (its dependency) and bring that into the first load.
            manualChunks(id) {
              if (id.includes('/node_modules/ra-core/')) return 'react-admin-core';
              if (/\/node_modules\/(react|react-dom|scheduler)\//.test(id)) return 'react';
            },
          },
      // zod's sources carry /*#__PURE__*/ comments Rollup cannot place; harmless, and noisy.
      onwarn(warning, warn) {
        if (warning.code === 'INVALID_ANNOTATION') return;
        warn(warning);
      },
    },
  },
  server: {
    proxy: { '/api': { target: process.env.API_URL ?? 'http://localhost:3000', changeOrigin: false } },
  },
});
