import { DeviceModel, round } from '../src/simulation/device-model';
import { Prng } from '../src/simulation/prng';
import { WaterRole } from '../src/simulation/town.layout';
import { SectorFlows, WaterSectorProcess } from '../src/simulation/water-sector.process';

/**
 * A water meter of a sector: production, bulk import or export, district inflow, or one of the aggregated
 * customer meters. It integrates its flow exactly (interval average × interval), so the sector's volumes
 * balance to the cubic metre.
 */
export class WaterMeterModel implements DeviceModel {
  readonly cumulativeMetric = 'volume_m3';
  private indexM3: number;

  constructor(
    private readonly sector: WaterSectorProcess,
    private readonly role: WaterRole,
    private readonly customerIndex: number,
    rng: Prng,
  ) {
    this.indexM3 = round(rng.range(1_000, 900_000), 0);
  }

  step(ts: number, intervalMs: number): Record<string, number | boolean> {
    const flows = this.sector.flows(ts - intervalMs / 2);
    const flow = this.flowOf(flows);
    this.indexM3 += (flow * intervalMs) / 3_600_000;
    const values: Record<string, number | boolean> = {
      volume_m3: round(this.indexM3, 3),
      flow_m3h: round(flow, 3),
    };
    if (this.role !== 'customer') {
      const head = this.role === 'district-inflow' ? 0 : 0.4;
      values['pressure_bar'] = round(flows.pressure + head, 3);
    }
    return values;
  }

  private flowOf(f: SectorFlows): number {
    switch (this.role) {
      case 'production':
        return f.production;
      case 'import':
        return f.import;
      case 'export':
        return f.export;
      case 'district-inflow':
        return f.inflow;
      case 'customer':
        return f.demand * this.sector.customerShare(this.customerIndex);
    }
  }
}
