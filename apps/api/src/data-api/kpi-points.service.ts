import { Inject, Injectable } from '@nestjs/common';
import { Tenant } from '@vigie/adapters';
import { RegistryService } from '@vigie/admin';
import { findKpiOutput, KpiOutputId } from '@vigie/contracts';
import { dayWindows, KpiPointsReader, parsePeriod } from '@vigie/kpi';
import { KPI_POINTS_READER, REGISTRY_SERVICE } from '../platform/platform.tokens';
import { KpiPointsQuery } from '../kpi/kpi-api.schemas';

/** One stored KPI value, as the API returns it. */
export interface KpiPointView {
  readonly subject: string;
  readonly window: string;
  readonly method?: string;
  /** Start of the window, ISO (UTC). */
  readonly time: string;
  readonly value: number;
  readonly completeness: number;
}

export interface KpiPointsView {
  readonly tenant: string;
  readonly kpi: string;
  readonly unit?: string;
  readonly timeZone: string;
  readonly from: string;
  readonly to: string;
  readonly subject?: string;
  readonly points: KpiPointView[];
}

/** Reads stored KPI points for the tenant route and the open-data route (one code path). */
@Injectable()
export class KpiPointsService {
  constructor(
    @Inject(KPI_POINTS_READER) private readonly points: KpiPointsReader,
    @Inject(REGISTRY_SERVICE) private readonly registry: RegistryService,
  ) {}

  async read(tenant: string, q: KpiPointsQuery, known?: Tenant): Promise<KpiPointsView> {
    const t = known ?? (await this.registry.getTenant(tenant));
    const days = dayWindows(parsePeriod(q.from, q.to), t.timeZone);
    const spec = findKpiOutput(q.kpi);
    const kpi = q.kpi as KpiOutputId;
    const stored = await this.points.read(tenant, kpi, days[0].start, days[days.length - 1].end);
    const points: KpiPointView[] = stored
      .filter(
        (p) =>
          (q.subject === undefined || p.subject === q.subject) &&
          (q.window === undefined || p.window === q.window),
      )
      .map((p) => ({
        subject: p.subject,
        window: p.window,
        ...(p.method === undefined ? {} : { method: p.method }),
        time: new Date(p.ts).toISOString(),
        value: p.value,
        completeness: p.completeness,
      }));
    return {
      tenant,
      kpi,
      unit: spec?.unit,
      timeZone: t.timeZone,
      from: q.from,
      to: q.to,
      ...(q.subject === undefined ? {} : { subject: q.subject }),
      points,
    };
  }
}
