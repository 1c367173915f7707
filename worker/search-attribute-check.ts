import { Connection } from '@temporalio/client';
import { REQUEST_SEARCH_ATTRIBUTES } from '../workflows/search-attributes.ts';

const PERMISSION_DENIED = 7;
const UNIMPLEMENTED = 12;

/** "KEYWORD" -> "Keyword", "KEYWORD_LIST" -> "KeywordList": the type names the `temporal` CLI takes. */
const cliType = (type: string) =>
  type
    .split('_')
    .map((word) => word[0] + word.slice(1).toLowerCase())
    .join('');

/**
 * Stops the worker in words when the namespace lacks a search attribute the request workflows use.
 * Without it, the API's every start is refused and every status change fails its workflow task
 * over and over; `npm start`, the cluster and compose register them, a Temporal server of one's
 * own (TEMPORAL_ADDRESS) may not have. A server that will not list them (no operator permission)
 * is given the benefit of the doubt.
 */
export async function refuseWithoutSearchAttributes(options: { address: string; namespace: string }) {
  const { address, namespace } = options;
  const connection = await Connection.connect({ address });
  let registered: Record<string, unknown>;
  try {
    registered = (await connection.operatorService.listSearchAttributes({ namespace })).customAttributes ?? {};
  } catch (error) {
    if ([PERMISSION_DENIED, UNIMPLEMENTED].includes((error as { code?: number }).code ?? -1)) return;
    throw error;
  } finally {
    await connection.close();
  }
  const missing = REQUEST_SEARCH_ATTRIBUTES.filter((key) => !(key.name in registered));
  if (missing.length === 0) return;
  throw new Error(
    `Temporal namespace ${namespace} at ${address} lacks the search attribute${missing.length > 1 ? 's' : ''} ${missing.map((key) => key.name).join(', ')}, ` +
      'which every request workflow carries. Register them once (docs/operations.md, "Finding a request in Temporal"), then start again: ' +
      `temporal operator search-attribute create --address ${address} --namespace ${namespace} ${missing.map((key) => `--name ${key.name} --type ${cliType(key.type)}`).join(' ')}`,
  );
}
