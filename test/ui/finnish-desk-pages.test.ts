import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { DESKTOP, PHONE, expectAccessible, expectRealContent, launchBrowser, screenshot, type Browser, type Page } from './support/browser.ts';
import { dealerWithStock, issuedLicense } from './support/seed.ts';
import { startUiWorld, type UiWorld } from './support/ui-world.ts';

/** "7.12.2026": a day as the Finnish date picker writes it. */
const FINNISH_DAY = /^\d{1,2}\.\d{1,2}\.\d{4}$/;
/** "07/12/2026": the same in English (British: day before month). */
const ENGLISH_DAY = /^\d{2}\/\d{2}\/\d{4}$/;
/** "4.12.2026 klo 3.30": a date and time as Intl writes them in Finnish. */
const FINNISH_DATE_TIME = /\b\d{1,2}\.\d{1,2}\.\d{4} klo \d{1,2}\.\d{2}\b/;

/** What the reports page's "From" and "To" fields show, as the person reads them. */
const dayFields = (page: Page) =>
  page.evaluate(() =>
    Array.from(document.querySelectorAll('main .MuiPickersSectionList-root')).map((el) => (el.textContent ?? '').replace(/[\u200B-\u200F\u2066-\u2069]/g, '')),
  );

/**
 * Issue 12, the rest of "the portal and back office in Finnish and English, on phones": the
 * reports page (date pickers in the language's own format, no-data states, exports), the e-mail
 * outbox, the signing keys, a license's page, and the pages before the login, in Finnish; the
 * queue's tabs readable whole on a 390 px phone with nothing empty above the search.
 */
