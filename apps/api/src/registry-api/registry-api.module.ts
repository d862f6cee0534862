import { Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { AccessController } from '../access/access.controller';
import { ApiKeyGuard } from '../access/api-key.guard';
import { DataApiController } from '../data-api/data-api.controller';
import { KpiPointsService } from '../data-api/kpi-points.service';
import { StrictInputInterceptor } from '../http/strict-input.interceptor';
import { RegistryApiController } from './registry-api.controller';

/**
 * The administration API (role api): registry, access (keys, audit), readings and open data, behind the API-key
 * guard every route of the process passes.
 */
@Module({
  controllers: [RegistryApiController, AccessController, DataApiController],
  providers: [
    KpiPointsService,
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    { provide: APP_INTERCEPTOR, useClass: StrictInputInterceptor },
  ],
  exports: [KpiPointsService],
})
export class RegistryApiModule {}
