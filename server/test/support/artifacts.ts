import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { type DemoWorkerResult, runDemoWorker } from '../../src/worker/run-demo-worker.js';
import type { TestApp } from './test-app.js';

export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** The demo worker in-process against the real app, for a STARTING run and its token (see startedRun), quickly and quietly. */
export function playDemoRun(app: TestApp, run: { runId: string; token: string }, signal?: AbortSignal): Promise<DemoWorkerResult> {
  return runDemoWorker(
    {
      runId: run.runId,
      orchestratorUrl: app.url,
      token: run.token,
      mode: 'full',
      pace: 0.05,
      hostname: 'e2e-host',
      podId: 'e2e-pod',
      gpu: 'NVIDIA RTX A4000',
      region: 'local',
      image: 'demo-worker:test',
      seed: 7,
    },
    { signal, log: () => undefined, retry: { maxAttempts: 3, baseDelayMs: 50 } },
  );
}

export interface Fetched {
  status: number;
  headers: Headers;
  bytes: Buffer;
}

export async function fetchBytes(url: string, init: RequestInit = {}): Promise<Fetched> {
  const response = await fetch(url, init);
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

export const bearer = (token?: string): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});

/** POST /api/runs/:id/artifacts/presign with a JSON body (or raw text). */
export async function presign(app: TestApp, runId: string, body: unknown, token?: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${app.url}/api/runs/${encodeURIComponent(runId)}/artifacts/presign`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...bearer(token) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // keep the text
  }
  return { status: response.status, body: parsed };
}

/** A request with the path exactly as given: fetch would resolve `..` and `%2e%2e` before sending. */
export function rawRequest(
  baseUrl: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(baseUrl);
    const req = httpRequest({ hostname, port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}
