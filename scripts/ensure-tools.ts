// Builds or fetches the tools that npm does not ship (see embedded/tools.ts). Idempotent.
import { ensureTemporalCli, ensureTemporalServer, ensureTemporalTestServer, ensureTemporalUiServer } from '../embedded/tools.ts';

const started = Date.now();
await ensureTemporalCli();
await ensureTemporalTestServer();
// For `npm run cluster` and its failover suite: the Temporal server, its SQL tool and the Web UI.
await ensureTemporalServer();
await ensureTemporalUiServer();
console.log(`Tools ready in ${((Date.now() - started) / 1000).toFixed(1)}s.`);
