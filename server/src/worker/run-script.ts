import { type ArtifactFile, type LineChart, renderLineChart, renderPaperPdf, type UploadResult } from './artifacts.js';
import {
  autoReview,
  DATASET,
  EPOCHS,
  type ExperimentResults,
  IDEA,
  round,
  trainingCurves,
  type Curves,
} from './experiment-model.js';
import type { EventData } from './ingest-client.js';
import { buildPaper } from './paper-content.js';
import { FAILURES } from './tracebacks.js';
import type { StageName, WorkerConfig } from './worker-config.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'warning' | 'error';

/** What the script needs from the worker around it: events, logs, time and uploads. */
export interface ScriptContext {
  config: Pick<WorkerConfig, 'mode' | 'failAt' | 'podId' | 'gpu' | 'region' | 'image'>;
  random: () => number;
  /** A single event, delivered in order; throws RunStopped once the worker is stopping. */
  emit(type: string, data: EventData): Promise<void>;
  /** A buffered ai.run.log line. */
  log(level: LogLevel, message: string, kv?: Record<string, unknown>, source?: string): void;
  flushLogs(): Promise<void>;
  /** Waits `seconds` at pace 1 (scaled by DEMO_PACE); throws RunStopped when the worker stops. */
  sleep(seconds: number): Promise<void>;
  /** Calls `tick` every `seconds` at pace 1; returns a function that stops it. */
  every(seconds: number, tick: () => void): () => void;
  upload(file: ArtifactFile): Promise<UploadResult>;
}

export class RunStopped extends Error {
  constructor() {
    super('the worker was asked to stop');
    this.name = 'RunStopped';
  }
}

class StageFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly traceback: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

// Real workers mix canonical names with display names; the orchestrator normalises both.
const STAGE_TITLES: Record<StageName, string> = {
  Stage_1: 'Stage 1: Preliminary Investigation',
  Stage_2: 'Stage 2: Plot Aggregation',
  Stage_3: 'Stage 3: Paper Writeup',
  Stage_4: 'Stage 4: Auto Validation',
};

const STAGE_DESCRIPTIONS: Record<StageName, string> = {
  Stage_1: 'Agentic tree search over experiment code: baseline, creative research, ablations',
  Stage_2: 'Aggregating result plots into paper figures',
  Stage_3: 'Writing and compiling the paper',
  Stage_4: 'Automated LLM review of the paper',
};

const MAX_ITERATIONS = 12;
const CODE_MODEL = 'claude-3-5-sonnet-20241022';
const REVIEW_MODEL = 'gpt-4o-2024-11-20';

/**
 * Plays one AI-Scientist run (or only its write-up) through the context and says how it ended.
 * Throws RunStopped when the worker is stopped part-way.
 */
export async function playRun(ctx: ScriptContext): Promise<'completed' | 'failed'> {
  const startedAt = Date.now();
  const telemetry = new Telemetry();
  await ctx.emit('ai.run.started', { pod_id: ctx.config.podId, gpu: ctx.config.gpu, region: ctx.config.region, image: ctx.config.image });
  ctx.log('info', 'Worker started', { mode: ctx.config.mode, pod_id: ctx.config.podId }, 'worker');
  // Heartbeats come from their own timer, as in the real worker, not from the script's steps.
  const stopHeartbeat = ctx.every(2, () => void ctx.emit('ai.run.heartbeat', telemetry.sample()).catch(() => undefined));
  try {
    await ctx.sleep(0.5);
    const run = new ScriptedRun(ctx, telemetry);
    const stages: [StageName, () => Promise<string>][] =
      ctx.config.mode === 'writeup'
        ? [['Stage_3', () => run.writeup()], ['Stage_4', () => run.validation()]]
        : [['Stage_1', () => run.experiments()], ['Stage_2', () => run.plots()], ['Stage_3', () => run.writeup()], ['Stage_4', () => run.validation()]];
    for (const [stage, body] of stages) {
      const failure = await run.stage(stage, body);
      if (failure) {
        stopHeartbeat();
        ctx.log('error', `${stage} failed: ${failure.code}: ${failure.message}`, { stage, code: failure.code }, 'worker');
        await ctx.flushLogs();
        await ctx.emit('ai.run.failed', { stage, code: failure.code, message: failure.message, traceback: failure.traceback, retryable: failure.retryable });
        return 'failed';
      }
    }
    stopHeartbeat();
    ctx.log('info', 'Run finished', { total_duration_s: seconds(startedAt) }, 'worker');
    await ctx.flushLogs();
    await ctx.emit('ai.run.completed', { total_duration_s: seconds(startedAt) });
    return 'completed';
  } finally {
    stopHeartbeat();
  }
}

