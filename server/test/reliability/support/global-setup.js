import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import globalSetup from '../../support/global-setup.js';

// The build and the process marker of every test run, plus a file where scenarios append their counts.
export default function reliabilitySetup() {
  globalSetup();
  process.env.RELIABILITY_METRICS_FILE = join(mkdtempSync(join(tmpdir(), 'orch-reliability-')), 'metrics.jsonl');
  process.env.RELIABILITY_STARTED_AT = new Date().toISOString();
}
