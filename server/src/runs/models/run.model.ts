import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-type-json';
import { ConnectionType } from '../../common/pagination/connection.js';
import { NodeStatus, PaperStatus, Run, RunStatus, Stage, STAGE_NAMES, StageName, StageStatus, StageTiming } from '../run.js';

registerEnumType(RunStatus, { name: 'RunStatus', description: 'Where a run is in its lifecycle.' });
registerEnumType(StageName, {
  name: 'StageName',
  description: 'Pipeline stages: 1 experiments, 2 plot aggregation, 3 paper writing, 4 auto-validation.',
});
registerEnumType(StageStatus, { name: 'StageStatus' });
registerEnumType(NodeStatus, { name: 'NodeStatus' });
registerEnumType(PaperStatus, { name: 'PaperStatus' });

@ObjectType('RunPod')
export class RunPodModel {
  @Field()
  id: string;

  @Field(() => String, { nullable: true, description: 'GPU type.' })
  instanceType: string | null;

  @Field(() => String, { nullable: true })
  region: string | null;

  @Field(() => String, { nullable: true })
  image: string | null;

  @Field({ description: 'When this information was reported.' })
  at: Date;
}

@ObjectType('RunTelemetry', { description: 'The latest heartbeat of the run\'s worker.' })
export class RunTelemetryModel {
  @Field(() => Float, { nullable: true, description: 'GPU utilisation, percent.' })
  gpuUtil: number | null;

  @Field(() => Float, { nullable: true })
  memGb: number | null;

  @Field(() => Float, { nullable: true })
  tempC: number | null;

  @Field()
  at: Date;
}

@ObjectType('RunPaper')
export class RunPaperModel {
  @Field(() => PaperStatus)
  status: PaperStatus;

  @Field(() => String, { nullable: true })
  artifactKey: string | null;

  @Field(() => Int, { nullable: true })
  wordCount: number | null;

  @Field()
  at: Date;
}

@ObjectType('ProvisioningAttempt', { description: 'One try at getting a pod.' })
export class ProvisioningAttemptModel {
  @Field()
  at: Date;

  @Field()
  provider: string;

  @Field(() => String, { nullable: true })
  gpuType: string | null;

  @Field({ description: 'created, no_capacity or error.' })
  outcome: string;

  @Field(() => String, { nullable: true })
  message: string | null;
}

@ObjectType('RunProvisioning', { description: 'Where the run\'s worker runs, and how it got there.' })
export class RunProvisioningModel {
  @Field({ description: 'local or runpod.' })
  provider: string;

  @Field({ description: 'full (the whole pipeline) or writeup (paper writing and validation again).' })
  mode: string;

  @Field(() => String, { nullable: true })
  podId: string | null;

  @Field(() => String, { nullable: true })
  podName: string | null;

  @Field(() => String, { nullable: true })
  gpuType: string | null;

  @Field(() => String, { nullable: true })
  region: string | null;

  @Field(() => Float, { nullable: true, description: 'USD per hour, when the provider reports it.' })
  costPerHour: number | null;

  @Field(() => String, { nullable: true })
  sshCommand: string | null;

  @Field(() => [ProvisioningAttemptModel], { description: 'The provisioning log, oldest first.' })
  attempts: ProvisioningAttemptModel[];

  @Field()
  requestedAt: Date;

  @Field(() => Date, { nullable: true })
  createdAt: Date | null;

  @Field(() => Date, { nullable: true })
  readyAt: Date | null;

  @Field(() => Date, { nullable: true })
  terminatedAt: Date | null;

  @Field(() => Int, { nullable: true })
  exitCode: number | null;

  @Field(() => String, { nullable: true })
  error: string | null;
}

@ObjectType('RunWriteup', { description: 'The latest writeup retry of a finished run.' })
export class RunWriteupModel {
  @Field()
  active: boolean;

  @Field(() => Int, { description: 'How many writeup retries were requested.' })
  count: number;

  @Field()
  requestedAt: Date;

  @Field()
  requestedBy: string;

  @Field(() => Date, { nullable: true })
  finishedAt: Date | null;

  @Field(() => String, { nullable: true })
  outcome: string | null;
}

@ObjectType('RunNode', { description: 'A node of the experiment search tree.' })
export class RunNodeModel {
  @Field()
  nodeId: string;

  @Field(() => StageName)
  stage: StageName;

  @Field(() => String, { nullable: true })
  parentId: string | null;

  @Field(() => NodeStatus)
  status: NodeStatus;

  @Field(() => Boolean, { nullable: true })
  isBuggy: boolean | null;

  @Field(() => Float, { nullable: true })
  metric: number | null;

  @Field(() => Float, { nullable: true })
  execTimeS: number | null;

  @Field(() => Int, { nullable: true })
  codeSizeBytes: number | null;

  @Field(() => Date, { nullable: true })
  createdAt: Date | null;

  @Field(() => Date, { nullable: true })
  completedAt: Date | null;
}

@ObjectType('CurrentStage')
export class CurrentStageModel {
  @Field(() => StageName)
  name: StageName;

  @Field(() => Float, { description: '0 to 1.' })
  progress: number;

  @Field(() => Int, { nullable: true })
  iteration: number | null;

  @Field(() => Int, { nullable: true })
  maxIterations: number | null;

  @Field(() => Int, { nullable: true })
  goodNodes: number | null;

  @Field(() => Int, { nullable: true })
  buggyNodes: number | null;

  @Field(() => Int, { nullable: true })
  totalNodes: number | null;

  @Field(() => Float, { nullable: true })
  bestMetric: number | null;

  @Field(() => Float, { nullable: true, description: 'Estimated seconds left in this stage.' })
  etaS: number | null;

  @Field()
  updatedAt: Date;
}

