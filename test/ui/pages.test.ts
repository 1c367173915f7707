import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DESKTOP,
  expectAccessible,
  expectRealContent,
  launchBrowser,
  newContext,
  PHONE,
  screenshot,
  type Browser,
  type BrowserContext,
} from './support/browser.ts';
import { dealerWithStock, issuedLicense } from './support/seed.ts';
import { startUiWorld, type UiWorld } from './support/ui-world.ts';

interface PageCheck {
  name: string;
  path: string;
  /** Text that only the real page shows (not a blank screen, a spinner or an error page). */
  shows: string | RegExp;
}

/**
 * Each main page, for each role, at 1280×800 and 390×844: it renders its real content, its
 * screenshot goes to test-artifacts/ui, and axe-core finds no serious or critical violation.
 * At 390 px every page fits the screen (document scrollWidth ≤ 390; a wide table scrolls inside
 * its own card) and the app bar's buttons (menu, refresh, profile) stay on it.
 */
describe('main pages render and are accessible', () => {
  let world: UiWorld;
  let browser: Browser;
  let deskPages: PageCheck[];
  let partnerPages: PageCheck[];
  let deskAdminId: string;
  let partnerAdminId: string;

  beforeAll(async () => {
    [world, browser] = await Promise.all([startUiWorld(), launchBrowser()]);
    const dealer = await dealerWithStock(world, 60);
    const deskAdmin = await world.newUser({ role: 'DESK_ADMIN' });
    deskAdminId = deskAdmin.id;
    partnerAdminId = dealer.admin.id;
    const { license, requestId } = await issuedLicense(world, { partnerUserId: dealer.user.id, productId: dealer.product.id, deskUserId: deskAdmin.id });
    // One request left open, so that the queue and the request page show a decision to make.
    const open = await (
      await world.api(dealer.user.id)
    )('/api/requests', {
      method: 'POST',
      body: { type: 'STOCK_ADDITION', productId: dealer.product.id, channels: 25, orderReference: 'PO-2026-118', deliveryEmails: ['orders@ui.test'] },
    });
    const pending = (await open.json()) as { id: string };

    deskPages = [
      { name: 'desk-dashboard', path: '/', shows: 'Open requests by type and age' },
      // A desk admin sees what /api/health says: the world's one worker polls its task queue.
      { name: 'desk-dashboard-system', path: '/', shows: 'All parts are up; 1 worker polling for requests.' },
      { name: 'desk-queues', path: '/requests', shows: /To decide/ },
      { name: 'desk-request', path: `/requests/${pending.id}/show`, shows: 'PO-2026-118' },
      { name: 'desk-licenses', path: '/licenses', shows: license.serial },
      { name: 'desk-license', path: `/licenses/${license.id}/show`, shows: 'Revisions' },
      { name: 'desk-stocks', path: '/stocks', shows: /available/i },
      // Not the page's name: the menu shows that too, while a page loaded on first use is still coming.
      { name: 'desk-stock-ledger', path: '/stock-ledger', shows: 'Credited' },
      { name: 'desk-reports', path: '/reports', shows: 'Queue report' },
      // Other suites share the database, so the dealer may not be on the first page by name:
      // the page is opened with its search filled in, as a desk agent would look it up.
      { name: 'desk-companies', path: `/companies?filter=${encodeURIComponent(JSON.stringify({ q: dealer.company.name }))}`, shows: dealer.company.name },
      { name: 'desk-users', path: '/users', shows: 'Last login' },
      { name: 'desk-products', path: '/products', shows: 'MIRASYS-V9-BASE' },
      { name: 'desk-outbox', path: '/outbox', shows: 'orders@ui.test' },
      { name: 'desk-signing-keys', path: '/signing-keys', shows: 'Public key' },
    ];
    partnerPages = [
      { name: 'partner-home', path: '/', shows: 'Recent requests' },
      { name: 'partner-new-request', path: '/requests/create', shows: 'Choose the kind of request' },
      { name: 'partner-new-installation', path: '/requests/create?type=NEW_INSTALLATION', shows: 'Lock the license to' },
      { name: 'partner-my-requests', path: '/requests', shows: 'Stock addition' },
      { name: 'partner-request', path: `/requests/${requestId}/show`, shows: 'Timeline' },
      { name: 'partner-my-licenses', path: '/licenses', shows: license.serial },
      { name: 'partner-license', path: `/licenses/${license.id}/show`, shows: 'Download .lic' },
      { name: 'partner-my-stock', path: '/stocks', shows: /available/ },
      { name: 'partner-reports', path: '/reports', shows: 'License report' },
      { name: 'partner-company-users', path: '/users', shows: dealer.admin.email },
    ];
  });
  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  async function check(context: BrowserContext, pages: PageCheck[], suffix: string, axe: boolean) {
    const page = await context.newPage();
    const phone = suffix === String(PHONE.width);
    /** On a phone: pages wider than the screen, and app-bar actions pushed off it. */
    const tooWide: string[] = [];
    const widths: string[] = [];
    for (const target of pages) {
      try {
        await page.goto(`${world.origin}/#${target.path}`);
        await expectRealContent(page, target.shows);
        // Let charts and counts settle before the picture.
        await page.waitForLoadState('networkidle').catch(() => undefined);
        await screenshot(page, `${target.name}-${suffix}`);
        if (axe) await expectAccessible(page, `${target.name} at ${suffix}`);
        if (phone) {
          const { scrollWidth, offScreen } = await page.evaluate((screenWidth) => {
            const offScreen = Array.from(document.querySelectorAll<HTMLElement>('header button, header a'))
              .filter((el) => el.offsetParent !== null)
              .filter((el) => {
                const box = el.getBoundingClientRect();
                return box.left < 0 || box.right > screenWidth;
              })
              .map((el) => el.getAttribute('aria-label') ?? el.textContent ?? el.tagName);
            return { scrollWidth: document.documentElement.scrollWidth, offScreen };
          }, PHONE.width);
          widths.push(`${target.name} ${scrollWidth}`);
          if (scrollWidth > PHONE.width) tooWide.push(`${target.name} is ${scrollWidth} px wide`);
          if (offScreen.length) tooWide.push(`${target.name}: app-bar actions off the screen: ${offScreen.join(', ')}`);
        }
      } catch (error) {
        await screenshot(page, `FAILED-${target.name}-${suffix}`).catch(() => undefined);
        throw new Error(`${target.name} at ${suffix}: ${(error as Error).message}`, { cause: error });
      }
    }
    await page.close();
    if (phone) console.log(`document width at ${suffix} px: ${widths.join(', ')}`);
    if (tooWide.length) throw new Error(`On a ${PHONE.width} px phone the page must not scroll sideways:\n${tooWide.join('\n')}`);
  }

  it('public pages: log in, forgot password, set password', async () => {
    for (const [viewport, suffix] of [
      [DESKTOP, '1280'],
      [PHONE, '390'],
    ] as const) {
      const context = await newContext(browser, viewport);
      await check(
        context,
        [
          { name: 'login', path: '/login', shows: 'Forgot your password?' },
          { name: 'forgot-password', path: '/forgot-password', shows: 'Send the link' },
          { name: 'set-password', path: '/set-password?token=example&purpose=invitation', shows: 'Activate my account' },
        ],
        suffix,
        true,
      );
      await context.close();
    }
  }, 90_000);

  it('a tab from an older build whose page chunk is gone reloads itself and opens the page', async () => {
    const context = await newContext(browser, DESKTOP);
    await world.logIn(context, deskAdminId);
    const page = await context.newPage();
    await page.goto(`${world.origin}/#/`);
    await expectRealContent(page, 'Open requests by type and age');
    // A new build replaced the hashed chunks: the ledger's chunk of the build this tab runs is gone once.
    let asked = 0;
    await page.route(/\/assets\/LedgerList-[^/]+\.js$/, (route) =>
      ++asked === 1 ? route.fulfill({ status: 404, body: 'No such file in this build of the UI.' }) : route.continue(),
    );
    const reloaded = page.waitForEvent('load');
    await page.goto(`${world.origin}/#/stock-ledger`);
    await reloaded;
    await expectRealContent(page, 'Credited');
    expect(asked).toBe(2);
    await context.close();
  }, 60_000);

  for (const [viewport, suffix] of [
    [DESKTOP, '1280'],
    [PHONE, '390'],
  ] as const) {
    it(`desk pages at ${suffix}`, async () => {
      const context = await newContext(browser, viewport);
      await world.logIn(context, deskAdminId);
      await check(context, deskPages, suffix, suffix === '1280');
      await context.close();
    }, 180_000);

    it(`partner pages at ${suffix}`, async () => {
      const context = await newContext(browser, viewport);
      await world.logIn(context, partnerAdminId);
      await check(context, partnerPages, suffix, suffix === '1280');
      await context.close();
    }, 180_000);
  }
});
