import Database from 'better-sqlite3';
import { join } from 'node:path';
import { STORE_CONNECTION, type StoreConnection } from '../../src/infra/persistence/store-connection.js';
import { type CloudEvent, IngestClient } from '../../src/worker/ingest-client.js';
import { CREATE_HYPOTHESIS, createHypothesisInput } from '../support/graphql-operations.js';
import { runState, startedRun } from '../support/ingest.js';
import { type Envelope, ndjson, retarget, simulatedRun } from '../support/simulated-run.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { allEvents } from './support/run-events.js';
import { awaitNoLeftovers, Scenario, sleep } from './support/scenario.js';

interface Fault {
  name: string;
  /** Starts the fault; resolves to a function that ends it. */
  inject(app: TestApp): Promise<() => void>;
  reason: string;
  /** Whether even a small write fails (a full database may still fit one row in a free page). */
  everyWriteFails: boolean;
}

const sqliteOf = (app: TestApp) => app.app.get<symbol, Extract<StoreConnection, { kind: 'sqlite' }>>(STORE_CONNECTION).db;

const FAULTS: Fault[] = [
  {
    // Another process (a backup, a script, a second instance) holds the write lock past busy_timeout (5 s).
    name: 'SQLite locked by another connection for 7 s',
    reason: 'STORE_BUSY',
    everyWriteFails: true,
    inject: async (app) => {
      const holder = new Database(join(app.dataDir, 'orchestrator.sqlite'));
      holder.exec('BEGIN IMMEDIATE');
      const release = () => {
        if (holder.inTransaction) holder.exec('COMMIT');
        holder.close();
      };
      const timer = setTimeout(release, 7000);
      return () => {
        clearTimeout(timer);
        if (holder.open) release();
      };
    },
  },
  {
    // The database cannot grow: what a full disk looks like to SQLite (SQLITE_FULL).
    name: 'disk full (the database cannot grow)',
    reason: 'STORE_UNAVAILABLE',
    everyWriteFails: false,
    inject: async (app) => {
      const db = sqliteOf(app);
      const max = db.pragma('max_page_count', { simple: true }) as number;
      db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
      return () => db.pragma(`max_page_count = ${max}`);
    },
  },
  {
    // Writes refused (SQLITE_READONLY), as on a file system remounted read-only.
    name: 'read-only database',
    reason: 'STORE_UNAVAILABLE',
    everyWriteFails: true,
    inject: async (app) => {
      const db = sqliteOf(app);
      db.pragma('query_only = ON');
      return () => db.pragma('query_only = OFF');
    },
  },
];

describe('store faults: clear errors, retried by the worker\'s client, nothing half-applied', () => {
  const scenario = new Scenario('store faults (busy, full, read-only)');
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ INGEST_RATE_PER_S: '0' });
  });
  afterAll(async () => {
    await app?.close();
    scenario.counts.leakedProcesses += (await awaitNoLeftovers()).length;
    scenario.record();
  });

  /** The demo worker's client posting a run in batches of 50 (some single events), in order. */
  const worker = (token: string) =>
    new IngestClient({
      baseUrl: app.url,
      token,
      retry: { maxAttempts: 40, baseDelayMs: 200, maxDelayMs: 2000, requestTimeoutMs: 30_000 },
      log: (line) => {
        const status = /HTTP (\d{3})/.exec(line)?.[1];
        if (status) scenario.response(Number(status));
        else scenario.counts.requestsSent++;
      },
    });
  const send = async (client: IngestClient, events: Envelope[]) => {
    for (let i = 0; i < events.length; i += 50) {
      const chunk = events.slice(i, i + 50) as unknown as CloudEvent[];
      const delivery = i % 200 === 0 ? await client.sendEvent(chunk[0]).then(async (d) => (d.ok ? client.sendBatch(chunk.slice(1)) : d)) : await client.sendBatch(chunk);
      scenario.counts.requestsSent += i % 200 === 0 ? 2 : 1;
      if (!delivery.ok) throw new Error(`not delivered: ${JSON.stringify(delivery).slice(0, 300)}`);
    }
  };

  it.each(FAULTS.map((f) => [f.name, f] as const))('%s', async (_name, fault) => {
    const run = await startedRun(app);
    const clean = await startedRun(app);
    const events = simulatedRun(run.runId, { nodesPerStage: 40, logsPerNode: 5 });
    const client = worker(run.token);
    const third = Math.floor(events.length / 3);
    await send(client, events.slice(0, third));

    const end = await fault.inject(app);
    scenario.counts.faultsInjected++;
    try {
      // A client that does not retry sees what the fault is, and that none of its batch was stored.
      const storedBefore = (await allEvents(app, run.runId)).length;
      const probe = await scenario.fetch(`${app.url}/api/ingest/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${run.token}` },
        body: ndjson(events.slice(third, third + 500)),
      });
      const probeBody = await probe.clone().text();
      expect({ status: probe.status, body: probeBody.slice(0, 300) }).toMatchObject({ status: 503 });
      expect(Number(probe.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(await probe.json()).toMatchObject({ code: 'SERVICE_UNAVAILABLE', reason: fault.reason });
      expect((await allEvents(app, run.runId)).length).toBe(storedBefore);
      // GraphQL writes say the same.
      const mutation = await app.graphql(CREATE_HYPOTHESIS, createHypothesisInput());
      scenario.response(mutation.status);
      if (fault.everyWriteFails || mutation.errors) {
        expect(mutation.errors?.[0].extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', reason: fault.reason });
      }
    } finally {
      // The worker carries on during the fault; its client retries until the store is back.
      const carryOn = send(client, events.slice(third));
      await sleep(2000);
      end();
      await carryOn;
    }

    const rest = retarget(events, clean.runId);
    await send(worker(clean.token), rest);
    expect(await runState(app, run.runId)).toEqual(await runState(app, clean.runId));
    const stored = (await allEvents(app, run.runId)).filter((e) => e.source.startsWith('worker://'));
    const ids = new Set(stored.map((e) => e.id));
    scenario.counts.eventsLost += events.filter((e) => !ids.has(e.id)).length;
    scenario.counts.eventsDoubleApplied += stored.length - ids.size;
    expect(scenario.counts.eventsLost).toBe(0);
    expect(scenario.counts.serverErrors).toBe(0);
  }, 120_000);
});
