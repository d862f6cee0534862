/**
 * Preloaded into a broker with NODE_OPTIONS="--require …/cpu-profile-preload.js" when the benchmark runs with
 * --profile=DIR (Node refuses --cpu-prof in NODE_OPTIONS): samples the process's CPU with the inspector from
 * start to exit and writes DIR/<name>-<pid>.cpuprofile (read it with profile-summary.js).
 */
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env['BENCH_PROFILE_DIR'];
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 500 });
  session.post('Profiler.start');
  const name = (process.argv[1] ?? 'node').split('/').pop()?.replace(/\.js$/, '') ?? 'node';
  process.on('exit', () => {
    // Same-thread inspector sessions answer synchronously, so this completes inside the exit handler.
    session.post('Profiler.stop', (err, result) => {
      if (!err) writeFileSync(join(dir, `${name}-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
