import { BinSensorModel } from '../../bin-sensor/bin-sensor.model';
import { CabinetMeterModel } from '../../cabinet-meter/cabinet-meter.model';
import { BuildingEnergyModel } from '../../energy-meter/energy-meter.model';
import { IrrigationModel } from '../../irrigation-controller/irrigation-controller.model';
import { LightControllerModel } from '../../light-controller/light-controller.model';
import { RainGaugeModel } from '../../rain-gauge/rain-gauge.model';
import { BuildingWaterModel } from '../../water-meter/building-water.model';
import { WaterMeterModel } from '../../water-meter/water-meter.model';
import { WeatherStationModel } from '../../weather-station/weather-station.model';
import { findDeviceKind } from '../catalogue';
import { DeviceModel, ModelContext, round } from './device-model';
import { FaultWindow, resolveFaults, toGroundTruth } from './faults';
import { LightPoint } from './light-point';
import { LocalClock } from './local-clock';
import { OccupancySchedule } from './occupancy';
import { hashString, noiseUniform, Prng } from './prng';
import { ScenarioError, ScenarioErrorCode } from './scenario.parser';
import { Scenario } from './scenario.schema';
import { DevicePlan, layoutTown } from './town.layout';
import {
  ConditionKind,
  DeviceReport,
  GroundTruthFault,
  SimulatedDevice,
  SimulationOptions,
  TownSimulation,
} from './town.types';
import { WaterSectorProcess } from './water-sector.process';
import { WeatherProcess } from './weather.process';

/** Math, bound once (see prng.ts). */
const M = Math;

const LORAWAN = new Set(['chirpstack', 'tts']);

/** Transport-level faults of one device, applied after its model has produced the values. */
interface TransportFaults {
  readonly silent: readonly FaultWindow[];
  readonly resets: readonly FaultWindow[];
  readonly duplicates: readonly FaultWindow[];
  readonly outOfOrder: readonly FaultWindow[];
  readonly skews: readonly FaultWindow[];
  readonly malformed: readonly FaultWindow[];
}

class DeviceRunner {
  private nextStep: number;
  private readonly intervalMs: number;
  private readonly radio: { rssi: number; snr: number } | undefined;
  private resetOffset = 0;
  private lastRaw: number | undefined;
  private readonly resetsDone = new Set<FaultWindow>();
  private held: DeviceReport | undefined;
  private readonly faultKey: number;
  /** The model's current condition (see DeviceModel.condition) and since when. */
  private condition: { kind: ConditionKind; start: number } | undefined;

  constructor(
    readonly device: SimulatedDevice,
    private readonly model: DeviceModel,
    private readonly rng: Prng,
    private readonly faults: TransportFaults,
    startMs: number,
  ) {
    this.intervalMs = device.intervalS * 1000;
    this.nextStep = M.floor(startMs / this.intervalMs) + 1;
    this.faultKey = hashString(device.id, 0x6d616c66);
    const kind = findDeviceKind(device.kind);
    this.radio =
      LORAWAN.has(device.transport) && kind && Object.hasOwn(kind.metrics, 'rssi_dbm')
        ? { rssi: rng.range(-118, -80), snr: rng.range(-6, 9) }
        : undefined;
  }

  /** The next report instant not yet simulated. */
  get nextTs(): number {
    return this.nextStep * this.intervalMs;
  }

  /** Conditions that ended, oldest first (the open one: `openCondition`). */
  readonly conditions: GroundTruthFault[] = [];

  /** The condition still going on at the last simulated step, ending there. */
  openCondition(): GroundTruthFault | undefined {
    return this.condition ? this.observed(this.condition, this.nextTs - this.intervalMs) : undefined;
  }

  private track(kind: ConditionKind | undefined, ts: number): void {
    if (this.condition && this.condition.kind !== kind) {
      this.conditions.push(this.observed(this.condition, ts));
      this.condition = undefined;
    }
    if (kind && !this.condition) this.condition = { kind, start: ts - this.intervalMs };
  }

