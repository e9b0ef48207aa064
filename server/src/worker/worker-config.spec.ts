import { loadWorkerConfig, WorkerConfigError } from './worker-config.js';

describe('loadWorkerConfig', () => {
  const minimal = { RUN_ID: 'run-1', ORCHESTRATOR_URL: 'http://127.0.0.1:3000/', RUN_TOKEN: 'secret-token-123' };

  it('applies the defaults when only the run, URL and token are given', () => {
    const config = loadWorkerConfig(minimal);

    expect(config).toEqual(
      expect.objectContaining({ runId: 'run-1', orchestratorUrl: 'http://127.0.0.1:3000', token: 'secret-token-123', mode: 'full', pace: 1, failAt: undefined, seed: undefined }),
    );
    expect(config.podId).toBe(`local-${config.hostname}`);
  });

  it('reads mode, pace, failure stage, seed and the RunPod pod id', () => {
    const config = loadWorkerConfig({ ...minimal, WORKER_MODE: 'writeup', DEMO_PACE: '0.25', DEMO_FAIL_AT: 'Stage_4', DEMO_SEED: '42', RUNPOD_POD_ID: 'abc123' });

    expect(config).toEqual(expect.objectContaining({ mode: 'writeup', pace: 0.25, failAt: 'Stage_4', seed: 42, podId: 'abc123' }));
  });

  it('takes the token from the user name of the URL and strips it from the URL', () => {
    const config = loadWorkerConfig({ RUN_ID: 'run-1', ORCHESTRATOR_URL: 'http://tok%2Fen@orchestrator:3000' });

    expect(config).toEqual(expect.objectContaining({ token: 'tok/en', orchestratorUrl: 'http://orchestrator:3000' }));
  });

  it('lists every problem at once without echoing the token', () => {
    let error: unknown;
    try {
      loadWorkerConfig({ ORCHESTRATOR_URL: 'ftp://x', RUN_TOKEN: 'secret-token-123', WORKER_MODE: 'fast', DEMO_PACE: '0', DEMO_FAIL_AT: 'Stage_9' });
    } catch (e) {
      error = e;
    }

    expect(error).toBeInstanceOf(WorkerConfigError);
    expect((error as WorkerConfigError).problems).toEqual([
      'RUN_ID: is required',
      'ORCHESTRATOR_URL: must be an http:// or https:// URL',
      'WORKER_MODE: must be full or writeup (got "fast")',
      'DEMO_PACE: must be a number above 0 (got "0")',
      'DEMO_FAIL_AT: must be one of Stage_1, Stage_2, Stage_3, Stage_4 (got "Stage_9")',
    ]);
    expect((error as Error).message).not.toContain('secret-token-123');
  });
});
