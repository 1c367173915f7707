import { randomBytes, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestType } from '../../domain/request-forms.ts';
import { generateSerial } from '../../domain/serial.ts';
import { expectNoInputRejections } from '../support/accepted-requests.ts';
import { startApiWorld, type ApiWorld } from '../support/api-harness.ts';

/**
 * Property: no body the API accepts (201) is rejected later by its workflow for a reason the
 * API could have seen. The bodies are well-formed requests of every type built from a small
 * world of real and near-real values, so that most of them reach the database checks: the
 * partner's licenses (active, full, revoked, on a hardware key; their SMA running, in its grace
 * period, lapsed or absent), another company's, serials that do not exist, offered, retired,
 * demo and unknown products, MACs right, wrong and malformed, channels around every limit, and
 * (the partner is a distributor) its dealer, other companies and none as a reship's dealer. Each is answered 201 or 422 with field messages; the workflows of the 201s
 * then check them, and only a short stock (the workflow's to decide) may reject one.
 *
 * FUZZ_SEED=<seed> replays a run (fast-check prints the seed with a counterexample).
 */
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
/** Bodies per request type: enough to reach every check, and workflows the shared 2 cores run in seconds. */
const RUNS = 30;
const DAY_MS = 86_400_000;

describe('submission fuzzing: what the API accepts, the workflow does not reject for its input', () => {
  let api: ApiWorld;
  let p: Awaited<ReturnType<ApiWorld['newPartnerCompany']>>;
  let other: Awaited<ReturnType<ApiWorld['newPartnerCompany']>>;
  const accepted: string[] = [];
  const statuses = new Map<string, Map<number, number>>();
  let values: {
    products: string[];
    serials: string[];
    macs: string[];
    keys: string[];
    companies: string[];
    dealers: string[];
  };

  const MAC = 'c8d9d29aa31b';
  const FULL_MAC = '0cc47a1b2c3d';
  const KEY = '4410011575A6';

  beforeAll(async () => {
    api = await startApiWorld();
    // Some stock, so that some installations are short of it: that rejection is allowed.
    [p, other] = await Promise.all([api.newPartnerCompany({ stock: 200 }), api.newPartnerCompany({ stock: 50 })]);
    const prisma = api.world.prisma;
    // A distributor, so that its stock reships reach the checks past "only a distributor".
    await prisma.company.update({ where: { id: p.company.id }, data: { kind: 'DISTRIBUTOR' } });
    const [dealer, othersDealer] = await Promise.all([
      prisma.company.create({ data: { name: `Dealer ${p.tag}`, kind: 'DEALER', parentId: p.company.id } }),
      prisma.company
        .update({ where: { id: other.company.id }, data: { kind: 'DISTRIBUTOR' } })
        .then(() => prisma.company.create({ data: { name: `Dealer of ${other.tag}`, kind: 'DEALER', parentId: other.company.id } })),
    ]);
    const product = (code: string, data: Record<string, unknown>) =>
      prisma.product.create({
        data: {
          code: `${code}-${p.tag}`,
          name: `${code} ${p.tag}`,
          family: 'Mirasys VMS',
          version: '9.0',
          maxChannels: 250,
          lockType: 'MAC',
          ...data,
        } as never,
      });
    const [enterprise, retired, nec, demo] = await Promise.all([
      product('V9-ENT', { tier: 'ENTERPRISE' }),
      product('V9-OLD', { tier: 'ENTERPRISE_PLUS', active: false }),
      product('SV9100', { family: 'NEC SV9100', version: '1', lockType: 'HARDWARE_KEY', hardwareKeyType: 'SV9100_CP20', minChannels: 8, maxChannels: 512 }),
      product('V9-DEMO', { tier: 'ENTERPRISE_PLUS', isDemo: true, demoDays: 30, maxChannels: 16 }),
    ]);
    await prisma.stockLedgerEntry.create({
      data: { companyId: p.company.id, productId: nec.id, kind: 'CREDIT', channels: 100, idempotencyKey: `opening:nec:${p.tag}` },
    });
    const license = (owner: typeof p, data: Record<string, unknown>) =>
      prisma.license.create({
        data: {
          serial: generateSerial((n) => new Uint8Array(randomBytes(n))),
          companyId: owner.company.id,
          productId: owner.product.id,
          channels: 16,
          lockType: 'MAC',
          macAddress: MAC,
          endUserCompany: 'Fuzz Oy',
          status: 'ACTIVE',
          currentRevision: 1,
          ...data,
        } as never,
      });
    /** An SMA (of the partner's product: 12 months, 30 days of grace) that ends `days` from now. */
    const sma = (days: number) => ({ smaStart: new Date(Date.now() + (days - 365) * DAY_MS), smaEnd: new Date(Date.now() + days * DAY_MS) });
    const licenses = await Promise.all([
      license(p, sma(20)),
      license(p, { channels: 250, macAddress: FULL_MAC }),
      license(p, { status: 'REVOKED', ...sma(20) }),
      license(p, { productId: nec.id, lockType: 'HARDWARE_KEY', macAddress: null, hardwareKey: KEY, channels: 20 }),
      license(other, sma(20)),
      license(p, sma(-10)),
      license(p, sma(-400)),
    ]);
    values = {
      products: [p.product.id, enterprise.id, retired.id, nec.id, demo.id, randomUUID()],
      serials: [
        ...licenses.map((l) => l.serial),
        generateSerial((n) => new Uint8Array(randomBytes(n))),
        licenses[0]!.serial
          .toLowerCase()
          .replace(/(.{4})/g, '$1-')
          .slice(0, 14),
      ],
      macs: [MAC, 'C8:D9:D2:9A:A3:1B', FULL_MAC, '001b213a4f70', 'ZZ:11:22:33:44', 'ff:ff:ff:ff:ff:ff', '01:00:5e:00:00:01'],
      keys: [KEY, '4410011575a7', '3410011575A6', '1234'],
      companies: [p.company.id, other.company.id, randomUUID()],
      dealers: [dealer.id, othersDealer.id, other.company.id, p.company.id, randomUUID()],
    };
  }, 180_000);
  afterAll(async () => {
    console.log(`[submission-fuzz] statuses per type: ${JSON.stringify(Object.fromEntries([...statuses].map(([k, v]) => [k, Object.fromEntries(v)])))}`);
    await api?.stop();
  });

  // The values exist once beforeAll has run: the arbitraries read them when they generate.
  const pick = (list: () => string[]) => fc.nat().map((n) => list()[n % list().length]!);
  /** Often the value that passes (`weight` to 1), so that every type reaches the later checks and some 201s. */
  const likely = <T>(passing: () => T, any: fc.Arbitrary<T>, weight = 1) =>
    fc.oneof({ weight, arbitrary: fc.constant(0).map(passing) }, { weight: 1, arbitrary: any });
  const product = pick(() => values.products);
  const serial = likely(
    () => values.serials[0]!,
    pick(() => values.serials),
  );
  const mac = likely(
    () => MAC,
    pick(() => values.macs),
  );
  const company = pick(() => values.companies);
  const lock = fc.oneof(fc.record({ type: fc.constant('MAC'), value: mac }), fc.record({ type: fc.constant('HARDWARE_KEY'), value: pick(() => values.keys) }));
  const macLock = (value: string) => ({ type: 'MAC', value });
  const channels = fc.oneof(
    fc.integer({ min: 1, max: 20 }),
    fc.integer({ min: 0, max: 600 }),
    fc.constantFrom(7, 8, 15, 16, 17, 234, 235, 249, 250, 251, 512, 513),
  );
  const common = () => ({ deliveryEmails: [p.deliveryEmail] });

  // Keyed by every request type, so that tsc refuses this file until a new type has its bodies here.
  const bodies: Record<RequestType, fc.Arbitrary<Record<string, unknown>>> = {
    NEW_INSTALLATION: fc
      .record({ productId: likely(() => values.products[0]!, product), channels: likely(() => 5, channels), lock: likely(() => macLock(MAC), lock) })
      .map((b) => ({ type: 'NEW_INSTALLATION', ...b, endUserCompany: 'Fuzz Oy', ...common() })),
    CHANNEL_EXPANSION: fc.record({ serial, macAddress: mac, channels }).map((b) => ({ type: 'CHANNEL_EXPANSION', ...b, ...common() })),
    STOCK_ADDITION: fc.record({ productId: product, channels }).map((b) => ({ type: 'STOCK_ADDITION', ...b, orderReference: 'PO-FUZZ', ...common() })),
    UPGRADE: fc
      .record({ serial, macAddress: mac, targetProductId: likely(() => values.products[1]!, product) })
      .map((b) => ({ type: 'UPGRADE', ...b, ...common() })),
    OWNERSHIP_CHANGE: fc
      .record({ serials: fc.array(serial, { minLength: 1, maxLength: 3 }), currentOwnerCompanyId: company, newOwnerCompanyId: company })
      .map((b) => ({ type: 'OWNERSHIP_CHANGE', ...b, ...common() })),
    HARDWARE_REPLACEMENT: fc
      .record({ serial, oldLock: likely(() => macLock(MAC), lock, 3), newLock: likely(() => macLock('001b213a4f70'), lock, 3), interimLicense: fc.boolean() })
      .map((b) => ({ type: 'HARDWARE_REPLACEMENT', ...b, reason: 'The server burnt out', ...common() })),
    RETURN_CONFIRMATION: fc.record({ serial, channels }).map((b) => ({ type: 'RETURN_CONFIRMATION', ...b, ...common() })),
    PARTIAL_TRANSFER: fc
      .record({
        serial,
        channels: likely(() => 4, channels),
        targetCompanyId: likely(() => values.companies[1]!, company),
        lock: likely(() => macLock('001b213a4f71'), lock, 3),
      })
      .map((b) => ({ type: 'PARTIAL_TRANSFER', ...b, ...common() })),
    STOCK_RESHIP: fc
      .record({
        productId: likely(() => values.products[0]!, product),
        dealerCompanyId: likely(
          () => values.dealers[0]!,
          pick(() => values.dealers),
        ),
        channels: likely(() => 3, channels),
      })
      .map((b) => ({ type: 'STOCK_RESHIP', ...b, note: 'SO-FUZZ', ...common() })),
    SMA_RENEWAL: fc.record({ serials: fc.array(serial, { minLength: 1, maxLength: 3 }) }).map((b) => ({ type: 'SMA_RENEWAL', ...b, ...common() })),
  };

  for (const [type, arbitrary] of Object.entries(bodies)) {
    it(`${type}: each generated request is accepted or refused with field messages`, async () => {
      await fc.assert(
        fc.asyncProperty(arbitrary, async (body) => {
          const response = await p.asUser('/api/requests', { method: 'POST', body });
          const answer = (await response.json()) as { id?: string; message?: string; errors?: Record<string, string> };
          const counts = statuses.get(type) ?? new Map<number, number>();
          counts.set(response.status, (counts.get(response.status) ?? 0) + 1);
          statuses.set(type, counts);
          const what = `${JSON.stringify(body)} → ${response.status} ${JSON.stringify(answer)}`;
          expect([201, 422], what).toContain(response.status);
          if (response.status === 201) {
            accepted.push(answer.id!);
            return;
          }
          // react-admin's shape: the message is one of the field messages.
          expect(Object.keys(answer.errors ?? {}).length, what).toBeGreaterThan(0);
          expect(Object.values(answer.errors!), what).toContain(answer.message);
        }),
        { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }) },
      );
      // The generator reaches both answers, or the property says little.
      expect(statuses.get(type)?.get(422), type).toBeGreaterThan(0);
      if (type !== 'OWNERSHIP_CHANGE') expect(statuses.get(type)?.get(201), type).toBeGreaterThan(0);
    });
  }

  it('no accepted request is rejected by its workflow for its input', async () => {
    expect(accepted.length).toBeGreaterThan(20);
    const verdict = await expectNoInputRejections(api.world.prisma, accepted);
    console.log(`[submission-fuzz] ${verdict.checked} accepted requests checked by their workflows; ${verdict.stockShortages} rejected for a short stock`);
  }, 240_000);
});
