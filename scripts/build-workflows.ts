import path from 'node:path';
import { buildWorkflowBundle } from '../worker/workflow-bundle.ts';

/**
 * `npm run build:workflows [-- <file>]`: the workflows bundled once, for workers started with
 * WORKFLOW_BUNDLE_PATH=<file> (default dist/workflow-bundle.js). Rebuild it whenever workflows/ or
 * the domain rules they import change: a worker runs the bundle it is given.
 */
const out = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, '..', 'dist', 'workflow-bundle.js'));
const started = Date.now();
await buildWorkflowBundle(out);
console.log(`Workflow bundle written to ${out} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
