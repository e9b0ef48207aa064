import type { INestApplicationContext } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { OBJECT_STORAGE, type ObjectStorage } from '../artifacts/storage/object-storage.js';
import { EventsService } from '../events/events.service.js';
import { HypothesesService } from '../hypotheses/hypotheses.service.js';
import { RunStatus } from '../runs/run.js';
import { RunsService } from '../runs/runs.service.js';
import { ValidationService } from '../validation/validation.service.js';
import { Verdict } from '../validation/validation.js';
import { renderLineChart, renderPaperPdf } from '../worker/artifacts.js';
import { type Envelope, ndjson, simulatedRun } from './simulated-run.js';

const S = RunStatus;

// Realistic research questions; each gets one run in a status, so every status appears several times.
const HYPOTHESES: [string, string][] = [
  ['Curriculum label smoothing', 'Label smoothing that decays over training improves calibration of small vision transformers without hurting accuracy.'],
  ['Sparse attention for small LMs', 'A learned sparse attention pattern keeps perplexity within 2% of dense attention at a third of the FLOPs.'],
  ['Warm restarts and grokking', 'Cosine warm restarts shorten the plateau before grokking on modular arithmetic tasks.'],
  ['Synthetic data for code repair', 'Mixing 20% model-generated bug fixes into fine-tuning data improves repair accuracy on unseen bugs.'],
  ['Tokenizer-free byte models', 'Byte-level models with local attention match BPE models on multilingual benchmarks at equal compute.'],
  ['Weight averaging across seeds', 'Averaging weights of runs with different data orders improves robustness to distribution shift.'],
  ['Low-rank adapters for vision', 'Rank-4 adapters on attention projections recover 95% of full fine-tuning accuracy on small image datasets.'],
  ['Early stopping by gradient noise', 'The gradient noise scale predicts the best early stopping point better than validation loss.'],
  ['Retrieval for math word problems', 'Retrieving three worked examples by structural similarity beats random few-shot prompts.'],
  ['Pruning at initialization', 'Magnitude pruning at initialization to 80% sparsity trains to within 1% of the dense baseline.'],
  ['Mixture of depths', 'Letting tokens skip half of the layers keeps quality while cutting inference latency by a third.'],
  ['Contrastive pretraining for tables', 'Contrastive row-column pretraining improves table question answering with little labelled data.'],
];

const STATUSES = [S.QUEUED, S.SCHEDULED, S.STARTING, S.RUNNING, S.AUTO_VALIDATING, S.AWAITING_HUMAN, S.COMPLETED, S.HUMAN_VALIDATED, S.FAILED, S.CANCELED];

export interface SeedSummary {
  created: number;
  skipped: number;
  events: number;
  byStatus: Partial<Record<RunStatus, number>>;
}

