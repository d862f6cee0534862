import type { ProgressEvent } from './simulation.runner';

/** A duration for people: `1h 05m`, `3m 12s`, `42s`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s >= 3600) return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

/** 1234567 → `1.23 M`, 48210 → `48.2 k`. */
export function formatCount(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)} k`;
  return String(Math.round(n));
}

/**
 * One progress line: a bar over the simulated range (when it has an end), the simulated time reached, readings
 * acknowledged, their rate, and the time left at that rate.
 */
export function formatProgress(p: ProgressEvent, barWidth = 24): string {
  const rate = p.elapsedMs > 0 ? (p.readings * 1000) / p.elapsedMs : 0;
  const reached = new Date(p.simulatedTo).toISOString().slice(0, 16).replace('T', ' ');
  const tail = `${formatCount(p.readings)} readings · ${formatCount(rate)}/s`;
  if (p.to === undefined) return `simulated ${reached} UTC · ${tail} · ${formatDuration(p.elapsedMs)}`;
  const fraction = p.to > p.from ? Math.min(1, (p.simulatedTo - p.from) / (p.to - p.from)) : 1;
  const filled = Math.round(fraction * barWidth);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}]`;
  const eta = fraction > 0 && fraction < 1 ? (p.elapsedMs * (1 - fraction)) / fraction : 0;
  const pct = `${Math.floor(fraction * 100)}%`.padStart(4);
  return `${bar} ${pct} · simulated ${reached} UTC · ${tail} · ETA ${formatDuration(eta)}`;
}
