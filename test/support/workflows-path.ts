/** The workflows' entry point, as the worker bundles it. */
export { WORKFLOWS_PATH } from '../../worker/workflow-bundle.ts';
