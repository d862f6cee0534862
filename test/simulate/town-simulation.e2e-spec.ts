import {
  createTownSimulation,
  DeviceReport,
  FAULT_KINDS,
  findDeviceKind,
  GroundTruthFault,
  parseScenario,
} from '@vigie/devices';
import { solarPosition } from '@vigie/domain';
import {
  BrokerProcess,
  expectEventually,
  isolatedEnv,
  metricValue,
  runVigie,
  startBrokerProcess,
  tempDir,
  vigieJson,
} from '@vigie/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { influxFor, rows } from '../support';

/**
 * `vigie simulate --backfill` of a small town through the real broker (every transport: Vigie JSON, SenML,
 * ChirpStack and TTS uplinks), then: every reading the simulator sent is in InfluxDB, and every fault of the
 * ground-truth log is visible in the stored readings — compared with the same town simulated without faults.
 */
const SCENARIO = join(__dirname, 'small-town.yaml');
const SEED = 7;
const INTERVAL_MS = 900_000;

interface Summary {
  tenant: string;
  from: string;
  to: string;
  devices: number;
  reports: number;
  messages: number;
  readings: number;
  duplicates: number;
  malformed: number;
  faults: number;
  groundTruth: string;
}

type Row = Record<string, unknown> & { time: number };