/** A stable UUID for a name: seeding twice finds what the first time made. */
function stableUuid(name: string): string {
  const hex = createHash('sha256').update(`orchestrator-seed:${name}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The events up to (and including) the first of `type` (for a stage: the first stage_started of it). */
function until(events: Envelope[], match: (e: Envelope) => boolean): Envelope[] {
  const index = events.findIndex(match);
  return index < 0 ? events : events.slice(0, index + 1);
}
const stageStarted = (n: number) => (e: Envelope) => e.type === 'ai.run.stage_started' && String(e.data.stage).includes(String(n));

/**
 * Fills the configured store with demo data through the real paths: hypotheses and runs through
 * their services, the worker's side through the ingest pipeline (validation, storage, projection),
 * artifact bytes into object storage, a human review through the validation service. Idempotent:
 * a hypothesis that exists is left alone. `count` hypotheses, each with one run, statuses in turn.
 */
export async function seedDemoData(app: INestApplicationContext, count = 40): Promise<SeedSummary> {
  const hypotheses = app.get(HypothesesService);
  const runs = app.get(RunsService);
  const events = app.get(EventsService);
  const validations = app.get(ValidationService);
  const storage = app.get<ObjectStorage>(OBJECT_STORAGE);
  const summary: SeedSummary = { created: 0, skipped: 0, events: 0, byStatus: {} };
  const by = 'seed';
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push(stableUuid(`hypothesis-${i}`));
  // One read for all: seeding again skips what the first time made.
  const existing = await hypotheses.getMany(ids);

  for (const [i, id] of ids.entries()) {
    const [title, idea] = HYPOTHESES[i % HYPOTHESES.length];
    const target = STATUSES[i % STATUSES.length];
    if (existing[i]) {
      summary.skipped++;
      continue;
    }
    const { run } = await hypotheses.create({ id, title: i < HYPOTHESES.length ? title : `${title} (replication ${Math.floor(i / HYPOTHESES.length)})`, idea, createdBy: by, seed: true });
    const runId = run!.id;
    summary.created++;
    summary.byStatus[target] = (summary.byStatus[target] ?? 0) + 1;
    if (target === S.QUEUED) continue;

    await runs.transition(runId, { to: S.SCHEDULED, at: new Date(), by, reason: 'seed' });
    if (target === S.SCHEDULED) continue;
    await runs.transition(runId, { to: S.STARTING, at: new Date(), by, reason: 'seed' });
    if (target === S.STARTING) continue;

    const full = simulatedRun(runId, { nodesPerStage: 4 + (i % 5), logsPerNode: 4, start: Date.now() - (count - i) * 3600_000 });
    await storeArtifacts(storage, full, title);
    const script: Record<string, Envelope[]> = {
      [S.RUNNING]: until(full, stageStarted(2)),
      [S.AUTO_VALIDATING]: until(full, (e) => e.type === 'ai.validation.auto_started'),
      [S.COMPLETED]: full.filter((e) => !e.type.startsWith('ai.validation.')),
      [S.FAILED]: [...until(full, stageStarted(3)), failure(runId, full)],
      [S.CANCELED]: until(full, stageStarted(2)),
    };
    const sent = script[target] ?? full;
    for (let k = 0; k < sent.length; k += 500) {
      await events.ingest(ndjson(sent.slice(k, k + 500)), { kind: 'run', runId });
    }
    summary.events += sent.length;
    if (target === S.CANCELED) await runs.cancel(runId, by, 'seed: canceled by its author');
    if (target === S.HUMAN_VALIDATED) {
      await validations.submitHuman({
        runId,
        verdict: i % 3 === 0 ? Verdict.FAIL : Verdict.PASS,
        scores: [
          { name: 'novelty', score: 6 + (i % 4) },
          { name: 'soundness', score: 5 + (i % 5) },
          { name: 'clarity', score: 7 },
        ],
        notes: 'Solid ablations; the baseline could be stronger.',
        reviewer: 'seed-reviewer',
      });
    }
  }
  return summary;
}

function failure(runId: string, full: Envelope[]): Envelope {
  const last = full.find(stageStarted(3))!;
  return {
    ...last,
    id: stableUuid(`failure-${runId}`),
    type: 'ai.run.failed',
    time: new Date(Date.parse(last.time) + 1000).toISOString(),
    data: {
      run_id: runId,
      stage: 'Stage_3',
      code: 'LATEX_COMPILE_ERROR',
      message: 'pdflatex exited with code 1: Undefined control sequence \\citep',
      traceback: 'Traceback (most recent call last):\n  File "writeup.py", line 212, in compile_latex\n    raise LatexError(log)\nLatexError: Undefined control sequence \\citep',
      retryable: false,
    },
    extensions: { seq: last.extensions.seq + 1 },
  };
}

/** Real plot PNGs and a paper PDF in object storage, and the registration events made truthful (size, hash). */
async function storeArtifacts(storage: ObjectStorage, events: Envelope[], title: string): Promise<void> {
  const curve = (n: number, start: number, end: number) => Array.from({ length: n }, (_, k) => start + ((end - start) * k) / (n - 1));
  for (const event of events.filter((e) => e.type === 'ai.artifact.registered')) {
    const key = String(event.data.key);
    const bytes =
      event.data.kind === 'paper'
        ? (
            await renderPaperPdf({
              title,
              authors: 'AI Scientist (seed data)',
              abstract: `We test the hypothesis "${title}" on a small benchmark and report what we found.`,
              sections: [{ heading: 'Results', paragraphs: ['The proposed method improves the main metric modestly; see the figure.'] }],
              references: ['[1] A. Author. A relevant paper. 2024.'],
            })
          ).bytes
        : renderLineChart({
            title: key.split('/').pop()!,
            series: [
              { name: 'train', color: [59, 110, 245], values: curve(8, 1.2, 0.3) },
              { name: 'val', color: [230, 120, 40], values: curve(8, 1.3, 0.45) },
            ],
          });
    await storage.putObject(key, bytes, String(event.data.content_type));
    event.data.bytes = bytes.length;
    event.data.sha256 = createHash('sha256').update(bytes).digest('hex');
  }
}