@ObjectType('StageTiming')
export class StageTimingModel {
  @Field(() => StageName)
  stage: StageName;

  @Field(() => Float, { nullable: true })
  elapsedS: number | null;

  @Field(() => Float, { nullable: true })
  durationS: number | null;

  @Field(() => Date, { nullable: true })
  startedAt: Date | null;

  @Field(() => Date, { nullable: true })
  completedAt: Date | null;
}

@ObjectType('Metric', { description: 'The latest value of a metric.' })
export class MetricModel {
  @Field()
  name: string;

  @Field(() => Float)
  value: number;

  @Field(() => StageName, { nullable: true })
  stage: StageName | null;

  @Field({ description: 'Time of the event that reported this value.' })
  at: Date;
}

@ObjectType('NodeHistoryEntry')
export class NodeHistoryEntryModel {
  @Field()
  nodeId: string;

  @Field(() => StageName)
  stage: StageName;

  @Field(() => Int, { description: 'Position among the run\'s completed nodes, from 1.' })
  iteration: number;

  @Field()
  isBuggy: boolean;

  @Field(() => Float, { nullable: true })
  metric: number | null;

  @Field()
  timestamp: Date;
}

@ObjectType('RunTransition')
export class RunTransitionModel {
  @Field(() => RunStatus)
  from: RunStatus;

  @Field(() => RunStatus)
  to: RunStatus;

  @Field()
  at: Date;

  @Field({ description: 'Who made the change: a token name, "worker", "orchestrator"...' })
  by: string;

  @Field(() => String, { nullable: true })
  reason: string | null;
}

@ObjectType('Stage')
export class StageModel {
  @Field(() => StageName)
  name: StageName;

  @Field(() => StageStatus)
  status: StageStatus;

  @Field(() => Float)
  progress: number;

  @Field(() => String, { nullable: true })
  description: string | null;

  @Field(() => GraphQLJSON, { nullable: true })
  summary: unknown;

  @Field(() => Date, { nullable: true })
  startedAt: Date | null;

  @Field(() => Date, { nullable: true })
  completedAt: Date | null;

  @Field(() => Float, { nullable: true })
  durationS: number | null;

  @Field(() => String, { nullable: true })
  bestNodeId: string | null;

  @Field(() => Float, { nullable: true })
  bestMetric: number | null;
}

@ObjectType('QueueJob', { description: 'A BullMQ job as the queue sees it.' })
export class QueueJobModel {
  @Field()
  id: string;

  @Field()
  name: string;

  @Field({ description: 'waiting, delayed, active, completed, failed, prioritized, waiting-children or unknown.' })
  state: string;

  @Field(() => Int)
  attemptsMade: number;

  @Field(() => String, { nullable: true })
  failedReason: string | null;

  @Field()
  createdAt: Date;
}

@ObjectType('Run')
export class RunModel {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  hypothesisId: string;

  @Field(() => RunStatus)
  status: RunStatus;

  @Field()
  createdBy: string;

  @Field(() => String, { nullable: true })
  idempotencyKey: string | null;

  @Field(() => RunPodModel, { nullable: true })
  pod: RunPodModel | null;

  @Field(() => CurrentStageModel, { nullable: true })
  currentStage: CurrentStageModel | null;

  @Field(() => RunTelemetryModel, { nullable: true })
  telemetry: RunTelemetryModel | null;

  @Field(() => RunPaperModel, { nullable: true })
  paper: RunPaperModel | null;

  @Field(() => RunProvisioningModel, { nullable: true })
  provisioning: RunProvisioningModel | null;

  @Field(() => RunWriteupModel, { nullable: true })
  writeup: RunWriteupModel | null;

  @Field(() => [RunTransitionModel], { description: 'Every status change, oldest first.' })
  statusHistory: RunTransitionModel[];

  @Field()
  createdAt: Date;

  @Field()
  updatedAt: Date;

  @Field(() => Date, { nullable: true })
  startedAt: Date | null;

  @Field(() => Date, { nullable: true })
  completedAt: Date | null;

  @Field(() => Date, { nullable: true })
  failedAt: Date | null;

  @Field(() => Date, { nullable: true })
  lastHeartbeat: Date | null;

  @Field(() => Int, { description: 'Position (seq) of the newest event applied to this run; 0 before any.' })
  lastEventSeq: number;

  @Field(() => String, { nullable: true })
  errorType: string | null;

  @Field(() => String, { nullable: true })
  errorMessage: string | null;

  @Field(() => String, { nullable: true })
  errorTraceback: string | null;

  @Field()
  hidden: boolean;
}

export const RunConnection = ConnectionType(RunModel, 'Run');

export const toRunModel = (run: Run): RunModel => run;

/** Elapsed and total time of each stage that has started, derived from the stage records. */
export function toStageTimings(stages: Stage[], now: Date): StageTiming[] {
  return STAGE_NAMES.flatMap((stage) => {
    const record = stages.find((s) => s.name === stage);
    if (!record?.startedAt && !record?.completedAt) return [];
    const end = record.completedAt ?? now;
    return [
      {
        stage,
        startedAt: record.startedAt,
        completedAt: record.completedAt,
        durationS: record.durationS,
        elapsedS: record.startedAt ? Math.max(0, (end.getTime() - record.startedAt.getTime()) / 1000) : null,
      },
    ];
  });
}

/** The four pipeline stages in order, PENDING where nothing has happened yet. */
export function toStageModels(stages: Stage[]): StageModel[] {
  return STAGE_NAMES.map(
    (name) =>
      stages.find((s) => s.name === name) ?? {
        name,
        status: StageStatus.PENDING,
        progress: 0,
        description: null,
        summary: null,
        startedAt: null,
        completedAt: null,
        durationS: null,
        bestNodeId: null,
        bestMetric: null,
      },
  );
}
