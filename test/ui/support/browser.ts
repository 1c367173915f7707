import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { ROOT } from '../../../embedded/tools.ts';

export const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'ui');
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** CHROMIUM_PATH, Debian's chromium, or the npm-shipped build: see embedded/chromium.ts. */
export { launchChromium as launchBrowser } from '../../../embedded/chromium.ts';

/** A browser context at a viewport; downloads allowed; the console's errors collected. */
export async function newContext(browser: Browser, viewport = DESKTOP) {
  const context = await browser.newContext({ viewport, acceptDownloads: true, locale: 'en-GB', timezoneId: 'UTC' });
  context.setDefaultTimeout(15_000);
  if (process.env.UI_DEBUG) {
    context.on('response', (r) => r.status() >= 400 && console.log(`[ui] ${r.status()} ${r.request().method()} ${r.url()}`));
    context.on('console', (m) => m.type() === 'error' && console.log(`[ui console] ${m.text()}`));
  }
  return context;
}

/** Saves a screenshot under test-artifacts/ui (ignored by git). */
export async function screenshot(page: Page, name: string) {
  await mkdir(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}

/**
 * The page shows real content: the app shell rendered, no loading spinner left, no error page,
 * and the main area holds text (not a blank screen).
 */
export async function expectRealContent(page: Page, mustShow: string | RegExp) {
  await expect.poll(async () => (await page.locator('body').innerText()).length, { timeout: 15_000 }).toBeGreaterThan(40);
  await page.getByText(mustShow).first().waitFor({ state: 'visible', timeout: 15_000 });
  // Loading indicators are indeterminate progress bars (no aria-valuenow); the stock gauges are
  // determinate and stay. Wait until every one of the former is gone, not only the first.
  await page.waitForFunction(() => !document.querySelector('[role="progressbar"]:not([aria-valuenow])'), undefined, { timeout: 15_000 }).catch(() => undefined);
  const body = await page.locator('body').innerText();
  expect(body).not.toMatch(/Something went wrong|Page not found|Failed to fetch|Cannot read properties|Unexpected token/);
  expect(body).not.toContain('Loading License Desk…');
}

/** axe-core on the page: no serious or critical violation (WCAG 2 A and AA rules). */
export async function expectAccessible(page: Page, name: string) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const summary = bad.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} — ${v.nodes
        .slice(0, 3)
        .map((n) => n.target.join(' '))
        .join(' | ')}`,
  );
  if (summary.length) throw new Error(`axe found serious/critical violations on ${name}:\n${summary.join('\n')}`);
}

/** Waits for a download started by `action` and returns its bytes and suggested name. */
export async function download(page: Page, action: () => Promise<unknown>) {
  const [file] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), action()]);
  const stream = await file.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return { name: file.suggestedFilename(), content: Buffer.concat(chunks) };
}

export type { Browser, BrowserContext, Page };
