import { statSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, type WorkerOptions } from '@temporalio/worker';

/** The workflows' entry point, as the worker bundles it. */
export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

/** webpack's progress lines are noise in a start-up log; a failed bundle still throws with its errors. */
const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/**
 * Bundles the workflows once into a file (Temporal's "prebuilt workflow bundle"). A worker given
 * it starts without webpack's several seconds of CPU: so does every replica of a cluster, and a
 * worker the supervisor restarts after a crash. Written to a temporary name and renamed, so that a
 * worker never reads half a file.
 */
export async function buildWorkflowBundle(outFile: string): Promise<string> {
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quiet as never }).catch((error: unknown) => {
    throw new Error(`Bundling the workflows (workflows/index.ts) failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  });
  await mkdir(path.dirname(outFile), { recursive: true });
  const partial = `${outFile}.${process.pid}.partial`;
  await writeFile(partial, code);
  await rename(partial, outFile);
  return outFile;
}

/**
 * The worker's workflow code: the prebuilt bundle at WORKFLOW_BUNDLE_PATH when set, else the
 * workflows bundled at boot. A path that names no file is refused in words rather than by webpack;
 * npm start and the cluster check a given path this way before they start anything.
 */
export function workflowCode(bundlePath: string | undefined): Pick<WorkerOptions, 'workflowsPath' | 'workflowBundle'> {
  if (!bundlePath) return { workflowsPath: WORKFLOWS_PATH };
  if (!statSync(bundlePath, { throwIfNoEntry: false })?.isFile())
    throw new Error(`WORKFLOW_BUNDLE_PATH names no file: ${bundlePath}. Build one with: npm run build:workflows -- ${bundlePath}`);
  return { workflowBundle: { codePath: bundlePath } };
}
