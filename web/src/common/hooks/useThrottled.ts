import { useEffect, useRef } from 'react';

/**
 * A function that runs `fn` at most once per `ms`: the first call at once, calls during the wait
 * once more at its end (so the last change is never dropped).
 */
export function useThrottled(fn: () => void, ms: number): () => void {
  const latest = useRef(fn);
  latest.current = fn;
  const state = useRef<{ timer?: ReturnType<typeof setTimeout>; pending: boolean }>({ pending: false });
  useEffect(() => () => clearTimeout(state.current.timer), []);
  const run = useRef(() => {
    const s = state.current;
    if (s.timer) {
      s.pending = true;
      return;
    }
    latest.current();
    s.timer = setTimeout(function release() {
      s.timer = undefined;
      if (s.pending) {
        s.pending = false;
        run.current();
      }
    }, ms);
  });
  return run.current;
}
