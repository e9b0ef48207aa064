import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { isAuthRequired, saveToken } from './auth';
import { keepSubscribed } from './live';

function fakeSubscription() {
  const started: { fail: (error: unknown) => void; stopped: boolean }[] = [];
  const start = jest.fn((fail: (error: unknown) => void) => {
    const entry = { fail, stopped: false };
    started.push(entry);
    return () => {
      entry.stopped = true;
    };
  });
  return { start, started, current: () => started.at(-1)! };
}

describe('keepSubscribed', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('subscribes again with backoff after a dropped connection and asks for what was missed', () => {
    const sub = fakeSubscription();
    const onResume = jest.fn();
    const stop = keepSubscribed({ start: sub.start, onResume });
    expect(sub.start).toHaveBeenCalledTimes(1);

    sub.current().fail(new Error('Socket closed with event 1006'));
    expect(sub.started[0].stopped).toBe(true);
    jest.advanceTimersByTime(300);
    expect(sub.start).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(500);
    expect(sub.start).toHaveBeenCalledTimes(2);
    expect(onResume).toHaveBeenCalledTimes(1);

    // The next failure waits longer.
    sub.current().fail(new Error('Socket closed with event 1006'));
    jest.advanceTimersByTime(700);
    expect(sub.start).toHaveBeenCalledTimes(2);
    jest.advanceTimersByTime(700);
    expect(sub.start).toHaveBeenCalledTimes(3);
    stop();
    expect(sub.current().stopped).toBe(true);
  });

  it('waits for a new token after an authentication refusal', () => {
    const sub = fakeSubscription();
    const stop = keepSubscribed({ start: sub.start });
    sub.current().fail(new Error('Socket closed with event 4403 Forbidden'));
    expect(isAuthRequired()).toBe(true);
    jest.advanceTimersByTime(60_000);
    expect(sub.start).toHaveBeenCalledTimes(1);
    saveToken('ops-token');
    expect(sub.start).toHaveBeenCalledTimes(2);
    expect(isAuthRequired()).toBe(false);
    stop();
  });

  it('gives up on a GraphQL error (retrying cannot fix it) and reports it', () => {
    const sub = fakeSubscription();
    const onFatal = jest.fn();
    keepSubscribed({ start: sub.start, onFatal });
    const error = new CombinedGraphQLErrors({ errors: [{ message: 'run not found', extensions: { code: 'NOT_FOUND' } }] });
    sub.current().fail(error);
    jest.advanceTimersByTime(60_000);
    expect(sub.start).toHaveBeenCalledTimes(1);
    expect(onFatal).toHaveBeenCalledWith(error);
  });

  it('does not come back once stopped', () => {
    const sub = fakeSubscription();
    const stop = keepSubscribed({ start: sub.start });
    sub.current().fail(new Error('Socket closed with event 1006'));
    stop();
    jest.advanceTimersByTime(60_000);
    expect(sub.start).toHaveBeenCalledTimes(1);
  });
});
