import type { ClassConstructor } from 'class-transformer';
import * as Data from './event-data.dto.js';

/** The 25 event types of spec/events.md and the class that validates each one's data. */
export const EVENT_CATALOGUE = {
  'ai.run.enqueued': Data.RunEnqueuedData,
  'ai.run.started': Data.RunStartedData,
  'ai.run.heartbeat': Data.RunHeartbeatData,
  'ai.run.status_changed': Data.RunStatusChangedData,
  'ai.run.completed': Data.RunCompletedData,
  'ai.run.failed': Data.RunFailedData,
  'ai.run.canceled': Data.RunCanceledData,
  'ai.run.stage_started': Data.StageStartedData,
  'ai.run.stage_progress': Data.StageProgressData,
  'ai.run.stage_metric': Data.StageMetricData,
  'ai.run.stage_completed': Data.StageCompletedData,
  'ai.node.created': Data.NodeCreatedData,
  'ai.node.code_generated': Data.NodeCodeGeneratedData,
  'ai.node.executing': Data.NodeExecutingData,
  'ai.node.completed': Data.NodeCompletedData,
  'ai.node.selected_best': Data.NodeSelectedBestData,
  'ai.ideation.generated': Data.IdeationGeneratedData,
  'ai.paper.started': Data.PaperStartedData,
  'ai.paper.generated': Data.PaperGeneratedData,
  'ai.validation.auto_started': Data.ValidationAutoStartedData,
  'ai.validation.auto_completed': Data.ValidationAutoCompletedData,
  'ai.run.log': Data.RunLogData,
  'ai.artifact.detected': Data.ArtifactDetectedData,
  'ai.artifact.registered': Data.ArtifactRegisteredData,
  'ai.artifact.failed': Data.ArtifactFailedData,
} satisfies Record<string, ClassConstructor<object>>;

export type EventType = keyof typeof EVENT_CATALOGUE;

/** The data type of each catalogue event, after validation and normalisation. */
export type EventData<T extends EventType> = InstanceType<(typeof EVENT_CATALOGUE)[T]>;

export const isKnownType = (type: string): type is EventType => Object.hasOwn(EVENT_CATALOGUE, type);

export const LOG_TYPE = 'ai.run.log' satisfies EventType;
export const STATUS_CHANGED_TYPE = 'ai.run.status_changed' satisfies EventType;
