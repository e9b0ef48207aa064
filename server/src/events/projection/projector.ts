import { ArtifactStatus, type ArtifactWrite } from '../../artifacts/artifact.js';
import type { NodeWrite } from '../../runs/nodes.repository.js';
import { type CurrentStagePatch, NodeStatus, PaperStatus, RunStatus, type RunMetric, type StageName } from '../../runs/run.js';
import type { RequestedTransition, RunProjection } from '../../runs/run-projection.js';
import type { StageWrite } from '../../runs/stages.repository.js';
import { type AutoValidationWrite, Verdict } from '../../validation/validation.js';
import type { EventData, EventType } from '../catalogue/catalogue.js';
import type { StoredEvent } from '../event.js';

/** What a batch of one run's stored events changes, for each module that owns a part of the state. */
export interface ProjectedBatch {
  runs: RunProjection;
  artifacts: ArtifactWrite[];
  validations: AutoValidationWrite[];
}

type Handler<T extends EventType> = (data: EventData<T>, event: StoredEvent, into: Accumulator) => void;

const NODE_RANK = [NodeStatus.CREATED, NodeStatus.CODE_GENERATED, NodeStatus.EXECUTING, NodeStatus.COMPLETED];
const isNewer = (at: Date, than: Date | undefined) => !than || at.getTime() >= than.getTime();
const earlier = (a: Date | null | undefined, b: Date | null | undefined) => (!a ? b : !b ? a : a < b ? a : b);

/** Collects the effects of a batch, already merged per stage, node and metric. */
class Accumulator {
  readonly runs: RunProjection = { patch: { lastEventSeq: 0 }, stages: [], nodes: [], metrics: [], transitions: [] };
  readonly artifacts: ArtifactWrite[] = [];
  readonly validations: AutoValidationWrite[] = [];
  private readonly nodes = new Map<string, NodeWrite>();
  private readonly metrics = new Map<string, RunMetric>();
  private readonly progress = new Map<StageName, StageWrite & { kind: 'progress' }>();

  transition(event: StoredEvent, to: RunStatus, reason: string | null, patch?: RequestedTransition['patch']) {
    this.runs.transitions.push({ eventSeq: event.seq, to, at: event.time, by: event.source, reason, patch });
  }

  stage(write: StageWrite) {
    if (write.kind !== 'progress') return void this.runs.stages.push(write);
    // Only the highest progress of a stage matters (progress never goes down).
    const seen = this.progress.get(write.name);
    if (!seen || write.progress > seen.progress || (write.progress === seen.progress && write.at > seen.at)) this.progress.set(write.name, write);
  }

  /** currentStage keeps the counters given so far for its stage; a newer event of another stage replaces it. */
  currentStage(fields: CurrentStagePatch) {
    const given = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== null)) as CurrentStagePatch;
    const current = this.runs.patch.currentStage;
    if (current && !isNewer(fields.updatedAt, current.updatedAt)) {
      if (current.name === fields.name) this.runs.patch.currentStage = { ...given, ...current };
      return;
    }
    this.runs.patch.currentStage = current && current.name === fields.name ? { ...current, ...given } : given;
  }

  node(nodeId: string, stage: StageName, event: StoredEvent, fields: Omit<NodeWrite, 'nodeId' | 'stage' | 'at'>) {
    const seen = this.nodes.get(nodeId);
    if (!seen) return void this.nodes.set(nodeId, { nodeId, stage, at: event.time, ...fields });
    const completesFirst = fields.completedAt && (!seen.completedAt || fields.completedAt < seen.completedAt);
    this.nodes.set(nodeId, {
      ...seen,
      status: NODE_RANK[Math.max(NODE_RANK.indexOf(seen.status), NODE_RANK.indexOf(fields.status))],
      at: event.time > seen.at ? event.time : seen.at,
      parentId: seen.parentId ?? fields.parentId,
      createdAt: earlier(seen.createdAt, fields.createdAt),
      codeSizeBytes: fields.codeSizeBytes ?? seen.codeSizeBytes,
      ...(completesFirst ? { isBuggy: fields.isBuggy, metric: fields.metric, execTimeS: fields.execTimeS, completedAt: fields.completedAt } : {}),
    });
  }

  metric(metric: RunMetric) {
    const seen = this.metrics.get(metric.name);
    if (!seen || isNewer(metric.at, seen.at)) this.metrics.set(metric.name, metric);
  }

  /** The newest value by event time, for the run's last-writer-wins fields. */
  latest<K extends 'pod' | 'telemetry' | 'paper'>(key: K, value: NonNullable<RunProjection['patch'][K]>) {
    const current = this.runs.patch[key];
    if (!current || isNewer(value.at, current.at)) this.runs.patch[key] = value;
  }

  finish(events: readonly StoredEvent[]): ProjectedBatch {
    this.runs.patch.lastEventSeq = Math.max(0, ...events.map((e) => e.seq));
    this.runs.stages.push(...this.progress.values());
    this.runs.nodes = [...this.nodes.values()];
    this.runs.metrics = [...this.metrics.values()];
    // Status changes in the order they happened; within one source, in its own sequence.
    this.runs.transitions.sort((a, b) => a.at.getTime() - b.at.getTime() || a.eventSeq - b.eventSeq);
    return { runs: this.runs, artifacts: this.artifacts, validations: this.validations };
  }
}

