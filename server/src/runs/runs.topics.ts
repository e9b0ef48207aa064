import type { Run } from './run.js';

/** Redis pub/sub topics of the runs module and their payloads. */
export const RunsTopics = {
  /** The projected run after a change; one topic per run. */
  runUpdated: (runId: string) => `runs.updated.${runId}`,
  /** Any run created or changed: lists and the dashboard follow this one. */
  runsChanged: 'runs.changed',
} as const;

export interface RunChangedPayload {
  run: Run;
}
