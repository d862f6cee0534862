import { KPI_IDS, KpiOutputId } from '@vigie/contracts';
import { infrastructureLeakageIndex, realLosses, unavoidableRealLosses } from '@vigie/domain';
import { KpiSkip, KpiSkipReason } from '../../kpi-engine.types';
import { numberAttribute } from '../kpi-scope.utils';
import {
  NETWORK_LENGTH_ATTRIBUTE,
  requiredPositive,
  SectorFormula,
  sectorIndexKpi,
  skipOnly,
} from './water-network-indices.kpi';

/** Sector attributes of W6. */
export const WATER_BALANCE_ATTRIBUTES = {
  connections: 'connections',
  pressureM: 'pressure_m',
  privatePipeKm: 'private_pipe_km',
  apparentLossesShare: 'apparent_losses_share',
  minConnections: 'ili_min_connections',
  minPressureM: 'ili_min_pressure_m',
} as const;

/** Validity limits of the UARL formula below which ILI is not given (catalogue W6, design defaults). */
export const ILI_VALIDITY_DEFAULTS = { minConnections: 1000, minPressureM: 25 } as const;

const A = WATER_BALANCE_ATTRIBUTES;

/**
 * W6 per sector and calendar year: CARL = (V4 − V6) × (1 − apparent_losses_share) / D (m³/day, needs only the
 * volumes); UARL = (18 Lm + 0.8 Nc + 25 Lp) × P / 1000 (m³/day, needs network_length_km, connections, pressure_m);
 * ILI = CARL / UARL, only when Nc and P reach the validity minimums.
 */
export const waterBalanceFormula: SectorFormula = (v, sector, site) => {
  const attrs = site?.attributes;
  const missing = (detail: string): KpiSkip => ({
    subject: sector.id,
    reason: KpiSkipReason.MissingInputs,
    detail,
  });
  const share = numberAttribute(attrs, A.apparentLossesShare);
  if (share.problem) return skipOnly(missing(share.problem));
  if ((share.value ?? 0) > 1) return skipOnly(missing(`attribute ${A.apparentLossesShare} is above 1`));
  const carl = realLosses({ v4: v.v4, v6: v.v6, apparentLossesShare: share.value ?? 0 }) / v.coveredDays;
  const values: { kpi: KpiOutputId; value: number }[] = [{ kpi: KPI_IDS.W6_CARL_M3_DAY, value: carl }];
  const mainsKm = requiredPositive(site, sector.id, NETWORK_LENGTH_ATTRIBUTE);
  const connections = requiredPositive(site, sector.id, A.connections);
  const pressureM = requiredPositive(site, sector.id, A.pressureM);
  const [privatePipe, minConnections, minPressure] = [A.privatePipeKm, A.minConnections, A.minPressureM].map(
    (k) => numberAttribute(attrs, k),
  );
  for (const x of [mainsKm, connections, pressureM]) {
    if (typeof x !== 'number') return { values, skip: { ...x, detail: `${x.detail}: no UARL nor ILI` } };
  }
  for (const o of [privatePipe, minConnections, minPressure]) {
    if (o.problem) return { values, skip: missing(`${o.problem}: no UARL nor ILI`) };
  }
  const nc = connections as number;
  const p = pressureM as number;
  const uarl =
    unavoidableRealLosses({
      mainsKm: mainsKm as number,
      connections: nc,
      privatePipeKm: privatePipe.value ?? 0,
      pressureM: p,
    }) / 1000;
  values.push({ kpi: KPI_IDS.W6_UARL_M3_DAY, value: uarl });
  const ncMin = minConnections.value ?? ILI_VALIDITY_DEFAULTS.minConnections;
  const pMin = minPressure.value ?? ILI_VALIDITY_DEFAULTS.minPressureM;
  if (nc < ncMin || p < pMin) {
    return {
      values,
      skip: {
        subject: sector.id,
        reason: KpiSkipReason.NotComputable,
        detail: `ILI not valid below ${ncMin} connections and ${pMin} m: sector has ${nc} connections at ${p} m`,
      },
    };
  }
  values.push({ kpi: KPI_IDS.W6_ILI, value: infrastructureLeakageIndex({ carl, uarl }) });
  return { values };
};

/** W6 — IWA water balance and ILI per sector and calendar year. */
export const WATER_BALANCE_KPI = sectorIndexKpi(
  'W6',
  [KPI_IDS.W6_CARL_M3_DAY, KPI_IDS.W6_UARL_M3_DAY, KPI_IDS.W6_ILI],
  { year: waterBalanceFormula },
);
