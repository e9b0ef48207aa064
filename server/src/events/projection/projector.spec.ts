import { NodeStatus, PaperStatus, RunStatus, StageName } from '../../runs/run.js';
import type { StoredEvent } from '../event.js';
import { projectEvents } from './projector.js';

let seq = 0;
const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
const event = (type: string, data: Record<string, unknown>, at: number, overrides: Partial<StoredEvent> = {}): StoredEvent => ({
  id: `e${++seq}`,
  seq,
  runId: 'r',
  type,
  source: 'worker://w',
  sourceSeq: seq,
  time: t(at),
  receivedAt: t(at),
  data,
  traceparent: null,
  known: true,
  level: null,
  message: null,
  outcome: null,
  ...overrides,
});

describe('projectEvents', () => {
  it('asks for status changes in event-time order, with their patches', () => {
    const { runs } = projectEvents([
      event('ai.run.failed', { code: 'OOM', message: 'out of memory', traceback: 'tb', stage: 'Stage_2' }, 9),
      event('ai.run.started', { pod_id: 'p' }, 1),
    ]);
    expect(runs.transitions.map((t) => [t.to, t.by, t.reason])).toEqual([
      [RunStatus.RUNNING, 'worker://w', null],
      [RunStatus.FAILED, 'worker://w', 'out of memory'],
    ]);
    expect(runs.transitions[1].patch).toEqual({ failedAt: t(9), errorType: 'OOM', errorMessage: 'out of memory', errorTraceback: 'tb' });
    expect(runs.stages).toEqual([{ kind: 'failed', name: StageName.STAGE_2, at: t(9) }]);
  });

  it('keeps only the highest progress per stage and merges currentStage counters', () => {
    const { runs } = projectEvents([
      event('ai.run.stage_progress', { stage: 'Stage_1', progress: 0.2, iteration: 2, good_nodes: 1 }, 2),
      event('ai.run.stage_progress', { stage: 'Stage_1', progress: 0.5, iteration: 5 }, 5),
      event('ai.run.stage_progress', { stage: 'Stage_1', progress: 0.3, total_nodes: 4 }, 3),
    ]);
    expect(runs.stages).toEqual([{ kind: 'progress', name: StageName.STAGE_1, at: t(5), progress: 0.5 }]);
    expect(runs.patch.currentStage).toEqual({ name: StageName.STAGE_1, updatedAt: t(5), progress: 0.5, iteration: 5, goodNodes: 1, totalNodes: 4 });
  });

  it('merges the events of one node into one write that never goes backwards', () => {
    const { runs } = projectEvents([
      event('ai.node.completed', { stage: 'Stage_1', node_id: 'n', is_buggy: true, metric: null, exec_time_s: 2 }, 4),
      event('ai.node.created', { stage: 'Stage_1', node_id: 'n', parent_id: 'root' }, 1),
      event('ai.node.executing', { stage: 'Stage_1', node_id: 'n' }, 3),
      event('ai.node.code_generated', { stage: 'Stage_1', node_id: 'n', code_size_bytes: 99 }, 2),
    ]);
    expect(runs.nodes).toEqual([
      {
        nodeId: 'n',
        stage: StageName.STAGE_1,
        status: NodeStatus.COMPLETED,
        at: t(4),
        parentId: 'root',
        createdAt: t(1),
        codeSizeBytes: 99,
        isBuggy: true,
        metric: null,
        execTimeS: 2,
        completedAt: t(4),
      },
    ]);
  });

  it('keeps the newest metric value, telemetry, pod and paper by event time', () => {
    const { runs } = projectEvents([
      event('ai.run.stage_metric', { stage: 'Stage_1', name: 'loss', value: 0.2 }, 8),
      event('ai.run.stage_metric', { stage: 'Stage_1', name: 'loss', value: 0.9 }, 2),
      event('ai.run.heartbeat', { gpu_util: 90 }, 7),
      event('ai.run.heartbeat', { gpu_util: 10 }, 1),
      event('ai.paper.generated', { artifact_key: 'k', word_count: 10 }, 6),
      event('ai.paper.started', {}, 5),
    ]);
    expect(runs.metrics).toEqual([{ name: 'loss', value: 0.2, stage: StageName.STAGE_1, at: t(8) }]);
    expect(runs.patch).toMatchObject({
      telemetry: { gpuUtil: 90, at: t(7) },
      lastHeartbeat: t(7),
      paper: { status: PaperStatus.GENERATED, artifactKey: 'k', at: t(6) },
    });
  });

  it('applies nothing for unknown types and logs, but counts them in lastEventSeq', () => {
    const unknown = event('ai.experiment.node_completed', { x: 1 }, 1, { known: false });
    const log = event('ai.run.log', { level: 'info', message: 'm' }, 2);
    const { runs, artifacts, validations } = projectEvents([unknown, log]);
    expect(runs).toEqual({ patch: { lastEventSeq: log.seq }, stages: [], nodes: [], metrics: [], transitions: [] });
    expect(artifacts).toEqual([]);
    expect(validations).toEqual([]);
  });

  it('turns artifact and validation events into their modules\' writes', () => {
    const { artifacts, validations, runs } = projectEvents([
      event('ai.artifact.registered', { key: 'runs/r/p.png', bytes: 5, sha256: null, content_type: 'image/png', kind: 'plot' }, 1),
      event('ai.validation.auto_completed', { verdict: 'fail', scores: { novelty: 3 }, notes: 'weak' }, 2),
    ]);
    expect(artifacts).toEqual([
      { key: 'runs/r/p.png', at: t(1), status: 'REGISTERED', kind: 'plot', bytes: 5, sha256: null, contentType: 'image/png' },
    ]);
    expect(validations).toEqual([{ kind: 'completed', at: t(2), verdict: 'FAIL', scores: [{ name: 'novelty', score: 3 }], notes: 'weak' }]);
    expect(runs.transitions.map((tr) => tr.to)).toEqual([RunStatus.AWAITING_HUMAN]);
  });
});
