import { randomUUID } from 'node:crypto';

export interface Envelope {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  data: Record<string, unknown>;
  extensions: { seq: number };
}

/**
 * A worker's whole run as CloudEvents, in the order a real worker sends them: started, heartbeats,
 * four stages with node events, progress, metrics and logs, artifacts, the paper, auto-validation,
 * completed. Two emitters with their own seq counters (lifecycle and logs); the log emitter
 * restarts at seq 1 half-way (a worker restart). Deterministic for a given run id and size.
 */
export function simulatedRun(runId: string, { nodesPerStage = 4, logsPerNode = 3, start = Date.UTC(2026, 0, 1, 9) } = {}): Envelope[] {
  const events: Envelope[] = [];
  const seqs: Record<string, number> = {};
  let clock = start;
  const emit = (emitter: 'lifecycle' | 'logs', type: string, data: Record<string, unknown>) => {
    const source = `worker://sim-host/${emitter}`;
    seqs[source] = (seqs[source] ?? 0) + 1;
    clock += 250;
    events.push({
      specversion: '1.0',
      id: randomUUID(),
      source,
      type,
      subject: `run/${runId}`,
      time: new Date(clock).toISOString(),
      datacontenttype: 'application/json',
      data: { run_id: runId, ...data },
      extensions: { seq: seqs[source] },
    });
  };
  const log = (level: string, message: string, kv?: Record<string, unknown>) => emit('logs', 'ai.run.log', { level, message, ...(kv ? { kv } : {}) });

  emit('lifecycle', 'ai.run.enqueued', { hypothesis_id: 'h-1' });
  emit('lifecycle', 'ai.run.started', { pod_id: 'pod-sim', gpu: 'NVIDIA RTX A4000', region: 'EU-RO-1', image: 'runpod/pytorch:2.8' });
  log('info', 'worker started');
  const stages = ['Stage 1: Preliminary Investigation', 'Stage_2', 'Stage_3', 'Stage_4'];
  let node = 0;
  for (const [index, stage] of stages.entries()) {
    const name = `Stage_${index + 1}`;
    emit('lifecycle', 'ai.run.stage_started', { stage, desc: `stage ${index + 1}` });
    emit('lifecycle', 'ai.run.heartbeat', { gpu_util: 40 + index * 10, mem_gb: 10 + index, temp_c: 60 + index });
    if (index === 0) {
      let parent: string | null = null;
      for (let i = 0; i < nodesPerStage; i++) {
        const id = `node-${++node}`;
        emit('lifecycle', 'ai.node.created', { stage: name, node_id: id, parent_id: parent });
        emit('lifecycle', 'ai.node.code_generated', { stage: name, node_id: id, code_size_bytes: 1000 + i });
        emit('lifecycle', 'ai.node.executing', { stage: name, node_id: id });
        for (let l = 0; l < logsPerNode; l++) log(l === 0 ? 'debug' : l === 1 ? 'warning' : 'info', `node ${id} step ${l}`, { step: l });
        const buggy = i % 3 === 2;
        emit('lifecycle', 'ai.node.completed', { stage: name, node_id: id, is_buggy: buggy, metric: buggy ? null : 0.5 + i / 100, exec_time_s: 12 });
        emit('lifecycle', 'ai.run.stage_progress', {
          stage: name,
          progress: (i + 1) / nodesPerStage,
          eta_s: (nodesPerStage - i - 1) * 30,
          iteration: i + 1,
          max_iterations: nodesPerStage,
          good_nodes: i + 1 - Math.floor((i + 1) / 3),
          buggy_nodes: Math.floor((i + 1) / 3),
          total_nodes: i + 1,
          best_metric: 0.5 + i / 100,
        });
        emit('lifecycle', 'ai.run.stage_metric', { stage: name, name: 'val_loss', value: 1 - i / 10 });
        emit('lifecycle', 'ai.experiment.node_completed', { node_id: id });
        parent = id;
      }
      emit('lifecycle', 'ai.node.selected_best', { stage: name, node_id: 'node-2', metric: 0.51 });
      log('error', 'one node crashed: CUDA error', { node: 'node-3' });
      // The log emitter restarts (the worker process was restarted) and counts from 1 again.
      delete seqs['worker://sim-host/logs'];
    }
    if (index === 1) {
      for (const plot of ['loss.png', 'accuracy.png']) {
        emit('lifecycle', 'ai.artifact.detected', { path: `/workspace/plots/${plot}`, type: 'image/png', size_bytes: 2048 });
        emit('lifecycle', 'ai.artifact.registered', { key: `runs/${runId}/plots/${plot}`, bytes: 2048, sha256: 'a'.repeat(64), content_type: 'image/png', kind: 'plot' });
      }
      emit('lifecycle', 'ai.artifact.failed', { key: `runs/${runId}/plots/broken.png`, code: 'UPLOAD_FAILED', message: 'timeout' });
    }
    if (index === 2) {
      emit('lifecycle', 'ai.paper.started', {});
      emit('lifecycle', 'ai.artifact.registered', { key: `runs/${runId}/paper.pdf`, bytes: 90_000, sha256: 'b'.repeat(64), content_type: 'application/pdf', kind: 'paper' });
      emit('lifecycle', 'ai.paper.generated', { artifact_key: `runs/${runId}/paper.pdf`, word_count: 4200 });
    }
    if (index === 3) {
      emit('lifecycle', 'ai.validation.auto_started', { model: 'gpt-review', rubric_version: 'v2' });
      emit('lifecycle', 'ai.validation.auto_completed', {
        verdict: 'PASS',
        scores: { novelty: 7, soundness: 6.5, clarity: 8 },
        notes: JSON.stringify({ strengths: ['clear'], weaknesses: ['small scale'] }),
      });
    }
    log('info', `${name} done`);
    emit('lifecycle', 'ai.run.stage_completed', { stage: name, duration_s: 30 + index, summary: { stage: name } });
  }
  emit('lifecycle', 'ai.run.completed', { total_duration_s: (clock - start) / 1000 });
  return events;
}

/** The same events for another run: new ids, subjects and run_ids; same order, times and seqs. */
export function retarget(events: Envelope[], runId: string): Envelope[] {
  const oldRunId = events[0].subject.slice('run/'.length);
  return events.map((e) => JSON.parse(JSON.stringify({ ...e, id: randomUUID(), subject: `run/${runId}` }).replaceAll(oldRunId, runId)) as Envelope);
}

/** A deterministic shuffle. */
export function shuffled<T>(items: T[], seed = 42): T[] {
  const copy = [...items];
  let state = seed;
  for (let i = copy.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

export const ndjson = (events: object[]) => events.map((e) => JSON.stringify(e)).join('\n');
