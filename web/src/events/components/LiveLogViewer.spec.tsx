import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { LogLevel } from '../../gql/graphql';
import type { LogFeedSnapshot, LogLine } from '../hooks/run-log-feed';
import { LiveLogViewer, ROW_HEIGHT } from './LiveLogViewer';

const VIEW_HEIGHT = 200;
const LEVELS: LogLevel[] = ['INFO', 'DEBUG', 'WARN', 'ERROR'];

const line = (seq: number): LogLine =>
  ({
    __typename: 'LogLine',
    id: `e${seq}`,
    seq,
    time: new Date(Date.UTC(2026, 0, 1, 9, 0, 0, seq)).toISOString(),
    level: LEVELS[seq % 4],
    source: 'worker',
    message: seq % 10 === 0 ? `epoch ${seq} loss 0.${seq}` : `step ${seq}`,
    kv: null,
  }) as LogLine;

// jsdom has no layout: give the log's scroller a height, a scroll height from its rows, and a scrollTop that clamps like a browser.
const scrollTops = new WeakMap<Element, number>();
const isScroller = (el: HTMLElement) => el.dataset?.testid === 'log-scroll';
beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return isScroller(this) ? VIEW_HEIGHT : 0;
    },
  });
  Object.defineProperty(HTMLElement.prototype, 'scrollHeight', {
    configurable: true,
    get(this: HTMLElement) {
      const rows = isScroller(this) ? this.querySelector<HTMLElement>('.log-rows') : null;
      return rows ? parseFloat(rows.style.height) : 0;
    },
  });
  Object.defineProperty(HTMLElement.prototype, 'scrollTop', {
    configurable: true,
    get(this: HTMLElement) {
      return scrollTops.get(this) ?? 0;
    },
    set(this: HTMLElement, value: number) {
      const next = Math.min(Math.max(0, this.scrollHeight - this.clientHeight), Math.max(0, value));
      if (next === (scrollTops.get(this) ?? 0)) return;
      scrollTops.set(this, next);
      // As a browser does, a changed position fires a scroll event, after the current task.
      queueMicrotask(() => this.dispatchEvent(new Event('scroll')));
    },
  });
  jest
    .spyOn(Element.prototype, 'getBoundingClientRect')
    .mockReturnValue({ width: 800, height: VIEW_HEIGHT, top: 0, left: 0, right: 800, bottom: VIEW_HEIGHT, x: 0, y: 0, toJSON: () => ({}) });
});

/** A feed as useRunLogs gives it, with `append` to simulate live lines. */
function makeFeed(count: number) {
  const lines = Array.from({ length: count }, (_, i) => line(i + 1));
  let snapshot: LogFeedSnapshot & { retry: () => void } = {
    lines,
    version: 1,
    total: count,
    loadingHistory: false,
    truncated: false,
    error: null,
    live: true,
    retry: () => undefined,
  };
  return {
    get: () => snapshot,
    append(n: number) {
      const from = lines.length;
      for (let i = 1; i <= n; i++) lines.push(line(from + i));
      snapshot = { ...snapshot, version: snapshot.version + 1, total: lines.length };
    },
  };
}

const scroller = () => screen.getByTestId('log-scroll');
const maxScroll = () => scroller().scrollHeight - VIEW_HEIGHT;
const settle = () => act(async () => undefined);
const scrollTo = async (top: number) => {
  scroller().scrollTop = top;
  await settle();
};
/** Renders (or re-renders) and lets the scroll events that causes fire. */
async function show(feed: { get: () => LogFeedSnapshot & { retry: () => void } }, rerender?: (ui: React.ReactElement) => void) {
  const ui = <LiveLogViewer feed={feed.get()} height={VIEW_HEIGHT} />;
  const result = rerender ? (rerender(ui), undefined) : render(ui);
  await settle();
  return result;
}