interface SimNode {
  id: string;
  parentId: string | null;
  buggy: boolean;
  valLoss: number;
  valAcc: number;
  curves: Curves;
}

class ScriptedRun {
  private results?: ExperimentResults;
  private readonly figures = new Map<string, Buffer>();

  constructor(
    private readonly ctx: ScriptContext,
    private readonly telemetry: Telemetry,
  ) {}

  // Runs one stage between stage_started and stage_completed; returns the failure, if any.
  async stage(stage: StageName, body: () => Promise<string>): Promise<StageFailure | undefined> {
    const startedAt = Date.now();
    const label = stage === 'Stage_1' || stage === 'Stage_3' ? STAGE_TITLES[stage] : stage;
    await this.ctx.emit('ai.run.stage_started', { stage: label, desc: STAGE_DESCRIPTIONS[stage] });
    this.telemetry.training = stage === 'Stage_1';
    try {
      const summary = await body();
      await this.ctx.emit('ai.run.stage_completed', { stage, duration_s: seconds(startedAt), summary });
      await this.ctx.sleep(0.3);
      return undefined;
    } catch (error) {
      if (error instanceof RunStopped) throw error;
      if (error instanceof StageFailure) return error;
      // A bug in this script still ends the run the way a worker crash would: failed, with the stack.
      const e = error as Error;
      return new StageFailure(e.name, e.message, e.stack ?? String(e), true);
    } finally {
      this.telemetry.training = false;
    }
  }

  private failIfAsked(stage: StageName): void {
    if (this.ctx.config.failAt !== stage) return;
    const failure = FAILURES[stage];
    throw new StageFailure(failure.code, failure.message, failure.traceback, false);
  }

