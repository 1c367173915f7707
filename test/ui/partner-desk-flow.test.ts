import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { hashPassword } from '../../api/auth/password.ts';
import { verifyWithStore } from '../../services/signing/sign-license.ts';
import { newPartner } from '../support/request-harness.ts';
import { DESKTOP, download, expectRealContent, launchBrowser, newContext, screenshot, type Browser, type Page } from './support/browser.ts';
import { startUiWorld, TEST_PASSWORD, until, type UiWorld } from './support/ui-world.ts';

/**
 * The "done when", in Chromium: a partner logs in and submits a new installation, a desk
 * agent approves it, the partner downloads the .lic and it verifies; the report export opens in
 * exceljs; a partner typing desk URLs gets the "not available" page.
 */
describe('partner and desk in the browser', () => {
  let world: UiWorld;
  let browser: Browser;
  let partner: Awaited<ReturnType<typeof newPartner>>;
  let partnerPage: Page;
  let serial = '';

  beforeAll(async () => {
    [world, browser] = await Promise.all([startUiWorld(), launchBrowser()]);
    partner = await newPartner(world.prisma, { stock: 50 });
    await world.prisma.user.update({ where: { id: partner.user.id }, data: { passwordHash: await hashPassword(TEST_PASSWORD) } });
  });
  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it('a partner logs in, submits a new installation with a confirmation of the stock deduction, and sees it pending', async () => {
    const context = await newContext(browser, DESKTOP);
    partnerPage = await context.newPage();
    const page = partnerPage;
    onTestFailed(() => screenshot(page, 'FAILED-partner-submit').then(() => undefined));
    await page.goto(`${world.origin}/#/login`);
    await page.getByLabel('E-mail address').fill(partner.user.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.getByRole('alert').innerText()).toContain('e-mail address or password is not right');
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expectRealContent(page, `Welcome, ${partner.user.name}`);

    await page.getByRole('menuitem', { name: 'New request' }).click();
    await page.getByRole('link', { name: /New installation/ }).click();
    await expectRealContent(page, 'Lock the license to');

    // Inline validation, in the server's words, before anything is sent.
    await page.getByRole('button', { name: 'Review and submit' }).click();
    await page.getByText('End user company is required').waitFor();
    await page.getByText('Choose a product').waitFor();

    await page.getByRole('combobox', { name: 'Product (version and tier)' }).fill(partner.product.code);
    await page.getByRole('option', { name: new RegExp(partner.product.code) }).click();
    await page.getByTestId('stock-hint').getByText('50 camera channels in stock').waitFor();
    await page.getByRole('spinbutton', { name: 'IP channels' }).fill('5');
    await page.getByRole('textbox', { name: 'MAC address' }).fill('C8:D9:D2:9A:A3:1B');
    await page.getByRole('textbox', { name: 'End-user company' }).fill('Koistinen Logistics');
    await page.getByRole('textbox', { name: 'Orderer ref.' }).fill('PO-UI-1');
    await screenshot(page, 'partner-new-installation-form-1280');

    await page.getByRole('button', { name: 'Review and submit' }).click();
    const dialog = page.getByRole('dialog');
    await expect
      .poll(() => dialog.getByTestId('stock-deduction').innerText())
      .toMatch(/deducted from your stock: 5 camera channels of .*You have 50 in stock; 45 will remain/s);
    await screenshot(page, 'partner-new-installation-confirm-1280');
    await dialog.getByRole('button', { name: 'Confirm and submit' }).click();

    await page.waitForURL(/#\/requests\/[0-9a-f-]{36}\/show/);
    await page.getByTestId('status-chip').filter({ hasText: 'Pending approval' }).waitFor({ timeout: 30_000 });
    await expectRealContent(page, 'Timeline');
    await page.getByText('Koistinen Logistics').waitFor();
    await screenshot(page, 'partner-request-pending-1280');
  }, 120_000);

  it('a desk agent finds it in the queue with a count on the tab and approves it; the partner downloads a .lic that verifies', async () => {
    const agent = await world.newUser({ role: 'DESK_AGENT' });
    const context = await newContext(browser, DESKTOP);
    await world.logIn(context, agent.id);
    const page = await context.newPage();
    onTestFailed(() => Promise.all([screenshot(page, 'FAILED-desk-approve'), screenshot(partnerPage, 'FAILED-partner-download')]).then(() => undefined));
    const request = await world.prisma.request.findFirstOrThrow({ where: { companyId: partner.company.id } });
    const reference = `LD-${String(request.number).padStart(6, '0')}`;

    await page.goto(`${world.origin}/#/requests`);
    await expectRealContent(page, 'To decide');
    await expect.poll(() => page.getByRole('tab', { name: /To decide/ }).innerText()).toMatch(/To decide\s*\(\d+\)/);
    await page.getByPlaceholder('Reference, serial, MAC, end user or company').fill('c8d9d29aa31b');
    // The search applies after a pause and redraws the rows: a click before that can land on a row
    // that is being replaced (it did with both cores busy), so wait for the searched list first.
    await expect.poll(() => decodeURIComponent(page.url())).toContain('c8d9d29aa31b');
    await expectRealContent(page, reference);
    await page.getByText(reference).click();
    await page.waitForURL(new RegExp(`#/requests/${request.id}/show`));
    await expectRealContent(page, 'Open the run in Temporal');
    const temporalHref = await page.getByRole('link', { name: /Open the run in Temporal/ }).getAttribute('href');
    expect(temporalHref).toContain(`/workflows/${encodeURIComponent(request.workflowId)}`);
    await screenshot(page, 'desk-request-detail-1280');

    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByRole('dialog').getByRole('textbox').fill('Order checked');
    await page.getByRole('dialog').getByRole('button', { name: 'Approve' }).click();
    // The toast is the API's own sentence, in plain words.
    await page.getByText(`${reference} is approved; the workflow carries it out now.`).waitFor();
    await page.getByTestId('status-chip').filter({ hasText: 'Completed' }).waitFor({ timeout: 45_000 });
    await page.getByText('“Order checked”').waitFor();

    // The partner's page follows the workflow on its own.
    const partnerView = partnerPage;
    await partnerView.getByTestId('status-chip').filter({ hasText: 'Completed' }).waitFor({ timeout: 30_000 });
    const done = await world.prisma.request.findUniqueOrThrow({ where: { id: request.id } });
    serial = (await world.prisma.license.findUniqueOrThrow({ where: { id: done.licenseId! } })).serial;
    await partnerView.getByRole('link', { name: serial }).first().click();
    await partnerView.waitForURL(/#\/licenses\/.+\/show/);
    await expectRealContent(partnerView, 'Revisions');
    const file = await download(partnerView, () => partnerView.getByRole('link', { name: 'Download .lic' }).click());
    expect(file.name).toBe(`license-${serial}.lic`);
    const verification = await verifyWithStore(world.keyStore, file.content.toString('utf8'));
    expect(verification).toMatchObject({ valid: true, grants: { serial, channels: 5 } });
    await partnerView.reload();
    await partnerView.getByText('Downloaded').first().waitFor();
    await screenshot(partnerView, 'partner-license-detail-1280');
  }, 150_000);

  it('exports the license report to Excel with progress, and the file opens in exceljs', async () => {
    const page = partnerPage;
    onTestFailed(() => screenshot(page, 'FAILED-partner-report').then(() => undefined));
    await page.goto(`${world.origin}/#/reports`);
    await expectRealContent(page, 'License report');
    await page.getByRole('cell', { name: serial }).first().waitFor();
    const file = await download(page, () => page.getByRole('button', { name: 'Excel export' }).click());
    expect(file.name).toBe('license-report.xlsx');
    await page.getByTestId('export-done').waitFor();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.content as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(expect.arrayContaining(['UTC Date', 'Action', 'Serial', 'MAC', 'Channels', 'End User Company']));
    const serialColumn = header.indexOf('Serial') + 1;
    const serials: unknown[] = [];
    sheet.eachRow((row, n) => n > 1 && serials.push(row.getCell(serialColumn).value));
    expect(serials).toContain(serial);
    await screenshot(page, 'partner-reports-1280');
  }, 90_000);

  it('a partner who types desk addresses gets the "not available" page, and no desk menu', async () => {
    const page = partnerPage;
    // The stock ledger is theirs too (their own companies' entries), from "My stock"; not in the menu.
    for (const path of ['outbox', 'signing-keys', 'companies', 'products']) {
      await page.goto(`${world.origin}/#/${path}`);
      await page.getByText('This page is not available to you').waitFor();
      expect(await page.getByRole('table').count()).toBe(0);
    }
    await screenshot(page, 'partner-access-denied-1280');
    await expect.poll(() => page.getByRole('menuitem').allInnerTexts()).toEqual(expect.arrayContaining(['My requests', 'My licenses', 'My stock']));
    const menu = await page.getByRole('menuitem').allInnerTexts();
    for (const desk of ['Queues', 'E-mail outbox', 'Signing keys', 'Companies', 'Stock ledger']) expect(menu).not.toContain(desk);
    await until(
      async () => ((await (await world.api(partner.user.id))('/api/outbox')).status === 403 ? true : undefined),
      'the API refusing the outbox too',
      5_000,
    ).catch(() => undefined);
  }, 60_000);
});
