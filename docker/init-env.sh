#!/usr/bin/env bash
# Creates docker/.env from docker/.env.example, filling every empty secret with a random value.
# Usage: docker/init-env.sh [target]   (default: docker/.env; an existing file is left as it is)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
target="${1:-$here/.env}"
secrets=(CREDENTIAL_KEY INFLUX_ADMIN_PASSWORD INFLUX_ADMIN_TOKEN INFLUX_READ_PASSWORD GRAFANA_ADMIN_PASSWORD)

if [ -e "$target" ]; then
  echo "$target exists: left as it is" >&2
  exit 0
fi

random_hex() { od -An -N32 -tx1 /dev/urandom | tr -d ' \n'; }

umask 077
while IFS= read -r line || [ -n "$line" ]; do
  for name in "${secrets[@]}"; do
    if [ "$line" = "$name=" ]; then
      line="$name=$(random_hex)"
    fi
  done
  printf '%s\n' "$line"
done <"$here/.env.example" >"$target"
echo "wrote $target with new secrets (${secrets[*]})" >&2
