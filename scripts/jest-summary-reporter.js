// Appends each jest run's totals to tmp/test-results.jsonl so scripts/test.sh can print one closing line.
const fs = require('node:fs');
const path = require('node:path');

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const file = path.join(__dirname, '..', 'tmp', 'test-results.jsonl');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const row = {
      project: path.basename(process.cwd()),
      config: process.env.npm_lifecycle_event ?? '',
      passed: results.numPassedTests,
      failed: results.numFailedTests,
      skipped: results.numPendingTests + results.numTodoTests,
      suitesFailed: results.numFailedTestSuites,
      runtimeError: results.numRuntimeErrorTestSuites,
    };
    fs.appendFileSync(file, JSON.stringify(row) + '\n');
  }
}

module.exports = SummaryReporter;
