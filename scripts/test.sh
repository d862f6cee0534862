#!/usr/bin/env bash
# The test command (`npm test`): format check, lint, typecheck, and every test — unit, golden files,
# integration and end to end — against real InfluxDB, Redis and MQTT clients that the harness starts.
set -uo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false
mkdir -p tmp && rm -f tmp/test-results.jsonl
status=0
npx prettier --check . >/dev/null || { echo "prettier: files need formatting (run 'npm run format')"; npx prettier --list-different .; status=1; }
npx nx run-many -t lint typecheck test --skip-nx-cache --outputStyle=static --parallel=2 || status=1
node scripts/test-summary.js || status=1
exit $status