describe('vigie simulate --backfill: readings land, faults show', () => {
  const env = isolatedEnv();
  const influx = influxFor(env);
  const files = tempDir('vigie-simulate-');
  const scenario = parseScenario(readFileSync(SCENARIO, 'utf8'), SCENARIO);
  let broker: BrokerProcess;
  let summary: Summary;
  let faults: GroundTruthFault[];
  /** The same town, same seed and start, without faults: what each device would have said. */
  let clean: Map<string, DeviceReport[]>;
  const kindOf = new Map<string, string>();

  beforeAll(async () => {
    broker = await startBrokerProcess(env);
    const run = await runVigie(
      [
        'simulate',
        '--scenario',
        SCENARIO,
        '--backfill',
        '3d',
        '--seed',
        String(SEED),
        '--mqtt-url',
        `mqtt://127.0.0.1:${broker.mqttPort}`,
        '--ground-truth',
        join(files.dir, 'faults.jsonl'),
        '--json',
      ],
      env,
    );
    if (run.code !== 0) throw new Error(`vigie simulate exited ${run.code}: ${run.stderr}`);
    summary = JSON.parse(run.stdout) as Summary;
    faults = readFileSync(summary.groundTruth, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as GroundTruthFault)
      // The injected faults; the conditions the town got into by itself (`observed`) follow them.
      .filter((f) => !f.observed);
    const sim = createTownSimulation(
      { ...scenario, faults: [] },
      { seed: SEED, startMs: Date.parse(summary.from) },
    );
    for (const d of sim.town.devices) kindOf.set(d.id, d.kind);
    clean = new Map();
    for (const r of sim.advance(Date.parse(summary.to))) {
      const list = clean.get(r.device) ?? [];
      list.push(r);
      clean.set(r.device, list);
    }
  }, 120_000);

  afterAll(async () => {
    await broker.stop();
    files.remove();
  });

  /** Stored points of a device, oldest first; `from`/`to` in epoch ms. */
  async function stored(device: string, from = 0, to = Date.now() + 86_400_000): Promise<Row[]> {
    const measurement = findDeviceKind(kindOf.get(device) ?? '')?.measurement;
    if (!measurement) throw new Error(`unknown device ${device}`);
    return rows(
      await influx.query(
        `SELECT * FROM ${measurement} WHERE device = '${device}' AND time >= ${from}ms AND time < ${to}ms`,
      ),
    ) as Row[];
  }

  const fault = (kind: string): GroundTruthFault & { from: number; until: number } => {
    const f = faults.find((x) => x.kind === kind);
    if (!f) throw new Error(`no ${kind} in the ground truth`);
    return { ...f, from: Date.parse(f.start), until: Date.parse(f.end) };
  };
  const cleanIn = (device: string, from: number, to: number) =>
    (clean.get(device) ?? []).filter((r) => r.ts >= from && r.ts < to);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const nightHour = (ts: number) => {
    const h = Number(
      new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hour: '2-digit', hour12: false }).format(
        ts,
      ),
    );
    return h >= 2 && h < 4;
  };

  it('publishes a town of every transport and stores every reading it sent', async () => {
    expect(summary.tenant).toBe('petite-ville');
    expect(summary.devices).toBe(20);
    expect(summary.reports).toBeGreaterThan(20 * 3 * 96 * 0.95);
    expect(summary.malformed).toBeGreaterThan(0);
    expect(summary.duplicates).toBeGreaterThan(0);
    await expectEventually(
      async () => {
        const counts = await influx.query(`SELECT COUNT(*) FROM /.*/ WHERE tenant = 'petite-ville'`);
        // Every measurement but `rejected`, which counts the refused (malformed) reports.
        expect(counts.map((s) => s.name)).toContain('rejected');
        const total = counts
          .filter((s) => s.name !== 'rejected')
          .flatMap((s) => s.values.flatMap((v) => v.slice(1).map(Number)))
          .reduce((a, b) => a + b, 0);
        expect(total).toBe(summary.readings);
      },
      60_000,
      500,
    );
    const metrics = await broker.metrics();
    expect(
      metricValue(metrics, 'vigie_lorawan_uplinks_total{network="chirpstack",outcome="stored"}'),
    ).toBeGreaterThan(0);
    expect(
      metricValue(metrics, 'vigie_lorawan_uplinks_total{network="tts",outcome="stored"}'),
    ).toBeGreaterThan(0);
  });

  it('logs one fault of every kind, with its subject, window and magnitude', () => {
    expect(faults.map((f) => f.kind).sort()).toEqual([...FAULT_KINDS].sort());
    for (const f of faults) {
      expect(Date.parse(f.end)).toBeGreaterThan(Date.parse(f.start));
      expect(Date.parse(f.start)).toBeGreaterThanOrEqual(Date.parse(summary.from));
      expect(typeof f.magnitude).toBe('number');
    }
  });

  it('water_leak: the sector inflow night flow rises by the leak', async () => {
    const f = fault('water_leak');
    const points = (await stored('secteur-a-inflow-meter', f.from, f.until)).filter((p) => nightHour(p.time));
    const base = new Map(
      cleanIn('secteur-a-inflow-meter', f.from, f.until).map((r) => [r.ts, r.values['flow_m3h']]),
    );
    expect(points.length).toBeGreaterThanOrEqual(8);
    const rise = mean(points.map((p) => Number(p['flow_m3h']) - Number(base.get(p.time))));
    expect(rise).toBeGreaterThan(f.magnitude * 0.9);
    expect(rise).toBeLessThan(f.magnitude * 1.1);
  });

  it('lamp_failure: the lamp reports lamp_failure and no power when it should be lit', async () => {
    const f = fault('lamp_failure');
    const shouldBeLit = new Set(
      cleanIn(f.subject, f.from, f.until)
        .filter((r) => r.values['lamp_on'] === true)
        .map((r) => r.ts),
    );
    const points = (await stored(f.subject, f.from, f.until)).filter((p) => shouldBeLit.has(p.time));
    expect(points.length).toBeGreaterThan(20);
    expect(points.every((p) => p['lamp_failure'] === true && Number(p['power_w']) === 0)).toBe(true);
    const before = await stored(f.subject, 0, f.from);
    expect(before.every((p) => p['lamp_failure'] === false)).toBe(true);
  });

  it('lamp_lit_in_daylight: the lamp is lit while the sun is up', async () => {
    const f = fault('lamp_lit_in_daylight');
    const daylight = (await stored(f.subject, f.from, f.until)).filter(
      (p) => solarPosition(p.time, scenario.location.lat, scenario.location.lon).elevationDeg > 5,
    );
    expect(daylight.length).toBeGreaterThan(20);
    expect(daylight.every((p) => p['lamp_on'] === true && Number(p['power_w']) > 0)).toBe(true);
    const cleanDaylight = cleanIn(f.subject, f.from, f.until).filter(
      (r) => solarPosition(r.ts, scenario.location.lat, scenario.location.lon).elevationDeg > 5,
    );
    expect(cleanDaylight.every((r) => r.values['lamp_on'] === false)).toBe(true);
  });

  it('heating_on_in_holiday: the closed building is heated to its setpoint, so it draws more power', async () => {
    const f = fault('heating_on_in_holiday');
    const device = `${f.subject}-energy`;
    // Closed hours (the school opens 07:30–18:30 on weekdays): night power with the fault against without;
    // the town is cold all year, so the setpoint (19 °C) always costs more than the setback (13 °C).
    const closed = (ts: number) => {
      const h = Number(
        new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hour: '2-digit', hour12: false }).format(
          ts,
        ),
      );
      return h >= 21 || h < 5;
    };
    const night = (await stored(device, f.from, f.until)).filter((p) => closed(p.time));
    const cleanNight = cleanIn(device, f.from, f.until).filter((r) => closed(r.ts));
    expect(night.length).toBe(cleanNight.length);
    expect(night.length).toBeGreaterThanOrEqual(16);
    const withFault = mean(night.map((p) => Number(p['power_w'])));
    const without = mean(cleanNight.map((r) => Number(r.values['power_w'])));
    expect(withFault).toBeGreaterThan(without * 1.2);
  });

  it('water_running: the building water meter flows the magnitude more, closed hours included', async () => {
    const f = fault('water_running');
    const device = `${f.subject}-water`;
    const points = await stored(device, f.from + 900_000, f.until);
    const base = new Map(cleanIn(device, f.from, f.until).map((r) => [r.ts, Number(r.values['flow_m3h'])]));
    expect(points.length).toBeGreaterThanOrEqual(90);
    // Every quarter-hour, open or closed: 20 L/h = 0.02 m³/h on top of what the building uses.
    for (const p of points) expect(Number(p['flow_m3h']) - Number(base.get(p.time))).toBeCloseTo(0.02, 4);
    expect(Math.min(...points.map((p) => Number(p['flow_m3h'])))).toBeCloseTo(0.02, 4);
  });

  it('bin_overflow and bin_fire: fill above 100 %, temperature above the fire threshold', async () => {
    const overflow = fault('bin_overflow');
    const fill = (await stored(overflow.subject, overflow.from, overflow.until)).map((p) =>
      Number(p['fill_pct']),
    );
    expect(Math.max(...fill)).toBeGreaterThan(100);
    const fire = fault('bin_fire');
    const temps = (await stored(fire.subject, fire.from, fire.until)).map((p) => Number(p['temperature_c']));
    expect(Math.max(...temps)).toBeGreaterThanOrEqual(60);
    const before = (await stored(fire.subject, 0, fire.from)).map((p) => Number(p['temperature_c']));
    expect(Math.max(...before)).toBeLessThan(40);
  });

  it('device_silent: nothing stored in the window, readings before and after', async () => {
    const f = fault('device_silent');
    expect(await stored(f.subject, f.from, f.until)).toEqual([]);
    expect((await stored(f.subject, 0, f.from)).length).toBeGreaterThan(10);
    expect((await stored(f.subject, f.until)).length).toBeGreaterThan(10);
  });

  it('meter_index_reset: the cumulative index drops inside the window', async () => {
    const f = fault('meter_index_reset');
    const points = await stored(f.subject);
    const drops = points.slice(1).filter((p, i) => Number(p['energy_kwh']) < Number(points[i]['energy_kwh']));
    expect(drops.length).toBe(1);
    expect(drops[0].time).toBeGreaterThanOrEqual(f.from);
    expect(drops[0].time).toBeLessThan(f.until + INTERVAL_MS);
  });

  it('duplicated_messages: copies arrive and are counted, and each point is stored once', async () => {
    const f = fault('duplicated_messages');
    const points = await stored(f.subject, f.from, f.until);
    expect(points.map((p) => p.time)).toEqual(cleanIn(f.subject, f.from, f.until).map((r) => r.ts));
    const metrics = await broker.metrics();
    expect(metricValue(metrics, 'vigie_lorawan_duplicate_uplinks_total{network="chirpstack"}')).toBe(
      summary.duplicates,
    );
  });

  it('out_of_order_messages: every reading of the window is stored, in time order', async () => {
    const f = fault('out_of_order_messages');
    const points = await stored(f.subject, f.from, f.until);
    const expected = cleanIn(f.subject, f.from, f.until);
    expect(points.map((p) => [p.time, p['volume_m3']])).toEqual(
      expected.map((r) => [r.ts, r.values['volume_m3']]),
    );
  });

  it('clock_skew: every reading of the window is stored at its true time plus the skew', async () => {
    const f = fault('clock_skew');
    const skewMs = f.magnitude * 1000;
    const times = new Set((await stored(f.subject, f.from, f.until + skewMs)).map((p) => p.time));
    const window = cleanIn(f.subject, f.from, f.until);
    expect(window.length).toBeGreaterThan(10);
    expect(window.filter((r) => !times.has(r.ts + skewMs))).toEqual([]);
    expect(window.filter((r) => times.has(r.ts))).toEqual([]);
  });

  it('malformed_payloads: broken payloads are dead-lettered with their reason, the rest is stored', async () => {
    const f = fault('malformed_payloads');
    const letters = await vigieJson<{ device: string; reasons: string[] }[]>(
      ['deadletters', 'list', '--tenant', summary.tenant, '--limit', '1000'],
      env,
    );
    const mine = letters.filter((l) => l.device === f.subject);
    expect(mine.length).toBe(summary.malformed);
    expect(mine.every((l) => l.reasons.includes('invalid_json'))).toBe(true);
    const storedCount = (await stored(f.subject, f.from, f.until)).length;
    expect(storedCount + mine.length).toBe(cleanIn(f.subject, f.from, f.until).length);
  });
});

