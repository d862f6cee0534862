import { Module } from '@nestjs/common';
import { AuditLogRepository, RegistryRepository } from '@vigie/adapters';
import { AlertAdmin, AlertService } from '@vigie/alerts';
import { ALERT_SERVICE } from '../alerts/alerts.tokens';
import { AUDIT_LOG, REGISTRY } from '../platform/platform.tokens';
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
      inject: [ALERT_SERVICE, REGISTRY, AUDIT_LOG],
      useFactory: (service: AlertService, registry: RegistryRepository, audit: AuditLogRepository) =>
        new AlertAdmin(service, registry, Date.now, audit),
    },
  ],
})
export class AlertsApiModule {}
