import type { LogLevel } from '../../gql/graphql';
import type { LogLine } from '../hooks/run-log-feed';

export const LOG_LEVELS: readonly LogLevel[] = ['DEBUG', 'INFO', 'WARN', 'ERROR'];

export interface LogFilter {
  levels: ReadonlySet<LogLevel>;
  /** Case-insensitive text the message or source must contain; empty: no search. */
  search: string;
}

export const isFiltering = (filter: LogFilter) => filter.levels.size < LOG_LEVELS.length || filter.search.trim() !== '';

export function matches(line: LogLine, filter: LogFilter, needle = filter.search.trim().toLowerCase()): boolean {
  if (!filter.levels.has(line.level)) return false;
  if (!needle) return true;
  return line.message.toLowerCase().includes(needle) || line.source.toLowerCase().includes(needle);
}

/**
 * The lines matching a filter, and per-level counts, kept up to date in O(new lines) while lines
 * are appended to the same array; recomputed when the array is replaced (history prepended) or
 * the filter changes.
 */
export class IncrementalLogView {
  private source: readonly LogLine[] | null = null;
  private processed = 0;
  private key = '';
  private matched: LogLine[] = [];
  private counts: Record<LogLevel, number> = { DEBUG: 0, INFO: 0, WARN: 0, ERROR: 0 };

  update(lines: readonly LogLine[], filter: LogFilter): { lines: readonly LogLine[]; counts: Readonly<Record<LogLevel, number>> } {
    const key = `${[...filter.levels].sort().join(',')}|${filter.search.trim().toLowerCase()}`;
    if (lines !== this.source || key !== this.key || lines.length < this.processed) {
      this.source = lines;
      this.key = key;
      this.processed = 0;
      this.matched = [];
      this.counts = { DEBUG: 0, INFO: 0, WARN: 0, ERROR: 0 };
    }
    const filtering = isFiltering(filter);
    const needle = filter.search.trim().toLowerCase();
    for (let i = this.processed; i < lines.length; i++) {
      const line = lines[i];
      this.counts[line.level] += 1;
      if (filtering && matches(line, filter, needle)) {
        this.matched.push(line);
      }
    }
    if (this.processed !== lines.length) this.counts = { ...this.counts };
    this.processed = lines.length;
    return { lines: filtering ? this.matched : lines, counts: this.counts };
  }
}
