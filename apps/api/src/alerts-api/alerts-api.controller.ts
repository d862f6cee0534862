import { Controller, Delete, Get, HttpCode, Inject, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AlertRoutesRepository, AlertRouteSummary, AuditRecorder, summarizeRoute } from '@vigie/adapters';
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
import { Actor, AlertRuleOverride, Permission } from '@vigie/domain';
import { CurrentActor, Requires } from '../access/access.decorators';
import { ApiError, ApiErrorCode } from '../http/api.errors';
import { IdParam, TOKEN_ID_SCHEMA, ZodBody, ZodQuery } from '../http/zod-params';
import { AUDIT_LOG } from '../platform/platform.tokens';
import {
  acknowledgeBodySchema,
  AlertListQuery,
  alertListQuerySchema,
  assignBodySchema,
  OverrideBody,
  overrideBodySchema,
  overrideScopeQuerySchema,
  resolveBodySchema,
  RouteBody,
  routeBodySchema,
  SilenceBody,
  silenceBodySchema,
} from './alerts-api.schemas';
import { ALERT_ROUTES } from '../notifications/notifications.tokens';
import { ALERT_ADMIN } from './alerts-api.tokens';

const TENANT = () => IdParam('tenant', 'tenant id');
const ALERT = () => IdParam('id', 'alert id', TOKEN_ID_SCHEMA);
const RULE = () => IdParam('rule', 'alert rule id (docs/alert-rules.md)', TOKEN_ID_SCHEMA);

/**
 * Alerts for operators: list and read alerts, acknowledge/assign/resolve them, the tenant's rule overrides,
 * silences and notification routes. The logic is AlertAdmin's (libs/alerts), shared with `vigie alerts`; refusals
 * are AlertAdminErrors, mapped to 4xx by the exception filter. Every change is audited.
 */
@ApiTags('alerts')
@Controller('v1/tenants/:tenant')
export class AlertsApiController {
  constructor(
    @Inject(ALERT_ADMIN) private readonly admin: AlertAdmin,
    @Inject(ALERT_ROUTES) private readonly routes: AlertRoutesRepository,
    @Inject(AUDIT_LOG) private readonly audit: AuditRecorder,
  ) {}

  /** Alerts matching the filters, newest first. */
  @Get('alerts')
  @Requires(Permission.AlertsRead)
  async list(
    @TENANT() tenant: string,
    @ZodQuery(alertListQuerySchema) q: AlertListQuery,
  ): Promise<{ alerts: AlertView[] }> {
    const alerts = await this.admin.listAlerts(tenant, q);
    return { alerts: alerts.map(alertView) };
  }

  /** One alert and its history, oldest event first. */
  @Get('alerts/:id')
  @Requires(Permission.AlertsRead)
  async show(
    @TENANT() tenant: string,
    @ALERT() id: string,
  ): Promise<{ alert: AlertView; history: AlertEventView[] }> {
    const { alert, history } = await this.admin.showAlert(tenant, id);
    return { alert: alertView(alert), history: history.map(alertEventView) };
  }

  @Post('alerts/:id/acknowledge')
  @Requires(Permission.AlertsAct)
  @HttpCode(200)
  acknowledge(
    @CurrentActor() actor: Actor,
    @TENANT() tenant: string,
    @ALERT() id: string,
    @ZodBody(acknowledgeBodySchema) b: { by: string },
  ): Promise<{ alert: AlertView }> {
    return this.act(actor, tenant, id, { type: 'acknowledge', by: b.by });
  }

  @Post('alerts/:id/assign')
  @Requires(Permission.AlertsAct)
  @HttpCode(200)
  assign(
    @CurrentActor() actor: Actor,
    @TENANT() tenant: string,
    @ALERT() id: string,
    @ZodBody(assignBodySchema) b: { to: string; by?: string },
  ): Promise<{ alert: AlertView }> {
    return this.act(actor, tenant, id, {
      type: 'assign',
      to: b.to,
      ...(b.by === undefined ? {} : { by: b.by }),
    });
  }

  @Post('alerts/:id/resolve')
  @Requires(Permission.AlertsAct)
  @HttpCode(200)
  resolve(
    @CurrentActor() actor: Actor,
    @TENANT() tenant: string,
    @ALERT() id: string,
    @ZodBody(resolveBodySchema) b: { by: string },
  ): Promise<{ alert: AlertView }> {
    return this.act(actor, tenant, id, { type: 'resolve', by: b.by });
  }

  private async act(
    actor: Actor,
    tenant: string,
    id: string,
    action: OperatorAction,
  ): Promise<{ alert: AlertView }> {
    return { alert: alertView(await this.admin.act(tenant, id, action, actor)) };
  }

