// A worker that reports ai.run.started and then hangs without heartbeats: the watchdog's case.
const { RUN_ID, ORCHESTRATOR_URL, RUN_TOKEN } = process.env;
const response = await fetch(`${ORCHESTRATOR_URL}/api/ingest/event`, {
  method: 'POST',
  headers: { authorization: `Bearer ${RUN_TOKEN}`, 'content-type': 'application/json' },
  body: JSON.stringify({
    specversion: '1.0',
    id: `silent-${RUN_ID}`,
    source: 'worker://silent',
    type: 'ai.run.started',
    subject: `run/${RUN_ID}`,
    time: new Date().toISOString(),
    data: { pod_id: 'silent-pod' },
  }),
});
process.stdout.write(`started: ${response.status}\n`);
setInterval(() => undefined, 60_000);
