import type { Browser, Page } from 'playwright-core';
import { hasChromium, launchChromium, noticeSkipped, openPage } from '../support/browser';
import { startFakeOpenAi } from '../support/fake-openai';
import { ensureBuilt, logEvent, startOrchestrator, type Orchestrator } from '../support/orchestrator';

// The demo worker plays a whole run in about 30 s at pace 1; this pace keeps a run around 12 s.
const DEMO_PACE = '0.4';
const TOKEN = 'ops-secret-token-0123456789';

const CREATE = `mutation($input: CreateHypothesisInput!) { createHypothesis(input: $input) { hypothesis { id } run { id } } }`;
const RUN_STATUS = `query($id: ID!) { run(id: $id) { status } }`;

jest.setTimeout(120_000);
if (!hasChromium) noticeSkipped();
const describeBrowser = hasChromium ? describe : describe.skip;

async function createRun(server: Orchestrator, title: string, token?: string): Promise<string> {
  const data = await server.graphql(CREATE, { input: { title, idea: `${title}: an idea long enough to be accepted.` } }, token);
  return data.createHypothesis.run.id as string;
}

/** Test-side wait on the API (the app itself never polls). */
async function waitForStatus(server: Orchestrator, runId: string, statuses: string[], timeoutMs = 60_000): Promise<string> {
  const started = Date.now();
  for (;;) {
    const { run } = await server.graphql(RUN_STATUS, { id: runId });
    if (statuses.includes(run.status)) return run.status as string;
    if (Date.now() - started > timeoutMs) throw new Error(`run ${runId} stayed ${run.status}, waiting for ${statuses.join('/')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const statusBadge = (page: Page, status: string) => page.locator(`.run-title-row [data-status="${status}"]`);
const logLineCount = async (page: Page) => Number((await page.locator('.log-status').innerText()).match(/([\d,]+) lines/)?.[1].replace(/,/g, '') ?? 0);
const textOf = (page: Page, testId: string) => page.getByTestId(testId).locator('.count-value').innerText();

describeBrowser('the web app in Chromium, against the built server, its demo worker and a local OpenAI-compatible server', () => {
  let server: Orchestrator;
  let browser: Browser;
  let llm: Awaited<ReturnType<typeof startFakeOpenAi>>;

  beforeAll(async () => {
    ensureBuilt();
    llm = await startFakeOpenAi();
    server = await startOrchestrator({ POD_ENV: `DEMO_PACE=${DEMO_PACE}`, OPENAI_API_KEY: 'sk-web-e2e', OPENAI_BASE_URL: llm.url });
    browser = await launchChromium();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await llm?.stop();
  });

  it('creates a hypothesis, then shows its run progressing live to the paper and the validation queue', async () => {
    const { page, errors, screenshot } = await openPage(browser, server.url);
    await page.goto('/');
    await page.getByLabel('Title', { exact: true }).fill('Curriculum ordering');
    await page.getByLabel('Idea', { exact: true }).fill('Ordering training data by difficulty speeds up convergence of small models.');
    await page.getByRole('button', { name: 'Submit and queue a run' }).click();
    await page.getByRole('link', { name: 'Watch the run →' }).click();
    await page.waitForURL(/\/runs\/[0-9a-f-]+$/);
    await screenshot('run-starting');

    // Everything below arrives through subscriptions: the page is never reloaded.
    await statusBadge(page, 'RUNNING').waitFor({ timeout: 30_000 });
    await page.locator('.log-line').first().waitFor();
    const linesEarly = await logLineCount(page);
    await page.locator('[data-stage="STAGE_1"] [data-status="COMPLETED"]').waitFor({ timeout: 30_000 });
    expect(await logLineCount(page)).toBeGreaterThan(linesEarly);
    await page.locator('#timing .recharts-wrapper > svg').waitFor();
    await page.locator('#nodes .recharts-wrapper > svg').waitFor();
    await page.locator('#metrics .recharts-wrapper > svg').waitFor();
    await screenshot('run-running');

    await page.getByTestId('paper-banner').filter({ hasText: 'Paper ready.' }).waitFor({ timeout: 45_000 });
    await statusBadge(page, 'AWAITING_HUMAN').waitFor({ timeout: 45_000 });
    for (const stage of ['STAGE_1', 'STAGE_2', 'STAGE_3', 'STAGE_4']) {
      expect(await page.locator(`[data-stage="${stage}"] [data-status="COMPLETED"]`).count()).toBe(1);
    }
    expect(await page.locator('#artifacts').innerText()).toMatch(/\.png/);
    expect(await page.locator('#validations [data-kind="AUTO"]').innerText()).toMatch(/PASS|Pass|Fail/i);
    await screenshot('run-awaiting-human');

    // Plots: thumbnails whose images really load, and a lightbox.
    const thumbnails = page.locator('#plots .thumbnail img');
    expect(await thumbnails.count()).toBeGreaterThan(0);
    // Thumbnails load lazily, once in view.
    await page.locator('#plots').scrollIntoViewIfNeeded();
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLImageElement>('#plots .thumbnail img')].every((img) => img.complete && img.naturalWidth > 0),
    );
    await page.locator('#plots .thumbnail').first().click();
    await page.getByRole('dialog').waitFor();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Escape');
    expect(await page.getByRole('dialog').count()).toBe(0);
    // The paper downloads.
    const paperUrl = await page
      .getByTestId('paper-banner')
      .getByRole('link', { name: /Paper \(PDF/ })
      .getAttribute('href');
    const paper = await fetch(new URL(paperUrl!, server.url));
    expect(paper.status).toBe(200);
    expect(paper.headers.get('content-type')).toContain('application/pdf');

    const runId = page.url().split('/').pop()!;
    await page.getByRole('link', { name: 'Validation queue' }).click();
    const card = page.locator(`.queue-card[data-run-id="${runId}"]`);
    await card.waitFor();
    expect(await card.locator('.scores').innerText()).toMatch(/\/ 10/);
    await screenshot('validation-queue');

    // The human verdict, from the run page.
    await card.getByRole('link', { name: 'Review the run →' }).click();
    const form = page.getByRole('form', { name: 'Human validation' });
    await form.getByRole('radio', { name: 'Pass' }).check();
    const firstScore = form.getByRole('spinbutton').first();
    await firstScore.fill('8');
    await form.getByRole('textbox', { name: 'Notes' }).fill('Convincing ablations.');
    await screenshot('human-validation-form');
    await form.getByRole('button', { name: 'Submit verdict' }).click();
    await statusBadge(page, 'HUMAN_VALIDATED').waitFor({ timeout: 15_000 });
    await page.locator('#validations [data-kind="HUMAN"]').getByText('Convincing ablations.').waitFor();
    expect(await page.getByRole('form', { name: 'Human validation' }).count()).toBe(0);

    // A paper analysis, followed live until its scores arrive.
    await page.locator('#analysis').getByRole('button', { name: 'Request paper analysis' }).click();
    await page.locator('#analysis').getByText('Reproducibility').waitFor({ timeout: 30_000 });
    expect(await page.locator('#analysis').innerText()).toMatch(/Repeat on ImageNet with more seeds\./);
    await screenshot('run-human-validated');
    expect(errors).toEqual([]);
  });

  it('queues an ideation from the form, shows its ideas, and launches a run from it', async () => {
    const { page, errors, screenshot } = await openPage(browser, server.url);
    await page.goto('/');
    await page.getByLabel('Title', { exact: true }).fill('Curriculum label smoothing');
    await page.getByLabel('Idea', { exact: true }).fill('Combine curriculum ordering with label smoothing for small models.');
    await page.getByRole('checkbox', { name: 'Refine the idea with the LLM first (ideation)' }).check();
    await page.getByRole('spinbutton', { name: 'Reflections' }).fill('2');
    await page.getByRole('button', { name: 'Submit and queue the ideation' }).click();
    await page.getByRole('link', { name: 'Follow it →' }).click();
    const detail = page.getByRole('complementary', { name: 'Ideation details' });
    // The panel follows the request live (ideationsChanged): each round, then the auto-launched run.
    await detail.getByRole('link', { name: 'The run it launched →' }).waitFor({ timeout: 30_000 });
    await detail.getByRole('heading', { name: 'Curriculum label smoothing, version 2' }).waitFor();
    expect(await detail.innerText()).toMatch(/2 of 2 reflections/);
    // The launched run's badge follows it live (runsChanged) past QUEUED.
    await detail.locator('[data-status="RUNNING"], [data-status="AUTO_VALIDATING"], [data-status="AWAITING_HUMAN"]').first().waitFor({ timeout: 30_000 });
    await screenshot('ideation');
    await detail.getByRole('button', { name: 'Launch a run from this idea' }).click();
    await detail.getByRole('link', { name: 'Watch the new run →' }).click();
    await statusBadge(page, 'QUEUED').or(statusBadge(page, 'SCHEDULED')).or(statusBadge(page, 'STARTING')).or(statusBadge(page, 'RUNNING')).first().waitFor();
    expect(errors).toEqual([]);
  });

  it('shows hypotheses created, hidden and shown again elsewhere, live on the home page', async () => {
    const { page, errors } = await openPage(browser, server.url);
    await page.goto('/');
    await page.getByRole('heading', { name: /^Hypotheses \(\d+\)$/ }).waitFor();
    const title = 'Made in another tab';
    const { createHypothesis } = await server.graphql(CREATE, { input: { title, idea: `${title}: an idea long enough to be accepted.` } });
    const item = page.locator('ul.hypotheses > li', { hasText: title });
    await item.waitFor();
    await server.graphql(`mutation($id: ID!) { hideHypothesis(id: $id) { canceledRuns } }`, { id: createHypothesis.hypothesis.id });
    await item.waitFor({ state: 'detached' });
    await server.graphql(`mutation($id: ID!) { unhideHypothesis(id: $id) { id } }`, { id: createHypothesis.hypothesis.id });
    await item.waitFor();
    expect(errors).toEqual([]);
  });

  it('cancels a running run from its page', async () => {
    const runId = await createRun(server, 'Run to cancel');
    const { page, errors, screenshot } = await openPage(browser, server.url);
    await page.goto(`/runs/${runId}`);
    await statusBadge(page, 'RUNNING').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Cancel run' }).click();
    await page.getByLabel('Reason (optional)').fill('wrong dataset');
    await page.getByRole('button', { name: 'Confirm cancel' }).click();
    await statusBadge(page, 'CANCELED').waitFor({ timeout: 15_000 });
    await page.locator('#history').getByText('wrong dataset').waitFor();
    expect(await page.getByRole('button', { name: 'Cancel run' }).count()).toBe(0);
    expect(await waitForStatus(server, runId, ['CANCELED'], 1_000)).toBe('CANCELED');
    await screenshot('run-canceled');
    expect(errors).toEqual([]);
  });

  it('moves the overview counts and the run table live', async () => {
    const { page, errors, screenshot } = await openPage(browser, server.url);
    await page.goto('/overview');
    await page.getByTestId('count-total').waitFor();
    const total = Number(await textOf(page, 'count-total'));
    const awaiting = Number(await textOf(page, 'count-AWAITING_HUMAN'));

    const runId = await createRun(server, 'Counted live');
    await page.waitForFunction(([t]) => document.querySelector('[data-testid="count-total"] .count-value')?.textContent === String(t), [total + 1]);
    const row = page.locator(`tr[data-run-id="${runId}"]`);
    await row.waitFor();
    await row.locator('[data-status="RUNNING"]').waitFor({ timeout: 30_000 });
    await row.locator('[data-status="AWAITING_HUMAN"]').waitFor({ timeout: 60_000 });
    await page.waitForFunction(([a]) => Number(document.querySelector('[data-testid="count-AWAITING_HUMAN"] .count-value')?.textContent) >= a, [awaiting + 1]);
    await screenshot('overview');

    // Filters live in the URL: a status filter narrows the table and survives a reload.
    await page.getByRole('button', { name: 'Awaiting human' }).click();
    await page.waitForURL(/status=AWAITING_HUMAN/);
    await page.reload();
    expect(await page.getByRole('button', { name: 'Awaiting human' }).getAttribute('aria-pressed')).toBe('true');
    await row.waitFor();
    expect(errors).toEqual([]);
  });

  it('keeps every log line across a server restart: the stream resumes from the last line seen', async () => {
    const runId = await createRun(server, 'Log resume');
    await server.graphql(`mutation($id: ID!) { cancelRun(id: $id) { id } }`, { id: runId });
    const { page } = await openPage(browser, server.url);
    await page.goto(`/runs/${runId}`);
    await page.getByRole('searchbox', { name: 'Search the log' }).fill('resume line');

    await server.ingest(Array.from({ length: 30 }, (_, i) => logEvent(runId, `resume line ${i + 1}`)));
    await page.getByText(/^30 of \d+ lines match/).waitFor();

    await server.restart();
    // Posted before the page has reconnected: it must get them from its resumed subscription.
    await server.ingest(Array.from({ length: 30 }, (_, i) => logEvent(runId, `resume line ${i + 31}`)));
    await page.getByText(/^60 of \d+ lines match/).waitFor({ timeout: 30_000 });
    await server.ingest([logEvent(runId, 'resume line 61')]);
    await page.getByText(/^61 of \d+ lines match/).waitFor();
    // Nothing doubled: the count stays exact.
    await page.waitForTimeout(1_000);
    expect(await page.locator('.log-status').innerText()).toMatch(/^61 of \d+ lines match/);
    expect(await page.locator('.log-line').last().innerText()).toContain('resume line 61');
  });

  it('shows every page without a console error, at laptop and phone widths', async () => {
    const runId = await createRun(server, 'Screenshots');
    await waitForStatus(server, runId, ['AWAITING_HUMAN', 'COMPLETED', 'FAILED']);
    const pages: [string, string, string][] = [
      ['home', '/', 'h2:has-text("New hypothesis")'],
      ['overview-page', '/overview', '[data-testid="count-total"]'],
      ['validation-queue-page', '/validations/queue', 'h1:has-text("Human validation queue")'],
      ['ideation-page', '/ideation', 'h1:has-text("Ideation queue")'],
      ['run', `/runs/${runId}`, '[data-testid="paper-banner"]'],
      ['graphiql', '/graphiql', '.graphiql-container'],
      ['not-found', '/no-such-page', 'h1:has-text("Page not found")'],
      ['run-not-found', '/runs/00000000-0000-4000-8000-000000000000', 'h1:has-text("Run not found")'],
    ];
    for (const [width, suffix] of [
      [1400, ''],
      [390, '-narrow'],
    ] as const) {
      const { page, errors, screenshot, context } = await openPage(browser, server.url, { width, height: 900 });
      for (const [name, path, ready] of pages) {
        await page.goto(path);
        await page.locator(ready).first().waitFor();
        await page.waitForLoadState('networkidle');
        await screenshot(`${name}${suffix}`);
        if (name !== 'graphiql') {
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          expect({ page: name, width, overflow }).toEqual({ page: name, width, overflow: 0 });
        }
      }
      expect(errors).toEqual([]);
      await context.close();
    }
  });

  it('serves GraphiQL from the app: GET /graphql in a browser leads there, and it runs queries', async () => {
    const { page, errors } = await openPage(browser, server.url);
    await page.goto('/graphql');
    await page.waitForURL(/\/graphiql$/);
    await page.locator('.graphiql-query-editor .view-lines').getByText('query LatestRuns').waitFor();
    await page.locator('.graphiql-execute-button').click();
    await page.locator('.result-window').getByText('"totalCount"').waitFor();
    expect(errors).toEqual([]);
  });
});

describeBrowser('the web app against a server that requires an API token', () => {
  let server: Orchestrator;
  let browser: Browser;

  beforeAll(async () => {
    ensureBuilt();
    server = await startOrchestrator({ API_TOKENS: `ops:${TOKEN}`, POD_ENV: `DEMO_PACE=${DEMO_PACE}` });
    browser = await launchChromium();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('asks for the token, keeps it, and uses it for queries and live updates', async () => {
    const { page, screenshot } = await openPage(browser, server.url);
    await page.goto('/overview');
    await page.getByRole('alert').filter({ hasText: 'This server requires an API token.' }).waitFor();
    await screenshot('token-prompt');
    await page.getByRole('textbox', { name: 'API token' }).fill(TOKEN);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('count-total').waitFor();
    expect(await textOf(page, 'count-total')).toBe('0');

    // Live updates travel over graphql-ws with the same token.
    await createRun(server, 'Behind a token', TOKEN);
    await page.waitForFunction(() => document.querySelector('[data-testid="count-total"] .count-value')?.textContent === '1');
    await page.reload();
    await page.getByTestId('count-total').waitFor();
    expect(await page.evaluate(() => localStorage.getItem('orchestrator.token'))).toBe(TOKEN);
  });
});
