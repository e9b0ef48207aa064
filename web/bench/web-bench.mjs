// `npm run bench:web`: the web app's first-load JavaScript (gzip) and the time Chromium takes to
// render a run page holding 100,000 log lines (and then to scroll through them). Prints a table
// and writes the numbers as JSON under web/bench/results/ (git-ignored).
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

/* global document, requestAnimationFrame -- used in code that runs in the page */

const WEB = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REPO = resolve(WEB, '..');
const DIST = join(WEB, 'dist');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const LINES = Number(process.env.BENCH_LOG_LINES ?? 100_000);
const BATCH = 5_000;
const LOADS = 3;

const gzipSize = (file) => gzipSync(readFileSync(file)).length;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (value) => `${Math.round(value)} ms`;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), 0);
}

function build() {
  process.stderr.write('building the web app (production)…\n');
  execFileSync(process.execPath, [join(REPO, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'], {
    cwd: WEB,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (newestMtime(join(REPO, 'server/dist/main.js')) < newestMtime(join(REPO, 'server/src'))) {
    process.stderr.write('building the server…\n');
    try {
      execFileSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
        cwd: join(REPO, 'server'),
        stdio: 'pipe',
      });
    } catch (error) {
      process.stderr.write(`warning: the server has type errors; using what tsc emitted\n${error.stdout ?? ''}\n`);
    }
  }
}

/** The JavaScript index.html loads before anything else: the entry module and its preloads. */
function initialScripts() {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const files = [...html.matchAll(/<script[^>]+src="([^"]+\.js)"|<link[^>]+rel="modulepreload"[^>]+href="([^"]+\.js)"/g)].map((m) => m[1] ?? m[2]);
  return [...new Set(files)].map((path) => join(DIST, path));
}

async function startServer() {
  const dataDir = mkdtempSync(join(tmpdir(), 'orch-web-bench-'));
  let output = '';
  const child = spawn(process.execPath, [join(REPO, 'server/dist/main.js')], {
    cwd: REPO,
    // The bench feeds 100,000 lines as fast as the server takes them: lift the per-token ingest rate limit.
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      PORT: '0',
      DATA_DIR: dataDir,
      INGEST_RATE_PER_S: '10000000',
      INGEST_BURST: '100000000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const started = Date.now();
  while (Date.now() - started < 60_000) {
    const url = /"url":"(http:\/\/[^"]+)"/.exec(output)?.[1];
    if (url) {
      output = '';
      return {
        url,
        stop: async () => {
          const exited = once(child, 'exit');
          child.kill('SIGTERM');
          await exited;
          rmSync(dataDir, { recursive: true, force: true });
        },
      };
    }
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`the server did not start:\n${output}`);
}

async function graphql(url, query, variables = {}) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(body.errors.map((e) => e.message).join('; '));
  return body.data;
}

/** A run holding `LINES` log lines (canceled first, so no worker adds its own). Returns its id and the time ingest took. */
async function runWithLogs(url) {
  const { createHypothesis } = await graphql(
    url,
    'mutation { createHypothesis(input: { title: "Log bench", idea: "A run holding many log lines." }) { run { id } } }',
  );
  const runId = createHypothesis.run.id;
  await graphql(url, 'mutation($id: ID!) { cancelRun(id: $id) { id } }', { id: runId });
  const levels = ['debug', 'info', 'info', 'info', 'warning', 'error'];
  const started = performance.now();
  for (let from = 0; from < LINES; from += BATCH) {
    const lines = [];
    for (let i = from; i < Math.min(LINES, from + BATCH); i++) {
      lines.push(
        JSON.stringify({
          specversion: '1.0',
          id: `bench-${runId}-${i}`,
          source: 'worker://bench/logs',
          type: 'ai.run.log',
          subject: `run/${runId}`,
          time: new Date(Date.UTC(2026, 0, 1, 9) + i * 10).toISOString(),
          datacontenttype: 'application/json',
          data: {
            run_id: runId,
            level: levels[i % levels.length],
            message: `step ${i + 1}: loss=${(1 / (1 + i / 1000)).toFixed(5)} lr=0.0003 tokens/s=${12000 + (i % 977)}`,
          },
          extensions: { seq: i + 1 },
        }),
      );
    }
    const response = await fetch(`${url}/api/ingest/events`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: lines.join('\n') });
    if (response.status >= 300) throw new Error(`ingest answered ${response.status}: ${await response.text()}`);
  }
  return { runId, ingestMs: performance.now() - started };
}

/** Opens the run page in a fresh context and times the tail appearing and the whole history arriving. */
async function loadRunPage(browser, url, runId) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  const started = Date.now();
  await page.goto(`${url}/runs/${runId}`);
  await page.locator('.log-line', { hasText: `step ${LINES}:` }).waitFor({ timeout: 120_000 });
  const tailVisibleMs = Date.now() - started;
  const navigationMs = await page.evaluate(() => performance.getEntriesByType('navigation')[0]?.startTime ?? 0);
  // The demo worker may have logged a few lines of its own before the run was canceled: at least LINES.
  await page.waitForFunction(
    (n) => {
      const status = document.querySelector('.log-status')?.textContent ?? '';
      return Number(status.match(/^([\d,]+) lines/)?.[1].replace(/,/g, '') ?? 0) >= n && !status.includes('loading');
    },
    LINES,
    { timeout: 300_000, polling: 50 },
  );
  const allLinesMs = Date.now() - started;
  const rowsInDom = await page.locator('.log-line').count();
  return { page, context, tailVisibleMs: tailVisibleMs - navigationMs, allLinesMs, rowsInDom };
}

