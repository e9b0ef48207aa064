/** The event types of the server's catalogue (events outside it are stored and shown as unknown). */
export const EVENT_TYPES = [
  'ai.run.enqueued',
  'ai.run.started',
  'ai.run.heartbeat',
  'ai.run.status_changed',
  'ai.run.completed',
  'ai.run.failed',
  'ai.run.canceled',
  'ai.run.stage_started',
  'ai.run.stage_progress',
  'ai.run.stage_metric',
  'ai.run.stage_completed',
  'ai.node.created',
  'ai.node.code_generated',
  'ai.node.executing',
  'ai.node.completed',
  'ai.node.selected_best',
  'ai.ideation.generated',
  'ai.paper.started',
  'ai.paper.generated',
  'ai.validation.auto_started',
  'ai.validation.auto_completed',
  'ai.run.log',
  'ai.artifact.detected',
  'ai.artifact.registered',
  'ai.artifact.failed',
] as const;

export const LOG_EVENT_TYPE = 'ai.run.log';

/** The feed's type filter: every event, every event but log lines (they have their own viewer), or one type. */
export type EventTypeFilter = 'all' | 'no-logs' | (typeof EVENT_TYPES)[number];

/** The `types` argument for a filter (null: no filter). */
export function typesOf(filter: EventTypeFilter): string[] | null {
  if (filter === 'all') return null;
  if (filter === 'no-logs') return EVENT_TYPES.filter((t) => t !== LOG_EVENT_TYPE);
  return [filter];
}
