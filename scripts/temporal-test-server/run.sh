#!/bin/sh
# Launches Temporal's Java time-skipping test server with the jars fetched by
# embedded/tools.ts. Called as run.sh <port> (by the SDK and by test/support/time-skipping.ts): without
# --enable-time-skipping, the clock moves only while a client unlocks it (waiting on a result).
here=$(cd "$(dirname "$0")" && pwd)
tools=${LICENSE_DESK_TOOLS_DIR:-$here/../../.tools}
# Tiered C1 only and class-data sharing: the SDK gives the server 5 s to start.
exec java -Xms64m -Xmx512m -XX:TieredStopAtLevel=1 -Xshare:auto -cp "$tools/temporal-test-server/lib/*" io.temporal.testserver.TestServer "$@"