describe('the desk pages in Finnish', () => {
  let world: UiWorld;
  let browser: Browser;
  let deskAdminId: string;
  let partnerId: string;
  let license: { id: string; serial: string };

  beforeAll(async () => {
    [world, browser] = await Promise.all([startUiWorld(), launchBrowser()]);
    const dealer = await dealerWithStock(world, 30);
    partnerId = dealer.user.id;
    const deskAdmin = await world.newUser({ role: 'DESK_ADMIN' });
    deskAdminId = deskAdmin.id;
    // An issued license: its page has a revision and history, the outbox its e-mail, the signing keys a key.
    ({ license } = await issuedLicense(world, { partnerUserId: dealer.user.id, productId: dealer.product.id, deskUserId: deskAdmin.id, channels: 8 }));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  async function deskPage(locale: 'fi-FI' | 'en-GB') {
    const context = await browser.newContext({ viewport: DESKTOP, locale, timezoneId: 'Europe/Helsinki', acceptDownloads: true });
    context.setDefaultTimeout(15_000);
    await world.logIn(context, deskAdminId);
    const page = await context.newPage();
    onTestFailed(() => screenshot(page, `FAILED-finnish-desk-${locale}`).then(() => undefined));
    return page;
  }

  it('a Finnish desk reads the reports, the outbox, the signing keys and a license in Finnish; on a phone the queue tabs read whole', async () => {
    const page = await deskPage('fi-FI');

    // Reports: Finnish words, the date pickers in Finnish format, and the no-data states in words.
    await page.goto(`${world.origin}/#/reports`);
    await expectRealContent(page, 'Lisenssiraportti');
    await page.getByText('Jonoraportti').waitFor();
    await page.getByRole('group', { name: 'Alkaen' }).waitFor();
    await expect.poll(() => dayFields(page)).toHaveLength(2);
    for (const day of await dayFields(page)) expect(day).toMatch(FINNISH_DAY);
    await page.getByRole('button', { name: 'Excel-vienti' }).waitFor();
    await page.getByRole('button', { name: 'CSV-vienti' }).waitFor();
    // Nothing is open: the open-requests chart says so in Finnish.
    await page.getByTestId('chart-no-data').filter({ hasText: 'Ei avoimia pyyntöjä nyt' }).waitFor();
    // No license was revoked: the report's empty state.
    await page.getByRole('combobox', { name: 'Tapahtuma' }).click();
    await page.getByRole('option', { name: 'Lisenssi mitätöity' }).click();
    await page.getByText('Ei tapahtumia tällä aikavälillä').waitFor();
    let body = await page.locator('main').innerText();
    for (const english of ['License report', 'Queue report', 'From', 'No events', 'Excel export']) expect(body).not.toContain(english);
    await screenshot(page, 'fi-reports-1280');
    await expectAccessible(page, 'the Finnish reports page');
    // The calendar in Finnish.
    await page
      .getByRole('button', { name: /Valitse päivämäärä|Valitse päivä/ })
      .first()
      .click();
    await page
      .getByRole('dialog')
      .getByText(/tammikuu|helmikuu|maaliskuu|huhtikuu|toukokuu|kesäkuu|heinäkuu|elokuu|syyskuu|lokakuu|marraskuu|joulukuu/)
      .first()
      .waitFor();
    await screenshot(page, 'fi-reports-calendar-1280');
    await page.keyboard.press('Escape');
    // Typing a day into "Alkaen" as a Finnish user does, digit by digit (1.12.2026: 01, 12, 2026): the
    // field keeps every digit (a half-typed year, which MUI reads as year 2, neither clears it nor
    // reaches the report) and the report asks from that day.
    const froms: unknown[] = [];
    const fromOf = (url: string) => JSON.parse(new URL(url).searchParams.get('filter') ?? '{}').from as unknown;
    const isReport = (url: string) => new URL(url).pathname.endsWith('/api/reports/licenses');
    page.on('request', (request) => {
      if (isReport(request.url())) froms.push(fromOf(request.url()));
    });
    const asked = page.waitForRequest((request) => isReport(request.url()) && fromOf(request.url()) === '2026-12-01');
    await page.getByRole('group', { name: 'Alkaen' }).getByRole('spinbutton').first().click();
    for (const digit of '01122026') await page.keyboard.press(digit, { delay: 30 });
    await asked;
    await expect.poll(async () => (await dayFields(page))[0]).toBe('1.12.2026');
    await page.getByText('Ei tapahtumia tällä aikavälillä').waitFor();
    expect(froms.length).toBeGreaterThan(0);
    for (const from of froms) expect(from).toMatch(/^20\d\d-\d\d-\d\d$/);

    // The e-mail outbox and one of its e-mails.
    await page.goto(`${world.origin}/#/outbox`);
    await expectRealContent(page, 'orders@ui.test');
    const headers = (await page.getByRole('columnheader').allInnerTexts()).join('|');
    for (const column of ['Luotu', 'Vastaanottaja', 'Aihe', 'Tila', 'Yritykset', 'Lähetetty']) expect(headers).toContain(column);
    expect(await page.locator('main').innerText()).toMatch(FINNISH_DATE_TIME);
    await screenshot(page, 'fi-outbox-1280');
    await expectAccessible(page, 'the Finnish outbox');
    await page.getByRole('row').nth(1).click();
    await expectRealContent(page, 'Viesti');
    body = await page.locator('main').innerText();
    for (const words of ['Vastaanottaja', 'Yritykset', 'Viimeisin virhe', 'Avaa pyyntö']) expect(body).toContain(words);
    await page.getByRole('button', { name: 'Lähetä uudelleen' }).waitFor();
    await screenshot(page, 'fi-outbox-email-1280');

    // The signing keys.
    await page.goto(`${world.origin}/#/signing-keys`);
    await expectRealContent(page, 'Ed25519');
    body = await page.locator('main').innerText();
    for (const words of ['Avaimen tunnus', 'Algoritmi', 'Julkinen avain', 'Käytössä']) expect(body).toContain(words);
    await page.getByRole('button', { name: 'Vaihda avain' }).waitFor();
    expect(body).toMatch(FINNISH_DATE_TIME);
    await screenshot(page, 'fi-signing-keys-1280');
    await expectAccessible(page, 'the Finnish signing keys');

    // A license's page.
    await page.goto(`${world.origin}/#/licenses/${license.id}/show`);
    await expectRealContent(page, `Lisenssi ${license.serial}`);
    body = await page.locator('main').innerText();
    for (const words of ['Sarjanumero', 'Omistaja', '8 IP, 0 VCA', 'Laitelukitus', 'MAC ', 'Muutosversiot', 'Annettu', 'Historia', 'Pysyvä'])
      expect(body).toContain(words);
    for (const english of ['Revisions', 'Locked to', 'History', 'Permanent']) expect(body).not.toContain(english);
    await page.getByText('Lataa .lic').waitFor();
    expect(body).toMatch(FINNISH_DATE_TIME);
    await screenshot(page, 'fi-license-1280');
    await expectAccessible(page, 'the Finnish license page');

    // On a phone: the queue's tabs read whole, nothing empty sits above the search, nothing scrolls sideways.
    await page.setViewportSize(PHONE);
    await page.goto(`${world.origin}/#/requests`);
    await expectRealContent(page, 'Päätettävät');
    await expectQueueFitsPhone(page);
    await screenshot(page, 'fi-queue-390');
    for (const [path, shows, name] of [
      ['/reports', 'Lisenssiraportti', 'fi-reports-390'],
      ['/outbox', 'orders@ui.test', 'fi-outbox-390'],
      ['/signing-keys', 'Ed25519', 'fi-signing-keys-390'],
      [`/licenses/${license.id}/show`, 'Muutosversiot', 'fi-license-390'],
    ] as const) {
      await page.goto(`${world.origin}/#${path}`);
      await expectRealContent(page, shows);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), name).toBeLessThanOrEqual(PHONE.width);
      await screenshot(page, name);
    }
    await page.context().close();
  }, 180_000);

  it('in English the same pages read in English, the date pickers day before month', async () => {
    const page = await deskPage('en-GB');
    await page.goto(`${world.origin}/#/reports`);
    await expectRealContent(page, 'License report');
    await expect.poll(() => dayFields(page)).toHaveLength(2);
    for (const day of await dayFields(page)) expect(day).toMatch(ENGLISH_DAY);
    await page.getByTestId('chart-no-data').filter({ hasText: 'No open requests now' }).waitFor();
    await screenshot(page, 'en-reports-1280');
    // The outbox's and the signing keys' column headers in English, none of the Finnish ones
    // ('orders@ui.test' and 'Ed25519' read the same in any language).
    for (const [path, shows, name, english, finnish] of [
      [
        '/outbox',
        'orders@ui.test',
        'en-outbox',
        ['Created', 'To', 'Subject', 'Status', 'Attempts', 'Sent'],
        ['Luotu', 'Vastaanottaja', 'Aihe', 'Tila', 'Yritykset', 'Lähetetty'],
      ],
      [
        '/signing-keys',
        'Ed25519',
        'en-signing-keys',
        ['Key id', 'Algorithm', 'Status', 'Created', 'Retired', 'Public key'],
        ['Avaimen tunnus', 'Algoritmi', 'Tila', 'Luotu', 'Poistettu käytöstä', 'Julkinen avain'],
      ],
      [`/licenses/${license.id}/show`, 'Revisions', 'en-license', [], []],
    ] as const) {
      await page.goto(`${world.origin}/#${path}`);
      await expectRealContent(page, shows);
      const headers = (await page.getByRole('columnheader').allInnerTexts()).map((header) => header.trim()).filter(Boolean);
      expect(headers, name).toEqual(expect.arrayContaining([...english]));
      for (const column of finnish) expect(headers, name).not.toContain(column);
      await screenshot(page, `${name}-1280`);
    }
    await page.setViewportSize(PHONE);
    await page.goto(`${world.origin}/#/requests`);
    await expectRealContent(page, 'To decide');
    await expectQueueFitsPhone(page);
    await screenshot(page, 'en-queue-390');
    await page.goto(`${world.origin}/#/reports`);
    await expectRealContent(page, 'License report');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'en-reports-390');
    await page.context().close();

    // A partner's requests on a phone: its tabs whole too, and its "New request" button floats instead of a strip of its own.
    const partner = await browser.newContext({ viewport: PHONE, locale: 'en-GB', timezoneId: 'Europe/Helsinki' });
    partner.setDefaultTimeout(15_000);
    await world.logIn(partner, partnerId);
    const phone = await partner.newPage();
    onTestFailed(() => screenshot(phone, 'FAILED-finnish-desk-partner').then(() => undefined));
    await phone.goto(`${world.origin}/#/requests`);
    await expectRealContent(phone, 'Pending approval');
    await expectQueueFitsPhone(phone);
    await screenshot(phone, 'en-partner-requests-390');
    await partner.close();
  }, 120_000);

  it('before the login, a Finnish browser gets the login and forgot-password pages in Finnish, the first form and the app’s alike', async () => {
    const context = await browser.newContext({ viewport: PHONE, locale: 'fi-FI', timezoneId: 'Europe/Helsinki' });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    onTestFailed(() => screenshot(page, 'FAILED-finnish-login').then(() => undefined));
    // The first form (QuickLogin, before the app loads).
    await page.goto(`${world.origin}/#/login`);
    await page.getByRole('heading', { name: 'Kirjaudu sisään' }).waitFor();
    await page.getByLabel('Sähköpostiosoite').waitFor();
    await page.getByLabel('Salasana').waitFor();
    await screenshot(page, 'fi-login-390');
    await expectAccessible(page, 'the Finnish login form');
    // The app's own pages: forgot password, then back to its login page.
    await page.getByRole('link', { name: 'Unohditko salasanasi?' }).click();
    await expectRealContent(page, 'Lähetä linkki');
    const body = await page.locator('main').innerText();
    expect(body).toContain('Anna sähköpostiosoitteesi');
    expect(body).not.toMatch(/Forgot|Send the link|Back to log in|License Desk\b.*Log in/);
    await screenshot(page, 'fi-forgot-password-390');
    await expectAccessible(page, 'the Finnish forgot-password page');
    await page.setViewportSize(DESKTOP);
    await screenshot(page, 'fi-forgot-password-1280');
    await page.getByRole('link', { name: 'Takaisin kirjautumiseen' }).click();
    await page.getByRole('heading', { name: 'Kirjaudu sisään' }).waitFor();
    await page.getByRole('textbox', { name: 'Sähköpostiosoite' }).waitFor();
    await page.getByRole('button', { name: 'Kirjaudu' }).waitFor();
    await page.getByText('Kumppanit ja lisenssipalvelun henkilöstö kirjautuvat sähköpostiosoitteellaan.').waitFor();
    await screenshot(page, 'fi-login-app-1280');
    await context.close();
  }, 60_000);
});

