import { LogLevel } from '../events/event.js';

type Flush = (runId: string, lines: { time: Date; level: LogLevel; message: string }[]) => Promise<void>;

const FLUSH_MS = 250;
const MAX_PENDING = 500;

/**
 * Buffers a local worker's stdout/stderr lines and hands them on in batches (one store write per
 * run every FLUSH_MS), so a chatty worker costs a few writes a second, not one per line.
 */
export class WorkerConsole {
  private readonly pending = new Map<string, { time: Date; level: LogLevel; message: string }[]>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly flush: Flush) {}

  line(runId: string, stream: 'stdout' | 'stderr', message: string): void {
    const lines = this.pending.get(runId) ?? [];
    lines.push({ time: new Date(), level: stream === 'stderr' ? LogLevel.WARN : LogLevel.INFO, message });
    this.pending.set(runId, lines);
    if (lines.length >= MAX_PENDING) void this.flushAll();
    else this.timer ??= setTimeout(() => void this.flushAll(), FLUSH_MS);
  }

  async flushAll(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batches = [...this.pending.entries()];
    this.pending.clear();
    await Promise.all(batches.map(([runId, lines]) => this.flush(runId, lines).catch(() => undefined)));
  }
}
