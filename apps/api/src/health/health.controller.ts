import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { InfluxClient, Redis } from '@vigie/adapters';
import { ApiConfig } from '@vigie/config';
import { ApiMetrics, checkReadiness } from '@vigie/observability';
import { Public } from '../access/access.decorators';
import { ApiError, ApiErrorCode } from '../http/api.errors';
import { API_CONFIG, API_METRICS, INFLUX, REDIS } from '../platform/platform.tokens';

/**
 * Operations endpoints, served in every role (a worker listens on HTTP_PORT for these only):
 * - `GET /api/health`: 200 while Redis (the queues and the registry) answers, 503 otherwise;
 * - `GET /api/health/live`: liveness, 200 while the process answers;
 * - `GET /api/health/ready`: readiness, 200 when Redis and InfluxDB answer, else 503 naming what does not;
 * - `GET /api/metrics`: Prometheus metrics (HTTP requests, jobs by queue and outcome, queue depths, process).
 */
@Public()
@ApiExcludeController()
@Controller()
export class HealthController {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(INFLUX) private readonly influx: InfluxClient,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(API_METRICS) private readonly metrics: ApiMetrics,
  ) {}

  @Get('health')
  async health(): Promise<{ status: 'ok'; role: string; redis: 'up' }> {
    const { checks } = await checkReadiness({ redis: () => this.redis.ping() });
    if (checks['redis'] !== 'up')
      throw new ApiError(ApiErrorCode.ServiceUnavailable, 'Redis does not answer');
    return { status: 'ok', role: this.config.VIGIE_ROLE, redis: 'up' };
  }

  @Get('health/live')
  @HttpCode(200)
  live(): { status: 'ok'; role: string } {
    return { status: 'ok', role: this.config.VIGIE_ROLE };
  }

  @Get('health/ready')
  async ready(): Promise<{ status: 'ready'; role: string; checks: Record<string, string> }> {
    const r = await checkReadiness({ redis: () => this.redis.ping(), influxdb: () => this.influx.detect() });
    if (!r.ready) {
      const down = Object.entries(r.checks).filter(([, v]) => v !== 'up');
      throw new ApiError(
        ApiErrorCode.ServiceUnavailable,
        `not ready: ${down.map(([k, v]) => `${k}: ${v}`).join('; ')}`,
      );
    }
    return { status: 'ready', role: this.config.VIGIE_ROLE, checks: { ...r.checks } };
  }

  @Get('metrics')
  async prometheus(
    @Res() res: { setHeader(name: string, value: string): void; send(body: string): void },
  ): Promise<void> {
    res.setHeader('content-type', this.metrics.registry.contentType);
    res.send(await this.metrics.registry.metrics());
  }
}
