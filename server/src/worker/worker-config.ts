import { hostname } from 'node:os';

export const STAGES = ['Stage_1', 'Stage_2', 'Stage_3', 'Stage_4'] as const;
export type StageName = (typeof STAGES)[number];
export type WorkerMode = 'full' | 'writeup';

export interface WorkerConfig {
  runId: string;
  /** Base URL without credentials, e.g. http://127.0.0.1:3000 */
  orchestratorUrl: string;
  token: string;
  mode: WorkerMode;
  /** Time scale: 1 plays a full run in about 30 s, 0.1 in about 3 s. */
  pace: number;
  failAt?: StageName;
  hostname: string;
  podId: string;
  gpu: string;
  region: string;
  image: string;
  /** Makes the run reproducible (node outcomes, metrics, verdict). */
  seed?: number;
}

export class WorkerConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid worker configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'WorkerConfigError';
  }
}

/**
 * Reads the worker's variables (RUN_ID, ORCHESTRATOR_URL, RUN_TOKEN, WORKER_MODE, DEMO_PACE,
 * DEMO_FAIL_AT, DEMO_SEED, RUNPOD_POD_ID, ...) and lists every problem at once. The token may
 * instead be the user name of ORCHESTRATOR_URL (`http://<token>@host:port`), as for Python workers.
 */
export function loadWorkerConfig(env: Record<string, string | undefined>): WorkerConfig {
  const problems: string[] = [];
  const value = (key: string) => env[key]?.trim() || undefined;

  const runId = value('RUN_ID');
  if (!runId) problems.push('RUN_ID: is required');
  else if (/[\s/]/.test(runId)) problems.push('RUN_ID: must not contain slashes or whitespace');

  let orchestratorUrl = '';
  let urlToken: string | undefined;
  const rawUrl = value('ORCHESTRATOR_URL');
  if (!rawUrl) problems.push('ORCHESTRATOR_URL: is required');
  else {
    try {
      const url = new URL(rawUrl);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
      urlToken = url.username ? decodeURIComponent(url.username) : undefined;
      // fetch refuses URLs with credentials; they become the bearer token instead.
      url.username = '';
      url.password = '';
      orchestratorUrl = url.toString().replace(/\/+$/, '');
    } catch {
      problems.push('ORCHESTRATOR_URL: must be an http:// or https:// URL');
    }
  }

  const token = value('RUN_TOKEN') ?? urlToken;
  if (!token) problems.push('RUN_TOKEN: is required (or give it as the user name of ORCHESTRATOR_URL)');

  const mode = value('WORKER_MODE') ?? 'full';
  if (mode !== 'full' && mode !== 'writeup') problems.push(`WORKER_MODE: must be full or writeup (got ${JSON.stringify(mode)})`);

  const paceText = value('DEMO_PACE') ?? '1';
  const pace = Number(paceText);
  if (!Number.isFinite(pace) || pace <= 0 || pace > 1000) problems.push(`DEMO_PACE: must be a number above 0 (got ${JSON.stringify(paceText)})`);

  const failAt = value('DEMO_FAIL_AT');
  if (failAt !== undefined && !(STAGES as readonly string[]).includes(failAt)) {
    problems.push(`DEMO_FAIL_AT: must be one of ${STAGES.join(', ')} (got ${JSON.stringify(failAt)})`);
  }

  const seedText = value('DEMO_SEED');
  const seed = seedText === undefined ? undefined : Number(seedText);
  if (seed !== undefined && !Number.isSafeInteger(seed)) problems.push(`DEMO_SEED: must be an integer (got ${JSON.stringify(seedText)})`);

  if (problems.length > 0) throw new WorkerConfigError(problems);
  const host = hostname();
  return {
    runId: runId!,
    orchestratorUrl,
    token: token!,
    mode: mode as WorkerMode,
    pace,
    failAt: failAt as StageName | undefined,
    hostname: host,
    podId: value('RUNPOD_POD_ID') ?? `local-${host}`,
    gpu: value('RUNPOD_GPU_NAME') ?? 'NVIDIA A100-SXM4-80GB',
    region: value('RUNPOD_DC_ID') ?? 'local',
    image: value('WORKER_IMAGE') ?? 'orchestrator/demo-worker:0.1.0',
    seed,
  };
}
