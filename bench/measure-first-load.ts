import type { Browser } from 'playwright-core';

/**
 * Chrome DevTools' "Fast 3G" preset, as devtools-frontend's front_end/core/sdk/NetworkManager.ts
 * defines it (Fast3GConditions; renamed "Slow 4G" in May 2024, crbug.com/342406608, same numbers):
 * `download: 1.6 * 1000 * 1000 / 8 * .9` (180,000 bytes/s), `upload: 750 * 1000 / 8 * .9`
 * (84,375 bytes/s), `latency: 150 * 3.75` (562.5 ms), in the units of CDP's
 * Network.emulateNetworkConditions (bytes/s and ms).
 */
export const FAST_3G = {
  offline: false,
  downloadThroughput: ((1.6 * 1000 * 1000) / 8) * 0.9,
  uploadThroughput: ((750 * 1000) / 8) * 0.9,
  latency: 150 * 3.75,
} as const;

/** Loads per variant; the figure is the median. */
export const FIRST_LOAD_RUNS = 3;

export interface LoadFigures {
  /** From navigation start to the login form's password field on screen, in ms. */
  formMs: number;
  /** JavaScript received until then (encoded bytes on the wire: headers and compressed body). */
  jsBytes: number;
  jsFiles: number;
  /** Every byte received until the form showed (HTML, JS, the API's 401 for /api/auth/me). */
  totalBytes: number;
}

export interface FirstLoadResult {
  cold: LoadFigures;
  /** The same browser opening the page again: cached assets; index.html revalidated. */
  repeat: LoadFigures;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * Opens `${origin}/#/login` in a fresh browser context under Fast 3G and waits for the login
 * form; then opens it again in the same context (its HTTP cache warm). Each figure is the median
 * of FIRST_LOAD_RUNS fresh contexts.
 */
export async function measureFirstLoad(browser: Browser, origin: string): Promise<FirstLoadResult> {
  const cold: LoadFigures[] = [];
  const repeat: LoadFigures[] = [];
  for (let run = 0; run < FIRST_LOAD_RUNS; run++) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-GB' });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', FAST_3G);
    const scripts = new Set<string>();
    let received = new Map<string, number>();
    cdp.on('Network.responseReceived', (event) => {
      if (event.type === 'Script') scripts.add(event.requestId);
    });
    cdp.on('Network.loadingFinished', (event) => {
      received.set(event.requestId, event.encodedDataLength);
    });
    const load = async (): Promise<LoadFigures> => {
      received = new Map();
      scripts.clear();
      await page.goto(`${origin}/#/login`, { waitUntil: 'commit', timeout: 120_000 });
      await page.locator('input[name="password"]').waitFor({ state: 'visible', timeout: 120_000 });
      const formMs = await page.evaluate(() => performance.now());
      // Responses that finished before the form showed; loadingFinished may trail by a moment.
      await page.waitForTimeout(200);
      const js = [...received].filter(([id]) => scripts.has(id));
      return {
        formMs,
        jsBytes: js.reduce((sum, [, bytes]) => sum + bytes, 0),
        jsFiles: js.length,
        totalBytes: [...received.values()].reduce((sum, bytes) => sum + bytes, 0),
      };
    };
    cold.push(await load());
    await page.goto('about:blank');
    repeat.push(await load());
    await context.close();
  }
  const pick = (loads: LoadFigures[]): LoadFigures => ({
    formMs: median(loads.map((l) => l.formMs)),
    jsBytes: median(loads.map((l) => l.jsBytes)),
    jsFiles: median(loads.map((l) => l.jsFiles)),
    totalBytes: median(loads.map((l) => l.totalBytes)),
  });
  return { cold: pick(cold), repeat: pick(repeat) };
}
