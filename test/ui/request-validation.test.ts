import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { newPartner } from '../support/request-harness.ts';
import { DESKTOP, expectRealContent, launchBrowser, newContext, screenshot, type Browser, type Page } from './support/browser.ts';
import { startUiWorld, type UiWorld } from './support/ui-world.ts';

/**
 * Issue 12, "one validation for both sides": the partner's form checks with the server's schemas
 * and the domain's rules (MAC, the product's channel range, the stock held) before the
 * confirmation opens, in the domain's words under the field; nothing reaches the API. What only
 * the server can know (a serial of no license of the partner's) comes back as a 422 and lands
 * on its field.
 */
describe('the request form validates before the confirmation', () => {
  let world: UiWorld;
  let browser: Browser;
  beforeAll(async () => {
    [world, browser] = await Promise.all([startUiWorld(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  /** The message under a field: the helper text its input names in aria-describedby, once it is invalid. */
  async function errorUnder(page: Page, field: ReturnType<Page['getByRole']>) {
    await expect.poll(() => field.getAttribute('aria-invalid')).toBe('true');
    return field.evaluate((input) => {
      const ids = (input.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
      return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
    });
  }

  async function newInstallationAs(userId: string, productCode: string, stockText: string) {
    const context = await newContext(browser, DESKTOP);
    await world.logIn(context, userId);
    const page = await context.newPage();
    await page.goto(`${world.origin}/#/requests/create?type=NEW_INSTALLATION`);
    await expectRealContent(page, 'Lock the license to');
    await page.getByRole('combobox', { name: 'Product (version and tier)' }).fill(productCode);
    await page.getByRole('option', { name: new RegExp(productCode) }).click();
    await page.getByTestId('stock-hint').getByText(stockText).waitFor();
    await page.getByRole('textbox', { name: 'End-user company' }).fill('Koistinen Logistics');
    return page;
  }

  it('blocks a bad MAC and channels beyond the range or the stock before the confirmation, in the domain’s words; nothing is submitted', async () => {
    // 284 in stock, a product of 1–250 channels: the range is the limit.
    const partner = await newPartner(world.prisma, { stock: 284, maxChannels: 250 });
    const page = await newInstallationAs(partner.user.id, partner.product.code, '284 camera channels in stock');
    onTestFailed(() => screenshot(page, 'FAILED-request-validation').then(() => undefined));
    const review = page.getByRole('button', { name: 'Review and submit' });
    const mac = page.getByRole('textbox', { name: 'MAC address' });
    const channels = page.getByRole('spinbutton', { name: 'IP channels' });
    const hint = page.getByTestId('stock-hint');

    await channels.fill('5');
    await expect.poll(() => hint.getAttribute('data-fits')).toBe('yes');
    await mac.fill('C8:D9:D2:9A:A3');
    await review.click();
    expect(await errorUnder(page, mac)).toBe('MAC address must be 12 hex digits, e.g. c8d9d29aa31b (got 10)');
    await screenshot(page, 'request-validation-mac-five-octets-1280');

    await mac.fill('G8:D9:D2:9A:A3:1B');
    await review.click();
    await expect
      .poll(() => errorUnder(page, mac))
      .toBe('MAC address may contain only hex digits 0-9 and a-f (found "G"); it must be 12 hex digits, e.g. c8d9d29aa31b');

    await mac.fill('C8:D9:D2:9A:A3:1B');
    await channels.fill('100000');
    await review.click();
    await expect.poll(() => errorUnder(page, channels)).toBe(`At most 250 IP channels for ${partner.product.name}; you have 284 in stock.`);
    expect(await mac.getAttribute('aria-invalid')).toBe('false');
    // The stock hint is no longer green.
    expect(await hint.getAttribute('data-fits')).toBe('no');
    expect(
      await hint
        .locator('p')
        .first()
        .evaluate((p) => getComputedStyle(p).color),
    ).not.toBe('rgb(46, 125, 50)');
    await screenshot(page, 'request-validation-channels-range-1280');

    // No confirmation opened, and the API got nothing.
    expect(await page.getByRole('dialog').count()).toBe(0);
    expect(await world.prisma.request.count({ where: { companyId: partner.company.id } })).toBe(0);

    // Back within the range: the confirmation opens (and is not confirmed here).
    await channels.fill('250');
    await expect.poll(() => hint.getAttribute('data-fits')).toBe('yes');
    await review.click();
    await page.getByRole('dialog').getByTestId('stock-deduction').waitFor();
    expect(await world.prisma.request.count({ where: { companyId: partner.company.id } })).toBe(0);
    await page.context().close();
  }, 120_000);

  it('blocks channels beyond the stock held, saying how many there are', async () => {
    const partner = await newPartner(world.prisma, { stock: 40, maxChannels: 250 });
    const page = await newInstallationAs(partner.user.id, partner.product.code, '40 camera channels in stock');
    onTestFailed(() => screenshot(page, 'FAILED-request-validation-stock').then(() => undefined));
    const channels = page.getByRole('spinbutton', { name: 'IP channels' });
    await page.getByRole('textbox', { name: 'MAC address' }).fill('c8d9d29aa31b');
    await channels.fill('41');
    await page.getByRole('button', { name: 'Review and submit' }).click();
    await expect
      .poll(() => errorUnder(page, channels))
      .toBe(`At most 40 IP channels: you have 40 of ${partner.product.name} in stock. Ask for fewer, or add stock first with a stock addition request.`);
    expect(await page.getByTestId('stock-hint').getAttribute('data-fits')).toBe('no');
    await screenshot(page, 'request-validation-channels-stock-1280');
    expect(await page.getByRole('dialog').count()).toBe(0);
    expect(await world.prisma.request.count({ where: { companyId: partner.company.id } })).toBe(0);
    await page.context().close();
  }, 120_000);

  it('puts the server’s refusal (422) under its field: a serial that is none of the partner’s licenses', async () => {
    const partner = await newPartner(world.prisma, { stock: 40 });
    const context = await newContext(browser, DESKTOP);
    await world.logIn(context, partner.user.id);
    const page = await context.newPage();
    onTestFailed(() => screenshot(page, 'FAILED-request-validation-server').then(() => undefined));
    await page.goto(`${world.origin}/#/requests/create?type=CHANNEL_EXPANSION`);
    await expectRealContent(page, 'Find the license');
    const serial = page.getByRole('textbox', { name: 'License serial' });
    await serial.fill('V8WJNEE89Q6A');
    await page.getByRole('textbox', { name: 'MAC address the license is locked to' }).fill('c8:d9:d2:9a:a3:1b');
    await page.getByRole('spinbutton', { name: 'Channels to add' }).fill('2');
    await page.getByRole('button', { name: 'Review and submit' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Confirm and submit' }).click();
    await expect.poll(() => errorUnder(page, serial)).toBe('No license V8WJNEE89Q6A belongs to your company.');
    await screenshot(page, 'request-validation-server-error-1280');
    expect(page.url()).toContain('/requests/create');
    expect(await world.prisma.request.count({ where: { companyId: partner.company.id } })).toBe(0);
    await context.close();
  }, 120_000);
});
