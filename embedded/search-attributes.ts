import { Connection } from '@temporalio/client';
// A CommonJS module: Node's ESM loader finds no named exports in it, so take the default.
import proto from '@temporalio/proto';
import { REQUEST_SEARCH_ATTRIBUTES } from '../workflows/search-attributes.ts';
import { waitFor } from './process.ts';

const { IndexedValueType } = proto.temporal.api.enums.v1;

/**
 * Registers the request workflows' search attributes on a namespace, through the operator service:
 * the Temporal dev server of `npm start` and the tests, and the cluster of `npm run cluster`.
 * The dev server's `--search-attribute` flag is not enough: it applies only when the namespace is
 * first created, so a data folder from before an attribute existed would never get it.
 *
 * Idempotent: attributes already there are left alone, so every start may call it. Answers the
 * names it added. Returns once the frontend accepts a query on all of them (a cluster's frontend
 * learns of new attributes through its namespace cache, refreshed about every 10 s); a workflow task
 * whose history host has not refreshed yet fails and is retried, so nothing is lost meanwhile.
 */
export async function registerSearchAttributes(options: { address: string; namespace: string; log?: (line: string) => void }): Promise<string[]> {
  const { address, namespace } = options;
  const connection = await Connection.connect({ address });
  try {
    const existing = (await connection.operatorService.listSearchAttributes({ namespace })).customAttributes ?? {};
    const missing: Record<string, proto.temporal.api.enums.v1.IndexedValueType> = {};
    for (const key of REQUEST_SEARCH_ATTRIBUTES) {
      const wanted = IndexedValueType[`INDEXED_VALUE_TYPE_${key.type}`];
      const found = existing[key.name];
      if (found === undefined) missing[key.name] = wanted;
      else if (found !== wanted) {
        throw new Error(
          `Search attribute ${key.name} exists on namespace ${namespace} as ${IndexedValueType[found]}, not ${IndexedValueType[wanted]}; remove it (temporal operator search-attribute remove --name ${key.name}) and start again.`,
        );
      }
    }
    const added = Object.keys(missing);
    if (added.length > 0) {
      await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
      options.log?.(`[temporal] registered search attributes ${added.join(', ')} on namespace ${namespace}`);
    }
    const probe = REQUEST_SEARCH_ATTRIBUTES.map((key) => `${key.name} = ''`).join(' AND ');
    await waitFor(
      `the search attributes to be served on namespace ${namespace}`,
      async () => {
        await connection.workflowService.countWorkflowExecutions({ namespace, query: probe });
        return true;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    return added;
  } finally {
    await connection.close();
  }
}
