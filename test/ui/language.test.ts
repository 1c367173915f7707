import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { hashPassword } from '../../api/auth/password.ts';
import { newPartner } from '../support/request-harness.ts';
import { DESKTOP, PHONE, expectAccessible, expectRealContent, launchBrowser, newContext, screenshot, type Browser, type Page } from './support/browser.ts';
import { startUiWorld, TEST_PASSWORD, type UiWorld } from './support/ui-world.ts';

/** "4.12.2026 klo 3.30": a date and time as Intl writes them in Finnish. */
const FINNISH_DATE_TIME = /\b\d{1,2}\.\d{1,2}\.\d{4} klo \d{1,2}\.\d{2}\b/;
/** "4 Dec 2026, 03:30": the same in English (en-GB). */
const ENGLISH_DATE_TIME = /\b\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}\b/;

/**
 * Issue 12, "language and formats": English and Finnish through react-admin's i18n, chosen in the
 * app bar, stored on the user (so a reload, another browser and the next login keep it), and
 * defaulting from the browser's language; dates and numbers in the language's own style; and the
 * toast after submitting in plain words instead of react-admin's "Element created".
 */
describe('the UI in the chosen language', () => {
  let world: UiWorld;
  let browser: Browser;
  beforeAll(async () => {
    [world, browser] = await Promise.all([startUiWorld(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  const storedLocale = async (userId: string) => (await world.prisma.user.findUniqueOrThrow({ where: { id: userId } })).locale;

  async function chooseLanguage(page: Page, from: string, to: string) {
    await page.getByRole('button', { name: from }).click();
    await page.getByRole('menuitem', { name: to }).click();
  }

  it('a partner who picks Suomi gets the dashboard and the request form in Finnish, Finnish dates, and a plain toast; the choice survives a reload and a fresh login', async () => {
    const partner = await newPartner(world.prisma, { stock: 1500 });
    await world.prisma.user.update({ where: { id: partner.user.id }, data: { passwordHash: await hashPassword(TEST_PASSWORD) } });
    const context = await newContext(browser, DESKTOP);
    await world.logIn(context, partner.user.id);
    const page = await context.newPage();
    onTestFailed(() => screenshot(page, 'FAILED-language-partner').then(() => undefined));

    // An English browser starts in English, and nothing is stored until the user chooses.
    await page.goto(`${world.origin}/#/`);
    await expectRealContent(page, `Welcome, ${partner.user.name}`);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await storedLocale(partner.user.id)).toBeNull();

    await chooseLanguage(page, 'English', 'Suomi');
    await expectRealContent(page, `Tervetuloa, ${partner.user.name}`);
    for (const words of ['Omat pyynnöt', 'Omat lisenssit', 'Oma varasto', 'Uusi pyyntö']) await page.getByRole('menuitem', { name: words }).waitFor();
    await page.getByText('Kysymykset lisenssipalvelulta').waitFor();
    await page.getByText('Viimeisimmät pyynnöt').waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('fi');
    await expect.poll(() => storedLocale(partner.user.id)).toBe('fi');
    await screenshot(page, 'language-fi-partner-dashboard-1280');
    await expectAccessible(page, 'the Finnish partner dashboard');

    // The form in Finnish, with the stock in Finnish number style (1 500).
    await page.getByRole('menuitem', { name: 'Uusi pyyntö' }).click();
    await page.getByRole('link', { name: /Uusi asennus/ }).click();
    await expectRealContent(page, 'Lukitse lisenssi');
    await page.getByRole('combobox', { name: 'Tuote (versio ja taso)' }).fill(partner.product.code);
    await page.getByRole('option', { name: new RegExp(partner.product.code) }).click();
    await page
      .getByTestId('stock-hint')
      .getByText(/^Varastossa 1\s500 kamerakanavaa$/)
      .waitFor();
    await page.getByRole('spinbutton', { name: 'IP-kanavat' }).fill('5');
    await page.getByRole('textbox', { name: 'MAC-osoite' }).fill('C8-D9-D2-9A-A3-1B');
    await page.getByRole('textbox', { name: 'Loppuasiakas' }).fill('Koistinen Logistiikka');
    await screenshot(page, 'language-fi-new-installation-form-1280');
    await expectAccessible(page, 'the Finnish new installation form');
    await page.getByRole('button', { name: 'Tarkista ja lähetä' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Varaston vähennys.').waitFor();
    expect(await dialog.innerText()).toContain('c8:d9:d2:9a:a3:1b');
    await screenshot(page, 'language-fi-review-1280');
    await dialog.getByRole('button', { name: 'Vahvista ja lähetä' }).click();

    // The toast says what happened, in Finnish, with the reference; never "Element created".
    const toast = page.getByText(/^LD-\d{6} on nyt lisenssipalvelun käsiteltävänä\.$/);
    await toast.waitFor();
    const reference = /LD-\d{6}/.exec(await toast.innerText())![0];
    await page.waitForURL(/#\/requests\/[0-9a-f-]{36}\/show/);
    await expectRealContent(page, 'Aikajana');
    const body = await page.locator('body').innerText();
    expect(body).not.toContain('Element created');
    expect(body).toContain(reference);
    expect(body).toMatch(FINNISH_DATE_TIME);
    expect(body).not.toMatch(ENGLISH_DATE_TIME);
    expect(body).toContain('MAC c8:d9:d2:9a:a3:1b');
    // The partner's form fields in the form's order: the product before the channels, the lock before the end user.
    const details = await page.locator('dl').nth(1).innerText();
    expect(details.indexOf('Tuote')).toBeLessThan(details.indexOf('Kanavat'));
    expect(details.indexOf('Laitelukitus')).toBeLessThan(details.indexOf('Loppuasiakas'));
    await screenshot(page, 'language-fi-request-1280');

    // A reload keeps Finnish.
    await page.reload();
    await expectRealContent(page, 'Aikajana');
    await page.getByRole('menuitem', { name: 'Omat pyynnöt' }).waitFor();

    // Another browser, English, with nothing stored: the login form is English; after login the user's choice wins.
    const fresh = await newContext(browser, PHONE);
    const phone = await fresh.newPage();
    onTestFailed(() => screenshot(phone, 'FAILED-language-fresh-login').then(() => undefined));
    await phone.goto(`${world.origin}/#/login`);
    await phone.getByLabel('E-mail address').fill(partner.user.email);
    await phone.getByLabel('Password').fill(TEST_PASSWORD);
    await phone.getByRole('button', { name: 'Log in' }).click();
    await expectRealContent(phone, `Tervetuloa, ${partner.user.name}`);
    expect(await phone.evaluate(() => document.documentElement.lang)).toBe('fi');
    await screenshot(phone, 'language-fi-partner-dashboard-390');
    await phone.goto(`${world.origin}/#/requests/create?type=NEW_INSTALLATION`);
    await expectRealContent(phone, 'Lukitse lisenssi');
    await screenshot(phone, 'language-fi-new-installation-form-390');

    // Back to English: stored too, and the same request reads in English dates.
    await chooseLanguage(page, 'Suomi', 'English');
    await expectRealContent(page, 'Timeline');
    await expect.poll(() => storedLocale(partner.user.id)).toBe('en');
    expect(await page.locator('body').innerText()).toMatch(ENGLISH_DATE_TIME);
    await fresh.close();
    await context.close();
  });

  it('a Finnish browser starts in Finnish before anyone chooses, for the desk too, and stores nothing', async () => {
    const agent = await world.newUser({ role: 'DESK_AGENT', kind: 'VENDOR' });
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'fi-FI', timezoneId: 'Europe/Helsinki' });
    context.setDefaultTimeout(15_000);
    await world.logIn(context, agent.id);
    const page = await context.newPage();
    onTestFailed(() => screenshot(page, 'FAILED-language-desk').then(() => undefined));
    await page.goto(`${world.origin}/#/`);
    await expectRealContent(page, 'Lisenssipalvelun etusivu');
    for (const words of ['Pyynnöt', 'Lisenssit', 'Varastot', 'Raportit']) await page.getByRole('menuitem', { name: words, exact: true }).waitFor();
    await page.getByText('Avoimet pyynnöt tyypin ja iän mukaan').waitFor();
    await screenshot(page, 'language-fi-desk-dashboard-1280');
    await expectAccessible(page, 'the Finnish desk dashboard');
    expect(await world.prisma.user.findUniqueOrThrow({ where: { id: agent.id } }).then((u) => u.locale)).toBeNull();

    // The date pickers follow the language: Finnish days (finnish-desk-pages.test.ts checks their format).
    await page.goto(`${world.origin}/#/reports`);
    await expectRealContent(page, 'Raportit');
    await page.getByRole('group', { name: 'Alkaen' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('fi');
    await screenshot(page, 'language-fi-reports-date-pickers-1280');
    await context.close();
  });

  it('an English partner reads the plain sentence after submitting, not "Element created"', async () => {
    const partner = await newPartner(world.prisma, { stock: 40 });
    const context = await newContext(browser, DESKTOP);
    await world.logIn(context, partner.user.id);
    const page = await context.newPage();
    onTestFailed(() => screenshot(page, 'FAILED-language-en-toast').then(() => undefined));
    await page.goto(`${world.origin}/#/requests/create?type=STOCK_ADDITION`);
    await expectRealContent(page, 'Order reference (PO number)');
    await page.getByRole('combobox', { name: 'Product (version and tier)' }).fill(partner.product.code);
    await page.getByRole('option', { name: new RegExp(partner.product.code) }).click();
    await page.getByRole('spinbutton', { name: 'Channels to add' }).fill('20');
    await page.getByRole('textbox', { name: 'Order reference (PO number)' }).fill('PO-LANG-1');
    await page.getByRole('button', { name: 'Review and submit' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Confirm and submit' }).click();
    await page.getByText(/^LD-\d{6} is with the desk\.$/).waitFor();
    await page.waitForURL(/#\/requests\/[0-9a-f-]{36}\/show/);
    await expectRealContent(page, 'Timeline');
    const body = await page.locator('body').innerText();
    expect(body).not.toContain('Element created');
    expect(body).toMatch(ENGLISH_DATE_TIME);
    await screenshot(page, 'language-en-request-1280');
    await context.close();
  });
});