describe('vigie simulate --live --speed', () => {
  const env = isolatedEnv();
  const influx = influxFor(env);
  let broker: BrokerProcess;

  beforeAll(async () => {
    broker = await startBrokerProcess(env);
  });
  afterAll(async () => {
    await broker.stop();
  });

  it('runs the simulated clock faster, one message per report, and every reading lands', async () => {
    const began = Date.now();
    // Two simulated hours from two hours ago, at 3,600 simulated seconds a second: about two real seconds,
    // then the simulated clock has caught up with the real one and the run ends.
    const run = await runVigie(
      [
        'simulate',
        '--scenario',
        SCENARIO,
        '--live',
        '--speed',
        '3600',
        '--from',
        '2h',
        '--duration',
        '2h',
        '--tenant',
        'ville-en-direct',
        '--mqtt-url',
        `mqtt://127.0.0.1:${broker.mqttPort}`,
        '--ground-truth',
        join(tempDir('vigie-live-').dir, 'faults.jsonl'),
        '--json',
      ],
      env,
    );
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as Summary & { mode: string };
    expect(summary.mode).toBe('live');
    expect(summary.tenant).toBe('ville-en-direct');
    expect(Date.parse(summary.to) - Date.parse(summary.from)).toBe(2 * 3_600_000);
    expect(Date.parse(summary.from)).toBeGreaterThanOrEqual(began - 2 * 3_600_000 - 1000);
    // 20 devices, 8 quarter-hours each (7 or 8, by where the start falls); no fault in the first two hours.
    expect(summary.reports).toBeGreaterThanOrEqual(20 * 7);
    expect(summary.reports).toBeLessThanOrEqual(20 * 8);
    expect(summary.messages).toBe(summary.reports);
    expect(summary.duplicates + summary.malformed).toBe(0);
    await expectEventually(
      async () => {
        const counts = await influx.query(`SELECT COUNT(*) FROM /.*/ WHERE tenant = 'ville-en-direct'`);
        const total = counts
          .flatMap((s) => s.values.flatMap((v) => v.slice(1).map(Number)))
          .reduce((a, b) => a + b, 0);
        expect(total).toBe(summary.readings);
      },
      30_000,
      250,
    );
    const latest = rows(
      await influx.query(`SELECT LAST(power_w) FROM light_controller WHERE tenant = 'ville-en-direct'`),
    );
    expect(Number(latest[0]?.['time'])).toBeGreaterThan(began - 15 * 60_000);
    expect(Number(latest[0]?.['time'])).toBeLessThanOrEqual(Date.now());
  });
});
