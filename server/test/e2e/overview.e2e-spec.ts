import { HYPOTHESES_REPOSITORY, type HypothesesRepository } from '../../src/hypotheses/hypotheses.repository.js';
import { IDEATIONS_REPOSITORY } from '../../src/hypotheses/ideation/ideations.repository.js';
import { RunStatus, StageName } from '../../src/runs/run.js';
import { RUNS_REPOSITORY, type RunsRepository } from '../../src/runs/runs.repository.js';
import { STAGES_REPOSITORY, type StagesRepository } from '../../src/runs/stages.repository.js';
import { VALIDATIONS_REPOSITORY } from '../../src/validation/validations.repository.js';
import { aHypothesis, aRun } from '../support/factories.js';
import { dataOf, startTestApp, type TestApp } from '../support/test-app.js';

const OVERVIEW = /* GraphQL */ `
  {
    overview {
      totalRuns
      runsByStatus { status count }
      slots { max inUse free }
      queues { name waiting active delayed failed }
      validationQueueSize
      finishedLast24h finishedLast7d
      failureReasons { errorType count }
      mostActiveHypotheses { hypothesisId title runCount }
      stageDurations { stage averageS samples }
      latestRuns { id }
      drainEstimateS
    }
  }
`;

/**
 * Wraps every method of a repository to count the store round trips made through it; a method
 * called from inside another (a private helper) is part of that call, not one of its own.
 */
function countCalls(repository: object, counter: { n: number; calls: string[]; depth: number }, name: string) {
  for (const key of Object.getOwnPropertyNames(Object.getPrototypeOf(repository))) {
    const method = (repository as Record<string, unknown>)[key];
    if (key === 'constructor' || typeof method !== 'function') continue;
    (repository as Record<string, unknown>)[key] = (...args: unknown[]) => {
      if (counter.depth === 0) {
        counter.n++;
        counter.calls.push(`${name}.${key}`);
      }
      counter.depth++;
      try {
        return (method as (...a: unknown[]) => unknown).apply(repository, args);
      } finally {
        counter.depth--;
      }
    };
  }
}

