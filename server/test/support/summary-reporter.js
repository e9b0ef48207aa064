import { appendFileSync } from 'node:fs';

/**
 * Appends this run's totals as one JSON line to $TEST_SUMMARY_FILE (when set), so .ci/run can
 * print "N passed, N failed" for everything it ran. Both workspaces use it: option `suite` names
 * the line.
 */
export default class SummaryReporter {
  constructor(_globalConfig, options = {}) {
    this.suite = options.suite ?? 'server';
  }

  onRunComplete(_contexts, results) {
    const file = process.env.TEST_SUMMARY_FILE;
    if (!file) return;
    const summary = {
      suite: this.suite,
      passed: results.numPassedTests,
      // A suite that crashed before its tests ran counts as one failure.
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests + results.numTodoTests,
    };
    appendFileSync(file, `${JSON.stringify(summary)}\n`);
  }
}
