import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { DESKTOP, expectRealContent, launchBrowser, newContext, PHONE, screenshot, type Browser, type Page } from './support/browser.ts';
import { dealerWithStock, issuedLicense } from './support/seed.ts';
import { startUiWorld, type UiWorld } from './support/ui-world.ts';

/**
 * A partial transfer through the UI: a distributor moves 5 of its license's 12 channels to its
 * dealer, the distributor's admin consents, the desk approves, and the request's page links both
 * licenses. Screenshots at 1280 and 390 px.
 */
describe('partial transfer in the browser', () => {
  let world: UiWorld;
  let browser: Browser;
  beforeAll(async () => {
    [world, browser] = await Promise.all([startUiWorld(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  async function pageAs(userId: string, viewport = DESKTOP): Promise<Page> {
    const context = await newContext(browser, viewport);
    await world.logIn(context, userId);
    return context.newPage();
  }

  /**
   * Fills the form up to the review: the license (picked in the form, or already chosen when the
   * form was opened from the license's page), `channels`, the receiving company and the new MAC.
   */
  async function fillForm(page: Page, serial: string, channels: string, target: string, fromLicense?: string) {
    if (fromLicense) {
      await page.goto(`${world.origin}/#/licenses/${fromLicense}/show`);
      await expectRealContent(page, 'Revisions');
      await page.getByRole('link', { name: 'Transfer channels' }).click();
      await expectRealContent(page, 'Channels to transfer');
      await expect.poll(() => page.getByRole('textbox', { name: 'License serial' }).inputValue()).toBe(serial);
    } else {
      await page.goto(`${world.origin}/#/requests/create`);
      await page.getByRole('link', { name: /Partial transfer/ }).click();
      await expectRealContent(page, 'Channels to transfer');
      const find = page.getByRole('combobox', { name: /Find the license/ });
      await find.click();
      await find.fill(serial);
      await page.getByRole('option', { name: new RegExp(serial) }).click();
    }
    await page.getByRole('spinbutton', { name: 'Channels to transfer' }).fill(channels);
    const company = page.getByRole('combobox', { name: 'Receiving company' });
    await company.click();
    await company.fill(target);
    await page.getByRole('option', { name: target }).click();
    await page.getByRole('textbox', { name: 'MAC address' }).fill('c8:d9:d2:9a:a6:01');
  }

  it("moves 5 channels to another company with the owner admin's consent and the desk's approval", async () => {
    // A distributor that sees its dealers moves channels to one of them: a partner picks the
    // receiving company among the companies it sees.
    const dealer = await dealerWithStock(world);
    await world.prisma.company.update({ where: { id: dealer.company.id }, data: { kind: 'DISTRIBUTOR', seesDealers: true } });
    const receiver = await world.newUser({ role: 'PARTNER_ADMIN', parentId: dealer.company.id });
    const agent = await world.newUser({ role: 'DESK_AGENT' });
    const { license } = await issuedLicense(world, {
      partnerUserId: dealer.user.id,
      productId: dealer.product.id,
      deskUserId: agent.id,
      channels: 12,
      endUser: 'Harbour Security Ltd',
    });

    // On a phone: the form refuses all 12 channels in the rule's words, next to the field.
    const phone = await pageAs(dealer.user.id, PHONE);
    onTestFailed(() => screenshot(phone, 'FAILED-partial-transfer-phone').then(() => undefined));
    await fillForm(phone, license.serial, '12', receiver.companyName);
    await phone.getByRole('textbox', { name: 'MAC address' }).blur();
    await phone.getByRole('spinbutton', { name: 'Channels to transfer' }).focus();
    await phone.getByRole('spinbutton', { name: 'Channels to transfer' }).blur();
    await phone.getByText(`License ${license.serial} would keep 0 channels, fewer than the 1 ${dealer.product.name} needs; transfer at most 11.`).waitFor();
    await screenshot(phone, 'partner-partial-transfer-form-390');

    const asker = await pageAs(dealer.user.id);
    onTestFailed(() => screenshot(asker, 'FAILED-partial-transfer-asker').then(() => undefined));
    // On a desktop, from the license's page.
    await fillForm(asker, license.serial, '5', receiver.companyName, license.id);
    await screenshot(asker, 'partner-partial-transfer-form-1280');
    await asker.getByRole('button', { name: 'Review and submit' }).click();
    await asker.getByRole('dialog').getByText('This request does not change your stock.').waitFor();
    await asker.getByRole('dialog').getByText(receiver.companyName).waitFor();
    await screenshot(asker, 'partner-partial-transfer-review-1280');
    await asker.getByRole('dialog').getByRole('button', { name: 'Confirm and submit' }).click();
    await asker.waitForURL(/#\/requests\/[0-9a-f-]{36}\/show/);
    await asker.getByTestId('status-chip').filter({ hasText: 'Waiting for owner consent' }).waitFor({ timeout: 30_000 });
    const requestId = /requests\/([0-9a-f-]{36})\/show/.exec(asker.url())![1]!;

    // The dealer's admin consents.
    const owner = await pageAs(dealer.admin.id);
    onTestFailed(() => screenshot(owner, 'FAILED-partial-transfer-owner').then(() => undefined));
    await owner.goto(`${world.origin}/#/requests/${requestId}/show`);
    await expectRealContent(owner, "The current owner's admin must consent");
    await owner.getByRole('button', { name: 'Give consent' }).click();
    await owner.getByRole('dialog').getByText('Consent to the partial transfer').waitFor();
    await screenshot(owner, 'partner-partial-transfer-consent-1280');
    await owner.getByRole('dialog').getByRole('button', { name: 'Give consent' }).click();
    await owner.getByText(/^Your consent is recorded; the desk decides LD-\d{6} next\.$/).waitFor();
    await owner.getByTestId('status-chip').filter({ hasText: 'Pending approval' }).waitFor({ timeout: 30_000 });

    // The desk approves; the page links the source and the new license.
    const desk = await pageAs(agent.id);
    onTestFailed(() => screenshot(desk, 'FAILED-partial-transfer-desk').then(() => undefined));
    await desk.goto(`${world.origin}/#/requests/${requestId}/show`);
    await expectRealContent(desk, 'Open the run in Temporal');
    await desk.getByRole('button', { name: 'Approve' }).click();
    await desk.getByRole('dialog').getByRole('button', { name: 'Approve' }).click();
    await desk.getByTestId('status-chip').filter({ hasText: 'Completed' }).waitFor({ timeout: 45_000 });
    const created = await world.prisma.license.findFirstOrThrow({ where: { companyId: receiver.companyId } });
    expect(created.channels).toBe(5);
    await desk.reload();
    await desk.getByRole('link', { name: `${created.serial} · ${receiver.companyName}` }).waitFor();
    await desk.getByRole('link', { name: license.serial }).first().waitFor();
    await screenshot(desk, 'desk-partial-transfer-completed-1280');

    // The owner sees the new license's serial, and (not its company's) no link to it.
    const ownerPhone = await pageAs(dealer.user.id, PHONE);
    await ownerPhone.goto(`${world.origin}/#/requests/${requestId}/show`);
    await expectRealContent(ownerPhone, `${created.serial} · ${receiver.companyName}`);
    expect(await ownerPhone.getByRole('link', { name: `${created.serial} · ${receiver.companyName}` }).count()).toBe(0);
    await screenshot(ownerPhone, 'partner-partial-transfer-completed-390');

    await desk.getByRole('link', { name: `${created.serial} · ${receiver.companyName}` }).click();
    await expectRealContent(desk, 'Revisions');
    await desk.getByText(`Created from ${license.serial}: 5 channels from ${dealer.company.name}`).first().waitFor();
    await screenshot(desk, 'desk-partial-transfer-new-license-1280');
  }, 240_000);
});
