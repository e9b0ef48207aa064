/** Domain types of a run: what the service and repositories speak (never a stored document or a GraphQL model). */

export enum RunStatus {
  QUEUED = 'QUEUED',
  SCHEDULED = 'SCHEDULED',
  STARTING = 'STARTING',
  RUNNING = 'RUNNING',
  AUTO_VALIDATING = 'AUTO_VALIDATING',
  AWAITING_HUMAN = 'AWAITING_HUMAN',
  COMPLETED = 'COMPLETED',
  HUMAN_VALIDATED = 'HUMAN_VALIDATED',
  FAILED = 'FAILED',
  CANCELED = 'CANCELED',
}

export enum StageName {
  STAGE_1 = 'Stage_1',
  STAGE_2 = 'Stage_2',
  STAGE_3 = 'Stage_3',
  STAGE_4 = 'Stage_4',
}

export const STAGE_NAMES: readonly StageName[] = Object.values(StageName);

export interface RunPod {
  id: string;
  instanceType: string | null;
  region: string | null;
  image: string | null;
}

export interface CurrentStage {
  name: StageName;
  progress: number;
  iteration: number | null;
  maxIterations: number | null;
  goodNodes: number | null;
  buggyNodes: number | null;
  totalNodes: number | null;
  bestMetric: number | null;
  etaS: number | null;
  updatedAt: Date;
}

export interface StageTiming {
  elapsedS: number | null;
  durationS: number | null;
  startedAt: Date | null;
  completedAt: Date | null;
}

export interface NodeHistoryEntry {
  nodeId: string;
  stage: StageName | null;
  iteration: number | null;
  isBuggy: boolean;
  metric: number | null;
  timestamp: Date;
}

/** One status change, recorded atomically with the change itself. */
export interface RunTransition {
  from: RunStatus;
  to: RunStatus;
  at: Date;
  by: string;
  reason: string | null;
}

export interface Run {
  id: string;
  hypothesisId: string;
  status: RunStatus;
  createdBy: string;
  /** Set by launchRun(idempotencyKey): one run per (hypothesis, key). */
  idempotencyKey: string | null;
  pod: RunPod | null;
  currentStage: CurrentStage | null;
  stageTiming: Partial<Record<StageName, StageTiming>>;
  metrics: Record<string, number>;
  nodeHistory: NodeHistoryEntry[];
  statusHistory: RunTransition[];
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
  failedAt: Date | null;
  lastHeartbeat: Date | null;
  lastEventSeq: number | null;
  errorType: string | null;
  errorMessage: string | null;
  errorTraceback: string | null;
  hidden: boolean;
}

/** A freshly queued run with every optional field empty. */
export function newRun(fields: Pick<Run, 'id' | 'hypothesisId' | 'createdBy' | 'createdAt'> & Partial<Pick<Run, 'idempotencyKey'>>): Run {
  return {
    status: RunStatus.QUEUED,
    idempotencyKey: null,
    pod: null,
    currentStage: null,
    stageTiming: {},
    metrics: {},
    nodeHistory: [],
    statusHistory: [],
    updatedAt: fields.createdAt,
    startedAt: null,
    completedAt: null,
    failedAt: null,
    lastHeartbeat: null,
    lastEventSeq: null,
    errorType: null,
    errorMessage: null,
    errorTraceback: null,
    hidden: false,
    ...fields,
  };
}

export enum StageStatus {
  PENDING = 'PENDING',
  RUNNING = 'RUNNING',
  COMPLETED = 'COMPLETED',
  FAILED = 'FAILED',
}

/** One record per run and stage. */
export interface Stage {
  runId: string;
  name: StageName;
  status: StageStatus;
  progress: number;
  description: string | null;
  summary: unknown;
  startedAt: Date | null;
  completedAt: Date | null;
  durationS: number | null;
  updatedAt: Date | null;
}