  /** Every catalogue rule with its defaults, tenant-wide settings and the tenant's overrides. */
  @Get('alert-rules')
  @Requires(Permission.AlertsRead)
  async rules(@TENANT() tenant: string): Promise<{ rules: AlertRuleView[] }> {
    return { rules: await this.admin.listRules(tenant) };
  }

  /** Replaces the override of a rule for the tenant, a site (`site`) or a device (`device`). */
  @Put('alert-rules/:rule/overrides')
  @Requires(Permission.AlertRulesWrite)
  async putOverride(
    @CurrentActor() actor: Actor,
    @TENANT() tenant: string,
    @RULE() rule: string,
    @ZodBody(overrideBodySchema) b: OverrideBody,
  ): Promise<{ override: AlertRuleOverride }> {
    return { override: await this.admin.setOverride(tenant, { rule, ...b }, 'replace', actor) };
  }

  @Delete('alert-rules/:rule/overrides')
  @Requires(Permission.AlertRulesWrite)
  @HttpCode(204)
  async removeOverride(
    @CurrentActor() actor: Actor,
    @TENANT() tenant: string,
    @RULE() rule: string,
    @ZodQuery(overrideScopeQuerySchema) scope: { site?: string; device?: string },
  ): Promise<void> {
    await this.admin.removeOverride(tenant, rule, scope, actor);
  }

  @Get('silences')
  @Requires(Permission.AlertsRead)
  async silences(@TENANT() tenant: string): Promise<{ silences: AlertSilenceView[] }> {
    return { silences: (await this.admin.listSilences(tenant)).map(alertSilenceView) };
  }

  /** Creates a silence (matching alerts are not notified) or a maintenance window (they are not raised). */
  @Post('silences')
  @Requires(Permission.SilencesWrite)
  async addSilence(
    @CurrentActor() actor: Actor,
    @TENANT() tenant: string,
    @ZodBody(silenceBodySchema) b: SilenceBody,
  ): Promise<{ silence: AlertSilenceView }> {
    return { silence: alertSilenceView(await this.admin.addSilence(tenant, b, actor)) };
  }

  @Delete('silences/:id')
  @Requires(Permission.SilencesWrite)
  @HttpCode(204)
  async removeSilence(
    @CurrentActor() actor: Actor,
    @TENANT() tenant: string,
    @IdParam('id', 'silence id', TOKEN_ID_SCHEMA) id: string,
  ): Promise<void> {
    await this.admin.removeSilence(tenant, id, actor);
  }

  /** The tenant's notification routes (webhook secrets are never shown). */
  @Get('alert-routes')
  @Requires(Permission.AlertsRead)
  async listRoutes(@TENANT() tenant: string): Promise<{ routes: AlertRouteSummary[] }> {
    await this.admin.tenantOrFail(tenant);
    return { routes: await this.routes.list(tenant) };
  }

  /** Adds or replaces a route. */
  @Put('alert-routes/:route')
  @Requires(Permission.AlertRulesWrite)
  async putRoute(
    @CurrentActor() actor: Actor,
    @TENANT() tenant: string,
    @IdParam('route', 'route id') id: string,
    @ZodBody(routeBodySchema) b: RouteBody,
  ): Promise<{ route: AlertRouteSummary; replaced: boolean }> {
    await this.admin.tenantOrFail(tenant);
    const before = await this.routes.get(tenant, id);
    const route = { ...b, id, tenant };
    // An inconsistent route is refused by put (AlertError InvalidRoute, a 400 from the exception filter).
    const { replaced } = await this.routes.put(route);
    const after = summarizeRoute(route);
    await this.audit.record(actor, {
      tenant,
      action: 'alert-route.put',
      target: `alert-route:${id}`,
      before: before ? summarizeRoute(before) : null,
      after,
    });
    return { route: after, replaced };
  }

  @Delete('alert-routes/:route')
  @Requires(Permission.AlertRulesWrite)
  @HttpCode(204)
  async removeRoute(
    @CurrentActor() actor: Actor,
    @TENANT() tenant: string,
    @IdParam('route', 'route id') id: string,
  ): Promise<void> {
    const before = await this.routes.get(tenant, id);
    if (!before || !(await this.routes.remove(tenant, id))) {
      throw new ApiError(ApiErrorCode.AlertRouteNotFound, `tenant '${tenant}' has no alert route '${id}'`);
    }
    await this.audit.record(actor, {
      tenant,
      action: 'alert-route.remove',
      target: `alert-route:${id}`,
      before: summarizeRoute(before),
      after: null,
    });
  }
}
