import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { generateSerial } from '../../domain/serial.ts';
import { newPartner } from '../support/request-harness.ts';
import { DESKTOP, expectRealContent, launchBrowser, newContext, PHONE, screenshot, type Browser } from './support/browser.ts';
import { startUiWorld, until, type UiWorld } from './support/ui-world.ts';

const DAY_MS = 86_400_000;

/**
 * SMA renewal in the browser: the reminder mail's link opens the form filled in with its serials;
 * once the desk approves, the request page says until when the renewal can be cancelled and offers
 * "Cancel renewal", which puts the SMA back. Screenshots at 1280 and 390 px (test-artifacts/ui).
 */
describe('SMA renewal in the portal', () => {
  let world: UiWorld;
  let browser: Browser;
  beforeAll(async () => {
    [world, browser] = await Promise.all([startUiWorld(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it('the reminder link pre-fills the form; the request page shows the cooling-off end and cancels the renewal', async () => {
    const p = await newPartner(world.prisma);
    const user = await world.newUser({ role: 'PARTNER_USER', companyId: p.company.id });
    const smaEnd = new Date(Date.now() + 12 * DAY_MS);
    const licenses = await Promise.all(
      ['c8d9d29aa401', 'c8d9d29aa402'].map((mac) =>
        world.prisma.license.create({
          data: {
            serial: generateSerial((n) => new Uint8Array(randomBytes(n))),
            companyId: p.company.id,
            productId: p.product.id,
            channels: 8,
            lockType: 'MAC',
            macAddress: mac,
            endUserCompany: 'Renewal Oy',
            status: 'ACTIVE',
            currentRevision: 1,
            smaStart: new Date(smaEnd.getTime() - 365 * DAY_MS),
            smaEnd,
          },
        }),
      ),
    );
    const serials = licenses.map((l) => l.serial);

    const context = await newContext(browser, DESKTOP);
    await world.logIn(context, user.id);
    const page = await context.newPage();
    onTestFailed(() => screenshot(page, 'FAILED-sma-renewal').then(() => undefined));
    await page.goto(`${world.origin}/#/requests/create?type=SMA_RENEWAL&serials=${serials.join(',')}`);
    await expectRealContent(page, 'New request: SMA renewal');
    const field = page.getByRole('textbox', { name: 'License serials' });
    expect(await field.inputValue()).toBe(serials.join('\n'));
    await screenshot(page, 'sma-renewal-form-1280');
    await page.setViewportSize(PHONE);
    await screenshot(page, 'sma-renewal-form-390');
    await page.setViewportSize(DESKTOP);

    await page.getByRole('button', { name: 'Review and submit' }).click();
    await page.getByRole('button', { name: 'Confirm and submit' }).click();
    await page.waitForURL(/#\/requests\/[0-9a-f-]{36}\/show/);
    const requestId = /requests\/([0-9a-f-]{36})\/show/.exec(page.url())![1]!;

    const desk = await world.newUser({ role: 'DESK_AGENT' });
    const asDesk = await world.api(desk.id);
    await until(
      async () => ((await world.prisma.request.findUnique({ where: { id: requestId } }))?.status === 'PENDING_APPROVAL' ? true : undefined),
      'pending',
    );
    expect((await asDesk(`/api/requests/${requestId}/approve`, { method: 'POST', body: {} })).status).toBe(200);
    await until(
      async () => ((await world.prisma.request.findUnique({ where: { id: requestId } }))?.status === 'COOLING_OFF' ? true : undefined),
      'cooling off',
    );

    await page.reload();
    await expectRealContent(page, 'you can cancel this renewal until');
    await page.getByText('SMA renewed').first().waitFor();
    await screenshot(page, 'sma-renewal-cooling-off-1280');
    await page.setViewportSize(PHONE);
    await page.getByTestId('cooling-off').scrollIntoViewIfNeeded();
    await screenshot(page, 'sma-renewal-cooling-off-390');
    await page.setViewportSize(DESKTOP);

    await page.getByRole('button', { name: 'Cancel renewal' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Each license goes back to its previous SMA end').waitFor();
    await dialog.getByRole('button', { name: 'Cancel renewal' }).click();
    await until(async () => ((await world.prisma.request.findUnique({ where: { id: requestId } }))?.status === 'CANCELLED' ? true : undefined), 'cancelled');
    for (const license of licenses) expect((await world.prisma.license.findUniqueOrThrow({ where: { id: license.id } })).smaEnd).toEqual(smaEnd);
    await page.reload();
    await expectRealContent(page, 'The renewal was cancelled in its cooling-off period');
    await screenshot(page, 'sma-renewal-cancelled-1280');
    await context.close();
  }, 240_000);
});
