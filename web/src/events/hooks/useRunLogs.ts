import { useApolloClient } from '@apollo/client/react';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { RunLogFeed, type LogFeedSnapshot } from './run-log-feed';

const NOT_STARTED: LogFeedSnapshot = { lines: [], version: 0, total: null, loadingHistory: true, truncated: false, error: null, live: false };
const noSubscription = () => () => undefined;

/** The live log lines of a run (see RunLogFeed) and a retry for a failed load. */
export function useRunLogs(runId: string): LogFeedSnapshot & { retry: () => void } {
  const client = useApolloClient();
  const [feed, setFeed] = useState<RunLogFeed | null>(null);

  useEffect(() => {
    const created = new RunLogFeed(client, runId);
    setFeed(created);
    void created.start();
    return () => created.stop();
  }, [client, runId]);

  const snapshot = useSyncExternalStore(feed?.subscribe ?? noSubscription, feed?.getSnapshot ?? (() => NOT_STARTED));
  return { ...snapshot, retry: () => feed?.retry() };
}
