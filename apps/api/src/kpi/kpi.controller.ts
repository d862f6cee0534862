import { Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Permission } from '@vigie/domain';
import { Requires } from '../access/access.decorators';

import { KpiPointsService, KpiPointsView } from '../data-api/kpi-points.service';
import { IdParam, TOKEN_ID_SCHEMA, ZodBody, ZodQuery } from '../http/zod-params';
import { ComputeBody, computeBodySchema, KpiPointsQuery, kpiPointsQuerySchema } from './kpi-api.schemas';
import { KpiJobsService, KpiJobView } from './kpi-jobs.service';

const TENANT = () => IdParam('tenant', 'tenant id');

/** KPI runs and stored KPI values over HTTP (roles `api` and `all`). */
@ApiTags('kpis')
@Controller('v1/tenants/:tenant/kpis')
export class KpiController {
  constructor(
    @Inject(KpiJobsService) private readonly jobs: KpiJobsService,
    @Inject(KpiPointsService) private readonly points: KpiPointsService,
  ) {}

  /** Enqueues a run; 202 with the job's id (poll `GET …/kpis/jobs/:job`). */
  @Post('compute')
  @Requires(Permission.KpiCompute)
  @HttpCode(202)
  async compute(
    @TENANT() tenant: string,
    @ZodBody(computeBodySchema) body: ComputeBody,
  ): Promise<{ jobId: string }> {
    return { jobId: await this.jobs.enqueueCompute({ tenant, ...body }) };
  }

  @Get('jobs/:job')
  @Requires(Permission.KpiRead)
  async job(
    @TENANT() tenant: string,
    @IdParam('job', 'job id', TOKEN_ID_SCHEMA) id: string,
  ): Promise<KpiJobView> {
    return this.jobs.describe(tenant, id);
  }

  /**
   * Stored points of one output whose window starts within the local days [from, to] of the tenant's time zone
   * (a month point is stamped at the 1st, a night at noon of its evening), optionally of one subject or window.
   */
  @Get()
  @Requires(Permission.KpiRead)
  read(@TENANT() tenant: string, @ZodQuery(kpiPointsQuerySchema) q: KpiPointsQuery): Promise<KpiPointsView> {
    return this.points.read(tenant, q);
  }
}

/** Every job of the KPI queue, scheduler fan-outs included: the platform operator's view. */
@ApiTags('kpis')
@Controller('v1/platform/kpi-jobs')
export class KpiPlatformController {
  constructor(@Inject(KpiJobsService) private readonly jobs: KpiJobsService) {}

  @Get(':job')
  @Requires(Permission.PlatformAdmin)
  async job(@IdParam('job', 'job id', TOKEN_ID_SCHEMA) id: string): Promise<KpiJobView> {
    return this.jobs.describe(undefined, id);
  }
}