describe('overview over a seeded store of 10,000 runs', () => {
  let app: TestApp;
  const statuses = Object.values(RunStatus);
  const hand = { byStatus: new Map<string, number>(), day: 0, week: 0, failures: new Map<string, number>(), perHypothesis: new Map<string, number>() };
  const stageTotals = new Map<string, { sum: number; n: number }>();

  beforeAll(async () => {
    app = await startTestApp({ MAX_POD_SLOTS: '3' });
    const hypotheses = app.app.get<HypothesesRepository>(HYPOTHESES_REPOSITORY);
    const runs = app.app.get<RunsRepository>(RUNS_REPOSITORY);
    const stages = app.app.get<StagesRepository>(STAGES_REPOSITORY);
    const now = Date.now();
    const hypothesisIds: string[] = [];
    for (let h = 0; h < 50; h++) hypothesisIds.push((await hypotheses.insert(aHypothesis({ title: `Hypothesis ${h}` }))).id);

    for (let i = 0; i < 10_000; i++) {
      const status = statuses[(i * 7) % statuses.length];
      const hypothesisId = hypothesisIds[(i * i) % 37];
      const ageMs = ((i * 7919) % (10 * 24 * 3600)) * 1000;
      const at = new Date(now - ageMs);
      const hidden = i % 50 === 0;
      const errorType = status === RunStatus.FAILED ? ['OOM', 'HEARTBEAT_TIMEOUT', 'PROVISIONING_FAILED'][i % 3] : null;
      const completed = [RunStatus.COMPLETED, RunStatus.AWAITING_HUMAN, RunStatus.HUMAN_VALIDATED].includes(status);
      await runs.insert(
        aRun({
          hypothesisId,
          status,
          hidden,
          createdAt: new Date(at.getTime() - 3600_000),
          errorType,
          failedAt: status === RunStatus.FAILED ? at : null,
          completedAt: completed ? at : null,
        }),
      );
      hand.byStatus.set(status, (hand.byStatus.get(status) ?? 0) + 1);
      if (status === RunStatus.FAILED || completed) {
        if (ageMs <= 24 * 3600_000) hand.day++;
        if (ageMs <= 7 * 24 * 3600_000) hand.week++;
      }
      if (errorType) hand.failures.set(errorType, (hand.failures.get(errorType) ?? 0) + 1);
      if (!hidden) hand.perHypothesis.set(hypothesisId, (hand.perHypothesis.get(hypothesisId) ?? 0) + 1);
    }
    // Stage records for some runs: durations over the last 30 days count, older ones do not.
    const someRuns = await runs.listIds({ statuses: [RunStatus.COMPLETED] });
    for (const [k, runId] of someRuns.slice(0, 300).entries()) {
      const stage = [StageName.STAGE_1, StageName.STAGE_2, StageName.STAGE_3][k % 3];
      const old = k % 10 === 0;
      const completedAt = new Date(now - (old ? 40 : 2) * 24 * 3600_000);
      const duration = 10 + (k % 50);
      await stages.applyWrites(runId, [{ kind: 'completed', name: stage, at: completedAt, durationS: duration }]);
      if (!old) {
        const total = stageTotals.get(stage) ?? { sum: 0, n: 0 };
        stageTotals.set(stage, { sum: total.sum + duration, n: total.n + 1 });
      }
    }
  }, 120_000);
  afterAll(() => app.close());

  it('matches a hand count, in a handful of store round trips', async () => {
    const counter = { n: 0, calls: [] as string[], depth: 0 };
    for (const [token, name] of [
      [RUNS_REPOSITORY, 'runs'],
      [STAGES_REPOSITORY, 'stages'],
      [HYPOTHESES_REPOSITORY, 'hypotheses'],
      [VALIDATIONS_REPOSITORY, 'validations'],
      [IDEATIONS_REPOSITORY, 'ideations'],
    ] as const) {
      countCalls(app.app.get(token), counter, name);
    }
    const overview = dataOf(await app.graphql(OVERVIEW)).overview;

    expect(overview.totalRuns).toBe(10_000);
    expect(overview.runsByStatus).toHaveLength(10);
    for (const { status, count } of overview.runsByStatus) expect(count).toBe(hand.byStatus.get(status) ?? 0);
    expect(overview.finishedLast24h).toBe(hand.day);
    expect(overview.finishedLast7d).toBe(hand.week);
    expect(Object.fromEntries(overview.failureReasons.map((f: { errorType: string; count: number }) => [f.errorType, f.count]))).toEqual(Object.fromEntries(hand.failures));
    const top = [...hand.perHypothesis.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5);
    expect(overview.mostActiveHypotheses.map((h: { runCount: number }) => h.runCount)).toEqual(top.map(([, n]) => n));
    expect(overview.mostActiveHypotheses.every((h: { title: string }) => h.title.startsWith('Hypothesis '))).toBe(true);
    for (const s of overview.stageDurations) {
      const total = stageTotals.get(s.stage.replace('STAGE_', 'Stage_'))!;
      expect(s.samples).toBe(total.n);
      expect(s.averageS).toBeCloseTo(total.sum / total.n, 6);
    }
    expect(overview.slots).toEqual({ max: 3, inUse: 0, free: 3 });
    expect(overview.queues.map((q: { name: string }) => q.name)).toEqual(['orchestrator', 'validator']);
    expect(overview.queues[0].waiting).toBe(0);
    expect(overview.latestRuns).toHaveLength(5);
    expect(overview.drainEstimateS).toBeGreaterThan(0);

    // The count, shown: aggregates, latest runs, review queue, ideations, hypothesis titles.
    process.stdout.write(`overview store round trips: ${counter.n} (${counter.calls.join(', ')})\n`);
    expect(counter.n).toBeLessThanOrEqual(10);
  });
});
