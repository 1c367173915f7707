import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSerial } from '../domain/serial.ts';
import { startApiWorld, until, type ApiWorld } from './support/api-harness.ts';

type Partner = Awaited<ReturnType<ApiWorld['newPartnerCompany']>>;

/**
 * POST /api/requests refuses at once (422, `{ message, errors: { field } }`) what the form, the
 * catalogue and the company's licenses already decide, and records nothing; a short stock is
 * a warning on the 201, since the workflow decides it when it reserves.
 */
describe('POST /api/requests refuses at once what can be known at once', () => {
  let api: ApiWorld;
  let p: Partner;
  let other: Partner;
  let license: { serial: string; channels: number };
  let othersLicense: { serial: string };

  const MAC = 'c8d9d29aa31b';
  const newLicense = (owner: Partner, channels: number) =>
    api.world.prisma.license.create({
      data: {
        serial: generateSerial((n) => new Uint8Array(randomBytes(n))),
        companyId: owner.company.id,
        productId: owner.product.id,
        channels,
        lockType: 'MAC',
        macAddress: MAC,
        endUserCompany: 'Checked Oy',
        status: 'ACTIVE',
        currentRevision: 1,
      },
    });

  beforeAll(async () => {
    api = await startApiWorld();
    [p, other] = await Promise.all([api.newPartnerCompany({ stock: 100 }), api.newPartnerCompany({ stock: 100 })]);
    [license, othersLicense] = await Promise.all([newLicense(p, 200), newLicense(other, 10)]);
  }, 120_000);
  afterAll(() => api?.stop());

  const common = () => ({ deliveryEmails: [p.deliveryEmail] });
  const installation = (changes: Record<string, unknown> = {}) => ({
    type: 'NEW_INSTALLATION',
    productId: p.product.id,
    channels: 5,
    lock: { type: 'MAC', value: MAC },
    endUserCompany: 'Kauppa Oy',
    ...common(),
    ...changes,
  });

  /** Posts the body and answers the 422's body, having checked that nothing was recorded. */
  async function refused(body: Record<string, unknown>) {
    const before = await api.world.prisma.request.count({ where: { companyId: p.company.id } });
    const response = await p.asUser('/api/requests', { method: 'POST', body });
    const answer = (await response.json()) as { message: string; errors: Record<string, string> };
    expect(response.status, JSON.stringify(answer)).toBe(422);
    expect(await api.world.prisma.request.count({ where: { companyId: p.company.id } })).toBe(before);
    return answer;
  }
  /** The answer of a refusal of one field: the message is the field's. */
  const only = (field: string, message: string) => ({ message, errors: { [field]: message } });

  it('new installation: a malformed MAC or hardware key, an unknown or retired product, channels outside its range, a missing field', async () => {
    expect(await refused(installation({ lock: { type: 'MAC', value: 'ZZ:11:22:33:44' } }))).toEqual(
      only('lock.value', 'MAC address may contain only hex digits 0-9 and a-f (found "Z"); it must be 12 hex digits, e.g. c8d9d29aa31b'),
    );
    const nec = await api.world.prisma.product.create({
      data: {
        code: `SV9100-${p.tag}`,
        name: `SV9100 CP20 ${p.tag}`,
        family: 'NEC SV9100',
        version: '1',
        maxChannels: 500,
        lockType: 'HARDWARE_KEY',
        hardwareKeyType: 'SV9100_CP20',
      },
    });
    expect(await refused(installation({ productId: nec.id, lock: { type: 'HARDWARE_KEY', value: '1234' } }))).toEqual(
      only(
        'lock.value',
        'SV9100 CP20 hardware key code must be 12 characters starting with 44 (digits and letters A-F), e.g. 4410011575A6 (got "1234", 4 characters)',
      ),
    );
    expect(await refused(installation({ productId: nec.id }))).toEqual(
      only('lock.type', `SV9100 CP20 ${p.tag} is locked to a hardware key code; choose HARDWARE_KEY as the lock type.`),
    );

    const notOffered = only('productId', 'This product is not offered to your company; choose one from the product list.');
    expect(await refused(installation({ productId: randomUUID() }))).toEqual(notOffered);
    const retired = await api.world.prisma.product.create({
      data: { code: `V9-OLD-${p.tag}`, name: `V9 Old ${p.tag}`, family: 'Mirasys VMS', version: '8.0', maxChannels: 100, lockType: 'MAC', active: false },
    });
    expect(await refused(installation({ productId: retired.id }))).toEqual(notOffered);

    expect(await refused(installation({ channels: 300 }))).toEqual(only('channels', `V9 Pro ${p.tag} allows 1–250 IP channels; you asked for 300.`));
    expect(await refused(installation({ channels: 100_000 }))).toEqual(only('channels', 'IP channels can be at most 10000; no product takes more'));

    const { endUserCompany: _dropped, ...missing } = installation();
    expect(await refused(missing)).toEqual(only('endUserCompany', 'End user company is required'));
  });

  it("channel expansion: a malformed MAC, a serial that is missing or another company's (in the same words), too many channels", async () => {
    const expansion = (changes: Record<string, unknown>) => ({
      type: 'CHANNEL_EXPANSION',
      serial: license.serial,
      macAddress: MAC,
      channels: 2,
      ...common(),
      ...changes,
    });
    expect(await refused(expansion({ macAddress: 'not-a-mac' }))).toEqual(
      only('macAddress', 'MAC address may contain only hex digits 0-9 and a-f (found "n", "o", "t", "m"); it must be 12 hex digits, e.g. c8d9d29aa31b'),
    );
    expect(await refused(expansion({ serial: othersLicense.serial }))).toEqual(only('serial', `No license ${othersLicense.serial} belongs to your company.`));
    const unknown = generateSerial((n) => new Uint8Array(randomBytes(n)));
    expect(await refused(expansion({ serial: unknown }))).toEqual(only('serial', `No license ${unknown} belongs to your company.`));
    expect(await refused(expansion({ macAddress: '00:1b:21:3a:4f:70' }))).toEqual(
      only('macAddress', `License ${license.serial} is not locked to MAC 001b213a4f70.`),
    );
    expect(await refused(expansion({ channels: 60 }))).toEqual(
      only('channels', `V9 Pro ${p.tag} allows at most 250 channels; license ${license.serial} has 200, so at most 50 can be added; you asked for 60.`),
    );
    expect(await refused(expansion({ channels: undefined }))).toEqual(only('channels', 'Give the number of channels to add'));
  });

  it("upgrade: another company's license, an unknown target, a target that is no upgrade", async () => {
    const upgrade = (changes: Record<string, unknown>) => ({
      type: 'UPGRADE',
      serial: license.serial,
      macAddress: MAC,
      targetProductId: p.product.id,
      ...common(),
      ...changes,
    });
    expect(await refused(upgrade({ serial: othersLicense.serial }))).toEqual(only('serial', `No license ${othersLicense.serial} belongs to your company.`));
    expect(await refused(upgrade({ targetProductId: randomUUID() }))).toEqual(
      only('targetProductId', 'This product is not offered to your company; choose one from the product list.'),
    );
    expect(await refused(upgrade({}))).toEqual(only('targetProductId', 'This license is already on V9 Pro; choose a higher tier or a later version.'));
    expect(await refused(upgrade({ macAddress: undefined }))).toEqual(only('macAddress', 'Give the MAC address the license is locked to, e.g. c8d9d29aa31b'));
  });

  it("hardware replacement: the old lock is not the license's, the new one is malformed", async () => {
    const replacement = (changes: Record<string, unknown>) => ({
      type: 'HARDWARE_REPLACEMENT',
      serial: license.serial,
      oldLock: { type: 'MAC', value: MAC },
      newLock: { type: 'MAC', value: '001b213a4f70' },
      reason: 'Mainboard failed',
      ...common(),
      ...changes,
    });
    expect(await refused(replacement({ oldLock: { type: 'MAC', value: '001b213a4f72' } }))).toEqual(
      only(
        'oldLock.value',
        `License ${license.serial} is not locked to MAC 001b213a4f72; give the MAC address of the hardware being replaced, as shown on the license.`,
      ),
    );
    expect(await refused(replacement({ newLock: { type: 'MAC', value: 'ZZ:11:22:33:44' } }))).toEqual(
      only('newLock.value', 'MAC address may contain only hex digits 0-9 and a-f (found "Z"); it must be 12 hex digits, e.g. c8d9d29aa31b'),
    );
    expect(await refused(replacement({ serial: othersLicense.serial }))).toEqual(only('serial', `No license ${othersLicense.serial} belongs to your company.`));
    expect(await refused(replacement({ reason: undefined }))).toEqual(only('reason', 'Say why the hardware is replaced'));
  });

  it("return, stock addition and ownership change: another company's license, all channels, an unknown product, the same company twice", async () => {
    const ret = (changes: Record<string, unknown>) => ({ type: 'RETURN_CONFIRMATION', serial: license.serial, channels: 5, ...common(), ...changes });
    expect(await refused(ret({ serial: othersLicense.serial }))).toEqual(only('serial', `No license ${othersLicense.serial} belongs to your company.`));
    expect(await refused(ret({ channels: 200 }))).toEqual(
      only('channels', `License ${license.serial} has 200 channels; a return must leave at least 1, so return at most 199.`),
    );
    expect(await refused(ret({ serial: undefined }))).toEqual(only('serial', 'Give the license serial, e.g. V8WJNEE89Q6A'));

    const addition = { type: 'STOCK_ADDITION', productId: randomUUID(), channels: 5, orderReference: 'PO-1', ...common() };
    expect(await refused(addition)).toEqual(only('productId', 'This product is not offered to your company; choose one from the product list.'));

    const change = { type: 'OWNERSHIP_CHANGE', serials: [license.serial], currentOwnerCompanyId: p.company.id, newOwnerCompanyId: p.company.id, ...common() };
    expect(await refused(change)).toEqual(only('newOwnerCompanyId', 'The current owner and the new owner are the same company; choose a different new owner.'));
  });

  it('accepts a request the stock does not cover, says so, and leaves it to the workflow', async () => {
    const covered = await p.asUser('/api/requests', { method: 'POST', body: installation() });
    expect(covered.status).toBe(201);
    const first = (await covered.json()) as { id: string; warnings: string[] };
    expect(first.warnings).toEqual([]);
    // Its reservation is made (5 of the 100 channels held) before the next one is sent.
    await until(
      async () => ((await api.world.prisma.request.findUniqueOrThrow({ where: { id: first.id } })).status === 'PENDING_APPROVAL' ? true : undefined),
      'the first reservation',
    );

    const short = await p.asUser('/api/requests', { method: 'POST', body: installation({ channels: 150 }) });
    expect(short.status).toBe(201);
    const answer = (await short.json()) as { id: string; status: string; warnings: string[] };
    expect(answer.status).toBe('SUBMITTED');
    expect(answer.warnings).toEqual([
      `Your stock of V9 Pro ${p.tag} has 95 channels available; this request needs 150. Unless the stock covers it when the workflow reserves the channels, the request is rejected.`,
    ]);
    // The workflow is the authority for the stock: it rejects with its own reason.
    const rejected = await until(async () => {
      const event = await api.world.prisma.historyEvent.findFirst({ where: { requestId: answer.id, action: 'request_rejected' } });
      return event ?? undefined;
    }, 'the stock refusal');
    expect(rejected.comment).toBe(`Your stock of V9 Pro ${p.tag} has 95 channels available; this request needs 150.`);
  });
});
