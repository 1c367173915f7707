// Builds or fetches the tools that npm does not ship (see embedded/tools.ts). Idempotent.
import {
  ensureJq,
  ensureSchemathesis,
  ensureSqliteBackup,
  ensureTemporalCli,
  ensureTemporalServer,
  ensureTemporalTestServer,
  ensureTemporalUiServer,
} from '../embedded/tools.ts';

const started = Date.now();
await ensureTemporalCli();
// For `npm run backup`: a consistent copy of Temporal's live SQLite store.
await ensureSqliteBackup();
await ensureTemporalTestServer();
// For the tests of docs/license-file.md's openssl recipe: jq, as gojq.
await ensureJq();
// For `npm run cluster` and its failover suite: the Temporal server, its SQL tool and the Web UI.
await ensureTemporalServer();
await ensureTemporalUiServer();
// For `npm run test:contract`: the OpenAPI conformance run.
await ensureSchemathesis();
console.log(`Tools ready in ${((Date.now() - started) / 1000).toFixed(1)}s.`);
