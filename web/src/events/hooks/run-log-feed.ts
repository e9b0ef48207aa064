import type { ApolloClient } from '@apollo/client';
import { keepSubscribed } from '../../app/live';
import { OnRunLogAppendedDocument, RunLogsDocument, type LogLineFieldsFragment } from '../../gql/graphql';

export type LogLine = LogLineFieldsFragment;

/** What a viewer reads; a new object after every change, the `lines` array is shared and only grows. */
export interface LogFeedSnapshot {
  /** Oldest first. Never mutated in place except by appending at the end. */
  lines: readonly LogLine[];
  /** Increases with every change, so a memo over `lines` knows when to recompute. */
  version: number;
  /** Lines stored on the server when the feed started (plus those received since). */
  total: number | null;
  /** Older lines are still being fetched (the newest arrive first). */
  loadingHistory: boolean;
  /** Lines held is capped: older ones exist on the server but are not held. */
  truncated: boolean;
  error: unknown;
  /** Live lines are flowing (the subscription is open). */
  live: boolean;
}

const PAGE = 500;
/** Most lines one page holds; enough for a whole run, bounded so a runaway worker cannot exhaust memory. */
export const MAX_LINES = 250_000;

type Schedule = (flush: () => void) => void;
const nextFrame: Schedule = (flush) => {
  if (typeof requestAnimationFrame === 'function' && document.visibilityState === 'visible') requestAnimationFrame(flush);
  else setTimeout(flush, 50);
};

/**
 * A run's log lines for one page, kept outside the Apollo cache (a run can hold hundreds of
 * thousands): the newest page first, then live lines from `runLogAppended` resumed after the last
 * seq seen (after a dropped connection too, so no line is lost or doubled), while older pages
 * are fetched in the background. Appends are batched per animation frame.
 */
export class RunLogFeed {
  private lines: LogLine[] = [];
  private pending: LogLine[] = [];
  private flushScheduled = false;
  private lastSeq = 0;
  private oldestCursor: string | null = null;
  private hasOlder = false;
  private snapshot: LogFeedSnapshot;
  private readonly listeners = new Set<() => void>();
  private stopLive?: () => void;
  private stopped = false;
  private loaded = false;

  constructor(
    private readonly client: ApolloClient,
    private readonly runId: string,
    private readonly schedule: Schedule = nextFrame,
  ) {
    this.snapshot = { lines: this.lines, version: 0, total: null, loadingHistory: true, truncated: false, error: null, live: false };
  }

  getSnapshot = (): LogFeedSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Loads the newest page, then follows live and fills in history. Safe to call again after an error. */
  async start(): Promise<void> {
    this.update({ error: null, loadingHistory: true });
    let page;
    try {
      page = await this.fetchPage(null);
    } catch (error) {
      if (!this.stopped) this.update({ error, loadingHistory: false });
      return;
    }
    if (this.stopped) return;
    this.loaded = true;
    const newest = [...page.nodes].reverse();
    this.lines.push(...newest);
    this.lastSeq = newest.at(-1)?.seq ?? 0;
    this.oldestCursor = page.pageInfo.endCursor;
    this.hasOlder = page.pageInfo.hasNextPage;
    this.update({ total: page.totalCount, loadingHistory: this.hasOlder });
    this.follow();
    await this.backfill();
  }

  stop(): void {
    this.stopped = true;
    this.stopLive?.();
    this.listeners.clear();
  }

  private follow() {
    this.stopLive = keepSubscribed({
      start: (fail) => {
        const subscription = this.client
          .subscribe({ query: OnRunLogAppendedDocument, variables: { runId: this.runId, afterSeq: this.lastSeq }, fetchPolicy: 'no-cache' })
          .subscribe({
            next: (result) => {
              if (result.error) fail(result.error);
              else if (result.data) this.receive(result.data.runLogAppended);
            },
            error: fail,
          });
        this.update({ live: true });
        return () => {
          subscription.unsubscribe();
          this.update({ live: false });
        };
      },
      onFatal: (error) => this.update({ error, live: false }),
    });
  }

  /** A live line: skipped when already seen (a replay after reconnecting), batched otherwise. */
  receive(line: LogLine): void {
    if (line.seq <= this.lastSeq) return;
    this.lastSeq = line.seq;
    this.pending.push(line);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    this.schedule(() => this.flush());
  }

  private flush() {
    this.flushScheduled = false;
    if (this.stopped || this.pending.length === 0) return;
    for (const line of this.pending) this.lines.push(line);
    const added = this.pending.length;
    this.pending = [];
    if (this.lines.length > MAX_LINES) {
      this.lines = this.lines.slice(this.lines.length - MAX_LINES);
      this.hasOlder = false;
      this.update({ lines: this.lines, truncated: true, total: (this.snapshot.total ?? 0) + added });
      return;
    }
    this.update({ total: (this.snapshot.total ?? 0) + added });
  }

  private async backfill() {
    while (this.hasOlder && !this.stopped) {
      if (this.lines.length >= MAX_LINES) {
        this.hasOlder = false;
        this.update({ truncated: true, loadingHistory: false });
        return;
      }
      let page;
      try {
        page = await this.fetchPage(this.oldestCursor);
      } catch (error) {
        if (!this.stopped) this.update({ error, loadingHistory: false });
        return;
      }
      if (this.stopped) return;
      const oldestHeld = this.lines[0]?.seq ?? Number.POSITIVE_INFINITY;
      const older = page.nodes.filter((line) => line.seq < oldestHeld).reverse();
      this.lines = older.concat(this.lines);
      this.oldestCursor = page.pageInfo.endCursor;
      this.hasOlder = page.pageInfo.hasNextPage && older.length > 0;
      this.update({ lines: this.lines, loadingHistory: this.hasOlder });
    }
  }

  /** Retries fetching history after an error (the live part keeps itself alive). */
  retry(): void {
    if (!this.loaded) {
      void this.start();
      return;
    }
    this.update({ error: null, loadingHistory: this.hasOlder });
    void this.backfill();
  }

  private async fetchPage(after: string | null) {
    const { data, error } = await this.client.query({
      query: RunLogsDocument,
      variables: { runId: this.runId, first: PAGE, after },
      fetchPolicy: 'no-cache',
    });
    // Apollo's errors are Error instances (ErrorLike in its types).
    if (error) throw error as Error;
    if (!data?.run) throw new Error('The run does not exist');
    return data.run.logs;
  }

  private update(patch: Partial<LogFeedSnapshot>) {
    this.snapshot = { ...this.snapshot, lines: this.lines, ...patch, version: this.snapshot.version + 1 };
    this.listeners.forEach((listener) => listener());
  }
}
