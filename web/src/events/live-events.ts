/**
 * A run's events with one received live added at the newest end ('first' for a newest-first list);
 * undefined when it is held already (replayed after a reconnect, or fetched meanwhile).
 */
export function withLiveEvent<TEvents extends { totalCount: number; nodes: readonly { seq: number }[] }>(
  events: TEvents,
  event: TEvents['nodes'][number],
  newest: 'first' | 'last',
): TEvents | undefined {
  if (events.nodes.some((e) => e.seq >= event.seq)) return undefined;
  return { ...events, totalCount: events.totalCount + 1, nodes: newest === 'first' ? [event, ...events.nodes] : [...events.nodes, event] };
}
