import { createTestClient } from '../../../test/support/test-client';
import { RunLogFeed, type LogLine } from './run-log-feed';

const line = (seq: number, message = `line ${seq}`): LogLine =>
  ({
    __typename: 'LogLine',
    id: `e${seq}`,
    seq,
    time: new Date(Date.UTC(2026, 0, 1, 9, 0, seq)).toISOString(),
    level: 'INFO',
    source: 'worker',
    message,
    kv: null,
  }) as LogLine;

/** The server side: `stored` lines (oldest first), served newest first in pages of 500 as the API does. */
function serverWith(stored: LogLine[]) {
  const test = createTestClient({
    RunLogs: ({ after }) => {
      const before = after ? Number(after) : Number.POSITIVE_INFINITY;
      const older = stored.filter((l) => l.seq < before).reverse();
      const page = older.slice(0, 500);
      return {
        data: {
          run: {
            __typename: 'Run',
            id: 'run-1',
            logs: {
              __typename: 'LogLineConnection',
              totalCount: stored.length,
              pageInfo: { __typename: 'PageInfo', hasNextPage: older.length > 500, endCursor: page.length ? String(page.at(-1)!.seq) : null },
              nodes: page,
            },
          },
        },
      };
    },
  });
  return test;
}

const syncSchedule = (flush: () => void) => flush();
const seqs = (feed: RunLogFeed) => feed.getSnapshot().lines.map((l) => l.seq);
const settle = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

describe('RunLogFeed', () => {
  afterEach(() => jest.useRealTimers());

  it('shows the newest page, then fills in older pages and follows live lines after the last seq', async () => {
    const stored = Array.from({ length: 1200 }, (_, i) => line(i + 1));
    const server = serverWith(stored);
    const feed = new RunLogFeed(server.client, 'run-1', syncSchedule);
    await feed.start();

    expect(seqs(feed)).toEqual(stored.map((l) => l.seq));
    expect(feed.getSnapshot().loadingHistory).toBe(false);
    expect(server.calls('RunLogs').map((c) => c.variables.after ?? null)).toEqual([null, '701', '201']);
    const [live] = server.open('OnRunLogAppended');
    expect(live.variables).toEqual({ runId: 'run-1', afterSeq: 1200 });

    server.emit('OnRunLogAppended', { runLogAppended: line(1201) });
    server.emit('OnRunLogAppended', { runLogAppended: line(1202) });
    expect(seqs(feed).slice(-3)).toEqual([1200, 1201, 1202]);
    expect(feed.getSnapshot().total).toBe(1202);
    feed.stop();
  });

  it('resumes after a dropped connection from the last seq it saw, without losing or doubling a line', async () => {
    jest.useFakeTimers();
    const server = serverWith([line(1), line(2), line(3)]);
    const feed = new RunLogFeed(server.client, 'run-1', syncSchedule);
    await feed.start();
    server.emit('OnRunLogAppended', { runLogAppended: line(4) });
    server.emit('OnRunLogAppended', { runLogAppended: line(6) });

    server.fail('OnRunLogAppended', new Error('Socket closed with event 1006'));
    await settle();
    expect(server.open('OnRunLogAppended')).toHaveLength(0);
    expect(feed.getSnapshot().live).toBe(false);

    await jest.advanceTimersByTimeAsync(1_000);
    const [resumed] = server.open('OnRunLogAppended');
    expect(resumed.variables).toEqual({ runId: 'run-1', afterSeq: 6 });
    // The server replays from afterSeq; anything already held is skipped.
    for (const seq of [6, 7, 8]) server.emit('OnRunLogAppended', { runLogAppended: line(seq) });
    expect(seqs(feed)).toEqual([1, 2, 3, 4, 6, 7, 8]);
    expect(feed.getSnapshot().live).toBe(true);
    feed.stop();
  });

  it('batches live lines until the next frame', async () => {
    const frames: (() => void)[] = [];
    const server = serverWith([]);
    const feed = new RunLogFeed(server.client, 'run-1', (flush) => frames.push(flush));
    await feed.start();
    expect(server.open('OnRunLogAppended')[0].variables).toEqual({ runId: 'run-1', afterSeq: 0 });
    const versions: number[] = [];
    feed.subscribe(() => versions.push(feed.getSnapshot().version));

    for (let seq = 1; seq <= 50; seq++) server.emit('OnRunLogAppended', { runLogAppended: line(seq) });
    expect(seqs(feed)).toEqual([]);
    expect(frames).toHaveLength(1);
    frames[0]();
    expect(seqs(feed)).toHaveLength(50);
    expect(versions).toHaveLength(1);
    feed.stop();
  });

  it('reports a failed first load and loads again on retry', async () => {
    let fail = true;
    const server = createTestClient({
      RunLogs: () =>
        fail
          ? new Error('Failed to fetch')
          : {
              data: {
                run: {
                  __typename: 'Run',
                  id: 'run-1',
                  logs: {
                    __typename: 'LogLineConnection',
                    totalCount: 1,
                    pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: '1' },
                    nodes: [line(1)],
                  },
                },
              },
            },
    });
    const feed = new RunLogFeed(server.client, 'run-1', syncSchedule);
    await feed.start();
    expect(feed.getSnapshot().error).toBeTruthy();
    expect(server.open('OnRunLogAppended')).toHaveLength(0);

    fail = false;
    feed.retry();
    await settle();
    await settle();
    expect(feed.getSnapshot().error).toBeNull();
    expect(seqs(feed)).toEqual([1]);
    expect(server.open('OnRunLogAppended')).toHaveLength(1);
    feed.stop();
  });
});
