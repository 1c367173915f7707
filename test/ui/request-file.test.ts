import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { REQUEST_FILE_FORMAT } from '../../domain/request-file.ts';
import { approveUpdate } from '../../workflows/messages.ts';
import { newPartner, waitForPhase } from '../support/request-harness.ts';
import { activeLicense } from '../support/request-steps.ts';
import { DESKTOP, expectRealContent, launchBrowser, newContext, PHONE, screenshot, type Browser, type Page } from './support/browser.ts';
import { startUiWorld, until, type UiWorld } from './support/ui-world.ts';

/**
 * The request file (docs/request-file.md) in the portal: a partner picks the installation's file
 * instead of typing the lock, the form fills the lock from it and locks the field, and a return is
 * confirmed with the reduced installation's file; a file that does not show the return is refused
 * in words in the dialog. Screenshots at 1280 and 390 px.
 */
describe('request files in the portal', () => {
  let world: UiWorld;
  let browser: Browser;
  beforeAll(async () => {
    [world, browser] = await Promise.all([startUiWorld(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  const requestFile = (product: string, changes: Record<string, unknown> = {}) =>
    Buffer.from(
      JSON.stringify({
        format: REQUEST_FILE_FORMAT,
        product,
        hardware: { type: 'MAC', mac: 'c8d9d29aa31b' },
        installationId: 'recorder-01',
        channels: 0,
        createdAt: new Date().toISOString(),
        nonce: randomBytes(18).toString('base64url'),
        ...changes,
      }),
    );
  const pick = (page: Page, testId: string, name: string, buffer: Buffer) =>
    page.getByTestId(testId).setInputFiles({ name, mimeType: 'application/json', buffer });

  it('a new installation takes its lock from the picked request file, at 1280 and 390 px', async () => {
    const partner = await newPartner(world.prisma, { stock: 40 });
    for (const [viewport, width] of [
      [DESKTOP, 1280],
      [PHONE, 390],
    ] as const) {
      const context = await newContext(browser, viewport);
      await world.logIn(context, partner.user.id);
      const page = await context.newPage();
      onTestFailed(() => screenshot(page, `FAILED-request-file-new-installation-${width}`).then(() => undefined));
      await page.goto(`${world.origin}/#/requests/create?type=NEW_INSTALLATION`);
      await expectRealContent(page, 'Lock the license to');
      await page.getByRole('combobox', { name: 'Product (version and tier)' }).fill(partner.product.code);
      await page.getByRole('option', { name: new RegExp(partner.product.code) }).click();
      await page.getByRole('spinbutton', { name: 'IP channels' }).fill('8');
      await page.getByRole('textbox', { name: 'End-user company' }).fill('Koistinen Logistics');

      // A file that is not a request file is refused in the desk's words, and fills nothing.
      await pick(page, 'request-file-lock', 'notes.json', Buffer.from('{"hello": "world"}'));
      await expect
        .poll(() => page.getByTestId('request-file-picker').getByRole('alert').textContent())
        .toMatch(/^The request file is not a License Desk request file/);

      await pick(page, 'request-file-lock', 'recorder-01.json', requestFile(partner.product.code));
      const mac = page.getByRole('textbox', { name: 'MAC address' });
      await expect.poll(() => mac.inputValue()).toBe('c8:d9:d2:9a:a3:1b');
      expect(await mac.getAttribute('readonly')).not.toBeNull();
      await page.getByText('The lock comes from the request file. Remove the file to type it yourself.').waitFor();
      await page.getByText(/recorder-01\.json · MAC c8:d9:d2:9a:a3:1b · installation recorder-01 · 0 channels/).waitFor();
      await page.getByText('The lock comes from the request file').scrollIntoViewIfNeeded();
      await screenshot(page, `request-file-new-installation-${width}`);
      if (width === 390) {
        await context.close();
        continue;
      }

      await page.getByRole('button', { name: 'Review and submit' }).click();
      await page.getByRole('button', { name: 'Confirm and submit' }).click();
      await page.waitForURL(/#\/requests\/[0-9a-f-]+\/show/);
      const id = /requests\/([0-9a-f-]+)\/show/.exec(page.url())![1]!;
      const request = await world.prisma.request.findUniqueOrThrow({ where: { id }, include: { requestFileUses: true } });
      expect(request.payload).toMatchObject({ lock: { type: 'MAC', value: 'c8d9d29aa31b' } });
      expect(request.requestFileUses).toHaveLength(1);
      await page.getByText(/Installation recorder-01, 0 channels, written/).waitFor();
      await screenshot(page, 'request-file-request-page-1280');
      await context.close();
    }
  });

  it("a return is confirmed with the reduced installation's request file; one that shows other channels is refused in the dialog", async () => {
    const partner = await newPartner(world.prisma, { stock: 5 });
    const license = await activeLicense(world.prisma, partner, { macAddress: 'c8d9d29aa31b', channels: 16, endUserCompany: 'Jess Laptop', currentRevision: 1 });
    const call = await world.api(partner.user.id);
    const submitted = await call('/api/requests', {
      method: 'POST',
      body: { type: 'RETURN_CONFIRMATION', serial: license.serial, channels: 4, deliveryEmails: [partner.deliveryEmail] },
    });
    expect(submitted.status).toBe(201);
    const request = (await submitted.json()) as { id: string; workflowId: string };
    await waitForPhase(world.client, request.workflowId, 'awaiting_decision');
    await world.client.workflow.getHandle(request.workflowId).executeUpdate(approveUpdate, { args: [{ actor: world.desk }] });
    await waitForPhase(world.client, request.workflowId, 'waiting_confirm');

    for (const [viewport, width] of [
      [PHONE, 390],
      [DESKTOP, 1280],
    ] as const) {
      const context = await newContext(browser, viewport);
      await world.logIn(context, partner.user.id);
      const page = await context.newPage();
      onTestFailed(() => screenshot(page, `FAILED-request-file-confirm-return-${width}`).then(() => undefined));
      await page.goto(`${world.origin}/#/requests/${request.id}/show`);
      await expectRealContent(page, 'Confirm the return');
      await page.getByRole('button', { name: 'Confirm the return' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByText(/Upload the request file of the reduced installation/).waitFor();
      await dialog
        .locator('input[type=file]')
        .setInputFiles({ name: 'recorder-01.json', mimeType: 'application/json', buffer: requestFile(partner.product.code, { channels: 16 }) });
      await dialog.getByRole('button', { name: 'Confirm the return' }).click();
      await expect
        .poll(() => dialog.getByRole('alert').textContent())
        .toBe(
          'The request file shows 16 channels; after the return the license has 12. Import the reduced license on the installation, then write its request file again and confirm with that file.',
        );
      await screenshot(page, `request-file-confirm-return-refused-${width}`);
      if (width === 390) {
        await context.close();
        continue;
      }
      await dialog
        .locator('input[type=file]')
        .setInputFiles({ name: 'reduced.json', mimeType: 'application/json', buffer: requestFile(partner.product.code, { channels: 12 }) });
      await dialog.getByRole('button', { name: 'Confirm the return' }).click();
      await until(async () => {
        const row = await world.prisma.request.findUniqueOrThrow({ where: { id: request.id } });
        return row.status === 'COMPLETED' ? row : undefined;
      }, 'the return to complete');
      await context.close();
    }
    expect(await world.prisma.license.findUniqueOrThrow({ where: { id: license.id } })).toMatchObject({ channels: 12, status: 'ACTIVE' });
  });
});
