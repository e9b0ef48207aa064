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

/** Where the run's worker runs; `at` orders updates from different writers (last writer by time wins). */
export interface RunPod {
  id: string;
  instanceType: string | null;
  region: string | null;
  image: string | null;
  at: Date;
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
  /** Time of the event that set it: an older event never overwrites a newer one. */
  updatedAt: Date;
}

/** The fields of currentStage that events gave; merged into the stored one per field. */
export type CurrentStagePatch = Partial<CurrentStage> & Pick<CurrentStage, 'name' | 'updatedAt'>;

/** A stored currentStage with the counters nobody reported yet as null. */
export function completeCurrentStage(stored: CurrentStagePatch | null): CurrentStage | null {
  if (!stored) return null;
  return {
    progress: 0,
    iteration: null,
    maxIterations: null,
    goodNodes: null,
    buggyNodes: null,
    totalNodes: null,
    bestMetric: null,
    etaS: null,
    ...stored,
  };
}

/** The latest heartbeat's readings. */
export interface RunTelemetry {
  gpuUtil: number | null;
  memGb: number | null;
  tempC: number | null;
  at: Date;
}

export enum PaperStatus {
  WRITING = 'WRITING',
  GENERATED = 'GENERATED',
}

export interface RunPaper {
  status: PaperStatus;
  artifactKey: string | null;
  wordCount: number | null;
  at: Date;
}

/** One try at getting a pod: which provider and GPU type, when, and why it failed. */
export interface ProvisioningAttempt {
  at: Date;
  provider: string;
  gpuType: string | null;
  outcome: 'created' | 'no_capacity' | 'error';
  message: string | null;
}

/** Where the run's worker runs, as the orchestrator provisioned it (the pods module writes it). */
export interface RunProvisioning {
  provider: string;
  /** full: the whole pipeline; writeup: paper writing and validation again. */
  mode: 'full' | 'writeup';
  podId: string | null;
  podName: string | null;
  gpuType: string | null;
  region: string | null;
  costPerHour: number | null;
  sshCommand: string | null;
  attempts: ProvisioningAttempt[];
  requestedAt: Date;
  createdAt: Date | null;
  readyAt: Date | null;
  terminatedAt: Date | null;
  exitCode: number | null;
  error: string | null;
}

/** A retry of the paper writing for a finished run; one at a time. */
export interface RunWriteup {
  active: boolean;
  count: number;
  requestedAt: Date;
  requestedBy: string;
  finishedAt: Date | null;
  outcome: string | null;
}

/** A stored provisioning record with every field present (stores may omit unset ones). */
export function completeProvisioning(stored: Partial<RunProvisioning> | null): RunProvisioning | null {
  if (!stored) return null;
  return {
    provider: 'local',
    mode: 'full',
    podId: null,
    podName: null,
    gpuType: null,
    region: null,
    costPerHour: null,
    sshCommand: null,
    attempts: [],
    requestedAt: new Date(0),
    createdAt: null,
    readyAt: null,
    terminatedAt: null,
    exitCode: null,
    error: null,
    ...stored,
  };
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
  telemetry: RunTelemetry | null;
  paper: RunPaper | null;
  provisioning: RunProvisioning | null;
  writeup: RunWriteup | null;
  statusHistory: RunTransition[];
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
  failedAt: Date | null;
  lastHeartbeat: Date | null;
  /** Position of the newest event projected into this run (0: none yet). */
  lastEventSeq: number;
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
    telemetry: null,
    paper: null,
    provisioning: null,
    writeup: null,
    statusHistory: [],
    updatedAt: fields.createdAt,
    startedAt: null,
    completedAt: null,
    failedAt: null,
    lastHeartbeat: null,
    lastEventSeq: 0,
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
  /** Best node of the stage (ai.node.selected_best), last by event time. */
  bestNodeId: string | null;
  bestMetric: number | null;
  updatedAt: Date | null;
}

/** How long each stage took, derived from the stage records. */
export interface StageTiming {
  stage: StageName;
  elapsedS: number | null;
  durationS: number | null;
  startedAt: Date | null;
  completedAt: Date | null;
}

export enum NodeStatus {
  CREATED = 'CREATED',
  CODE_GENERATED = 'CODE_GENERATED',
  EXECUTING = 'EXECUTING',
  COMPLETED = 'COMPLETED',
}

/** One node of the experiment search tree. */
export interface RunNode {
  runId: string;
  nodeId: string;
  stage: StageName;
  parentId: string | null;
  status: NodeStatus;
  isBuggy: boolean | null;
  metric: number | null;
  execTimeS: number | null;
  codeSizeBytes: number | null;
  createdAt: Date | null;
  completedAt: Date | null;
  updatedAt: Date;
}

/** Good vs buggy nodes over time: one entry per completed node, in completion order. */
export interface NodeHistoryEntry {
  nodeId: string;
  stage: StageName;
  iteration: number;
  isBuggy: boolean;
  metric: number | null;
  timestamp: Date;
}

/** The latest value of a metric; `at` is the time of the event that reported it. */
export interface RunMetric {
  name: string;
  value: number;
  stage: StageName | null;
  at: Date;
}
