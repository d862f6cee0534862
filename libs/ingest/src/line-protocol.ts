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
  return inTimeOrder(tagPart, readings) ?? grouped(tagPart, readings);
}

/**
 * The usual payload, in one pass: each instant's readings side by side, instants in increasing order, no metric
 * twice in one instant. Anything else (undefined) goes through `grouped`, which gives the same lines.
 */
function inTimeOrder(tagPart: string, rs: readonly ValidReading[]): string[] | undefined {
  const lines: string[] = [];
  let i = 0;
  while (i < rs.length) {
    const ts = rs[i].ts;
    let set = field(rs[i].metric, rs[i].value);
    let j = i + 1;
    for (; j < rs.length && rs[j].ts === ts; j++) {
      for (let k = i; k < j; k++) if (rs[k].metric === rs[j].metric) return undefined;
      set += `,${field(rs[j].metric, rs[j].value)}`;
    }
    if (j < rs.length && rs[j].ts < ts) return undefined;
    lines.push(`${tagPart} ${set} ${ts}`);
    i = j;
  }
  return lines;
}

/** One line per instant, in order of first appearance; a metric given twice for an instant keeps its last value. */
function grouped(tagPart: string, readings: readonly ValidReading[]): string[] {
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
    const set = [...fields].map(([metric, value]) => field(metric, value)).join(',');
    lines.push(`${tagPart} ${set} ${ts}`);
  }
  return lines;
}

function field(metric: string, value: number | boolean): string {
  return `${escapeLp(metric)}=${formatValue(value)}`;
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
