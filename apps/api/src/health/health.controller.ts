import { Controller, Get, Inject } from '@nestjs/common';
import { Redis } from '@vigie/adapters';
import { ApiConfig } from '@vigie/config';
import { ApiError, ApiErrorCode } from '../http/api.errors';
import { API_CONFIG, REDIS } from '../platform/platform.tokens';

/** `GET /api/health`: 200 while Redis (the queue and the registry) answers, 503 otherwise. */
@Controller('health')
export class HealthController {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  @Get()
  async health(): Promise<{ status: 'ok'; role: string; redis: 'up' }> {
    const up = await Promise.race([
      this.redis.ping().then(
        () => true,
        () => false,
      ),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 2000).unref()),
    ]);
    if (!up) throw new ApiError(ApiErrorCode.ServiceUnavailable, 'Redis does not answer');
    return { status: 'ok', role: this.config.VIGIE_ROLE, redis: 'up' };
  }
}
