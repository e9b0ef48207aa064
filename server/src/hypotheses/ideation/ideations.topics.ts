import type { IdeationRequest } from './ideation-request.js';

/** Redis pub/sub topics of ideation requests and their payload. */
export const IdeationsTopics = {
  /** One request after a change; one topic per request. */
  updated: (ideationId: string) => `ideations.updated.${ideationId}`,
  /** Any request created or changed: the ideation queue follows this one. */
  changed: 'ideations.changed',
} as const;

export interface IdeationChangedPayload {
  ideation: IdeationRequest;
}
