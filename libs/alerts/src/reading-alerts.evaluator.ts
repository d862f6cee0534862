import { RegistryRepository } from '@vigie/adapters';
import { AlertSampleRecord } from '@vigie/contracts';
import {
  alertIdOf,
  AlertRuleDefinition,
  AlertRuleOverride,
  ALERT_RULES,
  daylightWindow,
  DEFAULT_TIME_ZONE,
  effectiveRule,
  EffectiveAlertRule,
  evaluateReadingRule,
  evaluateSilence,
  localDayNumber,
  ReadingRuleState,
  readingRulesOf,
  SilenceState,
  silenceFactor,
} from '@vigie/domain';
import { findDeviceKind } from '@vigie/devices';
import { positionOf } from '@vigie/kpi';
import { AlertService } from './alert.service';

const SILENCE_RULE = ALERT_RULES.find((r) => r.source.type === 'silence') as AlertRuleDefinition;

interface Cached<T> {
  readonly at: number;
  readonly value: T;
}

interface DeviceInfo {
  readonly kind: string;
  readonly intervalS: number;
  readonly site?: string;
}

interface TenantInfo {
  readonly timeZone: string;
  readonly overrides: readonly AlertRuleOverride[];
  /** Site id → position; `fallback`: the first site (by id) that has one. */
  readonly positions: ReadonlyMap<string, { lat: number; lon: number }>;
  readonly fallback?: { lat: number; lon: number };
  readonly devices: ReadonlyMap<string, DeviceInfo>;
}

/** Counters of one evaluation. */
export interface ReadingEvaluationSummary {
  samples: number;
  raised: number;
  cleared: number;
}

type Action =
  | {
      kind: 'raise';
      rule: EffectiveAlertRule;
      device: string;
      site?: string;
      since: number;
      firedAt: number;
      value: number;
      threshold: number;
    }
  | { kind: 'clear'; rule: string; device: string; at: number };

/**
 * Evaluates the reading rules and the silence rule on what ingestion handed over (AlertSampleRecord), in data
 * time: each device's samples in time order through each of its kind's rules (with the tenant's, site's and
 * device's overrides), the rules' state read from and written back to Redis, so the evaluation resumes anywhere.
 * Raising comes before the state is saved: a crash in between re-evaluates the same samples and raises the same
 * breach (same id) again, which the store turns into nothing.
 */
export class ReadingAlertEvaluator {
  private readonly tenants = new Map<string, Cached<TenantInfo>>();
  private readonly daylight = new Map<string, { from: number; to: number }>();

  constructor(
    private readonly service: AlertService,
    private readonly registry: RegistryRepository,
    private readonly opts: { cacheMs?: number; now?: () => number } = {},
  ) {}

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  private async tenant(t: string): Promise<TenantInfo> {
    const hit = this.tenants.get(t);
    if (hit && this.now() - hit.at < (this.opts.cacheMs ?? 30_000)) return hit.value;
    const [tenant, overrides, sites, devices] = await Promise.all([
      this.registry.getTenant(t),
      this.service.repository.listOverrides(t),
      this.registry.listSites(t).catch(() => []),
      this.registry.listDevices(t).catch(() => []),
    ]);
    const positions = new Map<string, { lat: number; lon: number }>();
    for (const s of sites) {
      const p = positionOf(s.attributes);
      if (p) positions.set(s.id, p);
    }
    const firstWithPosition = [...positions.keys()].sort()[0];
    const value: TenantInfo = {
      timeZone: tenant?.timeZone ?? DEFAULT_TIME_ZONE,
      overrides,
      positions,
      ...(firstWithPosition === undefined ? {} : { fallback: positions.get(firstWithPosition) }),
      devices: new Map(
        devices.map((d) => [
          d.id,
          { kind: d.kind, intervalS: d.intervalS, ...(d.site ? { site: d.site } : {}) },
        ]),
      ),
    };
    this.tenants.set(t, { at: this.now(), value });
    return value;
  }

  /** Forgets cached tenant data (overrides, sites, devices) after a change made through this process. */
  invalidate(tenant?: string): void {
    if (tenant === undefined) this.tenants.clear();
    else this.tenants.delete(tenant);
  }