  async experiments(): Promise<string> {
    const { ctx } = this;
    const random = ctx.random;
    const nodes: SimNode[] = [];
    const good = () => nodes.filter((n) => !n.buggy);
    const best = () => good().reduce<SimNode | undefined>((b, n) => (!b || n.valLoss < b.valLoss ? n : b), undefined);
    ctx.log('info', `Loaded idea: ${IDEA}`, { dataset: DATASET, max_iterations: MAX_ITERATIONS }, 'agent');
    ctx.log('debug', 'Tree search configuration', { num_drafts: 3, max_debug_depth: 3, debug_prob: 0.7, model: CODE_MODEL, timeout_s: 3600 }, 'agent');
    await ctx.sleep(0.4);
    const loopStart = Date.now();
    let reportedFirstGood = false;

    for (let i = 1; i <= MAX_ITERATIONS; i++) {
      if (i === 7) this.failIfAsked('Stage_1');
      if (i === 5) ctx.log('info', 'Sub-stage 2/3: creative research', { best_val_loss: best()?.valLoss }, 'agent');
      if (i === 9) ctx.log('info', 'Sub-stage 3/3: ablation studies', { best_val_loss: best()?.valLoss }, 'agent');

      const last = nodes[nodes.length - 1];
      const [action, parent] =
        i <= 3 || !best() ? (['draft', undefined] as const) : last?.buggy && random() < 0.7 ? (['debug', last] as const) : (['improve', best()] as const);
      const id = hex(random, 32);
      const stageLabel = i % 3 === 0 ? STAGE_TITLES.Stage_1 : 'Stage_1';
      await ctx.emit('ai.node.created', { stage: stageLabel, node_id: id, parent_id: parent?.id ?? null });
      ctx.log('info', `Node ${i}/${MAX_ITERATIONS}: ${action}${parent ? ` from ${parent.id.slice(0, 8)}` : ''}`, { node_id: id, action }, 'agent');
      await ctx.sleep(0.35);

      await ctx.emit('ai.node.code_generated', { stage: 'Stage_1', node_id: id, code_size_bytes: 2400 + Math.floor(random() * 6000) });
      ctx.log('debug', 'LLM response received', { model: CODE_MODEL, prompt_tokens: 3000 + Math.floor(random() * 5000), completion_tokens: 800 + Math.floor(random() * 1600) }, 'agent');
      await ctx.emit('ai.node.executing', { stage: 'Stage_1', node_id: id });
      const execStart = Date.now();

      // A quarter of generated programs crash, as in the real search; the last one always runs if none did.
      const buggy = random() < 0.25 && !(i === MAX_ITERATIONS && !best());
      const base = parent && !parent.buggy ? parent.valLoss * (0.88 + random() * 0.14) : 0.95 + random() * 0.25;
      const valLoss = round(Math.max(0.45, base));
      const curves = trainingCurves(valLoss, random);
      const epochs = buggy ? 1 + Math.floor(random() * 3) : EPOCHS;
      for (let e = 0; e < epochs; e++) {
        await ctx.sleep(0.09);
        const kv = { epoch: e + 1, train_loss: curves.trainLoss[e], val_loss: curves.valLoss[e], val_acc: curves.valAcc[e] };
        ctx.log('debug', `Epoch ${e + 1}/${EPOCHS}: train_loss=${kv.train_loss} val_loss=${kv.val_loss} val_acc=${kv.val_acc}`, kv, 'interpreter');
      }
      if (i === 3) ctx.log('warn', 'UserWarning: Detected call of `lr_scheduler.step()` before `optimizer.step()`', { node_id: id }, 'interpreter');
      if (i === 6) ctx.log('warning', 'GPU memory above 90% during evaluation; reducing eval batch size to 256', { node_id: id, mem_gb: 72.4 }, 'interpreter');
      const execTime = seconds(execStart);
      const valAcc = curves.valAcc[EPOCHS - 1];
      nodes.push({ id, parentId: parent?.id ?? null, buggy, valLoss, valAcc, curves });

      if (buggy) {
        const error = BUG_MESSAGES[Math.floor(random() * BUG_MESSAGES.length)];
        ctx.log('error', `Execution failed: ${error}`, { node_id: id, exc_type: error.split(':')[0] }, 'interpreter');
        await ctx.emit('ai.node.completed', { stage: 'Stage_1', node_id: id, is_buggy: true, metric: null, exec_time_s: execTime });
      } else {
        await ctx.emit('ai.node.completed', { stage: 'Stage_1', node_id: id, is_buggy: false, metric: valLoss, exec_time_s: execTime });
        await ctx.emit('ai.run.stage_metric', { stage: 'Stage_1', name: 'val_loss', value: valLoss });
        await ctx.emit('ai.run.stage_metric', { stage: 'Stage_1', name: 'accuracy', value: valAcc });
        if (!reportedFirstGood) {
          // Existing workers also send this type, which is not in the catalogue.
          await ctx.emit('ai.experiment.node_completed', { stage: 'Stage_1', node_id: id, metric: { name: 'validation loss', value: valLoss, lower_is_better: true } });
          reportedFirstGood = true;
        }
      }
      await ctx.emit('ai.run.stage_progress', {
        stage: i % 3 === 1 ? STAGE_TITLES.Stage_1 : 'Stage_1',
        progress: round(i / MAX_ITERATIONS),
        eta_s: eta(loopStart, i, MAX_ITERATIONS),
        iteration: i,
        max_iterations: MAX_ITERATIONS,
        good_nodes: good().length,
        buggy_nodes: nodes.length - good().length,
        total_nodes: nodes.length,
        ...(best() ? { best_metric: best()!.valLoss } : {}),
      });
      await ctx.sleep(0.1);
    }

    const winner = best()!;
    const baseline = good()[0];
    await ctx.emit('ai.node.selected_best', { stage: 'Stage_1', node_id: winner.id, metric: winner.valLoss });
    ctx.log('info', 'Selected best node', { node_id: winner.id, val_loss: winner.valLoss, val_acc: winner.valAcc }, 'agent');
    this.results = {
      idea: IDEA,
      dataset: DATASET,
      baseline: { valLoss: baseline.valLoss, valAcc: baseline.valAcc, curves: baseline.curves },
      best: { nodeId: winner.id, valLoss: winner.valLoss, valAcc: winner.valAcc, curves: winner.curves },
      searchHistory: good().map((n) => n.valLoss),
      goodNodes: good().length,
      buggyNodes: nodes.length - good().length,
    };
    return `${nodes.length} nodes (${good().length} good, ${nodes.length - good().length} buggy); best ${winner.id.slice(0, 8)} val_loss=${winner.valLoss} accuracy=${winner.valAcc}`;
  }

