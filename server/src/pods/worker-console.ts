import { LogLevel } from '../events/event.js';

type Flush = (runId: string, lines: { time: Date; level: LogLevel; message: string }[]) => Promise<void>;

const FLUSH_MS = 250;
const MAX_PENDING = 500;
// Lines that could not be stored (the store or Redis was down) are tried again, the newest kept.
const RETRY_MS = 1000;
const MAX_KEPT = 5000;

/**
 * Buffers a local worker's stdout/stderr lines and hands them on in batches (one store write per
 * run every FLUSH_MS), so a chatty worker costs a few writes a second, not one per line.
 */
export class WorkerConsole {
  private readonly pending = new Map<string, { time: Date; level: LogLevel; message: string }[]>();
  private timer?: NodeJS.Timeout;
  private closed = false;
  // Set while lines wait for a retry: a full buffer then waits for it too instead of failing again at once.
  private retrying = false;

  constructor(private readonly flush: Flush) {}

  line(runId: string, stream: 'stdout' | 'stderr', message: string): void {
    const lines = this.pending.get(runId) ?? [];
    lines.push({ time: new Date(), level: stream === 'stderr' ? LogLevel.WARN : LogLevel.INFO, message });
    this.pending.set(runId, lines);
    if (lines.length >= MAX_PENDING && !this.retrying) void this.flushAll();
    else this.timer ??= setTimeout(() => void this.flushAll(), FLUSH_MS);
  }

  async flushAll(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.retrying = false;
    const batches = [...this.pending.entries()];
    this.pending.clear();
    await Promise.all(
      batches.map(async ([runId, lines]) => {
        try {
          await this.flush(runId, lines);
        } catch {
          this.keep(runId, lines);
        }
      }),
    );
  }

  /** Flushes what is buffered, once; lines that cannot be stored now are dropped. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flushAll();
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private keep(runId: string, lines: { time: Date; level: LogLevel; message: string }[]): void {
    if (this.closed) return;
    // Older than anything that arrived meanwhile, so they go first.
    this.pending.set(runId, [...lines, ...(this.pending.get(runId) ?? [])].slice(-MAX_KEPT));
    this.retrying = true;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flushAll(), RETRY_MS);
  }
}
