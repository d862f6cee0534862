/**
 * Scoring of alerts against the town simulator's ground truth (issue #5): which injected faults raised an alert
 * on the right subject within the delay its rule allows, and which raised alerts match no injected fault.
 */
import { StoredAlert } from '@vigie/adapters';
import { ConditionKind, FaultKind, GroundTruthFault, Scenario } from '@vigie/devices';

export type { GroundTruthFault };
import { ALERT_RULES } from '@vigie/domain';
import { parse, stringify } from 'yaml';

const MIN = 60_000;
const H = 60 * MIN;
const D = 24 * H;

/**
 * The fault kinds alerts are meant to catch, the rules that catch each, and the delay a rule allows from the fault's
 * start to the alert (data time): the rule's minimum duration and windows, plus the device's reporting interval
 * or the time until the fault shows (a lamp failure shows when the lamp should be lit: the next dusk).
 */
export const ALERTABLE: Readonly<
  Partial<Record<FaultKind, { rules: readonly string[]; delayMs: number; why: string }>>
> = {
  water_leak: {
    rules: ['water.night_flow_leak'],
    delayMs: 3 * D,
    why: '2 consecutive nights above 1.2 × the baseline, judged when the second night ends',
  },
  heating_on_in_holiday: {
    rules: ['energy.no_setback_at_closing', 'energy.out_of_hours_share', 'energy.above_baseline'],
    delayMs: 8 * D,
    why: 'weekly out-of-hours share: the week holding the fault, judged when it ends (2 closings sooner)',
  },
  water_running: {
    rules: ['water.closed_hours_flow'],
    delayMs: 2 * D,
    why: "the day's closed hours, judged when the day ends (a fault starting mid-day: the next day)",
  },
  lamp_failure: {
    rules: ['lighting.lamp_failure'],
    delayMs: 24 * H,
    why: 'shows at the next dusk (a lamp fails when it should be lit), reported within 15 min',
  },
  lamp_lit_in_daylight: {
    rules: ['lighting.lit_in_daylight'],
    delayMs: 24 * H,
    why: 'shows at the next sunrise; 30 min lit in daylight',
  },
  bin_overflow: {
    rules: ['waste.overflow'],
    delayMs: 24 * H,
    why: 'fill reaches 100 % as it rises; hourly reports',
  },
  bin_fire: {
    rules: ['waste.fire_temperature', 'waste.temperature_rise'],
    delayMs: 2 * H,
    why: '60 °C within 30 min; hourly reports',
  },
  device_silent: {
    rules: ['devices.offline'],
    delayMs: 4 * H + 30 * MIN,
    why: 'k × the expected interval (3 × 1 h for a bin) plus one interval',
  },
};

/** The rules that rightly report a condition the simulation only observes (no fault injects it). */
export const OBSERVED_RULES: Readonly<Partial<Record<ConditionKind, readonly string[]>>> = {
  subscribed_power_exceeded: ['energy.peak_near_subscribed'],
};

/** What a data-quality fault (silent, broken, duplicated, skewed reports…) can rightly raise. */
export const DATA_QUALITY_RULES: readonly string[] = ['devices.offline'];

/** Subjects related to each id (device ↔ its site, site ↔ its devices, sector ↔ its sites and their devices). */
export function relatedSubjects(
  sites: readonly { id: string; attributes: Record<string, string> }[],
  devices: readonly { id: string; site?: string }[],
): (subject: string) => Set<string> {
  return (subject) => {
    const out = new Set([subject]);
    const sectorSites = sites.filter((s) => s.attributes['sector'] === subject).map((s) => s.id);
    for (const s of sectorSites) out.add(s);
    const dev = devices.find((d) => d.id === subject);
    if (dev?.site) out.add(dev.site);
    for (const d of devices)
      if (d.site && (d.site === subject || sectorSites.includes(d.site))) out.add(d.id);
    return out;
  };
}

export interface Score {
  readonly rows: {
    kind: string;
    injected: number;
    detected: number;
    inTime: number;
    delaysMs: number[];
    missed: string[];
  }[];
  readonly scored: StoredAlert[];
  /** Matching an injected fault. */
  readonly matched: StoredAlert[];
  /** Matching no injected fault, but a condition the simulated town got into by itself (`observed`). */
  readonly observed: StoredAlert[];
  /** Matching neither. */
  readonly unmatched: StoredAlert[];
  readonly operational: StoredAlert[];
}

/**
 * Scores alerts against the ground truth (only the alertable kinds; alerts of operational rules are left out).
 * Detection is of injected faults only; an alert that matches no injected fault is told apart when it matches a
 * condition the simulation observed (`observed: true` lines: a bin outrunning its collections overflows).
 */
