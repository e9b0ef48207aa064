import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { REPO } from './orchestrator';

/** Debian's Chromium by default; CHROMIUM_PATH points elsewhere (e.g. Google Chrome on a GitHub runner). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const SCREENSHOTS = join(REPO, 'web/test-results/screenshots');

/** Debian's Chromium, headless (never a downloaded browser). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** Console errors and uncaught exceptions seen so far. */
  errors: string[];
  screenshot: (name: string) => Promise<void>;
}

/** A page in a fresh context whose console errors and uncaught exceptions are collected. */
export async function openPage(browser: Browser, baseURL: string, viewport = { width: 1400, height: 1000 }): Promise<WatchedPage> {
  const context = await browser.newContext({ baseURL, viewport });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  return {
    page,
    context,
    errors,
    screenshot: async (name) => {
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
    },
  };
}

/** Tells the person running the tests, visibly, that the browser tests did not run. */
export function noticeSkipped(): void {
  process.stderr.write(`\nSKIPPED browser tests: ${CHROMIUM} is missing (apt-get install chromium); .ci/run installs it.\n\n`);
}
