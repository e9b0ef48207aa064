import { seedDemoData } from '../../src/seed/seed-demo-data.js';
import { dataOf, startTestApp, type TestApp } from '../support/test-app.js';

describe('npm run seed (seedDemoData)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('fills the store with runs in every status through the real paths, and a second run adds nothing', async () => {
    const first = await seedDemoData(app.app, 20);
    expect(first).toMatchObject({ created: 20, skipped: 0 });
    expect(Object.values(first.byStatus)).toEqual(Array(10).fill(2));

    const overview = dataOf(
      await app.graphql(`{ overview { totalRuns runsByStatus { status count } failureReasons { errorType } } hypotheses(first: 100) { totalCount nodes { seed } } }`),
    );
    expect(overview.overview.totalRuns).toBe(20);
    expect(overview.overview.runsByStatus.every((s: { count: number }) => s.count === 2)).toBe(true);
    expect(overview.overview.failureReasons).toEqual([{ errorType: 'LATEX_COMPILE_ERROR' }]);
    expect(overview.hypotheses.nodes.every((h: { seed: boolean }) => h.seed)).toBe(true);

    // A reviewed run has its worker's events, its artifacts in storage and both validations.
    const reviewed = dataOf(
      await app.graphql(`{ runs(filter: { status: [HUMAN_VALIDATED] }, first: 1) { nodes { id logs { totalCount } nodes { nodeId } metrics { name } artifacts { kind status url } validations { kind } } } }`),
    ).runs.nodes[0];
    expect(reviewed.logs.totalCount).toBeGreaterThan(10);
    expect(reviewed.nodes.length).toBeGreaterThan(3);
    expect(reviewed.metrics.length).toBeGreaterThan(0);
    expect(reviewed.validations.map((v: { kind: string }) => v.kind).sort()).toEqual(['AUTO', 'HUMAN']);
    const paper = reviewed.artifacts.find((a: { kind: string }) => a.kind === 'paper');
    const download = await fetch(paper.url);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');

    expect(await seedDemoData(app.app, 20)).toMatchObject({ created: 0, skipped: 20, events: 0 });
    expect(dataOf(await app.graphql(`{ overview { totalRuns } }`)).overview.totalRuns).toBe(20);
  }, 60_000);
});
