import type { StoredEvent } from './event.js';

/** Redis pub/sub topics of the events module. */
export const EventsTopics = {
  /** Events as they are stored, in seq order: one message per stored batch of a run. */
  eventsAppended: (runId: string) => `events.appended.${runId}`,
} as const;

/** An event on the wire: its data travels as JSON text so nothing inside it is revived or altered. */
export type WireEvent = Omit<StoredEvent, 'data'> & { data: string };

export interface EventsAppendedPayload {
  runId: string;
  events: WireEvent[];
}

export const toWire = ({ data, ...event }: StoredEvent): WireEvent => ({ ...event, data: JSON.stringify(data) });
export const fromWire = ({ data, ...event }: WireEvent): StoredEvent => ({ ...event, data: JSON.parse(data) as Record<string, unknown> });
