import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { awaitNoTestProcesses } from '../../support/test-processes.js';

const RESULTS = join(dirname(fileURLToPath(import.meta.url)), '../../../../test/reliability/results');

const COLUMNS = [
  ['scenario', 'scenario'],
  ['faultsInjected', 'faults injected'],
  ['requestsSent', 'requests sent'],
  ['inputsTried', 'inputs tried'],
  ['retried503', '503 (retried)'],
  ['serverErrors', '5xx seen'],
  ['eventsLost', 'events lost'],
  ['eventsDoubleApplied', 'events double-applied'],
  ['leakedPods', 'leaked pods'],
  ['leakedProcesses', 'leaked processes'],
  ['seconds', 's'],
];
// What must be 0 for the suite to pass (each scenario asserts it too).
const LOSSES = ['serverErrors', 'eventsLost', 'eventsDoubleApplied', 'leakedPods', 'leakedProcesses'];

/** Prints the scenarios' counts as one table and writes them to test/reliability/results/<time>.json. */
export default class ReliabilityReporter {
  async onRunComplete(_contexts, results) {
    const file = process.env.RELIABILITY_METRICS_FILE;
    const rows = file && existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
    const stray = (await awaitNoTestProcesses()).map((p) => `${p.pid} ${p.cmdline}`);
    const total = { scenario: 'total' };
    for (const [key] of COLUMNS.slice(1)) total[key] = rows.reduce((n, r) => n + (r[key] ?? 0), 0);
    total.leakedProcesses += stray.length;
    total.seconds = Math.round(total.seconds * 10) / 10;

    const table = [...rows, total].map((row) => COLUMNS.map(([key]) => String(row[key] ?? 0)));
    const widths = COLUMNS.map(([, title], i) => Math.max(title.length, ...table.map((cells) => cells[i].length)));
    const line = (cells) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
    const out = [
      '',
      'Reliability: faults and hostile input, nothing lost',
      line(COLUMNS.map(([, title]) => title)),
      line(widths.map((w) => '-'.repeat(w))),
      ...table.slice(0, -1).map(line),
      line(widths.map((w) => '-'.repeat(w))),
      line(table.at(-1)),
    ];
    const failedLosses = LOSSES.filter((key) => total[key] !== 0);
    out.push(
      failedLosses.length === 0 && results.numFailedTests === 0
        ? `every loss column is 0 (${results.numPassedTests} checks passed)`
        : `NOT GREEN: ${failedLosses.map((k) => `${k}=${total[k]}`).join(', ') || 'no loss counted'}; ${results.numFailedTests} checks failed`,
    );
    if (stray.length > 0) out.push(`left running: ${stray.join(' | ')}`);
    process.stdout.write(`${out.join('\n')}\n`);

    mkdirSync(RESULTS, { recursive: true });
    const at = new Date();
    const target = join(RESULTS, `reliability-${at.toISOString().replace(/[:.]/g, '-')}.json`);
    const config = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('RELIABILITY_') && k !== 'RELIABILITY_METRICS_FILE'));
    writeFileSync(
      target,
      `${JSON.stringify({ startedAt: process.env.RELIABILITY_STARTED_AT, finishedAt: at.toISOString(), config, passed: results.numPassedTests, failed: results.numFailedTests, scenarios: rows, total, leftRunning: stray }, null, 2)}\n`,
    );
    process.stdout.write(`results: ${target}\n`);
  }
}