  private observed(c: { kind: ConditionKind; start: number }, end: number): GroundTruthFault {
    return {
      kind: c.kind,
      subject: this.device.id,
      start: new Date(c.start).toISOString(),
      end: new Date(end).toISOString(),
      magnitude: 0,
      note: 'observed: the simulated town got into this without an injected fault',
      observed: true,
    };
  }

  /** Simulates the step at `ts` if it is this device's next one (ts on its interval boundary). */
  runAt(ts: number, out: DeviceReport[]): void {
    if (ts !== this.nextStep * this.intervalMs) return;
    this.one(this.nextStep, out);
    this.nextStep++;
  }

  private one(step: number, out: DeviceReport[]): void {
    const ts = step * this.intervalMs;
    const values = this.model.step(ts, this.intervalMs, this.rng);
    if (this.model.condition) this.track(this.model.condition(), ts);
    const f = this.faults;
    const metric = this.model.cumulativeMetric;
    if (metric !== undefined) {
      const raw = values[metric] as number;
      for (const w of f.resets) {
        if (ts >= w.start && !this.resetsDone.has(w)) {
          this.resetsDone.add(w);
          this.resetOffset = (this.lastRaw ?? raw) - w.magnitude;
        }
      }
      this.lastRaw = raw;
      if (this.resetOffset !== 0) values[metric] = round(M.max(0, raw - this.resetOffset), 4);
    }
    if (this.radio) {
      values['rssi_dbm'] = M.round(M.min(-30, this.radio.rssi + 2.5 * this.rng.normal()));
      values['snr_db'] = round(M.max(-20, M.min(14, this.radio.snr + 1.2 * this.rng.normal())), 1);
    }
    if (within(f.silent, ts)) return;
    // Which reports a malformed-payloads fault breaks is a hash of (device, step), not a draw from the device's
    // stream: the fault must not change the device's later readings.
    const bad = within(f.malformed, ts);
    const malformed = bad !== undefined && noiseUniform(this.faultKey, step) < bad.magnitude;
    const skew = within(f.skews, ts);
    const dup = within(f.duplicates, ts);
    const report: DeviceReport = {
      device: this.device.id,
      ts: skew ? ts + M.round(skew.magnitude * 1000) : ts,
      values,
      ...(dup && dup.magnitude > 1 ? { copies: M.round(dup.magnitude) } : {}),
      ...(malformed ? { malformed: true } : {}),
    };
    if (this.held) {
      out.push(report, this.held);
      this.held = undefined;
    } else if (within(f.outOfOrder, ts) && step % 2 === 0) {
      this.held = report; // sent after the next one
    } else {
      out.push(report);
    }
  }
}

function within(windows: readonly FaultWindow[], ts: number): FaultWindow | undefined {
  for (const w of windows) if (ts >= w.start && ts < w.end) return w;
  return undefined;
}

/**
 * The town simulator: a deterministic function of (scenario, seed, start). Each device draws from its own
 * stream seeded by (seed, device id); shared processes (weather, occupancy, water demand, light physics) are
 * pure functions of (seed, time), so a device's reports do not depend on which others are simulated or on how
 * time is chunked.
 */
