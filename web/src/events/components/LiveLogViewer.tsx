import { useVirtualizer } from '@tanstack/react-virtual';
import { Fragment, useDeferredValue, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { CopyButton } from '../../common/components/CopyButton';
import { ErrorState } from '../../common/components/States';
import { formatClock, formatExact } from '../../common/format';
import type { LogLevel } from '../../gql/graphql';
import type { LogFeedSnapshot, LogLine } from '../hooks/run-log-feed';
import { IncrementalLogView, isFiltering, LOG_LEVELS, type LogFilter } from './log-filter';

export const ROW_HEIGHT = 20;
/** How close to the end (px) still counts as "at the end" for following. */
const FOLLOW_SLACK = ROW_HEIGHT * 2;

export interface LiveLogViewerProps {
  feed: LogFeedSnapshot & { retry: () => void };
  /** Height of the scrolling area in px. */
  height?: number;
}

function formatLine(line: LogLine): string {
  return `${line.time} ${line.level.padEnd(5)} [${line.source}] ${line.message}${line.kv ? ` ${JSON.stringify(line.kv)}` : ''}`;
}

function kvText(kv: unknown): string {
  if (!kv || typeof kv !== 'object') return '';
  return Object.entries(kv as Record<string, unknown>)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
}

function highlight(text: string, needle: string): ReactNode {
  if (!needle) return text;
  const lower = text.toLowerCase();
  const parts: ReactNode[] = [];
  let from = 0;
  for (let at = lower.indexOf(needle); at !== -1; at = lower.indexOf(needle, from)) {
    parts.push(text.slice(from, at), <mark key={at}>{text.slice(at, at + needle.length)}</mark>);
    from = at + needle.length;
  }
  parts.push(text.slice(from));
  return <Fragment>{parts}</Fragment>;
}

/** Index of the first line whose seq is >= seq (lines are in seq order). */
function indexOfSeq(lines: readonly LogLine[], seq: number): number {
  let low = 0;
  let high = lines.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (lines[mid].seq < seq) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * A run's log, virtualised (only the visible rows are in the DOM, so 100,000 lines scroll
 * smoothly). It follows new lines while scrolled to the end and pauses when scrolled up; level
 * filter, search with highlighting, copy and download of the lines shown.
 */
export function LiveLogViewer({ feed, height = 480 }: LiveLogViewerProps) {
  const [levels, setLevels] = useState<ReadonlySet<LogLevel>>(() => new Set(LOG_LEVELS));
  const [searchInput, setSearchInput] = useState('');
  const search = useDeferredValue(searchInput);
  const [following, setFollowing] = useState(true);
  const [countAtPause, setCountAtPause] = useState(0);
  const view = useRef(new IncrementalLogView());
  const scroller = useRef<HTMLDivElement>(null);
  const anchor = useRef<{ seq: number; offset: number } | null>(null);

  const filter: LogFilter = { levels, search };
  const { lines, counts } = view.current.update(feed.lines, filter);
  const count = lines.length;
  const needle = search.trim().toLowerCase();

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
    initialRect: { width: 800, height },
  });

  // Following: after each change keep the newest line in view. Paused: keep the lines the reader
  // looks at in place even when older lines are inserted above them.
  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    if (following) {
      element.scrollTop = element.scrollHeight;
      return;
    }
    if (anchor.current) {
      const target = indexOfSeq(lines, anchor.current.seq) * ROW_HEIGHT + anchor.current.offset;
      if (Math.abs(element.scrollTop - target) >= 1) element.scrollTop = target;
    }
  }, [feed.version, count, following, lines]);

  const onScroll = () => {
    const element = scroller.current;
    if (!element) return;
    const atEnd = element.scrollHeight - element.scrollTop - element.clientHeight <= FOLLOW_SLACK;
    const top = Math.floor(element.scrollTop / ROW_HEIGHT);
    anchor.current = lines[top] ? { seq: lines[top].seq, offset: element.scrollTop - top * ROW_HEIGHT } : null;
    if (atEnd && !following) setFollowing(true);
    if (!atEnd && following) {
      setFollowing(false);
      setCountAtPause(count);
    }
  };

  const jumpToEnd = () => {
    setFollowing(true);
    const element = scroller.current;
    if (element) element.scrollTop = element.scrollHeight;
  };

  const toggleLevel = (level: LogLevel) => {
    const next = new Set(levels);
    if (next.has(level)) next.delete(level);
    else next.add(level);
    setLevels(next);
  };

  const shownText = () => lines.map(formatLine).join('\n');
  const unseen = following ? 0 : Math.max(0, count - countAtPause);
  const filtering = isFiltering(filter);

  return (
    <div className="log-viewer">
      <div className="log-toolbar" role="toolbar" aria-label="Log controls">
        <fieldset className="chips">
          <legend className="visually-hidden">Levels</legend>
          {LOG_LEVELS.map((level) => (
            <button
              key={level}
              type="button"
              className={`chip chip-level-${level.toLowerCase()}`}
              aria-pressed={levels.has(level)}
              onClick={() => toggleLevel(level)}
            >
              {level} <span className="chip-count">{counts[level].toLocaleString('en')}</span>
            </button>
          ))}
        </fieldset>
        <label className="log-search">
          <span className="visually-hidden">Search the log</span>
          <input type="search" placeholder="Search the log…" value={searchInput} onChange={(e) => setSearchInput(e.target.value)} />
        </label>
        <button type="button" className="button button-small" aria-pressed={following} onClick={() => (following ? setFollowing(false) : jumpToEnd())}>
          {following ? 'Following' : 'Follow'}
        </button>
        <CopyButton text={shownText} label={filtering ? 'Copy matches' : 'Copy'} />
        <button
          type="button"
          className="button button-small button-ghost"
          onClick={() => {
            const url = URL.createObjectURL(new Blob([shownText()], { type: 'text/plain' }));
            const link = document.createElement('a');
            link.href = url;
            link.download = 'run.log';
            link.click();
            setTimeout(() => URL.revokeObjectURL(url), 1000);
          }}
        >
          Download
        </button>
      </div>
      <p className="log-status" aria-live="polite">
        {filtering ? `${count.toLocaleString('en')} of ${feed.lines.length.toLocaleString('en')} lines match` : `${count.toLocaleString('en')} lines`}
        {feed.loadingHistory && feed.lines.length > 0 && ' · loading earlier lines…'}
        {feed.truncated && ' · earliest lines not held (limit reached)'}
        {!following && ' · paused'}
      </p>
      {feed.error != null && <ErrorState what="the log" error={feed.error} onRetry={feed.retry} />}
      <div className="log-frame">
        <div
          ref={scroller}
          className="log-scroll"
          style={{ height }}
          tabIndex={0}
          role="log"
          aria-live="off"
          aria-label="Log lines"
          data-testid="log-scroll"
          onScroll={onScroll}
        >
          {count === 0 ? (
            <div className="log-empty">
              {feed.loadingHistory && feed.lines.length === 0 && !feed.error ? 'Loading log…' : filtering ? 'No line matches.' : 'No log lines yet.'}
            </div>
          ) : (
            <div className="log-rows" style={{ height: virtualizer.getTotalSize() }}>
              {virtualizer.getVirtualItems().map((item) => {
                const line = lines[item.index];
                return (
                  <div
                    key={line.seq}
                    className={`log-line log-${line.level.toLowerCase()}`}
                    style={{ transform: `translateY(${item.start}px)` }}
                    data-seq={line.seq}
                  >
                    <time className="log-time" dateTime={line.time} title={formatExact(new Date(line.time))}>
                      {formatClock(new Date(line.time))}
                    </time>
                    <span className="log-level">{line.level}</span>
                    <span className="log-source">{line.source}</span>
                    <span className="log-message">
                      {highlight(line.message, needle)}
                      {line.kv != null && <span className="log-kv"> {kvText(line.kv)}</span>}
                    </span>
                  </div>
                );
              })}
            </div>
          )}
        </div>
        {unseen > 0 && (
          <button type="button" className="button log-jump" onClick={jumpToEnd}>
            ↓ {unseen.toLocaleString('en')} new line{unseen === 1 ? '' : 's'}
          </button>
        )}
      </div>
    </div>
  );
}