  async plots(): Promise<string> {
    const { ctx } = this;
    const charts = plotCharts(this.experimentResults());
    ctx.log('info', 'Aggregating figures from experiment results', { figures: charts.length }, 'plotting');
    await ctx.sleep(0.4);
    let uploaded = 0;
    const loopStart = Date.now();
    for (const [k, [filename, chart]] of charts.entries()) {
      if (k === 2) this.failIfAsked('Stage_2');
      ctx.log('info', `Plotting ${chart.title}`, { file: filename }, 'plotting');
      await ctx.sleep(1);
      const png = renderLineChart(chart);
      this.figures.set(filename, png);
      await ctx.emit('ai.artifact.detected', { path: `experiments/figures/${filename}`, type: 'plot', size_bytes: png.length });
      const result = await ctx.upload({ filename, contentType: 'image/png', kind: 'plot', bytes: png });
      if (result.ok) uploaded++;
      else ctx.log('warn', `Could not upload ${filename}: ${result.message}`, { key: result.key, code: result.code }, 'plotting');
      await ctx.emit('ai.run.stage_progress', { stage: 'Stage_2', progress: round((k + 1) / charts.length), eta_s: eta(loopStart, k + 1, charts.length), iteration: k + 1, max_iterations: charts.length });
    }
    return `${charts.length} figures aggregated, ${uploaded} uploaded`;
  }

  async writeup(): Promise<string> {
    const { ctx } = this;
    const results = this.experimentResults();
    await ctx.emit('ai.paper.started', {});
    const charts = new Map(plotCharts(results));
    const figure = (name: string) => this.figures.get(name) ?? renderLineChart(charts.get(name)!);
    const paper = buildPaper(results, { lossCurves: figure('loss_curves.png'), search: figure('search_progress.png') });
    const steps = paper.sections.length + 1;
    const loopStart = Date.now();
    for (const [k, section] of paper.sections.entries()) {
      if (k === 3) this.failIfAsked('Stage_3');
      const words = section.paragraphs.join(' ').split(/\s+/).length;
      ctx.log('info', `Writing section: ${section.heading}`, { section: section.heading, words, model: CODE_MODEL }, 'writeup');
      await ctx.sleep(0.7);
      await ctx.emit('ai.run.stage_progress', { stage: 'Stage_3', progress: round((k + 1) / steps), eta_s: eta(loopStart, k + 1, steps), iteration: k + 1, max_iterations: steps });
    }
    ctx.log('info', 'Compiling LaTeX', { engine: 'pdflatex', passes: 2 }, 'writeup');
    await ctx.sleep(0.5);
    const { bytes, wordCount } = await renderPaperPdf(paper);
    ctx.log('warning', "LaTeX Warning: Float too large for page by 4.2pt on input line 212.", { file: 'template.tex' }, 'latex');
    const upload = await ctx.upload({ filename: 'paper.pdf', contentType: 'application/pdf', kind: 'paper', bytes });
    if (!upload.ok) {
      throw new StageFailure('ArtifactUploadError', `paper.pdf could not be uploaded: ${upload.message}`, `ArtifactUploadError: ${upload.code}: ${upload.message}`, true);
    }
    await ctx.emit('ai.paper.generated', { artifact_key: upload.key, word_count: wordCount });
    await ctx.emit('ai.run.stage_progress', { stage: 'Stage_3', progress: 1, eta_s: 0, iteration: steps, max_iterations: steps });
    return `paper.pdf written: ${wordCount} words, ${paper.sections.length} sections, ${bytes.length} bytes`;
  }

  async validation(): Promise<string> {
    const { ctx } = this;
    const results = this.experimentResults();
    const reviewers = 3;
    await ctx.emit('ai.validation.auto_started', { model: REVIEW_MODEL, rubric_version: 'neurips-2024-v1' });
    ctx.log('info', 'Starting automated review', { model: REVIEW_MODEL, num_reviews_ensemble: reviewers, num_reflections: 2 }, 'reviewer');
    const loopStart = Date.now();
    for (let r = 1; r <= reviewers; r++) {
      if (r === 2) this.failIfAsked('Stage_4');
      await ctx.sleep(1.1);
      ctx.log('info', `Review ${r}/${reviewers} received`, { reviewer: r, tokens: 1500 + Math.floor(ctx.random() * 900) }, 'reviewer');
      await ctx.emit('ai.run.stage_progress', { stage: 'Stage_4', progress: round(r / (reviewers + 1)), eta_s: eta(loopStart, r, reviewers + 1), iteration: r, max_iterations: reviewers + 1 });
    }
    await ctx.sleep(0.4);
    const review = autoReview(results, ctx.random);
    ctx.log('info', 'Meta-review written', { verdict: review.verdict, overall: review.scores.overall }, 'reviewer');
    await ctx.emit('ai.validation.auto_completed', { verdict: review.verdict, scores: review.scores, notes: review.notes });
    await ctx.emit('ai.run.stage_progress', { stage: 'Stage_4', progress: 1, eta_s: 0, iteration: reviewers + 1, max_iterations: reviewers + 1 });
    return `auto review: ${review.verdict} (overall ${review.scores.overall}/10)`;
  }

