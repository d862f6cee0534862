import { Module } from '@nestjs/common';
import { RegistryRepository } from '@vigie/adapters';
import { AlertAdmin, AlertService } from '@vigie/alerts';
import { ALERT_SERVICE } from '../alerts/alerts.tokens';
import { REGISTRY } from '../platform/platform.tokens';
import { AlertsApiController } from './alerts-api.controller';
import { ALERT_ADMIN } from './alerts-api.tokens';

/**
 * The operators' alerts endpoints (role api), on the process's AlertService: an action is stored, written to the
 * spool (InfluxDB `alert`) and notified.
 */
@Module({
  controllers: [AlertsApiController],
  providers: [
    {
      provide: ALERT_ADMIN,
      inject: [ALERT_SERVICE, REGISTRY],
      useFactory: (service: AlertService, registry: RegistryRepository) => new AlertAdmin(service, registry),
    },
  ],
})
export class AlertsApiModule {}
