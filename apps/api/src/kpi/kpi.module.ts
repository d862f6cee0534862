import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { ALERT_QUEUE, KPI_QUEUE } from '@vigie/contracts';
import { RegistryApiModule } from '../registry-api/registry-api.module';
import { KpiJobsService } from './kpi-jobs.service';
import { KpiSchedulerService } from './kpi-scheduler.service';
import { KpiController, KpiPlatformController } from './kpi.controller';
import { KpiProcessor } from './kpi.processor';

/**
 * The KPI capability: the `vigie-kpi` queue, the REST endpoints (role api), the worker and the schedulers (role
 * worker); `all` has both.
 *
 * One module for every KPI domain, on purpose: the domains differ only in which families they hold and how often
 * those are refreshed, and both are data of libs/kpi (the per-domain computation lists, and KPI_FAMILY_CADENCE
 * keyed by family, every family not listed being daily). A Nest module per domain would only carry those lists and
 * make each new family a change here too; as data, a family added to libs/kpi is scheduled with no change to the
 * app. The business rules (engine, windows, periods of a cadence) stay in libs/kpi and libs/domain.
 */
@Module({})
export class KpiModule {
  static forRole(role: { http: boolean; worker: boolean }): DynamicModule {
    return {
      module: KpiModule,
      // The alert queue: the worker enqueues the evaluation of the KPI alert rules after each run.
      imports: [
        BullModule.registerQueue({ name: KPI_QUEUE }, { name: ALERT_QUEUE }),
        ...(role.http ? [RegistryApiModule] : []),
      ],
      controllers: role.http ? [KpiController, KpiPlatformController] : [],
      providers: [KpiJobsService, ...(role.worker ? [KpiProcessor, KpiSchedulerService] : [])],
    };
  }
}
