import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { RegistryRepository } from '@vigie/adapters';
import { findKpiOutput, KpiOutputId } from '@vigie/contracts';
import { dayWindows, KpiPointsReader, parsePeriod } from '@vigie/kpi';
import { ApiError, ApiErrorCode } from '../http/api.errors';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { KPI_POINTS_READER, REGISTRY } from '../platform/platform.tokens';
import { ComputeBody, computeBodySchema, PointsQuery, pointsQuerySchema } from './kpi-api.schemas';
import { KpiJobsService, KpiJobView } from './kpi-jobs.service';

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

/** KPI runs and stored KPI values over HTTP (roles `api` and `all`). No authentication yet (issue #7). */
@Controller()
export class KpiController {
  constructor(
    @Inject(KpiJobsService) private readonly jobs: KpiJobsService,
    @Inject(KPI_POINTS_READER) private readonly points: KpiPointsReader,
    @Inject(REGISTRY) private readonly registry: RegistryRepository,
  ) {}

  /** Enqueues a run; 202 with the job's id (poll `GET /api/kpi/jobs/:id`). */
  @Post('tenants/:tenant/kpi/compute')
  @HttpCode(202)
  async compute(
    @Param('tenant') tenant: string,
    @Body(new ZodValidationPipe(computeBodySchema, 'body')) body: ComputeBody,
  ): Promise<{ jobId: string }> {
    return { jobId: await this.jobs.enqueueCompute({ tenant, ...body }) };
  }

  @Get('kpi/jobs/:id')
  async job(@Param('id') id: string): Promise<KpiJobView> {
    return this.jobs.describe(id);
  }

  /**
   * Stored points of one output whose window starts within the local days [from, to] of the tenant's time zone
   * (a month point is stamped at the 1st, a night at noon of its evening), optionally of one subject.
   */
  @Get('tenants/:tenant/kpi')
  async read(
    @Param('tenant') tenant: string,
    @Query(new ZodValidationPipe(pointsQuerySchema, 'query')) q: PointsQuery,
  ) {
    const t = await this.registry.getTenant(tenant);
    if (!t) {
      throw new ApiError(
        ApiErrorCode.TenantNotFound,
        `tenant '${tenant.slice(0, 64)}' does not exist (see 'vigie tenants list')`,
      );
    }
    const days = dayWindows(parsePeriod(q.from, q.to), t.timeZone);
    const spec = findKpiOutput(q.kpi);
    const kpi = q.kpi as KpiOutputId;
    const stored = await this.points.read(tenant, kpi, days[0].start, days[days.length - 1].end);
    const points: KpiPointView[] = stored
      .filter((p) => q.subject === undefined || p.subject === q.subject)
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
