#!/usr/bin/env bash
# The test command (`npm test`): format check, lint, typecheck, and every test — unit, golden files,
# integration and end to end — against real InfluxDB, Redis and MQTT clients that the harness starts.
#
# The end-to-end suite (one jest worker, ~7 min) is the longest task: it starts at once, beside everything
# else run one task at a time, so the two cores stay busy and the run takes about as long as that suite.
# Its output is kept in tmp/e2e-test.log and printed when it ends.
set -uo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false
mkdir -p tmp && rm -f tmp/test-results.jsonl
nx() { npx nx "$@" --skip-nx-cache --outputStyle=static; }
status=0
nx run e2e:test >tmp/e2e-test.log 2>&1 &
e2e=$!
npx prettier --check . >/dev/null || { echo "prettier: files need formatting (run 'npm run format')"; npx prettier --list-different .; status=1; }
nx run-many -t lint typecheck test --exclude=e2e --parallel=1 || status=1
nx run-many -t lint typecheck -p e2e --parallel=1 || status=1
wait "$e2e" || status=1
echo; echo "--- end-to-end tests (nx run e2e:test)"; cat tmp/e2e-test.log
node scripts/test-summary.js || status=1
exit $status
