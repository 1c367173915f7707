import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { DESKTOP, expectRealContent, launchBrowser, newContext, screenshot, type Browser } from './support/browser.ts';
import { dealerWithStock } from './support/seed.ts';
import { startUiWorld, until, type UiWorld } from './support/ui-world.ts';

const IMG = '<img src=x onerror="window.__xss=1">';
const SCRIPT = '<script>window.__xss=2</script>';

/**
 * Stored XSS: what a partner writes (the end user's name and contact, the form's comment, a
 * comment, the answer to the desk's question) is markup an attacker controls. A desk user who
 * opens the request in Chromium sees it as text, and none of it runs or becomes an element.
 */
describe('stored XSS on the request page', () => {
  let world: UiWorld;
  let browser: Browser;
  beforeAll(async () => {
    [world, browser] = await Promise.all([startUiWorld(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it('shows a partner’s markup in the end-user name, comments and reply as literal text to the desk, and runs none of it', async () => {
    const dealer = await dealerWithStock(world);
    const agent = await world.newUser({ role: 'DESK_AGENT' });
    const partner = await world.api(dealer.user.id);
    const desk = await world.api(agent.id);

    const fields = {
      endUserCompany: `${IMG} Harbour`,
      endUserContact: `${SCRIPT} contact`,
      comments: `Form comment ${IMG}${SCRIPT}`,
    };
    const submitted = await partner('/api/requests', {
      method: 'POST',
      body: {
        type: 'NEW_INSTALLATION',
        productId: dealer.product.id,
        channels: 2,
        lock: { type: 'MAC', value: 'c8d9d29aa31c' },
        ...fields,
        deliveryEmails: ['orders@ui.test'],
      },
    });
    expect(submitted.status, await submitted.clone().text()).toBe(201);
    const { id } = (await submitted.json()) as { id: string };
    const statusIs = (status: string) =>
      until(async () => ((await world.prisma.request.findUnique({ where: { id } }))?.status === status ? true : undefined), status);
    await statusIs('PENDING_APPROVAL');

    const comment = `Comment ${SCRIPT} and ${IMG}`;
    expect((await partner(`/api/requests/${id}/comments`, { method: 'POST', body: { body: comment } })).status).toBe(201);
    expect((await desk(`/api/requests/${id}/request-information`, { method: 'POST', body: { question: 'Which site is it for?' } })).status).toBe(200);
    await statusIs('WAITING_FOR_PARTNER');
    const reply = `Reply ${IMG} then ${SCRIPT}`;
    expect((await partner(`/api/requests/${id}/reply`, { method: 'POST', body: { message: reply } })).status).toBe(202);
    await until(
      async () => ((await world.prisma.historyEvent.count({ where: { requestId: id, action: 'partner_replied', comment: reply } })) > 0 ? true : undefined),
      'the reply on the timeline',
    );

    const context = await newContext(browser, DESKTOP);
    await world.logIn(context, agent.id);
    const page = await context.newPage();
    onTestFailed(() => screenshot(page, 'FAILED-stored-xss').then(() => undefined));
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`${world.origin}/#/requests/${id}/show`);
    await expectRealContent(page, 'Timeline');

    // Each text is on the page as the partner typed it, visible.
    for (const text of [fields.endUserCompany, fields.endUserContact, comment, reply]) {
      await page.getByText(text, { exact: false }).first().waitFor({ state: 'visible' });
    }
    await page.getByText(IMG, { exact: false }).first().waitFor({ state: 'visible' });
    await page.getByText(SCRIPT, { exact: false }).first().waitFor({ state: 'visible' });
    const shown = await page.locator('body').innerText();
    for (const text of [fields.endUserCompany, fields.endUserContact, fields.comments, comment, reply]) expect(shown).toContain(text);

    // Give a broken image its chance to fail and fire onerror before looking.
    await page.waitForTimeout(1_000);
    const dom = await page.evaluate(() => ({
      xss: (window as unknown as { __xss?: unknown }).__xss,
      imagesToX: Array.from(document.querySelectorAll('img')).filter((img) => img.getAttribute('src') === 'x' || img.hasAttribute('onerror')).length,
      injectedScripts: Array.from(document.scripts).filter((s) => (s.textContent ?? '').includes('__xss')).length,
      handlers: Array.from(document.querySelectorAll('*')).filter((el) => Array.from(el.attributes).some((a) => a.name.startsWith('on'))).length,
    }));
    expect(dom).toEqual({ xss: undefined, imagesToX: 0, injectedScripts: 0, handlers: 0 });
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(dialogs).toEqual([]);
    await screenshot(page, 'desk-request-stored-xss-1280');

    // The check can see an attack: the same markup put into the page as HTML does run.
    await page.evaluate((html) => {
      const probe = document.createElement('div');
      probe.innerHTML = html;
      document.body.append(probe);
    }, IMG);
    await expect.poll(() => page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBe(1);
  }, 150_000);
});
