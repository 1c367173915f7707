import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { newPartner } from '../support/request-harness.ts';
import { DESKTOP, expectRealContent, launchBrowser, newContext, PHONE, screenshot, type Browser, type Page } from './support/browser.ts';
import { startUiWorld, until, type UiWorld } from './support/ui-world.ts';

/**
 * The stock reship in the partner portal: offered to a distributor only, its form (product,
 * dealer, channels with the stock beside them, a note), the confirmation that states the move,
 * the completed request, and each company's ledger in words, at 1280 and 390 px.
 */
describe('the stock reship form, request and ledger', () => {
  let world: UiWorld;
  let browser: Browser;
  beforeAll(async () => {
    [world, browser] = await Promise.all([startUiWorld(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  async function distributorWithDealer() {
    const distributor = await newPartner(world.prisma, { stock: 40 });
    // Approved at once, so the request completes without the desk.
    await world.prisma.company.update({ where: { id: distributor.company.id }, data: { kind: 'DISTRIBUTOR', reshipNeedsApproval: false } });
    const user = await world.newUser({ role: 'PARTNER_USER', companyId: distributor.company.id });
    const dealerUser = await world.newUser({ role: 'PARTNER_USER', kind: 'DEALER', parentId: distributor.company.id });
    return { distributor, user, dealerUser };
  }

  async function pageAs(userId: string, viewport: typeof DESKTOP) {
    const context = await newContext(browser, viewport);
    await world.logIn(context, userId);
    return context.newPage();
  }

  async function fillReship(page: Page, productCode: string, dealerName: string, inStock = 40) {
    await page.getByRole('combobox', { name: 'Product (version and tier)' }).fill(productCode);
    await page.getByRole('option', { name: new RegExp(productCode) }).click();
    await page.getByTestId('stock-hint').getByText(`${inStock} camera channels in stock`).waitFor();
    await page.getByRole('combobox', { name: 'Dealer' }).click();
    await page.getByRole('option', { name: dealerName }).click();
    await page.getByRole('spinbutton', { name: 'Channels to reship' }).fill('12');
    await page.getByRole('textbox', { name: 'Note (optional)' }).fill('SO-12345');
  }

  it('a distributor reships 12 channels to its dealer; the dealer sees them in its ledger', async () => {
    const { distributor, user, dealerUser } = await distributorWithDealer();
    const page = await pageAs(user.id, DESKTOP);
    onTestFailed(() => screenshot(page, 'FAILED-stock-reship').then(() => undefined));

    await page.goto(`${world.origin}/#/requests/create`);
    await expectRealContent(page, 'Stock reship');
    await page.getByText('Stock reship').click();
    await expectRealContent(page, 'Channels to reship');
    await fillReship(page, distributor.product.code, dealerUser.companyName);
    // More than the stock holds is refused in the rule's words before the confirmation.
    await page.getByRole('spinbutton', { name: 'Channels to reship' }).fill('41');
    await page.getByRole('button', { name: 'Review and submit' }).click();
    const tooMany = page.getByText(`You have 40 channels of ${distributor.product.name} available; reship at most 40`);
    await tooMany.waitFor();
    await page.getByRole('spinbutton', { name: 'Channels to reship' }).fill('12');
    // The form checks a field again when it is left; the message goes, and the page below it moves up.
    await page.getByRole('spinbutton', { name: 'Channels to reship' }).blur();
    await tooMany.waitFor({ state: 'hidden' });
    await screenshot(page, 'stock-reship-form-1280');

    await page.getByRole('button', { name: 'Review and submit' }).click();
    const deduction = page.getByRole('dialog').getByTestId('stock-deduction');
    await deduction.waitFor();
    expect(await deduction.innerText()).toContain(`12 camera channels of ${distributor.product.name} move from your stock to ${dealerUser.companyName}`);
    await screenshot(page, 'stock-reship-confirm-1280');
    await page.getByRole('dialog').getByRole('button', { name: 'Confirm and submit' }).click();

    await page.waitForURL(/#\/requests\/[0-9a-f-]+\/show/);
    const requestId = /requests\/([0-9a-f-]+)\/show/.exec(page.url())![1]!;
    await until(
      async () => ((await world.prisma.request.findUniqueOrThrow({ where: { id: requestId } })).status === 'COMPLETED' ? true : undefined),
      'the reship to complete',
    );
    await page.reload();
    await expectRealContent(page, "Channels moved to the dealer's stock");
    const body = await page.locator('body').innerText();
    // The dealer by name in the details, though this distributor does not see its dealers' data.
    expect(body).toMatch(new RegExp(`Dealer\\s+${dealerUser.companyName}`));
    expect(body).toContain('SO-12345');
    await screenshot(page, 'stock-reship-completed-1280');

    // The phone layout of the same request and of the form.
    const phone = await pageAs(user.id, PHONE);
    await phone.goto(`${world.origin}/#/requests/${requestId}/show`);
    await expectRealContent(phone, "Channels moved to the dealer's stock");
    await screenshot(phone, 'stock-reship-completed-390');
    await phone.goto(`${world.origin}/#/requests/create?type=STOCK_RESHIP`);
    await expectRealContent(phone, 'Channels to reship');
    await fillReship(phone, distributor.product.code, dealerUser.companyName, 28);
    await screenshot(phone, 'stock-reship-form-390');

    // Each side in its own ledger, in words, opened from "My stock".
    await page.goto(`${world.origin}/#/stocks`);
    await expectRealContent(page, distributor.product.name);
    await page.getByRole('link', { name: 'Ledger' }).first().click();
    await expectRealContent(page, 'Reshipped to a dealer');
    await screenshot(page, 'stock-reship-ledger-distributor-1280');
    const dealerPage = await pageAs(dealerUser.id, DESKTOP);
    await dealerPage.goto(`${world.origin}/#/stock-ledger`);
    await expectRealContent(dealerPage, 'Received from the distributor');
    expect(await dealerPage.locator('body').innerText()).not.toContain('Reshipped to a dealer');
    await screenshot(dealerPage, 'stock-reship-ledger-dealer-1280');

    // A dealer is not offered the reship.
    await dealerPage.goto(`${world.origin}/#/requests/create`);
    await expectRealContent(dealerPage, 'Stock addition');
    expect(await dealerPage.locator('body').innerText()).not.toContain('Stock reship');
  }, 240_000);

  it("the desk switches a distributor's reship approval in the company form, in English and Finnish", async () => {
    const { distributor } = await distributorWithDealer();
    await world.prisma.company.update({ where: { id: distributor.company.id }, data: { reshipNeedsApproval: true } });
    const admin = await world.newUser({ role: 'DESK_ADMIN' });
    const page = await pageAs(admin.id, DESKTOP);
    onTestFailed(() => screenshot(page, 'FAILED-stock-reship-company').then(() => undefined));
    await page.goto(`${world.origin}/#/companies/${distributor.company.id}/show`);
    await expectRealContent(page, "Need the desk's approval");
    await page.goto(`${world.origin}/#/companies/${distributor.company.id}`);
    const toggle = page.getByLabel("Its stock reships to dealers need the desk's approval");
    await toggle.waitFor();
    expect(await toggle.isChecked()).toBe(true);
    await toggle.uncheck();
    await screenshot(page, 'stock-reship-company-switch-1280');
    await page.getByRole('button', { name: 'Save' }).click();
    await until(
      async () => ((await world.prisma.company.findUniqueOrThrow({ where: { id: distributor.company.id } })).reshipNeedsApproval ? undefined : true),
      'the switch to be saved',
    );
    await expectRealContent(page, 'Approved at once');

    await world.prisma.user.update({ where: { id: admin.id }, data: { locale: 'fi' } });
    const fi = await pageAs(admin.id, DESKTOP);
    await fi.goto(`${world.origin}/#/companies/${distributor.company.id}/show`);
    await expectRealContent(fi, 'Hyväksytään heti');
    expect(await fi.locator('body').innerText()).toContain('Varastosiirrot jälleenmyyjille');
    await screenshot(fi, 'stock-reship-company-fi-1280');
  }, 120_000);
});
