#!/usr/bin/env bash
# Runs once, when the influxdb container initialises an empty volume, after `influx setup` (organisation,
# bucket, operator token). The image's entrypoint configures the `influx` CLI with the operator token and
# exports DOCKER_INFLUXDB_INIT_BUCKET(_ID).
set -euo pipefail
: "${INFLUX_READ_USER:?INFLUX_READ_USER is not set}" "${INFLUX_READ_PASSWORD:?INFLUX_READ_PASSWORD is not set}"

# InfluxQL (/query?db=…, what Vigie and Grafana speak) finds a bucket through a database/retention-policy
# mapping: the bucket is the database of the same name, retention policy "autogen" (Vigie's own check,
# at start, then finds it and adds nothing).
influx v1 dbrp create \
  --db "$DOCKER_INFLUXDB_INIT_BUCKET" \
  --rp autogen \
  --bucket-id "$DOCKER_INFLUXDB_INIT_BUCKET_ID" \
  --default

# Grafana's login: a v1 (user/password) authorisation that can only read the bucket.
influx v1 auth create \
  --username "$INFLUX_READ_USER" \
  --password "$INFLUX_READ_PASSWORD" \
  --read-bucket "$DOCKER_INFLUXDB_INIT_BUCKET_ID" \
  --description "Grafana (read-only InfluxQL)"
