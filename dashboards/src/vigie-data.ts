import {
  DEVICE_LOCATION_FIELDS,
  DEVICE_LOCATION_MEASUREMENT,
  DEVICE_LOCATION_TAGS,
  findKpiOutput,
  KPI_MEASUREMENT,
  KpiOutputId,
} from '@vigie/contracts';
import { DEVICE_KINDS, findDeviceKind } from '@vigie/devices';
import { findAlertRule } from '@vigie/domain';

/**
 * The names panels query, taken from the code that writes them (device kinds, KPI outputs, alert rules) so that a
 * renamed metric, KPI or rule breaks the generator instead of leaving a silent empty panel.
 */

/** Alert events (libs/alerts `ALERT_MEASUREMENT`, checked by the model test). */
export const ALERT_MEASUREMENT = 'alert';
/** Refused readings, one point per payload and reason (libs/ingest `REJECTED_MEASUREMENT`). */
export const REJECTED_MEASUREMENT = 'rejected';

/** `"tenant" = '$tenant'`: every query is scoped to the selected commune. */
export const TENANT = `"tenant" = '$tenant'`;

/** The InfluxDB measurement of a device kind (`bin-sensor` → `bin_sensor`). */
export function measurementOf(kind: string): string {
  const k = findDeviceKind(kind);
  if (!k) throw new Error(`dashboards: no device kind "${kind}"`);
  return k.measurement;
}

/** A metric (field) of a device kind, double-quoted for InfluxQL; throws when the kind has no such metric. */
export function field(kind: string, metric: string): string {
  const k = findDeviceKind(kind);
  if (!k || !Object.hasOwn(k.metrics, metric))
    throw new Error(`dashboards: ${kind} has no metric "${metric}"`);
  return `"${metric}"`;
}

/** `FROM "<measurement>"` of a device kind. */
export function from(kind: string): string {
  return `FROM "${measurementOf(kind)}"`;
}

/**
 * The newest position of each device of a kind, one row per device (columns `lat`, `lon`, tag `device`): the
 * registry's positions, which every KPI run of the tenant copies into `device_location` (libs/kpi
 * `DeviceLocationsWriter`). No `$timeFilter`, on purpose: a position is a state, the last one known holds whatever
 * the time range; the value target it is joined with (readings in the range) decides which devices show. `extra` is
 * an InfluxQL condition on the device tag (e.g. `"device" =~ /^$device$/`).
 */
export function devicePositions(kind: string, extra?: string): string {
  if (!findDeviceKind(kind)) throw new Error(`dashboards: no device kind "${kind}"`);
  const { lat, lon } = DEVICE_LOCATION_FIELDS;
  const conditions = [TENANT, `"${DEVICE_LOCATION_TAGS.kind}" = '${kind}'`, ...(extra ? [extra] : [])];
  return (
    `SELECT last("${lat}") AS "${lat}", last("${lon}") AS "${lon}" FROM "${DEVICE_LOCATION_MEASUREMENT}" ` +
    `WHERE ${conditions.join(' AND ')} GROUP BY "${DEVICE_LOCATION_TAGS.device}"`
  );
}

/** Every device kind, with the metric it reports in every payload (the first non-link metric of its catalogue). */
export const KINDS_WITH_HEARTBEAT: readonly { kind: string; measurement: string; metric: string }[] =
  DEVICE_KINDS.map((k) => ({
    kind: k.id,
    measurement: k.measurement,
    metric: Object.keys(k.metrics).find((m) => !/^(rssi_dbm|snr_db|battery_pct)$/.test(m)) ?? '',
  }));

/** Kinds that report a given metric (battery, LoRaWAN link quality). */
export function kindsWith(metric: string): readonly string[] {
  return DEVICE_KINDS.filter((k) => Object.hasOwn(k.metrics, metric)).map((k) => k.id);
}

/** A KPI output id, checked against the catalogue; returns its window. */
export function kpiWindow(id: KpiOutputId): string {
  const spec = findKpiOutput(id);
  if (!spec) throw new Error(`dashboards: no KPI output "${id}"`);
  return spec.window;
}

/**
 * `FROM "kpi" WHERE tenant, kpi, window [, subject] AND $timeFilter`: the points of one KPI output. `subject` is an
 * InfluxQL condition on the subject tag (e.g. `"subject" =~ /^$site$/`).
 */
export function kpiFrom(id: KpiOutputId, extra?: string): string {
  const conditions = [TENANT, `"kpi" = '${id}'`, `"window" = '${kpiWindow(id)}'`, ...(extra ? [extra] : [])];
  return `FROM "${KPI_MEASUREMENT}" WHERE ${conditions.join(' AND ')} AND $timeFilter`;
}

/**
 * Each subject's latest value of a KPI output in the time range, aggregated over the subjects (`mean` of the
 * sectors' efficiencies, `sum` of the buildings' base loads), as column `alias`.
 */
export function latestPerSubject(
  agg: 'mean' | 'sum',
  alias: string,
  id: KpiOutputId,
  extra?: string,
): string {
  return (
    `SELECT ${agg}("value") AS "${alias}" FROM (SELECT last("value") AS "value" ` +
    `${kpiFrom(id, extra)} GROUP BY "subject")`
  );
}

/** An alert rule id, checked against the rule catalogue. */
export function rule(id: string): string {
  if (!findAlertRule(id)) throw new Error(`dashboards: no alert rule "${id}"`);
  return id;
}

/**
 * The alerts still open (last event not `resolved`) among those with an event in the time range: one row per rule
 * and subject with its title, value, threshold and the time of its last event. `where` narrows the events.
 */
export function openAlertsQuery(where = ''): string {
  return (
    `SELECT "state", "title", "value", "threshold" FROM (SELECT last("state") AS "state", "title", "value", ` +
    `"threshold" FROM "${ALERT_MEASUREMENT}" WHERE ${TENANT}${where ? ` AND ${where}` : ''} AND $timeFilter ` +
    `GROUP BY "rule", "subject", "severity", "domain", "site") WHERE "state" <> 'resolved' ` +
    `GROUP BY "rule", "subject", "severity", "domain", "site"`
  );
}
