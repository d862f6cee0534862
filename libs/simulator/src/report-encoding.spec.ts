import type { DeviceReport, SimulatedDevice } from '@vigie/devices';
import { ENERGY_METER, LIGHT_CONTROLLER } from '@vigie/devices';
import { dryRunIngestor } from '@vigie/ingest';
import { encodeReports, OutgoingMessage } from './report-encoding';
import { formatDuration, formatProgress } from './progress';

const T0 = Date.UTC(2025, 2, 1, 0, 0, 0);
const RECEIVED = T0 + 30 * 86_400_000;
const ingestor = dryRunIngestor();

const meter = (transport: SimulatedDevice['transport']): SimulatedDevice => ({
  id: 'meter-1',
  kind: 'energy-meter',
  site: 'school-1',
  intervalS: 900,
  transport,
});

function reports(n: number, extra: (i: number) => Partial<DeviceReport> = () => ({})): DeviceReport[] {
  return Array.from({ length: n }, (_, i) => ({
    device: 'meter-1',
    ts: T0 + i * 900_000,
    values: { energy_kwh: 1000 + i * 0.5, power_w: 2000 + i },
    ...extra(i),
  }));
}

/** What Vigie's real pipeline makes of a message: its line-protocol lines and refusal reasons. */
function ingest(m: OutgoingMessage, kind = ENERGY_METER) {
  const { outcome, batch } = ingestor.prepare(
    { tenant: 'demo', device: m.device, site: 'school-1', kind },
    m.topic,
    Buffer.from(m.payload),
    RECEIVED,
  );
  return { accepted: outcome.accepted, reasons: outcome.rejections.map((r) => r.reason), lines: batch.lines };
}

describe('encodeReports', () => {
  it.each(['vigie-json', 'senml'] as const)(
    'batches %s history into messages Vigie stores reading for reading',
    (transport) => {
      const sent = reports(500);
      const messages = encodeReports(meter(transport), 'demo', ENERGY_METER, sent, {
        batch: true,
        maxReadings: 200,
        maxBytes: 48 * 1024,
      });
      expect(messages.length).toBe(5); // 1,000 readings, 200 a message
      expect(messages.every((m) => m.topic === 'vigie/demo/devices/meter-1/readings')).toBe(true);
      const results = messages.map((m) => ingest(m));
      expect(results.flatMap((r) => r.reasons)).toEqual([]);
      expect(results.reduce((n, r) => n + r.accepted, 0)).toBe(1000);
      expect(messages.reduce((n, m) => n + m.readings, 0)).toBe(1000);
      const lines = results.flatMap((r) => r.lines);
      expect(lines[0]).toBe(
        `energy_meter,device=meter-1,site=school-1,tenant=demo energy_kwh=1000,power_w=2000 ${T0}`,
      );
      expect(lines[499]).toBe(
        `energy_meter,device=meter-1,site=school-1,tenant=demo energy_kwh=1249.5,power_w=2499 ${T0 + 499 * 900_000}`,
      );
    },
  );

  it('keeps every payload under the byte limit', () => {
    const messages = encodeReports(meter('senml'), 'demo', ENERGY_METER, reports(400), {
      batch: true,
      maxReadings: 1000,
      maxBytes: 4096,
    });
    expect(messages.length).toBeGreaterThan(3);
    for (const m of messages) expect(Buffer.byteLength(m.payload)).toBeLessThanOrEqual(4096);
    expect(messages.reduce((n, m) => n + m.timestamps.length, 0)).toBe(400);
  });

  it('sends one message per report when not batching (live)', () => {
    const messages = encodeReports(meter('vigie-json'), 'demo', ENERGY_METER, reports(3), {
      batch: false,
      maxReadings: 1000,
      maxBytes: 48 * 1024,
    });
    expect(messages.map((m) => JSON.parse(m.payload))).toEqual([
      { ts: T0, values: { energy_kwh: 1000, power_w: 2000 } },
      { ts: T0 + 900_000, values: { energy_kwh: 1000.5, power_w: 2001 } },
      { ts: T0 + 1_800_000, values: { energy_kwh: 1001, power_w: 2002 } },
    ]);
  });

  it('sends a duplicated report alone, that many times, and counts its readings once', () => {
    const sent = reports(10, (i) => (i === 4 ? { copies: 3 } : {}));
    const messages = encodeReports(meter('vigie-json'), 'demo', ENERGY_METER, sent, {
      batch: true,
      maxReadings: 1000,
      maxBytes: 48 * 1024,
    });
    expect(messages.map((m) => [m.timestamps.length, m.copies])).toEqual([
      [4, 1],
      [1, 3],
      [5, 1],
    ]);
    expect(messages.reduce((n, m) => n + m.readings, 0)).toBe(20);
  });

  it('breaks a malformed report alone, so Vigie refuses it and stores every other reading', () => {
    const sent = reports(6, (i) => (i === 2 ? { malformed: true } : {}));
    const messages = encodeReports(meter('senml'), 'demo', ENERGY_METER, sent, {
      batch: true,
      maxReadings: 1000,
      maxBytes: 48 * 1024,
    });
    expect(messages.map((m) => m.malformed)).toEqual([false, true, false]);
    const results = messages.map((m) => ingest(m));
    expect(results.map((r) => r.accepted)).toEqual([4, 0, 6]);
    expect(results[1].reasons).toEqual(['invalid_json']);
    expect(messages.map((m) => m.readings)).toEqual([4, 0, 6]);
  });

  it('encodes booleans as SenML vb records that Vigie reads back', () => {
    const light: SimulatedDevice = {
      id: 'lp-1',
      kind: 'light-controller',
      intervalS: 900,
      transport: 'senml',
    };
    const [m] = encodeReports(
      light,
      'demo',
      LIGHT_CONTROLLER,
      [{ device: 'lp-1', ts: T0, values: { lamp_on: true, power_w: 52.5, lamp_failure: false } }],
      { batch: true, maxReadings: 1000, maxBytes: 48 * 1024 },
    );
    expect(JSON.parse(m.payload)).toEqual([
      { bn: 'urn:dev:vigie:lp-1:', bt: T0 / 1000, n: 'lamp_on', vb: true },
      { n: 'power_w', v: 52.5 },
      { n: 'lamp_failure', vb: false },
    ]);
    const r = ingest({ ...m, device: 'lp-1' }, LIGHT_CONTROLLER);
    expect(r.lines).toEqual([
      `light_controller,device=lp-1,site=school-1,tenant=demo lamp_on=true,power_w=52.5,lamp_failure=false ${T0}`,
    ]);
  });
});

describe('progress', () => {
  it('formats durations for people', () => {
    expect([formatDuration(42_000), formatDuration(192_000), formatDuration(3_900_000)]).toEqual([
      '42s',
      '3m 12s',
      '1h 05m',
    ]);
  });

  it('shows the bar, the simulated time, the rate and the time left', () => {
    const from = Date.UTC(2026, 10, 1);
    const line = formatProgress(
      {
        from,
        to: from + 10 * 86_400_000,
        simulatedTo: from + 2.5 * 86_400_000,
        reports: 0,
        messages: 0,
        readings: 1_500_000,
        duplicates: 0,
        malformed: 0,
        elapsedMs: 30_000,
      },
      20,
    );
    expect(line).toBe(
      '[#####---------------]  25% · simulated 2026-11-03 12:00 UTC · 1.50 M readings · 50.0 k/s · ETA 1m 30s',
    );
  });
});
