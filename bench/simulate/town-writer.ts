import { DEVICE_KINDS, findDeviceKind, TownSimulation } from '@vigie/devices';
import { toLineProtocol } from '@vigie/ingest';
import { sleep } from '../ingest/common';

const DAY = 86_400_000;

/** Writes line protocol to InfluxDB 1.x's /write, retrying a failed batch up to 5 times. */
export async function writeLines(url: string, db: string, lines: readonly string[]): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(`${url}/write?db=${db}&precision=ms`, { method: 'POST', body: lines.join('\n') });
    if (res.status === 204) return;
    if (attempt >= 5) throw new Error(`write: HTTP ${res.status} ${await res.text()}`);
    await sleep(200);
  }
}

/** The readings' measurements (one per device kind; not kpi, alert or rejected). */
export const READING_MEASUREMENTS = DEVICE_KINDS.map((k) => `"${k.measurement}"`).join(', ');

/** Readings stored in InfluxDB for a tenant: every field of every point of the kinds' measurements. */
export async function countReadings(
  influx: { query(q: string): Promise<{ values: unknown[][] }[]> },
  tenant: string,
): Promise<number> {
  const series = await influx.query(
    `SELECT COUNT(*) FROM ${READING_MEASUREMENTS} WHERE tenant = '${tenant}'`,
  );
  let total = 0;
  for (const s of series) for (const row of s.values) for (const v of row.slice(1)) total += Number(v) || 0;
  return total;
}

/**
 * A simulated town's readings over [from, to), generated a day at a time and written straight to InfluxDB in
 * Vigie's schema (batches of 5,000 lines, 2 writers; malformed reports left out): no MQTT, no validation, no spool.
 */
export async function writeTownReadings(
  sim: TownSimulation,
  opts: {
    from: number;
    to: number;
    influxUrl: string;
    db: string;
    tenant?: string;
    onDay?: (t: number, readings: number) => void;
  },
): Promise<{ readings: number; seconds: number; generateSeconds: number }> {
  const tenant = opts.tenant ?? sim.town.tenant.id;
  const devices = new Map(sim.town.devices.map((d) => [d.id, d]));
  const started = performance.now();
  let generateMs = 0;
  let readings = 0;
  const pending: string[] = [];
  const writers = new Set<Promise<void>>();
  const flush = async (all: boolean) => {
    while (pending.length >= 5000 || (all && pending.length > 0)) {
      const batch = pending.splice(0, 5000);
      const w = writeLines(opts.influxUrl, opts.db, batch).finally(() => writers.delete(w));
      writers.add(w);
      if (writers.size >= 2) await Promise.race(writers);
    }
  };
  for (let t = opts.from; t < opts.to; t += DAY) {
    const g0 = performance.now();
    const reports = sim.advance(Math.min(t + DAY, opts.to));
    generateMs += performance.now() - g0;
    for (const r of reports) {
      if (r.malformed) continue;
      const device = devices.get(r.device);
      const kind = device && findDeviceKind(device.kind);
      if (!device || !kind) continue;
      const valid = Object.entries(r.values).map(([metric, value]) => ({ metric, value, ts: r.ts }));
      readings += valid.length;
      pending.push(
        ...toLineProtocol(kind.measurement, { tenant, site: device.site, device: device.id }, valid),
      );
    }
    await flush(false);
    opts.onDay?.(t + DAY, readings);
  }
  await flush(true);
  await Promise.all(writers);
  return { readings, seconds: (performance.now() - started) / 1000, generateSeconds: generateMs / 1000 };
}