describe('LiveLogViewer', () => {
  it('renders only the rows in view, even for 100,000 lines', async () => {
    const feed = makeFeed(100_000);
    await show(feed);
    const rows = scroller().querySelectorAll('.log-line');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(100);
    expect(screen.getByText('100,000 lines')).toBeInTheDocument();
    // Following: the newest line is the one shown.
    expect(scroller().scrollTop).toBe(100_000 * ROW_HEIGHT - VIEW_HEIGHT);
    expect(within(scroller()).getByText('step 99999')).toBeInTheDocument();
  });

  it('follows new lines while scrolled to the end', async () => {
    const feed = makeFeed(100);
    const { rerender } = (await show(feed))!;
    expect(scroller().scrollTop).toBe(maxScroll());
    feed.append(50);
    await show(feed, rerender);
    expect(scroller().scrollTop).toBe(150 * ROW_HEIGHT - VIEW_HEIGHT);
    expect(within(scroller()).getByText('step 149')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Following' })).toHaveAttribute('aria-pressed', 'true');
  });

  it('pauses when scrolled up, keeps the view still, counts new lines and resumes from the jump button', async () => {
    const feed = makeFeed(100);
    const { rerender } = (await show(feed))!;
    await scrollTo(400);
    expect(screen.getByRole('button', { name: 'Follow' })).toHaveAttribute('aria-pressed', 'false');

    feed.append(30);
    await show(feed, rerender);
    expect(scroller().scrollTop).toBe(400);
    const jump = screen.getByRole('button', { name: '↓ 30 new lines' });

    await userEvent.click(jump);
    expect(scroller().scrollTop).toBe(maxScroll());
    expect(screen.getByRole('button', { name: 'Following' })).toHaveAttribute('aria-pressed', 'true');
    expect(screen.queryByRole('button', { name: /new line/ })).not.toBeInTheDocument();
  });

  it('resumes following when scrolled back to the end', async () => {
    const feed = makeFeed(100);
    const { rerender } = (await show(feed))!;
    await scrollTo(0);
    expect(screen.getByRole('button', { name: 'Follow' })).toBeInTheDocument();
    await scrollTo(maxScroll());
    expect(screen.getByRole('button', { name: 'Following' })).toBeInTheDocument();
    feed.append(5);
    await show(feed, rerender);
    expect(scroller().scrollTop).toBe(maxScroll());
  });

  it('filters by level and by search text, and says how many lines match', async () => {
    const feed = makeFeed(100);
    await show(feed);
    expect(screen.getByRole('button', { name: /^ERROR 25$/ })).toHaveAttribute('aria-pressed', 'true');

    await userEvent.click(screen.getByRole('button', { name: /^DEBUG/ }));
    expect(screen.getByText('75 of 100 lines match')).toBeInTheDocument();

    await userEvent.type(screen.getByRole('searchbox', { name: 'Search the log' }), 'LOSS');
    // Lines 10, 20, ... 100 mention "loss"; DEBUG (seq % 4 === 1) is hidden, none of those is.
    expect(await screen.findByText('10 of 100 lines match')).toBeInTheDocument();
    expect(within(scroller()).getAllByText('loss', { selector: 'mark' }).length).toBeGreaterThan(0);
    // Both filters at once: lines 10, 30, 50, 70 and 90 are WARN.
    await userEvent.click(screen.getByRole('button', { name: /^WARN/ }));
    expect(await screen.findByText('5 of 100 lines match')).toBeInTheDocument();
  });

  it('copies the lines shown', async () => {
    const writeText = jest.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const feed = makeFeed(3);
    await show(feed);
    await userEvent.click(screen.getByRole('button', { name: 'Copy' }));
    expect(writeText).toHaveBeenCalledWith(expect.stringContaining('[worker] step 1\n'));
    expect(writeText.mock.calls[0][0].split('\n')).toHaveLength(3);
    expect(await screen.findByRole('button', { name: 'Copied' })).toBeInTheDocument();
  });

  it('says when there is nothing to show yet', async () => {
    const feed = makeFeed(0);
    await show(feed);
    expect(screen.getByText('No log lines yet.')).toBeInTheDocument();
  });
});
