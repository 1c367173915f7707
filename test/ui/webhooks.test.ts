import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { createStockLedger } from '../../services/stock-ledger.ts';
import { createWebhookDispatcher, type WebhookDispatcher } from '../../services/webhooks/dispatcher.ts';
import { fileStack } from '../support/file-stack.ts';
import { DESKTOP, expectAccessible, expectRealContent, launchBrowser, newContext, PHONE, screenshot, type Browser, type Page } from './support/browser.ts';
import { dealerWithStock } from './support/seed.ts';
import { startUiWorld, until, type UiWorld } from './support/ui-world.ts';

/**
 * The Webhooks page in Chromium: a partner admin registers an endpoint with event checkboxes and
 * sees its secret once, the delivery log shows a delivery to a loopback receiver, redeliver sends
 * it again; the desk admin sees every company's endpoints; both fit a 390 px phone.
 */
describe('webhooks page', () => {
  let world: UiWorld;
  let browser: Browser;
  let dispatcher: WebhookDispatcher;
  let server: Server;
  let receiverUrl: string;
  const received: string[] = [];
  let dealer: Awaited<ReturnType<typeof dealerWithStock>>;
  let endpointId: string;

  beforeAll(async () => {
    [world, browser] = await Promise.all([startUiWorld(), launchBrowser()]);
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        received.push(String(req.headers['webhook-id']));
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
    dispatcher = createWebhookDispatcher({
      prisma: world.prisma,
      client: world.client,
      taskQueue: world.worker.taskQueue,
      retry: { initialIntervalMs: 200, maximumIntervalMs: 1000, giveUpAfterMs: 60_000 },
      databaseUrl: fileStack.databaseUrl,
      sweepEveryMs: 1000,
    });
    await dispatcher.start();
    dealer = await dealerWithStock(world, 20);
  });
  afterAll(async () => {
    await dispatcher?.stop();
    await new Promise((resolve) => server?.close(resolve));
    await browser?.close();
    await world?.close();
  });

  async function pageAs(userId: string, viewport = DESKTOP): Promise<Page> {
    const context = await newContext(browser, viewport);
    await world.logIn(context, userId);
    const page = await context.newPage();
    onTestFailed(() => screenshot(page, `FAILED-webhooks-${viewport.width}`).then(() => undefined));
    return page;
  }

  it('a partner admin registers an endpoint, sees the secret once, and reads and redelivers its log', async () => {
    const page = await pageAs(dealer.admin.id);
    await page.goto(`${world.origin}/#/webhook-endpoints`);
    await expectRealContent(page, 'No webhook endpoints');
    await screenshot(page, 'webhooks-empty-1280');
    // The menu has the page.
    await page.getByRole('menuitem', { name: 'Webhooks' }).waitFor();
    await page.goto(`${world.origin}/#/webhook-endpoints/create`);
    await expectRealContent(page, 'A stock changes (stock.changed)');
    await page.getByLabel('URL').fill(receiverUrl);
    await page.getByLabel('Description').fill('ERP');
    await page.getByLabel('A stock changes (stock.changed)').check();
    await screenshot(page, 'webhooks-create-1280');
    await expectAccessible(page, 'the new webhook form');
    await page.getByRole('button', { name: 'Save' }).click();
    const secret = (await page.getByTestId('new-secret').textContent()) ?? '';
    expect(secret).toMatch(/^whsec_/);
    await screenshot(page, 'webhooks-secret-1280');
    await page.getByRole('link', { name: 'Open the endpoint' }).click();
    await expectRealContent(page, 'Delivery log');
    endpointId = /webhook-endpoints\/([^/]+)\/show/.exec(page.url())![1]!;
    expect(await page.locator('body').innerText()).not.toContain(secret);

    await createStockLedger(world.prisma).credit({ companyId: dealer.company.id, productId: dealer.product.id }, 5, `ui-webhook:${dealer.tag}`);
    await until(
      async () => ((await world.prisma.webhookDelivery.findFirst({ where: { endpointId, status: 'DELIVERED' } })) ? true : undefined),
      'the delivery',
    );
    await page.reload();
    await expectRealContent(page, 'Delivered');
    await expect.poll(async () => page.locator('body').innerText()).toContain('stock.changed');
    await screenshot(page, 'webhooks-log-1280');
    await expectAccessible(page, 'the webhook endpoint page');

    await page.getByRole('button', { name: 'Redeliver' }).click();
    await page.getByText('Sent again, with the same event id.').waitFor();
    await until(async () => (received.length === 2 ? true : undefined), 'the redelivery');
    expect(received[1]).toBe(received[0]);

    await page.setViewportSize(PHONE);
    await page.reload();
    await expectRealContent(page, 'Delivery log');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'webhooks-log-390');
    await page.goto(`${world.origin}/#/webhook-endpoints`);
    await expectRealContent(page, '127.0.0.1');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'webhooks-list-390');
    await page.goto(`${world.origin}/#/webhook-endpoints/create`);
    await expectRealContent(page, 'A stock changes (stock.changed)');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'webhooks-create-390');
    await page.context().close();
  }, 120_000);

  it('a desk admin sees every company’s endpoints; disabling one shows it', async () => {
    const deskAdmin = await world.newUser({ role: 'DESK_ADMIN' });
    const page = await pageAs(deskAdmin.id);
    await page.goto(`${world.origin}/#/webhook-endpoints`);
    await expectRealContent(page, dealer.company.name);
    await screenshot(page, 'webhooks-desk-list-1280');
    await page.goto(`${world.origin}/#/webhook-endpoints/${endpointId}/show`);
    await expectRealContent(page, 'Delivery log');
    await page.getByRole('button', { name: 'Disable' }).click();
    await page.getByRole('button', { name: 'Enable' }).waitFor();
    expect(await page.getByTestId('endpoint-state').innerText()).toBe('Disabled');
    await screenshot(page, 'webhooks-desk-disabled-1280');
    await page.context().close();
  }, 90_000);
});