/** Scrolls the log from the end to the start in 60 frames and times every frame. */
async function scrollFrames(page) {
  return page.evaluate(
    () =>
      new Promise((done) => {
        const scroller = document.querySelector('[data-testid="log-scroll"]');
        const frames = [];
        const steps = 120;
        const start = scroller.scrollHeight - scroller.clientHeight;
        let last = performance.now();
        let step = 0;
        const tick = (now) => {
          frames.push(now - last);
          last = now;
          step += 1;
          scroller.scrollTop = start - (start * step) / steps;
          if (step <= steps) requestAnimationFrame(tick);
          else {
            frames.shift();
            done(frames);
          }
        };
        requestAnimationFrame(tick);
      }),
  );
}

async function main() {
  if (!existsSync(CHROMIUM)) {
    process.stderr.write(`SKIPPED bench:web: ${CHROMIUM} is missing\n`);
    process.exit(1);
  }
  build();
  const initial = initialScripts().map((file) => ({ file: file.slice(DIST.length + 1), bytes: statSync(file).size, gzip: gzipSize(file) }));
  const initialGzip = initial.reduce((sum, f) => sum + f.gzip, 0);

  const server = await startServer();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    // JavaScript each page needs on a first visit (entry + its lazy route chunks), as Chromium fetched it.
    const perRoute = {};
    const { runId, ingestMs } = await runWithLogs(server.url);
    for (const [name, path] of [
      ['home', '/'],
      ['overview', '/overview'],
      ['run', `/runs/${runId}`],
      ['graphiql', '/graphiql'],
    ]) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const scripts = new Set();
      page.on('request', (request) => {
        const pathname = new URL(request.url()).pathname;
        if (request.resourceType() === 'script' || pathname.endsWith('.js')) scripts.add(pathname);
      });
      await page.goto(`${server.url}${path}`);
      await page.waitForLoadState('networkidle');
      perRoute[name] = [...scripts].filter((p) => existsSync(join(DIST, p))).reduce((sum, p) => sum + gzipSize(join(DIST, p)), 0);
      await context.close();
    }

    const loads = [];
    let frames = [];
    for (let i = 0; i < LOADS; i++) {
      const load = await loadRunPage(browser, server.url, runId);
      if (i === LOADS - 1) frames = await scrollFrames(load.page);
      loads.push({ tailVisibleMs: load.tailVisibleMs, allLinesMs: load.allLinesMs, rowsInDom: load.rowsInDom });
      await load.context.close();
    }
    const sortedFrames = [...frames].sort((a, b) => a - b);
    const result = {
      at: new Date().toISOString(),
      initialJs: { files: initial, gzipBytes: initialGzip, budgetBytes: 300 * 1024, withinBudget: initialGzip <= 300 * 1024 },
      firstVisitJsGzipBytes: perRoute,
      runPage: {
        logLines: LINES,
        ingestMs: Math.round(ingestMs),
        loads,
        tailVisibleMedianMs: median(loads.map((l) => l.tailVisibleMs)),
        allLinesLoadedMedianMs: median(loads.map((l) => l.allLinesMs)),
        rowsInDom: loads.at(-1).rowsInDom,
        scroll: {
          frames: frames.length,
          meanFrameMs: frames.reduce((a, b) => a + b, 0) / Math.max(1, frames.length),
          p95FrameMs: sortedFrames[Math.floor(sortedFrames.length * 0.95)] ?? 0,
          maxFrameMs: sortedFrames.at(-1) ?? 0,
        },
      },
    };

    const rows = [
      ['initial JS (index.html entry + preloads), gzip', `${kb(initialGzip)} (budget 300 KB: ${result.initialJs.withinBudget ? 'within' : 'OVER'})`],
      ...Object.entries(perRoute).map(([name, bytes]) => [`first visit to ${name}: all JS fetched, gzip`, kb(bytes)]),
      [`ingest ${LINES.toLocaleString('en')} log lines (${LINES / BATCH} NDJSON batches)`, ms(ingestMs)],
      [`run page: newest of ${LINES.toLocaleString('en')} lines on screen (median of ${LOADS})`, ms(result.runPage.tailVisibleMedianMs)],
      [`run page: all ${LINES.toLocaleString('en')} lines held by the viewer (median)`, ms(result.runPage.allLinesLoadedMedianMs)],
      ['log rows in the DOM (virtualised)', String(result.runPage.rowsInDom)],
      [
        `scrolling the whole log in ${frames.length} frames: mean / p95 / max frame`,
        `${result.runPage.scroll.meanFrameMs.toFixed(1)} / ${result.runPage.scroll.p95FrameMs.toFixed(1)} / ${result.runPage.scroll.maxFrameMs.toFixed(1)} ms`,
      ],
    ];
    const width = Math.max(...rows.map(([label]) => label.length));
    const print = (line) => process.stdout.write(`${line}\n`);
    print(`\n${'measure'.padEnd(width)}  value\n${'-'.repeat(width)}  ${'-'.repeat(30)}`);
    for (const [label, value] of rows) print(`${label.padEnd(width)}  ${value}`);
    const out = join(WEB, 'bench/results');
    mkdirSync(out, { recursive: true });
    const file = join(out, `web-${result.at.replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    print(`\nwritten to ${file.slice(REPO.length + 1)}`);
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
