import { appendFileSync } from 'node:fs';

/**
 * Appends the web workspace's totals as one JSON line to $TEST_SUMMARY_FILE (when set), beside the
 * server's, so .ci/run can print "N passed, N failed" for everything it ran.
 */
export default class SummaryReporter {
  onRunComplete(_contexts, results) {
    const file = process.env.TEST_SUMMARY_FILE;
    if (!file) return;
    const summary = {
      suite: 'web',
      passed: results.numPassedTests,
      // A suite that crashed before its tests ran counts as one failure.
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests + results.numTodoTests,
    };
    appendFileSync(file, `${JSON.stringify(summary)}\n`);
  }
}
