// The end-to-end benchmark's baseline: a workflow that does nothing, so that its throughput is
// the Temporal server's and the worker's own cost of one workflow execution.
export async function benchNoop(): Promise<void> {}