  private isDaylight(
    info: TenantInfo,
    site: string | undefined,
    ts: number,
    toleranceMin = 0,
  ): boolean | undefined {
    const pos = (site === undefined ? undefined : info.positions.get(site)) ?? info.fallback;
    if (!pos) return undefined;
    const n = localDayNumber(ts, info.timeZone);
    const key = `${pos.lat},${pos.lon},${n},${toleranceMin}`;
    let w = this.daylight.get(key);
    if (!w) {
      if (this.daylight.size > 10_000) this.daylight.clear();
      w = daylightWindow(n, pos.lat, pos.lon, toleranceMin, info.timeZone);
      this.daylight.set(key, w);
    }
    return ts >= w.from && ts < w.to;
  }

  async evaluate(records: readonly AlertSampleRecord[]): Promise<ReadingEvaluationSummary> {
    const summary: ReadingEvaluationSummary = { samples: 0, raised: 0, cleared: 0 };
    const byTenant = new Map<string, AlertSampleRecord[]>();
    for (const r of records) {
      const list = byTenant.get(r.t) ?? [];
      list.push(r);
      byTenant.set(r.t, list);
    }
    for (const [tenant, recs] of byTenant) await this.evaluateTenant(tenant, recs, summary);
    return summary;
  }

  private async evaluateTenant(
    tenant: string,
    records: readonly AlertSampleRecord[],
    summary: ReadingEvaluationSummary,
  ): Promise<void> {
    const info = await this.tenant(tenant);
    const repo = this.service.repository;
    // Per device: its kind, site and samples in time order.
    const devices = new Map<
      string,
      { kind: string; site?: string; reports: number[]; values: [string, number, number | boolean][] }
    >();
    for (const r of records) {
      const d = devices.get(r.d) ?? { kind: r.k, ...(r.s ? { site: r.s } : {}), reports: [], values: [] };
      d.reports.push(...r.r);
      if (r.m) for (const m of r.m) d.values.push([m[0], m[1], m[2]]);
      devices.set(r.d, d);
    }
    const fields: string[] = [];
    const rulesOf = new Map<string, { readings: EffectiveAlertRule[]; silence?: EffectiveAlertRule }>();
    for (const [device, d] of devices) {
      const subject = { device, ...(d.site ? { site: d.site } : {}) };
      const readings = readingRulesOf(d.kind)
        .map((def) => effectiveRule(def, info.overrides, subject))
        .filter((r) => r.enabled);
      const silence = effectiveRule(SILENCE_RULE, info.overrides, subject);
      rulesOf.set(device, { readings, ...(silence.enabled ? { silence } : {}) });
      for (const r of readings) fields.push(`${r.id}\n${device}`);
      if (silence.enabled) fields.push(`${silence.id}\n${device}`);
    }
    const states = await repo.getStates(tenant, fields);
    const changed = new Map<string, unknown>();
    const actions: Action[] = [];
    const due: [number, string][] = [];
    for (const [device, d] of devices) {
      const rules = rulesOf.get(device) as { readings: EffectiveAlertRule[]; silence?: EffectiveAlertRule };
      d.values.sort((a, b) => a[1] - b[1]);
      summary.samples += d.values.length;
      for (const rule of rules.readings) {
        if (rule.source.type !== 'reading') continue;
        const metric = rule.source.metric;
        const field = `${rule.id}\n${device}`;
        let state = states.get(field) as ReadingRuleState | undefined;
        const before = state;
        const ctx =
          rule.source.evaluator === 'lit_in_daylight'
            ? {
                daylight: (ts: number) =>
                  this.isDaylight(info, d.site, ts, rule.params.toleranceMin ?? 0) ?? false,
              }
            : {};
        // No position for the lamp (its site's lat/lon, or any site's): the rule cannot judge, as L5 says too.
        if (rule.source.evaluator === 'lit_in_daylight' && this.isDaylight(info, d.site, 0) === undefined)
          continue;
        for (const [m, ts, value] of d.values) {
          if (m !== metric) continue;
          const r = evaluateReadingRule(rule, state, ts, value, ctx);
          state = r.state;
          if (r.event?.type === 'fire') {
            actions.push({
              kind: 'raise',
              rule,
              device,
              ...(d.site ? { site: d.site } : {}),
              since: r.event.since,
              firedAt: r.event.ts,
              value: r.event.value,
              threshold: r.threshold,
            });
          } else if (r.event?.type === 'clear') {
            actions.push({ kind: 'clear', rule: rule.id, device, at: r.event.ts });
          }
        }
        if (state !== before) changed.set(field, state);
      }
      if (rules.silence && d.reports.length) {
        const rule = rules.silence;
        const field = `${rule.id}\n${device}`;
        const intervalS = info.devices.get(device)?.intervalS ?? findDeviceKind(d.kind)?.reportingIntervalS;
        if (!intervalS) continue;
        const k = silenceFactor(rule, d.kind);
        let state = states.get(field) as SilenceState | undefined;
        const before = state;
        d.reports.sort((a, b) => a - b);
        for (const ts of d.reports) {
          const r = evaluateSilence(state, ts, intervalS, k);
          state = r.state;
          if (r.episode) {
            actions.push(
              {
                kind: 'raise',
                rule,
                device,
                ...(d.site ? { site: d.site } : {}),
                since: r.episode.since,
                firedAt: r.episode.since,
                value: r.episode.gapMin,
                threshold: r.episode.allowedMin,
              },
              { kind: 'clear', rule: rule.id, device, at: r.episode.until },
            );
          }
        }
        if (state !== before && state?.lastTs !== undefined) {
          changed.set(field, state);
          due.push([state.lastTs + k * intervalS * 1000, device]);
        }
      }
    }
    for (const a of actions) {
      if (a.kind === 'raise') {
        const alert = await this.service.raise({
          tenant,
          rule: a.rule,
          subject: a.device,
          ...(a.site ? { site: a.site } : {}),
          since: a.since,
          firedAt: a.firedAt,
          value: a.value,
          threshold: a.threshold,
        });
        if (alert) summary.raised++;
      } else if (await this.service.clear(tenant, a.rule, a.device, a.at)) {
        summary.cleared++;
      }
    }
    await repo.setStates(tenant, changed);
    await repo.setOfflineDue(tenant, due);
  }

