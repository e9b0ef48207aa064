import { useSyncExternalStore } from 'react';

/** The state of the live (graphql-ws) connection, for the indicator in the header. */
export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'disconnected';

let state: ConnectionState = 'idle';
const listeners = new Set<() => void>();

export function setConnectionState(next: ConnectionState): void {
  if (next === state) return;
  state = next;
  listeners.forEach((listener) => listener());
}

export function getConnectionState(): ConnectionState {
  return state;
}

export function onConnectionChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useConnectionState(): ConnectionState {
  return useSyncExternalStore(onConnectionChange, getConnectionState);
}
