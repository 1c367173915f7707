import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { DESKTOP, PHONE, expectAccessible, expectRealContent, launchBrowser, newContext, screenshot, type Browser, type Page } from './support/browser.ts';
import { dealerWithStock, issuedLicense } from './support/seed.ts';
import { startUiWorld, type UiWorld } from './support/ui-world.ts';

/** A page of the walk: where it is, what only the real page shows, and the column headers it must have. */
interface Stop {
  name: string;
  path: string;
  shows: string | RegExp;
  columns?: string[];
  /** More Finnish words the page must show (at 1280 px). */
  words?: Array<string | RegExp>;
}

/** English a Finnish page must not show: words of these pages that were hard-coded before. */
const ENGLISH =
  /\b(available|Ledger|See all|Adjust|Actions|Last login|Company users|Revoke|No users|Contact e-mail|Time zone|Since|inactive|cannot be deleted)\b/;

/**
 * Issue 12, "the UI speaks Finnish and English": the record pages (stocks and their adjustment,
 * the stock ledger, companies, users, products, a partner admin's company users and API tokens)
 * read in Finnish for a user who chose Finnish: headings, column labels, facts, buttons, dialogs
 * and validation messages. At 390 px each page fits the screen.
 */
describe('the record pages in Finnish', () => {
  let world: UiWorld;
  let browser: Browser;
  let dealer: Awaited<ReturnType<typeof dealerWithStock>>;
  let deskAdminId: string;
  let serial: string;

  beforeAll(async () => {
    [world, browser] = await Promise.all([startUiWorld(), launchBrowser()]);
    dealer = await dealerWithStock(world, 60);
    const deskAdmin = await world.newUser({ role: 'DESK_ADMIN' });
    deskAdminId = deskAdmin.id;
    const { license } = await issuedLicense(world, { partnerUserId: dealer.user.id, productId: dealer.product.id, deskUserId: deskAdmin.id });
    serial = license.serial;
    const token = await (await world.api(dealer.admin.id))('/api/api-tokens', { method: 'POST', body: { name: 'ERP-integraatio' } });
    expect(token.status).toBe(201);
    // Both chose Finnish earlier: the stored choice wins in this (English) browser.
    await world.prisma.user.updateMany({ where: { id: { in: [deskAdmin.id, dealer.admin.id] } }, data: { locale: 'fi' } });
  });
  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  /** A dialog done fading in (a screenshot taken sooner shows it pale). */
  const settled = (page: Page) =>
    page.waitForFunction(() => Array.from(document.querySelectorAll('.MuiDialog-container')).every((el) => getComputedStyle(el).opacity === '1'));

  /** Each stop at 1280 px (headers, words, no English, screenshot), then each at 390 px (fits the screen, screenshot). */
  async function walk(page: Page, stops: Stop[], axe: string[] = []) {
    for (const stop of stops) {
      await page.goto(`${world.origin}/#${stop.path}`);
      await expectRealContent(page, stop.shows);
      await page.waitForLoadState('networkidle').catch(() => undefined);
      if (stop.columns) {
        const headers = (await page.getByRole('columnheader').allInnerTexts()).map((h) => h.trim());
        for (const column of stop.columns) expect(headers, `${stop.name}: column ${column}`).toContain(column);
      }
      for (const words of stop.words ?? []) await page.getByText(words).first().waitFor();
      expect(await page.locator('main').innerText(), `${stop.name} in Finnish`).not.toMatch(ENGLISH);
      await screenshot(page, `fi-records-${stop.name}-1280`);
      if (axe.includes(stop.name)) await expectAccessible(page, `the Finnish ${stop.name} page`);
    }
    await page.setViewportSize(PHONE);
    const tooWide: string[] = [];
    for (const stop of stops) {
      await page.goto(`${world.origin}/#${stop.path}`);
      await expectRealContent(page, stop.shows);
      await page.waitForLoadState('networkidle').catch(() => undefined);
      expect(await page.locator('main').innerText(), `${stop.name} in Finnish at 390 px`).not.toMatch(ENGLISH);
      await screenshot(page, `fi-records-${stop.name}-390`);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > PHONE.width) tooWide.push(`${stop.name} is ${width} px wide`);
    }
    expect(tooWide, `on a ${PHONE.width} px phone no page scrolls sideways`).toEqual([]);
    await page.setViewportSize(DESKTOP);
  }

  it('a desk admin reads stocks (and the adjustment), the ledger, companies, users and products in Finnish', async () => {
    const context = await newContext(browser, DESKTOP);
    await world.logIn(context, deskAdminId);
    const page = await context.newPage();
    onTestFailed(() => screenshot(page, 'FAILED-fi-desk-records').then(() => undefined));
    const byCompany = (path: string) => `${path}?filter=${encodeURIComponent(JSON.stringify({ companyId: dealer.company.id }))}`;

    // Stocks, and the adjustment dialog with its validation messages in Finnish.
    await page.goto(`${world.origin}/#${byCompany('/stocks')}`);
    await expectRealContent(page, /\d+ \/ 60/);
    await page.getByRole('heading', { name: 'Varastot' }).first().waitFor();
    await page.getByRole('button', { name: 'Oikaise' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Oikaise varastosaldoa' });
    await dialog.getByText(/vapaana \d+ \/ 60\./).waitFor();
    await dialog.getByText('esim. 10 lisää, -5 vähentää').waitFor();
    await dialog.getByRole('spinbutton', { name: 'Kanavat' }).fill('-500');
    await dialog.getByRole('button', { name: 'Oikaise' }).click();
    await dialog.getByText(/^Vähennettäväksi on vapaana vain \d+ kanavaa$/).waitFor();
    await dialog.getByText('Kerro syy; se tallentuu varastotapahtumiin').waitFor();
    await settled(page);
    await screenshot(page, 'fi-records-stock-adjust-1280');
    await expectAccessible(page, 'the Finnish stock adjustment dialog');
    await dialog.getByRole('spinbutton', { name: 'Kanavat' }).fill('5');
    await dialog.getByRole('textbox', { name: 'Syy' }).fill('Inventaarion korjaus');
    await dialog.getByRole('button', { name: 'Oikaise' }).click();
    const toast = page.getByText('Varastosaldoa oikaistu: +5 kanavaa.');
    await toast.waitFor();
    await toast.waitFor({ state: 'hidden' });

    await walk(
      page,
      [
        {
          name: 'stocks',
          path: byCompany('/stocks'),
          shows: /\d+ \/ 65/,
          columns: ['Yritys', 'Tuote', 'Vapaana / yhteensä', 'Varattu', 'Käytetty', 'Toiminnot'],
          words: ['Tapahtumat'],
        },
        {
          name: 'stock-ledger',
          path: byCompany('/stock-ledger'),
          shows: 'Inventaarion korjaus',
          columns: ['Aika', 'Tapahtuma', 'Kanavat', 'Yritys', 'Tuote', 'Huomautus / syy', 'Pyyntö'],
          words: ['Hyvitetty', 'Käytetty', 'Avaa'],
        },
        {
          name: 'companies',
          path: `/companies?filter=${encodeURIComponent(JSON.stringify({ q: dealer.company.name }))}`,
          shows: dealer.company.name,
          columns: ['Nimi', 'Tyyppi', 'Yhteyssähköposti', 'Aikavyöhyke', 'Lisätty'],
          words: ['Jälleenmyyjä'],
        },
        {
          name: 'company',
          path: `/companies/${dealer.company.id}/show`,
          shows: 'Lisenssit (1)',
          words: [
            'Käyttäjät (2)',
            'Pyynnöt (1)',
            'Aikavyöhyke',
            'Näytä kaikki',
            /\d+ \/ 65 vapaana · \d+ varattu/,
            /kanavaa · Voimassa/,
            serial,
            // Why it cannot be deleted: the server's English reason, said in Finnish from the counts.
            `Yrityksellä ${dealer.company.name} on 1 lisenssi; yritystä, jolla on lisenssejä, ei voi poistaa.`,
          ],
        },
        {
          name: 'users',
          path: `/users?filter=${encodeURIComponent(JSON.stringify({ companyId: dealer.company.id }))}`,
          shows: dealer.admin.email,
          columns: ['Nimi', 'Sähköposti', 'Rooli', 'Yritys', 'Käytössä', 'Viimeksi kirjautunut'],
          words: ['Kumppanin pääkäyttäjä', 'Toimi käyttäjänä'],
        },
        {
          name: 'user',
          path: `/users/${dealer.user.id}/show`,
          shows: 'Lähetetyt pyynnöt',
          words: ['Käyttäjä', 'Rooli', 'Kumppanin käyttäjä', 'Viimeksi kirjautunut', 'Kutsuttu', /Uusi asennus/],
        },
        {
          name: 'company-edit',
          path: `/companies/${dealer.company.id}`,
          shows: 'IANA-nimi, esim. Europe/Helsinki',
          words: ['Jälleenmyyjän jakelija', 'Näkee jälleenmyyjiensä pyynnöt, lisenssit ja varastot', 'Yhteyssähköposti'],
        },
        {
          name: 'user-invite',
          path: '/users/create',
          shows: 'Tähän osoitteeseen lähetetään kutsu ja linkki salasanan asettamiseen',
          words: [/^Kutsu käyttäjä$/, 'Rooli'],
        },
        {
          name: 'products',
          path: `/products?filter=${encodeURIComponent(JSON.stringify({ q: dealer.product.code }))}`,
          shows: dealer.product.code,
          columns: ['Koodi', 'Nimi', 'Tuoteperhe', 'Taso', 'Kanavat', 'Demo', 'Ulkoinen'],
        },
        {
          name: 'product-edit',
          path: `/products/${dealer.product.id}`,
          shows: 'Pysyvä tunniste, esim. MIRASYS-V9-PRO',
          words: ['Kanavia enintään', 'SMA-kuukaudet', 'Laiteavaimen tyyppi', 'Demotuote', 'Käytössä (kumppanit voivat valita sen)'],
        },
      ],
      ['company', 'users'],
    );
    await context.close();
  }, 180_000);

  it("a partner admin reads the company's users and the API tokens in Finnish, revoking behind a Finnish confirmation", async () => {
    const context = await newContext(browser, DESKTOP);
    await world.logIn(context, dealer.admin.id);
    const page = await context.newPage();
    onTestFailed(() => screenshot(page, 'FAILED-fi-partner-records').then(() => undefined));

    await page.goto(`${world.origin}/#/api-tokens`);
    await expectRealContent(page, 'ERP-integraatio');
    await page.getByRole('button', { name: 'Mitätöi' }).click();
    const confirm = page.getByRole('dialog', { name: 'Mitätöidäänkö tämä tunniste?' });
    await confirm.getByText('Sitä käyttävät järjestelmät lakkaavat toimimasta heti.').waitFor();
    await settled(page);
    await screenshot(page, 'fi-records-api-token-revoke-1280');
    await confirm.getByRole('button', { name: 'Peruuta' }).click();

    await walk(
      page,
      [
        {
          name: 'my-stock',
          path: '/stocks',
          shows: /\d+ varattu · \d+ lisensseissä/,
          words: [/^\/ \d+ vapaana$/, 'Kanavat tuotteittain: vapaana, varattu avoimille pyynnöille ja lisensseihin käytetty.'],
        },
        {
          name: 'company-users',
          path: '/users',
          shows: dealer.admin.email,
          columns: ['Nimi', 'Sähköposti', 'Rooli', 'Käytössä', 'Viimeksi kirjautunut'],
          words: [/^Yrityksen käyttäjät$/, 'Kumppanin käyttäjä'],
        },
        {
          name: 'api-tokens',
          path: '/api-tokens',
          shows: 'ERP-integraatio',
          columns: ['Nimi', 'Luotu', 'Viimeksi käytetty'],
          words: [/^API-tunnisteet$/, 'Ei koskaan'],
        },
        {
          name: 'api-token-create',
          path: '/api-tokens/create',
          shows: 'Mikä järjestelmä sitä käyttää, esim. ERP-integraatio',
          words: [/^Uusi API-tunniste$/],
        },
      ],
      ['api-tokens'],
    );

    // Revoking says so in Finnish, not react-admin's bare "Poistettu".
    await page.goto(`${world.origin}/#/api-tokens`);
    await expectRealContent(page, 'ERP-integraatio');
    await page.getByRole('button', { name: 'Mitätöi' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Vahvista' }).click();
    await page.getByText('Tunniste on mitätöity; sitä käyttävät järjestelmät eivät voi enää kutsua rajapintaa.').waitFor();
    // The revoked token stays listed, greyed, saying when it was revoked, and can no longer be revoked.
    const row = page.getByRole('row').filter({ hasText: 'ERP-integraatio' });
    await row.getByText(/^Mitätöity \d{1,2}\.\d{1,2}\.\d{4} klo \d{1,2}\.\d{2}$/).waitFor();
    expect(await row.getByRole('button').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Mitätöi' }).count()).toBe(0);
    await screenshot(page, 'fi-records-api-token-revoked-1280');
    // After a reload too: what the server lists, not what the page remembers.
    await page.reload();
    await expectRealContent(page, 'ERP-integraatio');
    await row.getByText(/^Mitätöity /).waitFor();
    expect(await page.getByRole('button', { name: 'Mitätöi' }).count()).toBe(0);
    await context.close();
  }, 120_000);
});
