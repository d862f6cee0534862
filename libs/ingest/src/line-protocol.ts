import { ValidReading } from '@vigie/domain';

/** Tags of every reading point: low-cardinality identifiers. */
export interface PointTags {
  readonly tenant: string;
  readonly site?: string;
  readonly device: string;
}

const SPECIAL = /[,= \\]/;
const SPECIAL_ALL = /[,= \\]/g;

/** Escapes commas, spaces, equals signs and backslashes in measurement names, tag keys, values and field keys. */
function escapeLp(value: string): string {
  return SPECIAL.test(value) ? value.replace(SPECIAL_ALL, (c) => `\\${c}`) : value;
}

function formatValue(value: number | boolean): string {
  // Numbers are always floats (no `i` suffix): each field keeps one type forever.
  return typeof value === 'boolean' ? (value ? 'true' : 'false') : String(value);
}

/**
 * Turns valid readings into InfluxDB line protocol at millisecond precision: one line per timestamp, all
 * metrics of that instant as fields of the kind's measurement.
 */
export function toLineProtocol(
  measurement: string,
  tags: PointTags,
  readings: readonly ValidReading[],
): string[] {
  const tagPart =
    `${escapeLp(measurement)},device=${escapeLp(tags.device)}` +
    (tags.site ? `,site=${escapeLp(tags.site)}` : '') +
    `,tenant=${escapeLp(tags.tenant)}`;
  // One line per instant; a metric given twice for the same instant keeps its last value.
  const byTs = new Map<number, Map<string, number | boolean>>();
  for (const r of readings) {
    let fields = byTs.get(r.ts);
    if (!fields) {
      fields = new Map();
      byTs.set(r.ts, fields);
    }
    fields.set(r.metric, r.value);
  }
  const lines: string[] = [];
  for (const [ts, fields] of byTs) {
    const set = [...fields].map(([metric, value]) => `${escapeLp(metric)}=${formatValue(value)}`).join(',');
    lines.push(`${tagPart} ${set} ${ts}`);
  }
  return lines;
}

/** Measurement of refused readings (Grafana's "rejected payloads"): one point per payload and reason. */
export const REJECTED_MEASUREMENT = 'rejected';

/**
 * The `rejected` points of one refused (or partly refused) payload: tags tenant, site, device, reason; field
 * `readings`, how many of its readings were refused for that reason (1 for a payload refused as a whole); time,
 * when it was received. The dead letter keeps the payload and the details; these points make refusals countable
 * per device and reason over time.
 */
export function toRejectedLines(
  tags: PointTags,
  rejections: readonly { readonly reason: string }[],
  receivedAt: number,
): string[] {
  const byReason = new Map<string, number>();
  for (const r of rejections) byReason.set(r.reason, (byReason.get(r.reason) ?? 0) + 1);
  const tagPart =
    `${REJECTED_MEASUREMENT},device=${escapeLp(tags.device)}` +
    (tags.site ? `,site=${escapeLp(tags.site)}` : '');
  return [...byReason].map(
    ([reason, n]) =>
      `${tagPart},reason=${escapeLp(reason)},tenant=${escapeLp(tags.tenant)} readings=${n} ${receivedAt}`,
  );
}
