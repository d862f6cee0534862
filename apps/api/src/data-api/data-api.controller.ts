import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { MAX_BUCKETS, ReadingsPage, ReadingsQuery, RegistryService } from '@vigie/admin';
import { RegistryRepository } from '@vigie/adapters';
import { findKpiOutput, isOpenDataOutput, KPI_OUTPUTS } from '@vigie/contracts';
import { findDeviceKind } from '@vigie/devices';
import { Permission } from '@vigie/domain';
import { Public, Requires } from '../access/access.decorators';
import { ApiError, ApiErrorCode } from '../http/api.errors';
import { DEFAULT_PAGE_SIZE } from '../http/common.schemas';
import { IdParam, ZodQuery } from '../http/zod-params';
import { READINGS_QUERY, REGISTRY, REGISTRY_SERVICE } from '../platform/platform.tokens';
import { KpiPointsQuery, kpiPointsQuerySchema } from '../kpi/kpi-api.schemas';
import { ReadingsQueryParams, readingsQuerySchema } from './data-api.schemas';
import { KpiPointsService, KpiPointsView } from './kpi-points.service';

const invalid = (field: string, message: string): never => {
  throw new ApiError(ApiErrorCode.ValidationFailed, `invalid query: ${field}: ${message}`, [
    { field, message },
  ]);
};

/** Readings (raw or aggregated) and the public open-data endpoint. */
@ApiTags('data')
@Controller('v1')
export class DataApiController {
  constructor(
    @Inject(READINGS_QUERY) private readonly readings: ReadingsQuery,
    @Inject(REGISTRY) private readonly registry: RegistryRepository,
    @Inject(KpiPointsService) private readonly kpis: KpiPointsService,
    @Inject(REGISTRY_SERVICE) private readonly service: RegistryService,
  ) {}

  /**
   * Readings of a device, of a site's devices of one kind, or of every device of a kind: raw (ordered by time) or,
   * with `interval`, aggregated per interval and device. Paginated (`limit`, `nextCursor`).
   */
  @Get('tenants/:tenant/readings')
  @Requires(Permission.ReadingsRead)
  async read(
    @IdParam('tenant', 'tenant id') tenant: string,
    @ZodQuery(readingsQuerySchema) q: ReadingsQueryParams,
  ): Promise<ReadingsPage & { tenant: string; kind: string }> {
    await this.service.getTenant(tenant);
    let kindId = q.kind;
    if (q.device !== undefined) {
      const device = await this.registry.getDevice(tenant, q.device);
      if (!device) {
        throw new ApiError(
          ApiErrorCode.DeviceNotFound,
          `device '${q.device}' does not exist in tenant '${tenant}'`,
        );
      }
      if (kindId !== undefined && kindId !== device.kind) {
        invalid('query.kind', `device '${q.device}' is a ${device.kind}, not a ${kindId}`);
      }
      kindId = device.kind;
    }
    if (kindId === undefined) return invalid('query.kind', 'required unless device is given');
    const kind = findDeviceKind(kindId);
    if (!kind) return invalid('query.kind', `unknown kind '${kindId}'`);
    if (q.metric !== undefined && !(q.metric in kind.metrics)) {
      invalid(
        'query.metric',
        `${kind.id} has no metric '${q.metric}'; it has ${Object.keys(kind.metrics).join(', ')}`,
      );
    }
    if (q.to <= q.from) invalid('query.to', 'must be after from');
    if (q.interval !== undefined) {
      if (q.metric === undefined)
        invalid('query.metric', 'required with interval (one metric per aggregation)');
      if ((q.to - q.from) / (q.interval * 1000) > MAX_BUCKETS) {
        invalid(
          'query.interval',
          `gives more than ${MAX_BUCKETS} intervals over [from, to): use a longer one`,
        );
      }
    } else if (q.aggregate !== undefined) {
      invalid('query.aggregate', 'only with interval');
    }
    const page = await this.readings.read({
      tenant,
      kind,
      device: q.device,
      site: q.site,
      metric: q.metric,
      from: q.from,
      to: q.to,
      intervalS: q.interval,
      aggregate: q.aggregate ?? 'mean',
      limit: q.limit ?? DEFAULT_PAGE_SIZE,
      cursor: q.cursor === undefined ? undefined : Number(q.cursor),
    });
    return { tenant, kind: kind.id, ...page };
  }

  /** What a tenant publishes as open data: its licence and the aggregated KPI outputs offered. No key needed. */
  @Get('open-data/:tenant')
  @Public()
  async openData(@IdParam('tenant', 'tenant id') tenant: string): Promise<{
    tenant: string;
    name: string;
    licence: string;
    kpis: { id: string; unit: string; window: string; subject: string }[];
  }> {
    const t = await this.publishing(tenant);
    return {
      tenant,
      name: t.name,
      licence: t.licence,
      kpis: KPI_OUTPUTS.filter(isOpenDataOutput).map((o) => ({
        id: o.id,
        unit: o.unit,
        window: o.window,
        subject: o.subject,
      })),
    };
  }

  /** Values of one aggregated KPI output of a tenant that publishes open data, with the licence. No key needed. */
  @Get('open-data/:tenant/kpis')
  @Public()
  async openDataKpis(
    @IdParam('tenant', 'tenant id') tenant: string,
    @ZodQuery(kpiPointsQuerySchema) q: KpiPointsQuery,
  ): Promise<KpiPointsView & { licence: string }> {
    const t = await this.publishing(tenant);
    const spec = findKpiOutput(q.kpi);
    if (!spec || !isOpenDataOutput(spec)) {
      invalid(
        'query.kpi',
        `${q.kpi} is a per-device output and is not published; see GET /api/v1/open-data/${tenant}`,
      );
    }
    return { ...(await this.kpis.read(tenant, q, t.tenant)), licence: t.licence };
  }

  private async publishing(tenant: string) {
    const t = await this.registry.getTenant(tenant);
    if (!t?.openData) {
      throw new ApiError(ApiErrorCode.OpenDataNotPublished, `tenant '${tenant}' publishes no open data`);
    }
    return { tenant: t, name: t.name, licence: t.openData.licence };
  }
}
