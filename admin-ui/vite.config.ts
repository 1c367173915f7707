import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = path.dirname(fileURLToPath(import.meta.url));

/**
 * The back office and partner portal. `npm run ui:build` writes admin-ui/dist, which the API
 * serves; `npm run ui:dev` serves it with hot reload and proxies /api to a running API.
 */
export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: path.join(root, 'dist'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 3000,
    sourcemap: false,
    rollupOptions: {
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
