// Prints one closing line for all jest runs of `npm test`: "tests: N passed, N failed".
const fs = require('node:fs');
const path = require('node:path');

const file = path.join(__dirname, '..', 'tmp', 'test-results.jsonl');
const rows = fs.existsSync(file)
  ? fs
      .readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
  : [];
const sum = (k) => rows.reduce((n, r) => n + r[k], 0);
const passed = sum('passed');
const failed = sum('failed') + sum('runtimeError');
const skipped = sum('skipped');
console.log(`\n${rows.length} jest runs`);
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
