import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isMain, report, row, type Row, ROOT } from './harness.js';

// Web: the web workspace measures itself (`npm run bench:web -w web`: initial JS gzip, the
// 100,000-line log page's render time); this runs it and takes its numbers into the one table.

interface WebRow {
  metric: string;
  value: number;
  unit?: string;
  baseline?: number;
  baselineName?: string;
  ratio?: string;
  target?: string;
  note?: string;
}

interface WebResult {
  initialJs?: { gzipBytes?: number; budgetBytes?: number };
  firstVisitJsGzipBytes?: Record<string, number>;
  runPage?: { logLines?: number; tailVisibleMedianMs?: number; allLinesLoadedMedianMs?: number; rowsInDom?: number; scroll?: { p95FrameMs?: number } };
}

/** Rows from the web benchmark's JSON (web/bench/web-bench.mjs); anything else: every number in it. */
function toRows(json: unknown): Row[] {
  const web = json as WebResult;
  if (web.initialJs?.gzipBytes !== undefined && web.runPage) {
    const kb = (bytes: number) => bytes / 1024;
    const lines = web.runPage.logLines ?? 100_000;
    const rows: Row[] = [
      row('web', 'initial JS (entry + preloads), gzip', kb(web.initialJs.gzipBytes), 'KB', web.initialJs.budgetBytes ? { value: kb(web.initialJs.budgetBytes), name: 'budget' } : undefined),
      ...Object.entries(web.firstVisitJsGzipBytes ?? {}).map(([route, bytes]) => row('web', `first visit to ${route}: all JS, gzip`, kb(bytes), 'KB')),
    ];
    if (web.runPage.tailVisibleMedianMs !== undefined) rows.push(row('web', `run page with ${lines} log lines: newest lines on screen`, web.runPage.tailVisibleMedianMs, 'ms'));
    if (web.runPage.allLinesLoadedMedianMs !== undefined) rows.push(row('web', `run page: all ${lines} lines loaded in the viewer`, web.runPage.allLinesLoadedMedianMs, 'ms'));
    if (web.runPage.scroll?.p95FrameMs !== undefined) rows.push(row('web', `scrolling all ${lines} lines: p95 frame`, web.runPage.scroll.p95FrameMs, 'ms', { value: 1000 / 60, name: '60 fps frame' }));
    return rows;
  }
  const rows = (json as { rows?: unknown }).rows;
  if (Array.isArray(rows)) {
    return (rows as WebRow[])
      .filter((r) => typeof r.value === 'number')
      .map((r) => ({ section: 'web', metric: r.metric, value: r.value, unit: r.unit ?? '', ...(r.baseline === undefined ? {} : { baseline: r.baseline, baselineName: r.baselineName ?? 'baseline', ratio: r.ratio ?? `${Math.round((100 * r.value) / r.baseline) / 100}×` }), ...(r.target ? { target: r.target } : {}), ...(r.note ? { note: r.note } : {}) }));
  }
  const flat: Row[] = [];
  const walk = (value: unknown, path: string) => {
    if (typeof value === 'number') flat.push({ section: 'web', metric: path, value, unit: '' });
    else if (value && typeof value === 'object') for (const [key, inner] of Object.entries(value)) walk(inner, path ? `${path}.${key}` : key);
  };
  walk(json, '');
  return flat;
}

function lastJsonIn(text: string): unknown {
  for (let start = text.lastIndexOf('{'); start >= 0; start = text.lastIndexOf('{', start - 1)) {
    try {
      return JSON.parse(text.slice(start));
    } catch {
      // not the start of the last JSON document yet
    }
  }
  return null;
}

export async function webBench(): Promise<{ rows: Row[]; context: Record<string, unknown> }> {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'web/package.json'), 'utf8')) as { scripts?: Record<string, string> };
  if (!manifest.scripts?.['bench:web']) return { rows: [], context: { skipped: 'web/package.json has no bench:web script' } };
  const started = Date.now();
  const output: string[] = [];
  // Its own process group, so that a run that hangs is stopped with everything it started.
  const child = spawn('npm', ['run', '--silent', 'bench:web', '-w', 'web'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  child.stdout.on('data', (chunk: Buffer) => {
    output.push(chunk.toString());
    process.stdout.write(chunk);
  });
  const timeoutS = Number(process.env.BENCH_WEB_TIMEOUT_S ?? 300);
  const timer = setTimeout(() => process.kill(-child.pid!, 'SIGTERM'), timeoutS * 1000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  if (code !== 0) throw new Error(`npm run bench:web exited with code ${code}${Date.now() - started >= timeoutS * 1000 ? ` (stopped after ${timeoutS} s)` : ''}`);
  // Its JSON: a file it wrote during this run (web/bench/results/ or bench/results/), else the last JSON it printed.
  const written = [join(ROOT, 'web/bench/results'), join(ROOT, 'bench/results')]
    .flatMap((dir) => (existsSync(dir) ? readdirSync(dir).map((f) => join(dir, f)) : []))
    .filter((f) => /\/web[^/]*\.json$/.test(f) && statSync(f).mtimeMs >= started)
    .sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs)
    .at(-1);
  const json = written ? (JSON.parse(readFileSync(written, 'utf8')) as unknown) : lastJsonIn(output.join(''));
  if (!json) throw new Error('npm run bench:web printed no JSON and wrote none under bench/results/');
  return { rows: toRows(json), context: { file: written ?? null, web: json } };
}

if (isMain(import.meta.url)) {
  const { rows, context } = await webBench();
  report('web', rows, context);
}