export function createTownSimulation(scenario: Scenario, opts: SimulationOptions): TownSimulation {
  const layout = layoutTown(scenario);
  if (layout.problems.length > 0) {
    throw new ScenarioError(
      ScenarioErrorCode.Inconsistent,
      `scenario ${scenario.tenant.id}`,
      layout.problems,
    );
  }
  const { seed, startMs } = opts;
  const faults = resolveFaults(scenario, layout.plans, startMs);
  const faultsOf = (subject: string) => faults.filter((f) => f.subject === subject);
  const clock = new LocalClock(scenario.location.time_zone);
  const weather = new WeatherProcess(scenario.weather, scenario.location.lat, scenario.location.lon, seed);
  const ctxFor = (subjects: readonly string[]): ModelContext => ({
    scenario,
    seed,
    startMs,
    clock,
    weather,
    faults: faults.filter((f) => subjects.includes(f.subject)),
  });

  const sectors = new Map<string, WaterSectorProcess>();
  const sectorOf = (plan: Extract<DevicePlan, { role: 'water' }>) => {
    let s = sectors.get(plan.sector.id);
    if (!s) {
      const leaks = faultsOf(plan.sector.id).filter((f) => f.kind === 'water_leak');
      s = new WaterSectorProcess(plan.sector, seed, clock, leaks);
      sectors.set(plan.sector.id, s);
    }
    return s;
  };
  const points = new Map<string, LightPoint>();
  const pointOf = (id: string) => {
    let p = points.get(id);
    if (!p) {
      const plan = layout.plans.get(id);
      if (plan?.role !== 'light') throw new Error(`${id} is not a light point`);
      p = new LightPoint(plan.group, id, seed, clock, faultsOf(id));
      points.set(id, p);
    }
    return p;
  };

  const modelFor = (device: SimulatedDevice, plan: DevicePlan, rng: Prng): DeviceModel => {
    const intervalMs = device.intervalS * 1000;
    switch (plan.role) {
      case 'building': {
        const b = plan.building;
        const calendar = b.calendar !== undefined ? scenario.calendars[b.calendar] : undefined;
        const schedule = new OccupancySchedule(b.hours, calendar, clock);
        return new BuildingEnergyModel(b, schedule, ctxFor([b.id, device.id]), intervalMs, rng);
      }
      case 'building-water': {
        const b = plan.building;
        const calendar = b.calendar !== undefined ? scenario.calendars[b.calendar] : undefined;
        return new BuildingWaterModel(
          b,
          new OccupancySchedule(b.hours, calendar, clock),
          rng,
          ctxFor([b.id, device.id]).faults.filter((f) => f.kind === 'water_running'),
        );
      }
      case 'weather-station':
        return new WeatherStationModel(ctxFor([device.id]));
      case 'rain-gauge':
        return new RainGaugeModel(ctxFor([device.id]), plan.factor, rng);
      case 'water':
        return new WaterMeterModel(sectorOf(plan), plan.meter, plan.index, rng);
      case 'irrigation':
        return new IrrigationModel(plan.zone, ctxFor([device.id]), rng);
      case 'bin':
        return new BinSensorModel(plan.group, ctxFor([device.id]), rng);
      case 'light':
        return new LightControllerModel(pointOf(device.id), rng);
      case 'cabinet':
        return new CabinetMeterModel(plan.points.map(pointOf), plan.cabinet.losses_pct, rng);
    }
  };

  const runners: DeviceRunner[] = [];
  for (const device of layout.town.devices) {
    if (opts.only && !opts.only(device)) continue;
    const plan = layout.plans.get(device.id);
    if (!plan) continue;
    const rng = new Prng(seed, device.id);
    const model = modelFor(device, plan, rng);
    const own = faultsOf(device.id);
    const pick = (kind: FaultWindow['kind']) => own.filter((f) => f.kind === kind);
    runners.push(
      new DeviceRunner(
        device,
        model,
        rng,
        {
          silent: pick('device_silent'),
          resets: pick('meter_index_reset'),
          duplicates: pick('duplicated_messages'),
          outOfOrder: pick('out_of_order_messages'),
          skews: pick('clock_skew'),
          malformed: pick('malformed_payloads'),
        },
        startMs,
      ),
    );
  }

  const truth = faults.map(toGroundTruth);
  return {
    town: layout.town,
    groundTruth: () => truth,
    observed: () => {
      const out: GroundTruthFault[] = [];
      for (const r of runners) {
        out.push(...r.conditions);
        const open = r.openCondition();
        if (open) out.push(open);
      }
      return out.sort((a, b) => a.start.localeCompare(b.start) || a.subject.localeCompare(b.subject));
    },
    advance(toMs: number): DeviceReport[] {
      const out: DeviceReport[] = [];
      for (const r of runners) while (r.nextTs <= toMs) r.runAt(r.nextTs, out);
      return out;
    },
  };
}
