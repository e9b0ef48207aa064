import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { isAuthError } from './apollo';
import { markAuthRequired, onAuthChange } from './auth';
import { onConnectionChange, getConnectionState } from './connection';

export interface KeepSubscribedOptions {
  /**
   * Starts the subscription; `fail` must be called when it errors. Called again after each failure,
   * so it should read its variables (e.g. afterSeq = the last seq seen) when called.
   */
  start: (fail: (error: unknown) => void) => () => void;
  /** After a resubscription: fetch what cannot be replayed (e.g. the latest run state). */
  onResume?: () => void;
  /** A failure that retrying cannot fix (e.g. NOT_FOUND). */
  onFatal?: (error: unknown) => void;
}

const BACKOFF_MS = [500, 1_000, 2_000, 4_000, 8_000, 15_000];

/**
 * Keeps a subscription alive across dropped connections and token changes: after a socket
 * failure it resubscribes with backoff (and at once when the connection comes back), after an
 * authentication failure it waits for a new token. Returns the function that stops it.
 */
export function keepSubscribed({ start, onResume, onFatal }: KeepSubscribedOptions): () => void {
  let stopped = false;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let waitingForToken: (() => void) | undefined;
  let unsubscribe: (() => void) | undefined;

  const resubscribe = () => {
    clearTimeout(timer);
    waitingForToken?.();
    waitingForToken = undefined;
    if (stopped) return;
    unsubscribe = start(fail);
    onResume?.();
  };

  function fail(error: unknown) {
    unsubscribe?.();
    unsubscribe = undefined;
    if (stopped) return;
    if (isAuthError(error)) {
      markAuthRequired();
      waitingForToken = onAuthChange(resubscribe);
      return;
    }
    if (CombinedGraphQLErrors.is(error)) {
      onFatal?.(error);
      return;
    }
    timer = setTimeout(resubscribe, BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)] * (0.75 + Math.random() * 0.5));
    attempt += 1;
  }

  // A working connection resets the backoff.
  const stopWatching = onConnectionChange(() => {
    if (getConnectionState() === 'connected') attempt = 0;
  });
  unsubscribe = start(fail);

  return () => {
    stopped = true;
    clearTimeout(timer);
    waitingForToken?.();
    stopWatching();
    unsubscribe?.();
  };
}
