import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { RunModel } from '../runs/models/run.model.js';
import { RunStatus, StageName } from '../runs/run.js';

@ObjectType('StatusCount')
export class StatusCountModel {
  @Field(() => RunStatus)
  status: RunStatus;

  @Field(() => Int)
  count: number;
}

@ObjectType('GpuSlots')
export class GpuSlotsModel {
  @Field(() => Int)
  max: number;

  @Field(() => Int)
  inUse: number;

  @Field(() => Int)
  free: number;
}

@ObjectType('QueueDepths')
export class QueueDepthsModel {
  @Field()
  name: string;

  @Field(() => Int)
  waiting: number;

  @Field(() => Int)
  active: number;

  @Field(() => Int)
  delayed: number;

  @Field(() => Int)
  failed: number;
}

@ObjectType('IdeationCount')
export class IdeationCountModel {
  @Field()
  status: string;

  @Field(() => Int)
  count: number;
}

@ObjectType('ActiveHypothesis')
export class ActiveHypothesisModel {
  @Field(() => ID)
  hypothesisId: string;

  @Field(() => String, { nullable: true })
  title: string | null;

  @Field(() => Int)
  runCount: number;

  @Field()
  lastRunAt: Date;
}

@ObjectType('FailureReason')
export class FailureReasonModel {
  @Field()
  errorType: string;

  @Field(() => Int)
  count: number;

  @Field()
  lastAt: Date;
}

@ObjectType('StageDuration')
export class StageDurationModel {
  @Field(() => StageName)
  stage: StageName;

  @Field(() => Float, { description: 'Seconds, over stages completed in the last 30 days.' })
  averageS: number;

  @Field(() => Int)
  samples: number;
}

@ObjectType('Overview', { description: 'The system at a glance (store-side counts; follow runsChanged to keep it live).' })
export class OverviewModel {
  @Field(() => [StatusCountModel], { description: 'All ten statuses, zeros included.' })
  runsByStatus: StatusCountModel[];

  @Field(() => Int)
  totalRuns: number;

  @Field(() => GpuSlotsModel)
  slots: GpuSlotsModel;

  @Field(() => [QueueDepthsModel])
  queues: QueueDepthsModel[];

  @Field(() => Int, { description: 'Runs waiting for a human review.' })
  validationQueueSize: number;

  @Field(() => [IdeationCountModel])
  ideations: IdeationCountModel[];

  @Field(() => [RunModel])
  latestRuns: RunModel[];

  @Field(() => [ActiveHypothesisModel])
  mostActiveHypotheses: ActiveHypothesisModel[];

  @Field(() => Int)
  finishedLast24h: number;

  @Field(() => Int)
  finishedLast7d: number;

  @Field(() => [FailureReasonModel])
  failureReasons: FailureReasonModel[];

  @Field(() => [StageDurationModel])
  stageDurations: StageDurationModel[];

  @Field(() => Float, { nullable: true, description: 'Seconds until the queued runs are through at recent speeds.' })
  drainEstimateS: number | null;
}
