import { EventEmitter } from 'node:events';
import { Subject } from 'rxjs';
import { strictMock } from '../../test/support/strict-mock.js';
import type { AppliedTransition } from '../runs/runs.service.js';
import type { IncomingEvent } from './event.js';
import { EventsService } from './events.service.js';

type Append = (runId: string, events: IncomingEvent[]) => Promise<{ stored: IncomingEvent[] }>;

/** The service with its store and Redis replaced: only the orchestrator's feed entries are exercised. */
async function feedOf(append: Append) {
  const transitions = new Subject<AppliedTransition>();
  const calls: IncomingEvent[][] = [];
  const errors: unknown[] = [];
  const service = new EventsService(
    strictMock({ append: (runId: string, events: IncomingEvent[]) => (calls.push(events), append(runId, events)) }) as never,
    strictMock({ runsWithPendingProjection: async () => [], catchUp: async () => undefined }) as never,
    strictMock({ withLock: (_runId: string, work: () => Promise<unknown>) => work() }) as never,
    strictMock({ transitions }) as never,
    strictMock<object>({}, 'runTokens') as never,
    strictMock<object>({}, 'env') as never,
    strictMock({ getSubscriber: () => new EventEmitter(), publish: async () => undefined }) as never,
    strictMock({ setContext: () => undefined, info: () => undefined, warn: () => undefined, error: (...args: unknown[]) => errors.push(args) }) as never,
  );
  await service.onApplicationBootstrap();
  const at = new Date('2026-11-29T00:00:00Z');
  transitions.next({ runId: 'run-1', origin: 'orchestrator', transition: { from: 'RUNNING', to: 'CANCELED', at, by: 'alice', reason: 'no longer needed' } } as never);
  return { calls, errors, stop: () => service.onModuleDestroy() };
}

describe('EventsService: the orchestrator feed', () => {
  it('records a status change once Redis or the store is back, with one event id across attempts', async () => {
    let failures = 1;
    const feed = await feedOf(async (_runId, events) => {
      if (failures-- > 0) throw new Error('Connection is closed.');
      return { stored: events };
    });
    await new Promise((resolve) => setTimeout(resolve, 1300));
    feed.stop();
    expect(feed.calls).toHaveLength(2);
    expect(feed.calls[1][0]).toMatchObject({ type: 'ai.run.status_changed', source: 'orchestrator', data: { from: 'RUNNING', to: 'CANCELED', by: 'alice' } });
    expect(feed.calls[1][0].id).toBe(feed.calls[0][0].id);
    expect(feed.errors).toEqual([]);
  });

  it('does not retry a failure that is not an outage, and says so', async () => {
    const feed = await feedOf(async () => {
      throw new Error('constraint failed');
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    feed.stop();
    expect(feed.calls).toHaveLength(1);
    expect(feed.errors).toHaveLength(1);
  });
});