const stageOf = (value: string) => value as StageName;

/** The effect of each catalogue type on the projected state (spec/events.md, "Catalogue"). Types not listed change nothing. */
const HANDLERS: { [T in EventType]?: Handler<T> } = {
  'ai.run.started': (d, e, into) => {
    into.transition(e, RunStatus.RUNNING, null, { startedAt: e.time });
    into.latest('pod', { id: d.pod_id, instanceType: d.gpu ?? null, region: d.region ?? null, image: d.image ?? null, at: e.time });
    into.runs.patch.lastHeartbeat = maxDate(into.runs.patch.lastHeartbeat, e.time);
  },
  'ai.run.heartbeat': (d, e, into) => {
    into.runs.patch.lastHeartbeat = maxDate(into.runs.patch.lastHeartbeat, e.time);
    into.latest('telemetry', { gpuUtil: d.gpu_util ?? null, memGb: d.mem_gb ?? null, tempC: d.temp_c ?? null, at: e.time });
  },
  'ai.run.completed': (_d, e, into) => {
    into.transition(e, RunStatus.COMPLETED, null, { completedAt: e.time });
    // The worker finished even when the status has moved on (e.g. already awaiting review).
    into.runs.patch.completedAt = earlier(into.runs.patch.completedAt, e.time) ?? undefined;
  },
  'ai.run.failed': (d, e, into) => {
    into.transition(e, RunStatus.FAILED, d.message, {
      failedAt: e.time,
      errorType: d.code,
      errorMessage: d.message,
      errorTraceback: d.traceback ?? null,
    });
    if (d.stage) into.stage({ kind: 'failed', name: stageOf(d.stage), at: e.time });
  },
  'ai.run.canceled': (d, e, into) => into.transition(e, RunStatus.CANCELED, d.reason ?? null),
  'ai.run.stage_started': (d, e, into) => {
    into.stage({ kind: 'started', name: stageOf(d.stage), at: e.time, description: d.desc ?? null });
    into.currentStage({ name: stageOf(d.stage), updatedAt: e.time });
  },
  'ai.run.stage_progress': (d, e, into) => {
    into.stage({ kind: 'progress', name: stageOf(d.stage), at: e.time, progress: d.progress });
    into.currentStage({
      name: stageOf(d.stage),
      updatedAt: e.time,
      progress: d.progress,
      etaS: d.eta_s,
      iteration: d.iteration,
      maxIterations: d.max_iterations,
      goodNodes: d.good_nodes,
      buggyNodes: d.buggy_nodes,
      totalNodes: d.total_nodes,
      bestMetric: d.best_metric,
    });
  },
  'ai.run.stage_metric': (d, e, into) => into.metric({ name: d.name, value: d.value, stage: stageOf(d.stage), at: e.time }),
  'ai.run.stage_completed': (d, e, into) => {
    into.stage({ kind: 'completed', name: stageOf(d.stage), at: e.time, durationS: d.duration_s ?? null, summary: d.summary ?? null });
    into.currentStage({ name: stageOf(d.stage), updatedAt: e.time, progress: 1, etaS: 0 });
  },
  'ai.node.created': (d, e, into) =>
    into.node(d.node_id, stageOf(d.stage), e, { status: NodeStatus.CREATED, parentId: d.parent_id ?? null, createdAt: e.time }),
  'ai.node.code_generated': (d, e, into) =>
    into.node(d.node_id, stageOf(d.stage), e, { status: NodeStatus.CODE_GENERATED, codeSizeBytes: d.code_size_bytes }),
  'ai.node.executing': (d, e, into) => into.node(d.node_id, stageOf(d.stage), e, { status: NodeStatus.EXECUTING }),
  'ai.node.completed': (d, e, into) =>
    into.node(d.node_id, stageOf(d.stage), e, {
      status: NodeStatus.COMPLETED,
      isBuggy: d.is_buggy,
      metric: d.metric ?? null,
      execTimeS: d.exec_time_s,
      completedAt: e.time,
    }),
  'ai.node.selected_best': (d, e, into) =>
    into.stage({ kind: 'best', name: stageOf(d.stage), at: e.time, nodeId: d.node_id, metric: d.metric }),
  'ai.paper.started': (_d, e, into) => into.latest('paper', { status: PaperStatus.WRITING, artifactKey: null, wordCount: null, at: e.time }),
  'ai.paper.generated': (d, e, into) =>
    into.latest('paper', { status: PaperStatus.GENERATED, artifactKey: d.artifact_key, wordCount: d.word_count ?? null, at: e.time }),
  'ai.validation.auto_started': (d, e, into) => {
    into.transition(e, RunStatus.AUTO_VALIDATING, null);
    into.validations.push({ kind: 'started', at: e.time, model: d.model, rubricVersion: d.rubric_version ?? null });
  },
  'ai.validation.auto_completed': (d, e, into) => {
    into.transition(e, RunStatus.AWAITING_HUMAN, `auto validation: ${d.verdict}`);
    into.validations.push({
      kind: 'completed',
      at: e.time,
      verdict: d.verdict === 'pass' ? Verdict.PASS : Verdict.FAIL,
      scores: Object.entries(d.scores ?? {}).map(([name, score]) => ({ name, score })),
      notes: d.notes ?? null,
    });
  },
  'ai.artifact.registered': (d, e, into) =>
    into.artifacts.push({
      key: d.key,
      at: e.time,
      status: ArtifactStatus.REGISTERED,
      kind: d.kind,
      bytes: d.bytes,
      sha256: d.sha256 ?? null,
      contentType: d.content_type,
    }),
  'ai.artifact.failed': (d, e, into) =>
    into.artifacts.push({ key: d.key, at: e.time, status: ArtifactStatus.FAILED, errorCode: d.code, errorMessage: d.message }),
};

const HANDLER_OF_TYPE = HANDLERS as Partial<Record<string, (data: unknown, event: StoredEvent, into: Accumulator) => void>>;

function maxDate(a: Date | undefined, b: Date): Date {
  return a && a > b ? a : b;
}

/**
 * Turns a batch of one run's stored events into the writes that bring its state up to date.
 * Pure: the same events give the same writes, and every write is a monotonic merge, so the
 * projected state does not depend on how the events were split into batches.
 */
export function projectEvents(events: readonly StoredEvent[]): ProjectedBatch {
  const into = new Accumulator();
  for (const event of events) {
    if (!event.known) continue;
    // The data was validated against this type's class at ingest.
    HANDLER_OF_TYPE[event.type]?.(event.data, event, into);
  }
  return into.finish(events);
}
