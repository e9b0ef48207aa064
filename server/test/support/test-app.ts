import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunningApp, startApp } from '../../src/bootstrap.js';
import { loadEnv } from '../../src/config/env.js';

export interface GraphqlResponse<T = Record<string, any>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: string[]; extensions?: Record<string, any> }[];
}

export interface TestApp extends RunningApp {
  dataDir: string;
  graphql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphqlResponse<T>>;
}

/**
 * The real product on a free port with a temporary data dir: SQLite, and the embedded redis-server
 * unless REDIS_URL is given. `close()` stops everything and deletes the data dir (unless keepData).
 */
export async function startTestApp(vars: Record<string, string> = {}, { dataDir, keepData = false } = {} as { dataDir?: string; keepData?: boolean }): Promise<TestApp> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'orch-e2e-'));
  // Queued runs stay queued unless a test asks for job processing (PROCESS_JOBS=true).
  const env = loadEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PORT: '0', DATA_DIR: dir, PROCESS_JOBS: 'false', ...vars });
  const running = await startApp(env);
  return {
    ...running,
    dataDir: dir,
    close: async () => {
      await running.close();
      if (!keepData) rmSync(dir, { recursive: true, force: true });
    },
    graphql: async (query, variables, token) => {
      const response = await fetch(`${running.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, ...((await response.json()) as Omit<GraphqlResponse, "status">) } as GraphqlResponse<any>;
    },
  };
}

/** The data of a GraphQL response, failing the test with the errors when there are any. */
export function dataOf<T>(response: GraphqlResponse<T>): T {
  if (response.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(response.errors)}`);
  return response.data as T;
}