  /**
   * Real-time silence: devices whose newest report (data time) is older than k × their interval at `now`, and
   * that nothing was received from in that time either (a backfill's old data time is not a silence), are raised
   * offline. Their next report resolves it (the same breach: same id).
   */
  async sweepOffline(tenant: string, now: number): Promise<number> {
    const info = await this.tenant(tenant);
    const repo = this.service.repository;
    const candidates = await repo.offlineDueBefore(tenant, now);
    if (candidates.length === 0) return 0;
    const received = await this.registry.lastSeenOf(
      tenant,
      candidates.map((c) => c.device),
    );
    // The rules' current state, read after the due times: evaluation may have moved on meanwhile.
    const fieldOf = (device: string) => `${SILENCE_RULE.id}\n${device}`;
    const states = await repo.getStates(
      tenant,
      candidates.map((c) => fieldOf(c.device)),
    );
    let raised = 0;
    for (const { device } of candidates) {
      const meta = info.devices.get(device);
      const last = (states.get(fieldOf(device)) as SilenceState | undefined)?.lastTs;
      if (!meta || last === undefined) continue;
      const rule = effectiveRule(SILENCE_RULE, info.overrides, {
        device,
        ...(meta.site ? { site: meta.site } : {}),
      });
      if (!rule.enabled) continue;
      const allowedMs = silenceFactor(rule, meta.kind) * meta.intervalS * 1000;
      const since = last + allowedMs;
      const seen = received.get(device);
      // Not due yet in data time, or something was received within the allowed silence (a backfill's data time
      // lags the wall clock: its devices are not silent).
      if (since > now || (seen !== undefined && now - seen < allowedMs)) continue;
      // Raised already (open, or resolved by a person while the device is still silent): nothing new.
      if (await repo.get(tenant, alertIdOf({ tenant, rule: rule.id, subject: device, since }))) continue;
      if (await repo.findOpen(tenant, rule.id, device)) continue;
      const alert = await this.service.raise({
        tenant,
        rule,
        subject: device,
        ...(meta.site ? { site: meta.site } : {}),
        since,
        firedAt: now,
        value: (now - last) / 60_000,
        threshold: allowedMs / 60_000,
      });
      if (alert) raised++;
    }
    return raised;
  }
}
