// A worker for the no-op workflow, a child process of `npm run bench`, shaped like worker/main.ts
// (one process, one NativeConnection, default worker options) so the baseline pays what a real
// worker pays per workflow.
import { fileURLToPath } from 'node:url';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';

Runtime.install({ logger: new DefaultLogger('WARN') });
const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
const worker = await Worker.create({
  connection,
  namespace: process.env.TEMPORAL_NAMESPACE,
  taskQueue: process.env.TEMPORAL_TASK_QUEUE!,
  workflowsPath: fileURLToPath(new URL('./workflows/noop.ts', import.meta.url)),
});
console.log(`noop worker ready on ${process.env.TEMPORAL_TASK_QUEUE}`);
// The SDK's runtime stops the worker on SIGTERM.
await worker.run();
await connection.close();
