// Builds or fetches the tools that npm does not ship (see embedded/tools.ts). Idempotent.
import { ensureTemporalCli, ensureTemporalTestServer } from '../embedded/tools.ts';

const started = Date.now();
await ensureTemporalCli();
await ensureTemporalTestServer();
console.log(`Tools ready in ${((Date.now() - started) / 1000).toFixed(1)}s.`);
