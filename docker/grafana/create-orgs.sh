#!/usr/bin/env bash
# grafana-orgs (docker/compose.yml): makes sure Grafana's organisation 2, the citizens', exists before Grafana
# starts with the provisioning files, which refer to orgId 2 and stop Grafana when it is missing.
# Runs in the grafana image on Grafana's data volume: starts Grafana with no provisioning on 127.0.0.1 only,
# creates the organisation through the HTTP API when it is missing (the admin user becomes its admin), checks
# its id, and stops Grafana. Idempotent: later runs only check. GRAFANA_START: the command that starts Grafana
# (default: /run.sh, the image's entrypoint; test/docker/compose.e2e-spec.ts starts a stand-in).
set -euo pipefail
org="${GRAFANA_CITIZENS_ORG:?GRAFANA_CITIZENS_ORG is not set}"
auth="${GF_SECURITY_ADMIN_USER:-admin}:${GF_SECURITY_ADMIN_PASSWORD:?GF_SECURITY_ADMIN_PASSWORD is not set}"
api="http://127.0.0.1:${GF_SERVER_HTTP_PORT:-3000}/api"
expected_id=2
say() { echo "grafana-orgs: $*" >&2; }

if ! [[ "$org" =~ ^[A-Za-z0-9][A-Za-z0-9\ _.-]*$ ]]; then
  say "GRAFANA_CITIZENS_ORG '$org': letters, digits, spaces, '.', '_' and '-' only"
  exit 1
fi

# The image's own entrypoint, with an empty provisioning directory.
GF_PATHS_PROVISIONING="$(mktemp -d)" "${GRAFANA_START:-/run.sh}" &
grafana_pid=$!
trap 'kill -TERM "$grafana_pid" 2>/dev/null || true; wait "$grafana_pid" 2>/dev/null || true' EXIT

for _ in $(seq 1 180); do
  curl -fsS "$api/health" >/dev/null 2>&1 && break
  if ! kill -0 "$grafana_pid" 2>/dev/null; then
    say "Grafana stopped while starting"
    exit 1
  fi
  sleep 1
done
curl -fsS "$api/health" >/dev/null || { say "Grafana did not answer within 180 s"; exit 1; }

# Answers "<body>\n<status>".
request() { curl -sS -u "$auth" -H 'content-type: application/json' -w '\n%{http_code}' "$@"; }

reply="$(request "$api/orgs/name/${org// /%20}")"
status="${reply##*$'\n'}"
body="${reply%$'\n'*}"
case "$status" in
  200) id="$(grep -o '"id":[0-9]*' <<<"$body" | head -n 1 | cut -d: -f2)" ;;
  404)
    reply="$(request -X POST --data "{\"name\":\"$org\"}" "$api/orgs")"
    status="${reply##*$'\n'}"
    body="${reply%$'\n'*}"
    if [ "$status" != 200 ]; then
      say "creating organisation '$org' failed: HTTP $status $body"
      exit 1
    fi
    id="$(grep -o '"orgId":[0-9]*' <<<"$body" | cut -d: -f2)"
    say "created organisation '$org'"
    ;;
  401)
    say "Grafana refused the admin login: GRAFANA_ADMIN_USER/GRAFANA_ADMIN_PASSWORD in docker/.env differ from" \
      "the ones in Grafana's volume (they are set when it is created)"
    exit 1
    ;;
  *)
    say "looking up organisation '$org' failed: HTTP $status $body"
    exit 1
    ;;
esac

if [ "$id" != "$expected_id" ]; then
  say "organisation '$org' has id ${id:-?}, but the provisioning files (dashboards/provisioning) put the" \
    "citizens' dashboards and datasource in orgId $expected_id"
  exit 1
fi
say "organisation '$org' is org $id"
