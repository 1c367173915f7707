// The request workflows (one file per request type) are exported from here; the worker bundles
// this module. Workflow files import only @temporalio/workflow, message definitions, pure
// helpers and `import type` of activities.
export {};
