import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import {
  AlertAdmin,
  AlertEventView,
  alertEventView,
  AlertRuleView,
  AlertSilenceView,
  alertSilenceView,
  AlertView,
  alertView,
  OperatorAction,
} from '@vigie/alerts';
import { AlertRuleOverride } from '@vigie/domain';
import { z } from 'zod';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import {
  acknowledgeBodySchema,
  AlertListQuery,
  alertListQuerySchema,
  assignBodySchema,
  OverrideBody,
  overrideBodySchema,
  overrideScopeQuerySchema,
  resolveBodySchema,
  SilenceBody,
  silenceBodySchema,
} from './alerts-api.schemas';
import { ALERT_ADMIN } from './alerts-api.tokens';

const body = <S extends z.ZodType>(schema: S) => new ZodValidationPipe(schema, 'body');
const query = <S extends z.ZodType>(schema: S) => new ZodValidationPipe(schema, 'query');

/**
 * Alerts for operators (role api): list and read alerts, acknowledge/assign/resolve them, the tenant's rule
 * overrides and silences. The logic is AlertAdmin's (libs/alerts), shared with `vigie alerts`; refusals are
 * AlertAdminErrors, mapped to 4xx by the exception filter. No authentication yet (issue #7).
 */
@Controller('tenants/:tenant')
export class AlertsApiController {
  constructor(@Inject(ALERT_ADMIN) private readonly admin: AlertAdmin) {}

  /** Alerts matching the filters, newest first. */
  @Get('alerts')
  async list(
    @Param('tenant') tenant: string,
    @Query(query(alertListQuerySchema)) q: AlertListQuery,
  ): Promise<{ alerts: AlertView[] }> {
    const alerts = await this.admin.listAlerts(tenant, q);
    return { alerts: alerts.map(alertView) };
  }

  /** One alert and its history, oldest event first. */
  @Get('alerts/:id')
  async show(
    @Param('tenant') tenant: string,
    @Param('id') id: string,
  ): Promise<{ alert: AlertView; history: AlertEventView[] }> {
    const { alert, history } = await this.admin.showAlert(tenant, id);
    return { alert: alertView(alert), history: history.map(alertEventView) };
  }

  @Post('alerts/:id/acknowledge')
  @HttpCode(200)
  acknowledge(
    @Param('tenant') tenant: string,
    @Param('id') id: string,
    @Body(body(acknowledgeBodySchema)) b: { by: string },
  ): Promise<{ alert: AlertView }> {
    return this.act(tenant, id, { type: 'acknowledge', by: b.by });
  }

  @Post('alerts/:id/assign')
  @HttpCode(200)
  assign(
    @Param('tenant') tenant: string,
    @Param('id') id: string,
    @Body(body(assignBodySchema)) b: { to: string; by?: string },
  ): Promise<{ alert: AlertView }> {
    return this.act(tenant, id, { type: 'assign', to: b.to, ...(b.by === undefined ? {} : { by: b.by }) });
  }

  @Post('alerts/:id/resolve')
  @HttpCode(200)
  resolve(
    @Param('tenant') tenant: string,
    @Param('id') id: string,
    @Body(body(resolveBodySchema)) b: { by: string },
  ): Promise<{ alert: AlertView }> {
    return this.act(tenant, id, { type: 'resolve', by: b.by });
  }

  private async act(tenant: string, id: string, action: OperatorAction): Promise<{ alert: AlertView }> {
    return { alert: alertView(await this.admin.act(tenant, id, action)) };
  }

  /** Every catalogue rule with its defaults, tenant-wide settings and the tenant's overrides. */
  @Get('alert-rules')
  async rules(@Param('tenant') tenant: string): Promise<{ rules: AlertRuleView[] }> {
    return { rules: await this.admin.listRules(tenant) };
  }

  /** Replaces the override of a rule for the tenant, a site (`site`) or a device (`device`). */
  @Put('alert-rules/:rule/overrides')
  async putOverride(
    @Param('tenant') tenant: string,
    @Param('rule') rule: string,
    @Body(body(overrideBodySchema)) b: OverrideBody,
  ): Promise<{ override: AlertRuleOverride }> {
    return { override: await this.admin.setOverride(tenant, { rule, ...b }, 'replace') };
  }

  @Delete('alert-rules/:rule/overrides')
  @HttpCode(204)
  async removeOverride(
    @Param('tenant') tenant: string,
    @Param('rule') rule: string,
    @Query(query(overrideScopeQuerySchema)) scope: { site?: string; device?: string },
  ): Promise<void> {
    await this.admin.removeOverride(tenant, rule, scope);
  }

  @Get('silences')
  async silences(@Param('tenant') tenant: string): Promise<{ silences: AlertSilenceView[] }> {
    return { silences: (await this.admin.listSilences(tenant)).map(alertSilenceView) };
  }

  /** Creates a silence (matching alerts are not notified) or a maintenance window (they are not raised). */
  @Post('silences')
  async addSilence(
    @Param('tenant') tenant: string,
    @Body(body(silenceBodySchema)) b: SilenceBody,
  ): Promise<{ silence: AlertSilenceView }> {
    return { silence: alertSilenceView(await this.admin.addSilence(tenant, b)) };
  }

  @Delete('silences/:id')
  @HttpCode(204)
  async removeSilence(@Param('tenant') tenant: string, @Param('id') id: string): Promise<void> {
    await this.admin.removeSilence(tenant, id);
  }
}
