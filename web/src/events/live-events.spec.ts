import { withLiveEvent } from './live-events';

const events = (...seqs: number[]) => ({ totalCount: seqs.length, nodes: seqs.map((seq) => ({ seq })) });

describe('withLiveEvent', () => {
  it('adds a new event at the newest end and counts it', () => {
    expect(withLiveEvent(events(3, 2), { seq: 4 }, 'first')).toEqual(events(4, 3, 2));
    expect(withLiveEvent(events(2, 3), { seq: 4 }, 'last')).toEqual(events(2, 3, 4));
  });

  it('skips an event already held (replayed after a reconnect)', () => {
    expect(withLiveEvent(events(3, 2), { seq: 3 }, 'first')).toBeUndefined();
    expect(withLiveEvent(events(2, 3), { seq: 2 }, 'last')).toBeUndefined();
  });
});