export function score(
  truth: readonly GroundTruthFault[],
  alerts: readonly StoredAlert[],
  related: (subject: string) => Set<string>,
): Score {
  const faults = truth.filter((f) => !f.observed);
  const conditions = truth.filter((f) => f.observed);
  const operationalRules = new Set(ALERT_RULES.filter((r) => r.operational).map((r) => r.id));
  const scored = alerts.filter((a) => !operationalRules.has(a.rule));
  const operational = alerts.filter((a) => operationalRules.has(a.rule));
  const alertable = faults.filter((f) => ALERTABLE[f.kind as FaultKind]);
  const rows: Score['rows'] = [];
  for (const kind of Object.keys(ALERTABLE) as FaultKind[]) {
    const spec = ALERTABLE[kind];
    if (!spec) continue;
    const row = {
      kind,
      injected: 0,
      detected: 0,
      inTime: 0,
      delaysMs: [] as number[],
      missed: [] as string[],
    };
    for (const f of alertable.filter((x) => x.kind === kind)) {
      row.injected++;
      const start = Date.parse(f.start);
      const end = Date.parse(f.end);
      const subjects = related(f.subject);
      const hits = scored
        .filter(
          (a) =>
            spec.rules.includes(a.rule) &&
            subjects.has(a.subject) &&
            a.firedAt >= start &&
            a.firedAt <= end + spec.delayMs,
        )
        .sort((a, b) => a.firedAt - b.firedAt);
      if (hits.length === 0) {
        row.missed.push(`${f.subject} ${f.start}`);
        continue;
      }
      row.detected++;
      const delay = hits[0].firedAt - start;
      row.delaysMs.push(delay);
      if (delay <= spec.delayMs) row.inTime++;
      else row.missed.push(`${f.subject} ${f.start} (late: ${(delay / H).toFixed(1)} h)`);
    }
    rows.push(row);
  }
  // An alert matches a fault when it is a rule that catches the fault's kind, about the fault's subject (or a
  // related one), and overlaps the fault up to the delay its kind allows after the end (a leak's last nights, a
  // bin's cooling down). The data-quality faults count too, for the silence rule: half of a meter's reports sent
  // broken leaves it silent for real. A peak alert on a gym is not about the gym's running tap, whatever the times.
  const matches = (a: StoredAlert, among: readonly GroundTruthFault[]) =>
    among.some((f) => {
      const spec = ALERTABLE[f.kind as FaultKind];
      if (!(spec?.rules ?? OBSERVED_RULES[f.kind] ?? DATA_QUALITY_RULES).includes(a.rule)) return false;
      const start = Date.parse(f.start);
      const end = Date.parse(f.end) + (spec?.delayMs ?? 0);
      const alertEnd = a.resolvedAt ?? Number.POSITIVE_INFINITY;
      return related(f.subject).has(a.subject) && a.since <= end && alertEnd >= start;
    });
  const matched = scored.filter((a) => matches(a, faults));
  const observed = scored.filter((a) => !matches(a, faults) && matches(a, conditions));
  const unmatched = scored.filter((a) => !matches(a, faults) && !matches(a, conditions));
  return { rows, scored, matched, observed, unmatched, operational };
}

