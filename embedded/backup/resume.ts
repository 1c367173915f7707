// After a restore: every open request must have its workflow in Temporal's store.
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import pg from 'pg';
import { startRequestWorkflow, WORKFLOW_BY_TYPE } from '../../api/requests/lifecycle.ts';
import type { RequestType } from '../../domain/request-forms.ts';
import type { DecisionPolicy } from '../../workflows/decision.ts';

// The statuses a request never leaves (the rest are open: its workflow still has work to do).
const FINAL_STATUSES = ['COMPLETED', 'REJECTED', 'CANCELLED', 'EXPIRED', 'FAILED'];

/**
 * The API records a request, then starts its workflow. A backup that falls between the two (the
 * start waits for the backup's lock on Temporal's store, the row is already in the database's
 * snapshot) holds the request without its workflow. The restore starts those workflows at once,
 * as the API would have (the API's own sweep for unstarted requests would too, later): the
 * workflow id is the request's, and every step is keyed by request and step, so any step the
 * request had already taken finds its own work and is not done twice.
 *
 * Returns the numbers of the requests resumed, and of open requests whose workflow has already
 * closed in Temporal (reported, left alone).
 */
export async function resumeRequestsWithoutWorkflow(options: {
  databaseUrl: string;
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  policy: Partial<DecisionPolicy>;
}) {
  const db = new pg.Client({ connectionString: options.databaseUrl });
  await db.connect();
  const { rows } = await db
    .query<{ id: string; number: number; type: RequestType; status: string; workflowId: string; companyId: string; companyName: string }>(
      `SELECT r.id, r.number, r.type::text AS type, r.status::text AS status, r."workflowId", r."companyId", c.name AS "companyName"
         FROM "Request" r JOIN "Company" c ON c.id = r."companyId" WHERE r.status::text <> ALL($1) ORDER BY r.number`,
      [FINAL_STATUSES],
    )
    .finally(() => db.end());

  const connection = await Connection.connect({ address: options.temporalAddress });
  try {
    const client = new Client({ connection, namespace: options.namespace });
    const resumed: number[] = [];
    const closed: Array<{ number: number; status: string }> = [];
    for (const request of rows) {
      const workflowType = WORKFLOW_BY_TYPE[request.type];
      if (!workflowType) continue;
      try {
        const description = await client.workflow.getHandle(request.workflowId).describe();
        if (description.status.name !== 'RUNNING') closed.push({ number: request.number, status: description.status.name });
      } catch (error) {
        if (!(error instanceof WorkflowNotFoundError)) throw error;
        // REJECT_DUPLICATE: a workflow of this id that has closed (and outlived retention) never runs again.
        if (await startRequestWorkflow({ client, taskQueue: options.taskQueue }, request, workflowType, options.policy, 'REJECT_DUPLICATE')) {
          resumed.push(request.number);
        }
      }
    }
    return { open: rows.length, resumed, closed };
  } finally {
    await connection.close();
  }
}
