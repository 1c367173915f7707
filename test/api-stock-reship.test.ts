import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listParams, startApiWorld, until, type ApiWorld } from './support/api-harness.ts';

type Partner = Awaited<ReturnType<ApiWorld['newPartnerCompany']>>;

/**
 * A stock reship through the API: POST /api/requests refuses at once (422, in the words the
 * partner reads) a reship the rules already rule out; the desk switches a distributor's approval
 * off; and each company's stock ledger shows its own side of a reship.
 */
describe('stock reship through the API', () => {
  let api: ApiWorld;
  let distributor: Partner;
  let dealer: Partner;
  let othersDealer: Partner;
  let other: Partner;

  beforeAll(async () => {
    api = await startApiWorld();
    const prisma = api.world.prisma;
    [distributor, dealer, othersDealer] = await Promise.all([
      api.newPartnerCompany({ stock: 30 }),
      api.newPartnerCompany({ stock: 10 }),
      api.newPartnerCompany({ stock: 10 }),
    ]);
    other = await api.newPartnerCompany();
    await prisma.company.update({ where: { id: distributor.company.id }, data: { kind: 'DISTRIBUTOR' } });
    await prisma.company.update({ where: { id: other.company.id }, data: { kind: 'DISTRIBUTOR' } });
    await prisma.company.update({ where: { id: dealer.company.id }, data: { parentId: distributor.company.id } });
    await prisma.company.update({ where: { id: othersDealer.company.id }, data: { parentId: other.company.id } });
  }, 120_000);
  afterAll(() => api?.stop());

  const reship = (changes: Record<string, unknown> = {}) => ({
    type: 'STOCK_RESHIP',
    productId: distributor.product.id,
    dealerCompanyId: dealer.company.id,
    channels: 10,
    note: 'SO-12345',
    deliveryEmails: [distributor.deliveryEmail],
    ...changes,
  });

  /** Posts the body as `who` and answers the 422's body, having checked that nothing was recorded. */
  async function refused(body: Record<string, unknown>, who: Partner = distributor) {
    const before = await api.world.prisma.request.count({ where: { companyId: who.company.id } });
    const response = await who.asUser('/api/requests', { method: 'POST', body });
    const answer = (await response.json()) as { message: string; errors: Record<string, string> };
    expect(response.status, JSON.stringify(answer)).toBe(422);
    expect(await api.world.prisma.request.count({ where: { companyId: who.company.id } })).toBe(before);
    return answer;
  }
  const only = (field: string, message: string) => ({ message, errors: { [field]: message } });

  it('refuses a reship by a company that is not a distributor', async () => {
    expect(await refused(reship({ productId: dealer.product.id, dealerCompanyId: distributor.company.id }), dealer)).toEqual(
      only('type', 'Only a distributor can reship stock to its dealers, and your company is not a distributor. Ask your distributor or the license desk.'),
    );
  });

  it("refuses a company that is not one of the distributor's dealers, in the same words for any company", async () => {
    const notYours = only('dealerCompanyId', 'This company is not one of your dealers; choose the dealer from the list of your dealers.');
    expect(await refused(reship({ dealerCompanyId: othersDealer.company.id }))).toEqual(notYours);
    expect(await refused(reship({ dealerCompanyId: distributor.company.id }))).toEqual(notYours);
    expect(await refused(reship({ dealerCompanyId: '7d3c1c0e-1f4a-4d59-9a57-0f7d8f1d2e3a' }))).toEqual(notYours);
  });

  it('refuses a demo product and more channels than the stock has available', async () => {
    const demo = await api.world.prisma.product.create({
      data: {
        code: `V9-DEMO-${distributor.tag}`,
        name: `V9 Demo ${distributor.tag}`,
        family: 'Mirasys VMS',
        version: '9.0',
        isDemo: true,
        demoDays: 30,
        maxChannels: 250,
        lockType: 'MAC',
      },
    });
    expect(await refused(reship({ productId: demo.id }))).toEqual(
      only('productId', `V9 Demo ${distributor.tag} is a demo product; demo licenses are not kept in stock, so they cannot be reshipped.`),
    );
    expect(await refused(reship({ channels: 31 }))).toEqual(
      only('channels', `You have 30 channels of ${distributor.product.name} available; reship at most 30, or add stock first with a stock addition request.`),
    );
    expect(await refused(reship({ channels: 0 }))).toEqual(only('channels', 'Channels to reship must be at least 1'));
  });

  it("lists the distributor's own dealers for the form, even when it does not see their data", async () => {
    const response = await distributor.asUser(`/api/companies${listParams({ filter: { parentId: distributor.company.id } })}`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as Array<{ id: string }>).map((c) => c.id)).toEqual([dealer.company.id]);
    // Another distributor's dealers stay hidden.
    const others = await distributor.asUser(`/api/companies${listParams({ filter: { parentId: other.company.id } })}`);
    expect(await others.json()).toEqual([]);
  });

  it("the desk switches the approval off; the reship completes at once and each company's ledger shows its own side", async () => {
    const deskAdmin = await api.as((await api.newDeskUser('DESK_ADMIN')).id);
    const put = await deskAdmin(`/api/companies/${distributor.company.id}`, { method: 'PUT', body: { reshipNeedsApproval: false } });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ id: distributor.company.id, reshipNeedsApproval: false });

    const response = await distributor.asUser('/api/requests', { method: 'POST', body: reship({ channels: 12 }) });
    expect(response.status).toBe(201);
    const request = (await response.json()) as { id: string };
    await until(
      async () => ((await api.world.prisma.request.findUniqueOrThrow({ where: { id: request.id } })).status === 'COMPLETED' ? true : undefined),
      'the reship to complete',
    );

    const kindsSeenBy = async (who: Partner) => {
      const list = await who.asUser(`/api/stock-ledger${listParams({ filter: { requestId: request.id } })}`);
      expect(list.status).toBe(200);
      return ((await list.json()) as Array<{ kind: string; channels: number; companyId: string }>).map((e) => [e.kind, e.channels, e.companyId]);
    };
    expect(await kindsSeenBy(distributor)).toEqual([
      ['TRANSFER_OUT', 12, distributor.company.id],
      ['RESERVE', 12, distributor.company.id],
    ]);
    expect(await kindsSeenBy(dealer)).toEqual([['TRANSFER_IN', 12, dealer.company.id]]);
    expect(await kindsSeenBy(othersDealer)).toEqual([]);
    const stock = await dealer.asUser(`/api/stocks/${dealer.company.id}_${distributor.product.id}`);
    expect(await stock.json()).toMatchObject({ available: 12, reserved: 0, consumed: 0, total: 12 });
  }, 120_000);
});