  // In write-up mode the experiments ran in an earlier attempt; stand in for their results.
  private experimentResults(): ExperimentResults {
    this.results ??= previousResults(this.ctx.random);
    return this.results;
  }
}

function plotCharts(results: ExperimentResults): [string, LineChart][] {
  const { best, baseline, searchHistory } = results;
  const bestSoFar = searchHistory.map((_, i) => Math.min(...searchHistory.slice(0, i + 1)));
  return [
    ['loss_curves.png', { title: 'training and validation loss', series: [series('train loss', BLUE, best.curves.trainLoss), series('val loss', ORANGE, best.curves.valLoss)] }],
    ['accuracy_curves.png', { title: 'training and validation accuracy', series: [series('train acc', BLUE, best.curves.trainAcc), series('val acc', ORANGE, best.curves.valAcc)] }],
    ['search_progress.png', { title: 'tree search progress', series: [series('node val loss', GREEN, searchHistory), series('best so far', RED, bestSoFar)] }],
    ['baseline_vs_best.png', { title: 'baseline vs best validation loss', series: [series('baseline', GREY, baseline.curves.valLoss), series('best', RED, best.curves.valLoss)] }],
  ];
}

function previousResults(random: () => number): ExperimentResults {
  const baselineCurves = trainingCurves(1.02, random);
  const bestCurves = trainingCurves(0.74, random);
  return {
    idea: IDEA,
    dataset: DATASET,
    baseline: { valLoss: 1.02, valAcc: baselineCurves.valAcc[EPOCHS - 1], curves: baselineCurves },
    best: { nodeId: hex(random, 32), valLoss: 0.74, valAcc: bestCurves.valAcc[EPOCHS - 1], curves: bestCurves },
    searchHistory: [1.02, 0.97, 0.99, 0.88, 0.91, 0.81, 0.77, 0.74],
    goodNodes: 8,
    buggyNodes: 4,
  };
}

const BLUE = [31, 119, 180] as const;
const ORANGE = [255, 127, 14] as const;
const GREEN = [44, 160, 44] as const;
const RED = [214, 39, 40] as const;
const GREY = [127, 127, 127] as const;

function series(name: string, color: readonly [number, number, number], values: number[]) {
  return { name, color, values };
}

const BUG_MESSAGES = [
  'RuntimeError: mat1 and mat2 shapes cannot be multiplied (128x192 and 256x10)',
  "KeyError: 'val_loss'",
  'ValueError: Expected input batch_size (128) to match target batch_size (64).',
  "AttributeError: 'VisionTransformer' object has no attribute 'pos_embedding'",
  'IndexError: Target 10 is out of bounds.',
];

// GPU telemetry as a random walk towards a target that depends on whether the GPU is training.
class Telemetry {
  training = false;
  private util = 2;
  private mem = 1.2;
  private temp = 33;

  constructor(private readonly random: () => number = Math.random) {}

  sample(): { gpu_util: number; mem_gb: number; temp_c: number } {
    const [util, mem] = this.training ? [93, 38] : [4, 2.5];
    this.util = clamp(this.util + (util - this.util) * 0.35 + (this.random() - 0.5) * 6, 0, 100);
    this.mem = clamp(this.mem + (mem - this.mem) * 0.4 + (this.random() - 0.5) * 0.8, 0.3, 79);
    this.temp = clamp(this.temp + (32 + this.util * 0.45 - this.temp) * 0.25 + (this.random() - 0.5) * 1.5, 25, 90);
    return { gpu_util: round(this.util, 1), mem_gb: round(this.mem, 1), temp_c: round(this.temp, 1) };
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

// Seconds left if the remaining steps take as long as the finished ones did on average.
function eta(since: number, done: number, total: number): number {
  return round(((Date.now() - since) / 1000 / done) * (total - done), 1);
}

function seconds(since: number): number {
  return round((Date.now() - since) / 1000, 2);
}

function hex(random: () => number, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += Math.floor(random() * 16).toString(16);
  return out;
}
