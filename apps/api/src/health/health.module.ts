import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { QueueDepths } from './queue-depths';

/** Health, readiness and Prometheus metrics: mounted in every role. */
@Module({ controllers: [HealthController], providers: [QueueDepths] })
export class HealthModule {}