const pct = (n: number, d: number) => (d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(1)} %`);
const hours = (ms: number) => (ms >= 2 * D ? `${(ms / D).toFixed(1)} d` : `${(ms / H).toFixed(1)} h`);

/** The confusion table and the two targets of issue #5. */
export function formatScore(s: Score): string {
  const out: string[] = [];
  out.push('  fault kind              injected  raised  in time  median delay  allowed   rules');
  let injected = 0;
  let inTime = 0;
  for (const r of s.rows) {
    injected += r.injected;
    inTime += r.inTime;
    const sorted = [...r.delaysMs].sort((a, b) => a - b);
    const median = sorted.length ? hours(sorted[Math.floor(sorted.length / 2)]) : '—';
    const spec = ALERTABLE[r.kind as FaultKind];
    out.push(
      `  ${r.kind.padEnd(22)} ${String(r.injected).padStart(8)}  ${String(r.detected).padStart(6)}  ${String(r.inTime).padStart(7)}  ${median.padStart(12)}  ${hours(spec?.delayMs ?? 0).padStart(7)}   ${spec?.rules.join(', ')}`,
    );
    for (const m of r.missed) out.push(`      missed: ${m}`);
  }
  out.push(
    `  ${'all'.padEnd(22)} ${String(injected).padStart(8)}  ${''.padStart(6)}  ${String(inTime).padStart(7)}`,
  );
  out.push('');
  out.push(
    '  raised alerts (fault-detection rules)   per rule: raised / matching an injected fault / matching only an observed condition / matching none',
  );
  const rules = [...new Set(s.scored.map((a) => a.rule))].sort();
  for (const rule of rules) {
    const all = s.scored.filter((a) => a.rule === rule).length;
    const m = s.matched.filter((a) => a.rule === rule).length;
    const o = s.observed.filter((a) => a.rule === rule).length;
    out.push(
      `    ${rule.padEnd(30)} ${String(all).padStart(5)} / ${String(m).padStart(5)} / ${String(o).padStart(5)} / ${String(all - m - o).padStart(5)}`,
    );
  }
  for (const a of s.observed.slice(0, 20)) {
    out.push(
      `      matching an observed condition only: ${a.rule} ${a.subject} since ${new Date(a.since).toISOString()} value ${a.value} (threshold ${a.threshold})`,
    );
  }
  for (const a of s.unmatched.slice(0, 20)) {
    out.push(
      `      matching none: ${a.rule} ${a.subject} since ${new Date(a.since).toISOString()} value ${a.value} (threshold ${a.threshold})`,
    );
  }
  if (s.unmatched.length > 20) out.push(`      … and ${s.unmatched.length - 20} more`);
  const opRules = [...new Set(s.operational.map((a) => a.rule))].sort();
  out.push(
    `  operational alerts (what to do next, not faults; not scored): ${opRules.map((r) => `${r} ${s.operational.filter((a) => a.rule === r).length}`).join(', ') || 'none'}`,
  );
  out.push('');
  const detectedShare = injected === 0 ? 0 : inTime / injected;
  const noFault = s.unmatched.length + s.observed.length;
  const falseShare = s.scored.length === 0 ? 0 : noFault / s.scored.length;
  const wrongShare = s.scored.length === 0 ? 0 : s.unmatched.length / s.scored.length;
  out.push('=== Summary');
  out.push(
    `  ≥ 95 % of injected faults raise an alert in time      ${detectedShare >= 0.95 ? 'PASS' : 'MISS'}   ${inTime}/${injected} = ${pct(inTime, injected)}`,
  );
  out.push(
    `  ≤ 5 % of raised alerts match no injected fault         ${injected > 0 && falseShare <= 0.05 ? 'PASS' : 'MISS'}   ${noFault}/${s.scored.length} = ${pct(noFault, s.scored.length)}`,
  );
  out.push(
    `    (of which on a condition the town got into by itself: ${s.observed.length}; matching nothing that happened: ${s.unmatched.length}/${s.scored.length} = ${pct(s.unmatched.length, s.scored.length)}${wrongShare <= 0.05 ? ', ≤ 5 %' : ''})`,
  );
  return out.join('\n');
}

/** A deterministic pseudo-random generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The scenario's YAML with `perKind` more faults of each alertable kind, on random subjects of the right sort and at
 * random times of the `days` backfilled (seeded; never two faults on one subject), so that the score rests on more
 * than the demo town's one fault of each kind.
 */
export function scoringScenarioYaml(
  yamlText: string,
  scenario: Scenario,
  devices: readonly { id: string; kind: string }[],
  opts: { perKind: number; days: number; seed: number },
): string {
  const doc = parse(yamlText, { merge: true }) as { faults?: Record<string, unknown>[] };
  const faults = doc.faults ?? [];
  const used = new Set(faults.map((f) => String(f['subject'])));
  const rnd = rng(opts.seed);
  const pick = <T>(xs: readonly T[]): T | undefined => {
    const free = xs.filter((x) => !used.has(String(x)));
    return free.length ? free[Math.floor(rnd() * free.length)] : undefined;
  };
  const between = (lo: number, hi: number) => lo + rnd() * (hi - lo);
  const at = (hoursFromStart: number) =>
    `${Math.floor(hoursFromStart / 24)}d${Math.floor(hoursFromStart % 24)}h`;
  const bins = devices.filter((d) => d.kind === 'bin-sensor').map((d) => d.id);
  const lights = devices.filter((d) => d.kind === 'light-controller').map((d) => d.id);
  const sectors = scenario.water_sectors.map((s) => s.id);
  const buildings = scenario.buildings.map((b) => b.id);
  const watered = scenario.buildings.filter((b) => b.water).map((b) => b.id);
  const last = opts.days * 24;
  const add = (
    kind: FaultKind,
    subjects: readonly string[],
    startH: [number, number],
    durH: [number, number],
    magnitude?: () => number,
  ) => {
    for (let i = 0; i < opts.perKind; i++) {
      const subject = pick(subjects);
      if (subject === undefined) return;
      const dur = Math.round(between(durH[0], durH[1]));
      const start = Math.round(between(startH[0], Math.min(startH[1], last - dur - 30)));
      used.add(subject);
      faults.push({
        kind,
        subject,
        start: at(start),
        duration: `${dur}h`,
        ...(magnitude ? { magnitude: Math.round(magnitude()) } : {}),
        note: 'scoring',
      });
    }
  };
  // Leaks need 7 nights of baseline before them, and a sector holds one leak at a time.
  add('water_leak', sectors, [8 * 24, 18 * 24], [3 * 24, 6 * 24], () => between(3, 6));
  add('heating_on_in_holiday', buildings, [1 * 24, 20 * 24], [3 * 24, 5 * 24]);
  add('water_running', watered, [12, last], [2 * 24, 6 * 24], () => between(5, 40));
  add('lamp_failure', lights, [12, last], [24, 72]);
  add('lamp_lit_in_daylight', lights, [12, last], [24, 48]);
  add('bin_overflow', bins, [12, last], [24, 48], () => between(108, 118));
  add('bin_fire', bins, [12, last], [3, 4], () => between(70, 95));
  add('device_silent', [...bins, ...lights], [12, last], [8, 36]);
  return stringify({ ...doc, faults });
}
