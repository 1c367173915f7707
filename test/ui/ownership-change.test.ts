import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { DESKTOP, expectRealContent, launchBrowser, newContext, screenshot, type Browser, type Page } from './support/browser.ts';
import { dealerWithStock, issuedLicense } from './support/seed.ts';
import { startUiWorld, type UiWorld } from './support/ui-world.ts';

/**
 * An ownership change through the UI with consent from both companies: the distributor (new
 * owner) asks for its dealer's license, the dealer's admin (current owner) consents, and the
 * desk approves; the license then belongs to the distributor.
 */
describe('ownership change in the browser', () => {
  let world: UiWorld;
  let browser: Browser;
  beforeAll(async () => {
    [world, browser] = await Promise.all([startUiWorld(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  async function pageAs(userId: string): Promise<Page> {
    const context = await newContext(browser, DESKTOP);
    await world.logIn(context, userId);
    return context.newPage();
  }

  it('moves a license from a dealer to its distributor with the dealer admin’s consent and the desk’s approval', async () => {
    const distributorAdmin = await world.newUser({ role: 'PARTNER_ADMIN', kind: 'DISTRIBUTOR', seesDealers: true });
    const dealer = await dealerWithStock(world);
    await world.prisma.company.update({ where: { id: dealer.company.id }, data: { parentId: distributorAdmin.companyId } });
    const agent = await world.newUser({ role: 'DESK_AGENT' });
    const { license } = await issuedLicense(world, {
      partnerUserId: dealer.user.id,
      productId: dealer.product.id,
      deskUserId: agent.id,
      endUser: 'Ferry Terminal Oy',
    });

    // The new owner asks for the transfer.
    const asker = await pageAs(distributorAdmin.id);
    onTestFailed(() => screenshot(asker, 'FAILED-ownership-asker').then(() => undefined));
    await asker.goto(`${world.origin}/#/requests/create`);
    await asker.getByRole('link', { name: /Ownership change/ }).click();
    await expectRealContent(asker, 'License serials');
    await asker.getByRole('textbox', { name: 'License serials' }).fill(license.serial);
    const current = asker.getByRole('combobox', { name: 'Current owner' });
    await current.click();
    await current.fill(dealer.company.name);
    await asker.getByRole('option', { name: dealer.company.name }).click();
    const next = asker.getByRole('combobox', { name: 'New owner' });
    await next.click();
    await next.fill(distributorAdmin.companyName);
    await asker.getByRole('option', { name: distributorAdmin.companyName }).click();
    await screenshot(asker, 'partner-ownership-change-form-1280');
    await asker.getByRole('button', { name: 'Review and submit' }).click();
    await asker.getByRole('dialog').getByText('This request does not change your stock.').waitFor();
    await asker.getByRole('dialog').getByRole('button', { name: 'Confirm and submit' }).click();
    await asker.waitForURL(/#\/requests\/[0-9a-f-]{36}\/show/);
    await asker.getByTestId('status-chip').filter({ hasText: 'Waiting for owner consent' }).waitFor({ timeout: 30_000 });
    const requestId = /requests\/([0-9a-f-]{36})\/show/.exec(asker.url())![1]!;

    // The current owner's admin consents from "My requests".
    const owner = await pageAs(dealer.admin.id);
    onTestFailed(() => screenshot(owner, 'FAILED-ownership-owner').then(() => undefined));
    await owner.goto(`${world.origin}/#/requests`);
    await owner.getByRole('tab', { name: /Consent needed/ }).click();
    await expect.poll(() => owner.getByRole('tab', { name: /Consent needed/ }).innerText()).toMatch(/\(1\)/);
    await owner.getByText('Ownership change').first().click();
    await owner.waitForURL(new RegExp(`#/requests/${requestId}/show`));
    await expectRealContent(owner, "The current owner's admin must consent");
    await screenshot(owner, 'partner-ownership-consent-1280');
    await owner.getByRole('button', { name: 'Give consent' }).click();
    await owner.getByRole('dialog').getByRole('textbox').fill('Agreed with the distributor');
    await owner.getByRole('dialog').getByRole('button', { name: 'Give consent' }).click();
    await owner.getByText(/^Your consent is recorded; the desk decides LD-\d{6} next\.$/).waitFor();
    await owner.getByTestId('status-chip').filter({ hasText: 'Pending approval' }).waitFor({ timeout: 30_000 });

    // The desk approves.
    const desk = await pageAs(agent.id);
    onTestFailed(() => screenshot(desk, 'FAILED-ownership-desk').then(() => undefined));
    await desk.goto(`${world.origin}/#/requests/${requestId}/show`);
    await expectRealContent(desk, 'Open the run in Temporal');
    await desk.getByRole('button', { name: 'Approve' }).click();
    await desk.getByRole('dialog').getByRole('button', { name: 'Approve' }).click();
    await desk.getByTestId('status-chip').filter({ hasText: 'Completed' }).waitFor({ timeout: 45_000 });
    await screenshot(desk, 'desk-ownership-completed-1280');

    expect((await world.prisma.license.findUniqueOrThrow({ where: { id: license.id } })).companyId).toBe(distributorAdmin.companyId);
    await asker.goto(`${world.origin}/#/licenses/${license.id}/show`);
    await expectRealContent(asker, 'Revisions');
    await asker.getByText(distributorAdmin.companyName).first().waitFor();
    await asker
      .getByText(/Ownership changed/i)
      .first()
      .waitFor();
  }, 180_000);
});
