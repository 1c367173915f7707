import { fileURLToPath } from 'node:url';

/** The workflows' entry point, as the worker bundles it. */
export const WORKFLOWS_PATH = fileURLToPath(new URL('../../workflows/index.ts', import.meta.url));
