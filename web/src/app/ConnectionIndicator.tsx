import { useConnectionState } from './connection';

const LABELS = {
  idle: 'Live updates idle',
  connecting: 'Connecting…',
  connected: 'Live',
  disconnected: 'Reconnecting…',
} as const;

/** Whether live updates are flowing (graphql-ws connection state). */
export function ConnectionIndicator() {
  const state = useConnectionState();
  return (
    <span className={`connection connection-${state}`} role="status" aria-live="polite" title={LABELS[state]}>
      <span className="connection-dot" aria-hidden="true" />
      <span className="connection-label">{LABELS[state]}</span>
    </span>
  );
}
