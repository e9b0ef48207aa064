import { useEffect, useRef } from 'react';
import { keepSubscribed, type KeepSubscribedOptions } from './live';

/**
 * keepSubscribed for the lifetime of a component while `enabled`; restarted when a dep changes.
 * The options are read when (re)subscribing, so they may close over the latest render.
 */
export function useKeepSubscribed(enabled: boolean, options: KeepSubscribedOptions, deps: readonly unknown[]): void {
  const latest = useRef(options);
  latest.current = options;
  useEffect(() => {
    if (!enabled) return;
    return keepSubscribed({
      start: (fail) => latest.current.start(fail),
      onResume: () => latest.current.onResume?.(),
      onFatal: (error) => latest.current.onFatal?.(error),
    });
  }, [enabled, ...deps]);
}
