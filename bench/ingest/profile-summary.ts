/**
 * Summarises a V8 .cpuprofile (from `npm run bench:ingest -- --profile=DIR`): self time by package / area and
 * the heaviest functions, to see where a broker spends its CPU per message.
 *
 *   node tmp/bench/ingest/profile-summary.js DIR/CPU.*.cpuprofile [top=30]
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

function area(frame: CallFrame): string {
  const url = frame.url;
  if (!url) {
    if (frame.functionName === '(garbage collector)') return '(garbage collector)';
    if (frame.functionName === '(idle)' || frame.functionName === '(program)') return frame.functionName;
    return '(native / V8)';
  }
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1];
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  if (url.includes('dist/apps/cli/main.js')) return 'vigie (bundle)';
  if (url.includes('baseline.js')) return 'baseline (bundle)';
  return url.replace(/^file:\/\//, '');
}

function main(): void {
  const file = process.argv[2];
  const top = Number(process.argv[3] ?? '30');
  if (!file) throw new Error('usage: profile-summary <file.cpuprofile> [top]');
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const idle = [...self.entries()]
    .filter(([id]) => byId.get(id)?.callFrame.functionName === '(idle)')
    .reduce((a, [, t]) => a + t, 0);
  const busy = total - idle;
  const byArea = new Map<string, number>();
  const byFn = new Map<string, number>();
  for (const [id, t] of self) {
    const node = byId.get(id);
    if (!node || node.callFrame.functionName === '(idle)') continue;
    const a = area(node.callFrame);
    byArea.set(a, (byArea.get(a) ?? 0) + t);
    const fn = `${node.callFrame.functionName || '(anonymous)'} [${a}${node.callFrame.url ? `:${node.callFrame.lineNumber + 1}` : ''}]`;
    byFn.set(fn, (byFn.get(fn) ?? 0) + t);
  }
  const pct = (t: number) => `${((t / busy) * 100).toFixed(1).padStart(5)} %`;
  process.stdout.write(
    `${file}: ${(total / 1e6).toFixed(1)} s profiled, ${(busy / 1e6).toFixed(1)} s on CPU (self time, % of on-CPU time)\n\nby area:\n`,
  );
  for (const [a, t] of [...byArea.entries()].sort((x, y) => y[1] - x[1]).slice(0, 20)) {
    process.stdout.write(`  ${pct(t)}  ${a}\n`);
  }
  process.stdout.write('\nheaviest functions:\n');
  for (const [f, t] of [...byFn.entries()].sort((x, y) => y[1] - x[1]).slice(0, top)) {
    process.stdout.write(`  ${pct(t)}  ${f}\n`);
  }
}

main();
