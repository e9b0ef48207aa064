import { RunsService } from '../../src/runs/runs.service.js';
import { RunStatus } from '../../src/runs/run.js';
import { CREATE_HYPOTHESIS, createHypothesisInput } from './graphql-operations.js';
import { ndjson } from './simulated-run.js';
import { dataOf, type TestApp } from './test-app.js';
import { waitFor } from './wait-for.js';

export interface PostResult {
  status: number;
  body: any;
  contentType: string | null;
}

async function post(app: TestApp, path: string, body: string, token?: string, contentType = 'application/json'): Promise<PostResult> {
  const response = await fetch(`${app.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': contentType, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: parsed, contentType: response.headers.get('content-type') };
}

export const postEvent = (app: TestApp, event: object | string, token?: string) =>
  post(app, '/api/ingest/event', typeof event === 'string' ? event : JSON.stringify(event), token);

export const postBatch = (app: TestApp, events: object[] | string, token?: string) =>
  post(app, '/api/ingest/events', typeof events === 'string' ? events : ndjson(events), token, 'application/x-ndjson');

/** A run as the pods module would leave it for its worker: STARTING, with a run token. */
export async function startedRun(app: TestApp, operatorToken?: string): Promise<{ runId: string; token: string }> {
  const { run } = dataOf(await app.graphql(CREATE_HYPOTHESIS, createHypothesisInput(), operatorToken)).createHypothesis;
  const runs = app.app.get(RunsService);
  await runs.transition(run.id, { to: RunStatus.SCHEDULED, at: new Date(), by: 'test' });
  await runs.transition(run.id, { to: RunStatus.STARTING, at: new Date(), by: 'test' });
  // The feed records the two status changes in the background; wait so they don't race the test.
  const statusChanges = `query($id: ID!) { run(id: $id) { events(first: 1, types: ["ai.run.status_changed"]) { totalCount } } }`;
  await waitFor(
    async () => dataOf(await app.graphql(statusChanges, { id: run.id }, operatorToken)).run.events.totalCount as number,
    (count) => count >= 2,
  );
  const issued = dataOf(await app.graphql(`mutation($id: ID!) { issueRunToken(runId: $id) { token } }`, { id: run.id }, operatorToken));
  return { runId: run.id, token: issued.issueRunToken.token };
}

/** Everything projected about a run, without what differs between two runs fed the same events. */
export const RUN_STATE = /* GraphQL */ `
  query RunState($id: ID!) {
    run(id: $id) {
      status lastHeartbeat startedAt completedAt failedAt errorType errorMessage lastEventSeq
      statusHistory { from to reason }
      pod { id instanceType region image at }
      currentStage { name progress iteration maxIterations goodNodes buggyNodes totalNodes bestMetric etaS updatedAt }
      telemetry { gpuUtil memGb tempC at }
      paper { status wordCount at }
      stages { name status progress description summary startedAt completedAt durationS bestNodeId bestMetric }
      stageTiming { stage elapsedS durationS startedAt completedAt }
      metrics { name value stage at }
      nodes { nodeId stage parentId status isBuggy metric execTimeS codeSizeBytes createdAt completedAt }
      nodeHistory { nodeId stage iteration isBuggy metric timestamp }
      artifacts { kind status bytes sha256 contentType errorCode errorMessage createdAt updatedAt }
      validations { kind status verdict scores { name score } review model rubricVersion startedAt completedAt }
      events(first: 1) { totalCount }
    }
  }
`;

export async function runState(app: TestApp, runId: string): Promise<Record<string, unknown>> {
  const state = dataOf(await app.graphql(RUN_STATE, { id: runId })).run;
  return JSON.parse(JSON.stringify(state).replaceAll(runId, '<run>'));
}
