import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { DESKTOP, expectAccessible, expectRealContent, launchBrowser, newContext, PHONE, screenshot, type Browser, type Page } from './support/browser.ts';
import { dealerWithStock, issuedLicense } from './support/seed.ts';
import { startUiWorld, until, type UiWorld } from './support/ui-world.ts';

/**
 * Issue 12's phones, triage queue and records, in Chromium: every main page fits a 390 px phone
 * (the failing page is named), the desk's queue search finds a request by its end user and its
 * row names end user, product and channels, the status tabs carry counts, the request page shows
 * the partner's stock and the license beside the decision buttons, the Licenses list names each
 * owner, and a company's page lists its users and licenses, with no Delete button for the vendor
 * or a company with licenses.
 */
describe('phones, triage queue and records', () => {
  let world: UiWorld;
  let browser: Browser;
  let dealer: Awaited<ReturnType<typeof dealerWithStock>>;
  let deskAdminId: string;
  let license: { id: string; serial: string };
  let expansion: { id: string; number: number };
  let vendorId: string;
  const endUser = `Kauppahalli ${Date.now().toString(36)} Tampere`;

  beforeAll(async () => {
    [world, browser] = await Promise.all([startUiWorld(), launchBrowser()]);
    dealer = await dealerWithStock(world, 60);
    const deskAdmin = await world.newUser({ role: 'DESK_ADMIN' });
    deskAdminId = deskAdmin.id;
    vendorId = deskAdmin.companyId;
    const issued = await issuedLicense(world, { partnerUserId: dealer.user.id, productId: dealer.product.id, deskUserId: deskAdmin.id, channels: 6, endUser });
    license = issued.license;
    // An expansion of that license waits for the desk: the queue and its request page show it.
    const submitted = await (
      await world.api(dealer.user.id)
    )('/api/requests', {
      method: 'POST',
      body: { type: 'CHANNEL_EXPANSION', serial: license.serial, macAddress: issued.mac, channels: 3, deliveryEmails: ['orders@ui.test'] },
    });
    expect(submitted.status, await submitted.clone().text()).toBe(201);
    expansion = (await submitted.json()) as { id: string; number: number };
    await until(
      async () => ((await world.prisma.request.findUnique({ where: { id: expansion.id } }))?.status === 'PENDING_APPROVAL' ? true : undefined),
      'the expansion waiting for the desk',
    );
  });
  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  async function deskPage(viewport = DESKTOP) {
    const context = await newContext(browser, viewport);
    await world.logIn(context, deskAdminId);
    const page = await context.newPage();
    onTestFailed(() => screenshot(page, `FAILED-triage-${viewport.width}`).then(() => undefined));
    return page;
  }

  const reference = (n: number) => `LD-${String(n).padStart(6, '0')}`;

  it('the queue search finds a request by its end user; the row names end user, product, channels, assignee and due', async () => {
    const page = await deskPage();
    await page.goto(`${world.origin}/#/requests`);
    await expectRealContent(page, /To decide/);
    // A tab with a count for every waiting state, failed and cancelled among them.
    for (const tab of [
      'To decide',
      'Waiting for partner',
      'Waiting for consent',
      'Waiting for file',
      'Waiting for returned hardware',
      'Waiting for return confirmation',
      'Waiting for office hours',
      'Failed',
      'Cancelled',
    ]) {
      await expect
        .poll(
          () =>
            page
              .getByRole('tab')
              .filter({ hasText: new RegExp(`^${tab}\\s\\(\\d+\\)$`) })
              .count(),
          { message: `tab ${tab} with its count` },
        )
        .toBe(1);
    }
    await page.getByPlaceholder('Reference, serial, MAC, end user or company').fill(endUser.toLowerCase());
    const row = page.getByRole('row').filter({ hasText: reference(expansion.number) });
    await row.waitFor();
    await expect.poll(() => page.getByRole('row').count()).toBe(2); // the header and the one request
    const text = await row.innerText();
    expect(text).toContain(endUser);
    expect(text).toContain(dealer.product.name);
    expect(text).toContain('3');
    expect(text).toContain('Nobody');
    expect(text).toMatch(/on time|due soon|SLA breached/);
    // The count follows the search: one request waits to be decided.
    await expect
      .poll(() =>
        page
          .getByRole('tab')
          .filter({ hasText: /^To decide\s\(1\)$/ })
          .count(),
      )
      .toBe(1);
    const headers = await page.getByRole('columnheader').allInnerTexts();
    for (const column of ['Reference', 'Company', 'End user', 'Product', 'Channels', 'Status', 'Assignee', 'Age', 'Due'])
      expect(headers.join('|')).toContain(column);
    await screenshot(page, 'triage-queue-search-1280');
    await expectAccessible(page, 'the searched queue');

    // Beside the decision buttons: the partner's stock of the product and the license as it is now.
    await row.click();
    await page.getByTestId('decision-context').waitFor();
    const stock = await page.getByTestId('decision-stock').innerText();
    expect(stock).toContain(`Partner's stock of ${dealer.product.name}`);
    expect(stock).toMatch(/\d+ \/ 60 available/);
    const now = await page.getByTestId('decision-license').innerText();
    expect(now).toContain(license.serial);
    expect(now).toContain(`${dealer.product.name} · 6 channels · Active`);
    await page.getByRole('button', { name: 'Approve' }).waitFor();
    await screenshot(page, 'triage-request-decision-1280');
    await expectAccessible(page, 'the request page with its decision context');
    await page.context().close();
  }, 120_000);

  it("the Licenses list names each license's owner", async () => {
    const page = await deskPage();
    await page.goto(`${world.origin}/#/licenses?filter=${encodeURIComponent(JSON.stringify({ q: license.serial }))}`);
    await expectRealContent(page, license.serial);
    const row = page.getByRole('row').filter({ hasText: license.serial });
    const headers = await page.getByRole('columnheader').allInnerTexts();
    const ownerColumn = headers.findIndex((h) => h.trim() === 'Owner');
    expect(ownerColumn).toBeGreaterThan(-1);
    expect((await row.getByRole('cell').nth(ownerColumn).innerText()).trim()).toBe(dealer.company.name);
    await page.context().close();
  }, 60_000);

  it("a company's page lists its users, stock, licenses and requests, with edit behind a button and no Delete where deleting is refused", async () => {
    const page = await deskPage();
    await page.goto(`${world.origin}/#/companies/${dealer.company.id}/show`);
    await expectRealContent(page, 'Licenses (1)');
    const body = await page.locator('main').innerText();
    expect(body).toContain(dealer.user.name);
    expect(body).toContain(dealer.admin.name);
    expect(body).toContain(license.serial);
    expect(body).toContain(reference(expansion.number));
    expect(body).toMatch(/\d+ \/ 60 available/);
    expect(body).toContain(`${dealer.company.name} holds 1 license; a company with licenses cannot be deleted.`);
    expect(await page.getByRole('button', { name: 'Delete' }).count()).toBe(0);
    expect(await page.getByRole('textbox').count()).toBe(0); // a page to read, not a form
    await screenshot(page, 'company-show-1280');
    await expectAccessible(page, 'the company page');
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.getByRole('textbox', { name: 'Name' }).waitFor();
    expect(await page.getByRole('button', { name: 'Delete' }).count()).toBe(0);

    await page.goto(`${world.origin}/#/companies/${vendorId}/show`);
    await expectRealContent(page, 'is the vendor company; it cannot be deleted.');
    expect(await page.getByRole('button', { name: 'Delete' }).count()).toBe(0);

    // A user's page: who they are and the requests they submitted.
    await page.goto(`${world.origin}/#/users/${dealer.user.id}/show`);
    await expectRealContent(page, 'Requests submitted');
    await page.getByText(reference(expansion.number)).first().waitFor();
    await page.getByRole('link', { name: 'Edit' }).waitFor();
    await screenshot(page, 'user-show-1280');
    await page.context().close();
  }, 90_000);

  it('reports: the median time to decision shows the decision made, both exports are buttons, and the wide table says it scrolls', async () => {
    const page = await deskPage();
    await page.goto(`${world.origin}/#/reports`);
    await expectRealContent(page, 'Queue report');
    await page.getByRole('button', { name: 'Excel export' }).waitFor();
    await page.getByRole('button', { name: 'CSV export' }).waitFor();
    // One license was issued: its new installation was decided, so the median chart has a bar with its time.
    const median = page.getByRole('img', { name: /^Median hours to decision/ });
    await median.waitFor();
    expect(await median.getAttribute('aria-label')).toMatch(/New installation \d/);
    await expect.poll(async () => (await median.textContent()) ?? '').toMatch(/< 1 min|\d+ min|\d+(\.\d)? h/);
    expect(await page.getByTestId('chart-no-data').count()).toBe(0);
    await screenshot(page, 'reports-1280');
    await expectAccessible(page, 'the reports page');
    // On a phone the report's 16 columns scroll inside the card, and a caption says so.
    await page.setViewportSize(PHONE);
    await page.getByTestId('scroll-cue').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await page.evaluate(() => document.querySelector('[data-testid="scroll-cue"]')?.scrollIntoView());
    await screenshot(page, 'reports-table-390');
    await page.context().close();
  }, 90_000);

  it('at 390 px every main page fits the screen, its app-bar actions on it', async () => {
    const pages: Array<{ name: string; path: string; shows: string | RegExp }> = [
      { name: 'dashboard', path: '/', shows: 'Open requests by type and age' },
      { name: 'queues', path: '/requests', shows: /To decide/ },
      { name: 'request', path: `/requests/${expansion.id}/show`, shows: 'Timeline' },
      { name: 'licenses', path: '/licenses', shows: license.serial },
      { name: 'license', path: `/licenses/${license.id}/show`, shows: 'Revisions' },
      { name: 'stocks', path: '/stocks', shows: /available/ },
      { name: 'stock-ledger', path: '/stock-ledger', shows: 'Credited' },
      { name: 'reports', path: '/reports', shows: 'Queue report' },
      { name: 'companies', path: '/companies', shows: 'Companies' },
      { name: 'company', path: `/companies/${dealer.company.id}/show`, shows: 'Licenses (1)' },
      { name: 'company-edit', path: `/companies/${dealer.company.id}`, shows: 'Time zone' },
      { name: 'users', path: '/users', shows: 'Users' },
      { name: 'user', path: `/users/${dealer.user.id}/show`, shows: 'Requests submitted' },
      { name: 'products', path: '/products', shows: 'Products' },
      { name: 'outbox', path: '/outbox', shows: 'orders@ui.test' },
      { name: 'signing-keys', path: '/signing-keys', shows: 'Public key' },
    ];
    const page: Page = await deskPage(PHONE);
    const tooWide: string[] = [];
    const widths: string[] = [];
    for (const target of pages) {
      await page.goto(`${world.origin}/#${target.path}`);
      await expectRealContent(page, target.shows);
      await page.waitForLoadState('networkidle').catch(() => undefined);
      await screenshot(page, `phone-${target.name}-390`);
      const { scrollWidth, offScreen, cut } = await page.evaluate((screenWidth) => {
        const onScreen = (el: Element) => (el as HTMLElement).offsetParent !== null;
        const offScreen = Array.from(document.querySelectorAll('header button, header a'))
          .filter(onScreen)
          .filter((el) => {
            const box = el.getBoundingClientRect();
            return box.left < 0 || box.right > screenWidth;
          })
          .map((el) => el.getAttribute('aria-label') ?? el.textContent ?? el.tagName);
        // Text cut with an ellipsis in a list row ("No requ…").
        const cut = Array.from(document.querySelectorAll('main .MuiListItemText-root *'))
          .filter(onScreen)
          .filter((el) => getComputedStyle(el).textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth)
          .map((el) => el.textContent ?? '');
        return { scrollWidth: document.documentElement.scrollWidth, offScreen, cut };
      }, PHONE.width);
      widths.push(`${target.name} ${scrollWidth}`);
      if (scrollWidth > PHONE.width) tooWide.push(`${target.name} is ${scrollWidth} px wide`);
      if (offScreen.length) tooWide.push(`${target.name}: app-bar actions off the screen: ${offScreen.join(', ')}`);
      if (cut.length) tooWide.push(`${target.name}: text cut short: ${cut.join(' | ')}`);
    }
    console.log(`document width at 390 px: ${widths.join(', ')}`);
    expect(tooWide, `On a 390 px phone no page may scroll sideways:\n${tooWide.join('\n')}`).toEqual([]);

    // The queue on a phone: two-line rows that the search narrows by end user.
    await page.goto(`${world.origin}/#/requests`);
    await expectRealContent(page, /To decide/);
    await page.getByPlaceholder('Reference, serial, MAC, end user or company').fill(endUser);
    await page.getByText(`${reference(expansion.number)} · Channel expansion`).waitFor();
    await expect.poll(() => page.locator('main').innerText()).toContain(endUser);
    await screenshot(page, 'phone-queues-search-390');
    await page.context().close();
  }, 240_000);
});