/**
 * The queue on a phone: every tab's label shows whole (none cut with an ellipsis or clipped by its
 * tab), no empty toolbar above the search, and the page no wider than the phone.
 */
async function expectQueueFitsPhone(page: Page) {
  await page.locator('main [role="tab"]').first().waitFor();
  const found = await page.evaluate(() => {
    const cut = Array.from(document.querySelectorAll('[role="tab"]'))
      .map((tab) => {
        const label = tab.querySelector('span') ?? tab;
        const clipped = label.scrollWidth > label.clientWidth + 1 || label.getBoundingClientRect().width > tab.getBoundingClientRect().width + 1;
        return clipped ? (tab.textContent ?? '') : '';
      })
      .filter(Boolean);
    const search = document.querySelector('main input[name="q"]')?.getBoundingClientRect();
    const toolbars = Array.from(document.querySelectorAll('main .MuiToolbar-root'))
      .filter((el) => el.getBoundingClientRect().height > 0 && (search ? el.getBoundingClientRect().bottom <= search.top : true))
      .filter((el) => !el.querySelector('button, a, input'))
      .map((el) => `${el.className.split(' ')[0]} ${Math.round(el.getBoundingClientRect().height)} px`);
    return { cut, toolbars, scrollWidth: document.documentElement.scrollWidth };
  });
  expect(found.cut, 'tab labels cut short').toEqual([]);
  expect(found.toolbars, 'empty toolbars above the search').toEqual([]);
  expect(found.scrollWidth).toBeLessThanOrEqual(390);
}
