import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import type { OpenAPIV3_1 } from 'openapi-types';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  channelExpansionForm,
  hardwareReplacementForm,
  newInstallationForm,
  ownershipChangeForm,
  partialTransferForm,
  returnConfirmationForm,
  smaRenewalForm,
  stockAdditionForm,
  stockReshipForm,
  upgradeForm,
  type RequestType,
} from '../../domain/request-forms.ts';
import { generateSerial } from '../../domain/serial.ts';
import { expectNoInputRejections } from '../support/accepted-requests.ts';
import { startApiWorld, until, type ApiWorld, type Call } from '../support/api-harness.ts';

/**
 * Property-based fuzzing of every request body the API takes: the ten request forms and the
 * reply, reject, request-information, comment and stock-adjustment bodies. Each is sent any JSON
 * value, any text, and "near-valid" bodies: a valid body whose own fields (read from the zod
 * schema or the OpenAPI document) get wrong-typed or extreme values, lose fields, or gain
 * prototype-polluting keys. The API must answer below 500; a 4xx carries a string `message`; a
 * 2xx has stored what it answered, as the database reads it back; and no request the API
 * accepted is rejected by its workflow for a reason the API could have seen (a short stock is
 * the workflow's to decide). test/security/submission-fuzz.test.ts generates bodies from the
 * catalogue and the licenses for that last property.
 *
 * Runs use fast-check's random seed, which it prints with the counterexample on a failure;
 * FUZZ_SEED=<seed> replays it.
 */

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
const settings = <T>(numRuns: number): fc.Parameters<T> => ({ numRuns, ...(SEED === undefined ? {} : { seed: SEED }) });
/** Runs per body kind and endpoint: the file stays under a minute on two shared cores. */
const RUNS = { anyJson: 40, anyText: 15, nearValid: 100 };

/** A piece of JSON text put into a body as it is (numbers and nestings JSON.stringify cannot write). */
class RawJson {
  constructor(readonly text: string) {}
}

/** JSON text of `value`, with each RawJson written verbatim. */
function jsonText(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof RawJson) {
      raws.push(v.text);
      return `\u0001raw${raws.length - 1}\u0001`;
    }
    return v;
  });
  return (text ?? 'null').replace(/"\\u0001raw(\d+)\\u0001"/g, (_m, i: string) => raws[Number(i)]!);
}

const POLLUTING_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];
const pollution = () => ({ polluted: 'yes', isAdmin: true, role: 'DESK_ADMIN' });

/** Any UTF-16 code unit, lone surrogates included (fast-check's own units never make half pairs). */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const strings = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: codeUnit, maxLength: 30 }),
  fc.constantFrom(
    '',
    ' ',
    '\t\n',
    '\u0000',
    'a\u0000b',
    '\ud800',
    'x\udc00y',
    '\uFEFF',
    '\u202Egnp.exe',
    '%00',
    '\'; DROP TABLE "Request"; --',
    '<script>alert(1)</script>',
    '{{7*7}}${7*7}',
    '../../etc/passwd',
  ),
  // Near-valid text: serials, MACs, uuids and e-mail addresses a little off.
  fc.constantFrom(
    'V8WJNEE89Q6A',
    'V8WJNEE89Q6AX',
    'V8WJNEE89Q6',
    'v8wj-nee8-9q6a',
    'c8:d9:d2:9a:a3:1b',
    'c8d9d29aa31bff',
    'ZZ:ZZ:ZZ:ZZ:ZZ:ZZ',
    '00000000-0000-0000-0000-000000000000',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
    'orders@example.com',
    'a@b',
    '@@',
    'MAC',
    'HARDWARE_KEY',
    'NEW_INSTALLATION',
  ),
  // Huge: past the field limits, and past the 256 KB body limit.
  fc.integer({ min: 101, max: 300_000 }).map((n) => 'x'.repeat(n)),
  fc.integer({ min: 1, max: 3_000 }).map((n) => '\u{1F4A5}'.repeat(n)),
);
const numbers = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(
    0,
    -0,
    -1,
    1.5,
    0.1,
    10_000,
    10_001,
    100_000,
    100_001,
    -100_001,
    2 ** 31,
    2 ** 53 + 2,
    Number.MAX_SAFE_INTEGER,
    Number.MIN_VALUE,
    1e308,
    -1e308,
  ),
  fc.constantFrom('1e400', '-1e400', `1${'0'.repeat(400)}`, `0.${'0'.repeat(400)}1`, '-0', '1E2', '2.0').map((t) => new RawJson(t)),
);
const nested = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 6 }),
  fc.integer({ min: 11, max: 3_000 }).map((n) => Array.from({ length: n }, (_, i) => `o${i}@example.com`)),
  fc.constantFrom(...POLLUTING_KEYS).map((key) => new RawJson(`{${JSON.stringify(key)}:${JSON.stringify(pollution())}}`)),
  fc.integer({ min: 100, max: 5_000 }).map((depth) => new RawJson(`${'['.repeat(depth)}${']'.repeat(depth)}`)),
  fc.integer({ min: 100, max: 3_000 }).map((depth) => new RawJson(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`)),
);
/** Odd but acceptable values, so that some near-valid bodies pass and their storage is checked. */
const plausible = fc.oneof(
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }).filter((s) => s.trim().length > 2 && !s.includes('\u0000')),
  fc.integer({ min: 1, max: 20 }),
  fc.constantFrom('c8d9d29aa31b', 'C8-D9-D2-9A-A3-1B', '  Fuzz Oy  ', 'Östersund Säkerhet AB', '株式会社セキュリティ', "O'Brien & Sons <Ltd>", true, false),
);
const anyValue = fc.oneof({ weight: 3, arbitrary: plausible }, strings, numbers, fc.boolean(), fc.constant(null), nested);

type Mutation =
  | { kind: 'set'; field: string; value: unknown }
  | { kind: 'delete'; field: string }
  | { kind: 'pollute'; at: string | null; key: string }
  | { kind: 'wrap'; how: 'array' | 'object' | 'string' };

/** Sets an own property, `__proto__` included, so that JSON.stringify writes it as a key. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown) {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function apply(baseline: Record<string, unknown>, mutations: Mutation[]): unknown {
  let body: unknown = structuredClone(baseline);
  for (const m of mutations) {
    if (m.kind === 'wrap') {
      body = m.how === 'array' ? [body] : m.how === 'object' ? { body } : jsonText(body);
      continue;
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) continue;
    const root = body as Record<string, unknown>;
    const path = m.kind === 'pollute' ? (m.at ? [...m.at.split('.'), m.key] : [m.key]) : m.field.split('.');
    let parent = root;
    for (const step of path.slice(0, -1)) {
      const child = Object.prototype.hasOwnProperty.call(parent, step) ? parent[step] : undefined;
      if (typeof child !== 'object' || child === null || Array.isArray(child)) setOwn(parent, step, {});
      parent = parent[step] as Record<string, unknown>;
    }
    const last = path[path.length - 1]!;
    if (m.kind === 'delete') delete parent[last];
    else setOwn(parent, last, m.kind === 'set' ? m.value : pollution());
  }
  return body;
}

/** A valid body and the field names it may carry (dotted for nested objects). */
function nearValid(baseline: Record<string, unknown>, fields: string[]): fc.Arbitrary<string> {
  const objectFields = [null, ...Object.keys(baseline).filter((k) => typeof baseline[k] === 'object' && baseline[k] !== null && !Array.isArray(baseline[k]))];
  const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('set' as const), field: fc.constantFrom(...fields), value: anyValue }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), field: fc.constantFrom(...fields) }) },
    {
      weight: 2,
      arbitrary: fc.record({ kind: fc.constant('pollute' as const), at: fc.constantFrom(...objectFields), key: fc.constantFrom(...POLLUTING_KEYS) }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('wrap' as const), how: fc.constantFrom('array' as const, 'object' as const, 'string' as const) }) },
  );
  return fc.array(mutation, { minLength: 1, maxLength: 3 }).map((mutations) => jsonText(apply(baseline, mutations)));
}

/** The field names of a zod object, with those of its nested objects as seen in the valid body. */
function fieldsOf(shape: Record<string, unknown>, baseline: Record<string, unknown>) {
  const nestedFields = Object.entries(baseline).flatMap(([k, v]) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v).map((sub) => `${k}.${sub}`) : [],
  );
  return [...Object.keys(shape), ...nestedFields];
}

/** What the database holds for a string the API was given: PostgreSQL text is UTF-8, so a lone surrogate reads back as U+FFFD. */
const asStored = (text: string) => Buffer.from(text, 'utf8').toString('utf8');

interface Target {
  name: string;
  call: () => Call;
  path: () => string;
  baseline: () => Record<string, unknown>;
  fields: () => string[];
  /** A 2xx answer: what it says it stored is in the database. */
  stored: (answer: Record<string, unknown>, sent: Record<string, unknown>) => Promise<void>;
}

describe('request fuzzing: every body schema against the real API', () => {
  let api: ApiWorld;
  let p: Awaited<ReturnType<ApiWorld['newPartnerCompany']>>;
  let other: Awaited<ReturnType<ApiWorld['newPartnerCompany']>>;
  let deskAgent: Call;
  let deskAdmin: Call;
  let openApi: OpenAPIV3_1.Document;
  const open: Record<'reply' | 'reject' | 'question' | 'comment', string> = { reply: '', reject: '', question: '', comment: '' };
  /** Decisions that answered 2xx: their timeline event must turn up. */
  const decided: Array<{ requestId: string; action: string; comment: string }> = [];
  /** Replies that answered 202 (a signal: the workflow takes one answer per question). */
  const replies: string[] = [];
  const seen = new Map<string, Map<number, number>>();
  /** Requests the API accepted (201): their workflows must not reject them for their input. */
  const accepted: string[] = [];
  /** The partner's license (locked to `mac`, its SMA running), another company's, and an upgrade target. */
  let own: { serial: string };
  let others: { serial: string };
  let enterprise: { id: string };
  /** The partner is a distributor (so that it may reship stock), and this is its dealer. */
  let dealer: { id: string };

  const statusOf = async (id: string) => (await api.world.prisma.request.findUniqueOrThrow({ where: { id } })).status;
  const waitForStatus = (id: string, status: string) => until(async () => ((await statusOf(id)) === status ? true : undefined), `${id} ${status}`);

  beforeAll(async () => {
    api = await startApiWorld();
    [p, other] = await Promise.all([api.newPartnerCompany({ stock: 1_000 }), api.newPartnerCompany()]);
    const [agent, admin] = await Promise.all([api.newDeskUser('DESK_AGENT'), api.newDeskUser('DESK_ADMIN')]);
    [deskAgent, deskAdmin] = await Promise.all([api.as(agent.id), api.as(admin.id)]);
    const license = (owner: typeof p) =>
      api.world.prisma.license.create({
        data: {
          serial: generateSerial((n) => new Uint8Array(randomBytes(n))),
          companyId: owner.company.id,
          productId: owner.product.id,
          channels: 16,
          lockType: 'MAC',
          macAddress: mac.replaceAll(':', ''),
          endUserCompany: 'Fuzz Oy',
          status: 'ACTIVE',
          currentRevision: 1,
          // Renewable: the SMA of the partner's product (12 months) runs for another 20 days.
          smaStart: new Date(Date.now() - 345 * 86_400_000),
          smaEnd: new Date(Date.now() + 20 * 86_400_000),
        },
      });
    [own, others, enterprise, dealer] = await Promise.all([
      license(p),
      license(other),
      api.world.prisma.product.create({
        data: {
          code: `V9-ENT-${p.tag}`,
          name: `V9 Enterprise ${p.tag}`,
          family: 'Mirasys VMS',
          version: '9.0',
          tier: 'ENTERPRISE',
          maxChannels: 250,
          lockType: 'MAC',
        },
      }),
      api.world.prisma.company
        .update({ where: { id: p.company.id }, data: { kind: 'DISTRIBUTOR' } })
        .then(() => api.world.prisma.company.create({ data: { name: `Dealer ${p.tag}`, kind: 'DEALER', parentId: p.company.id } })),
    ]);
    openApi = (await (await deskAgent('/api/openapi.json')).json()) as OpenAPIV3_1.Document;
    // One pending request per decision route, so that a valid body can succeed once.
    await Promise.all(
      (Object.keys(open) as Array<keyof typeof open>).map(async (purpose) => {
        const response = await p.asUser('/api/requests', { method: 'POST', body: { ...bodies.NEW_INSTALLATION(), endUserCompany: `Fuzz ${purpose}` } });
        expect(response.status).toBe(201);
        open[purpose] = ((await response.json()) as { id: string }).id;
        await waitForStatus(open[purpose], 'PENDING_APPROVAL');
      }),
    );
    expect((await deskAgent(`/api/requests/${open.reply}/request-information`, { method: 'POST', body: { question: 'Which site is it for?' } })).status).toBe(
      200,
    );
    await waitForStatus(open.reply, 'WAITING_FOR_PARTNER');
  }, 120_000);
  afterAll(async () => {
    console.log(`[fuzz] statuses per endpoint: ${JSON.stringify(Object.fromEntries([...seen].map(([k, v]) => [k, Object.fromEntries(v)])))}`);
    await api?.stop();
  });
  afterEach(() => {
    // The API runs in this process: a polluted prototype would show here.
    expect(Object.keys(Object.prototype)).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  const mac = '00:1b:21:3a:4f:70';
  const deliveryEmails = () => [p.deliveryEmail];
  const bodies = {
    NEW_INSTALLATION: () => ({
      type: 'NEW_INSTALLATION',
      productId: p.product.id,
      channels: 2,
      lock: { type: 'MAC', value: mac },
      endUserCompany: 'Fuzz Oy',
      deliveryEmails: deliveryEmails(),
    }),
    CHANNEL_EXPANSION: () => ({ type: 'CHANNEL_EXPANSION', serial: own.serial, macAddress: mac, channels: 2, deliveryEmails: deliveryEmails() }),
    STOCK_ADDITION: () => ({ type: 'STOCK_ADDITION', productId: p.product.id, channels: 5, orderReference: 'PO-FUZZ-1', deliveryEmails: deliveryEmails() }),
    UPGRADE: () => ({ type: 'UPGRADE', serial: own.serial, macAddress: mac, targetProductId: enterprise.id, deliveryEmails: deliveryEmails() }),
    OWNERSHIP_CHANGE: () => ({
      type: 'OWNERSHIP_CHANGE',
      serials: [others.serial],
      currentOwnerCompanyId: other.company.id,
      newOwnerCompanyId: p.company.id,
      deliveryEmails: deliveryEmails(),
    }),
    HARDWARE_REPLACEMENT: () => ({
      type: 'HARDWARE_REPLACEMENT',
      serial: own.serial,
      oldLock: { type: 'MAC', value: mac },
      newLock: { type: 'MAC', value: '00:1b:21:3a:4f:71' },
      reason: 'The server burnt out',
      deliveryEmails: deliveryEmails(),
    }),
    RETURN_CONFIRMATION: () => ({ type: 'RETURN_CONFIRMATION', serial: own.serial, channels: 1, deliveryEmails: deliveryEmails() }),
    PARTIAL_TRANSFER: () => ({
      type: 'PARTIAL_TRANSFER',
      serial: own.serial,
      channels: 2,
      targetCompanyId: other.company.id,
      lock: { type: 'MAC', value: '00:1b:21:3a:4f:72' },
      endUserCompany: 'Fuzz Site B Oy',
      deliveryEmails: deliveryEmails(),
    }),
    STOCK_RESHIP: () => ({
      type: 'STOCK_RESHIP',
      productId: p.product.id,
      dealerCompanyId: dealer.id,
      channels: 1,
      note: 'SO-FUZZ-1',
      deliveryEmails: deliveryEmails(),
    }),
    SMA_RENEWAL: () => ({ type: 'SMA_RENEWAL', serials: [own.serial], deliveryEmails: deliveryEmails() }),
  } satisfies Record<RequestType, () => Record<string, unknown>>;
  // Keyed by every request type, so that tsc refuses this file until a new type has a valid body and its schema here.
  const schemas: Record<RequestType, { shape: Record<string, unknown> }> = {
    NEW_INSTALLATION: newInstallationForm,
    CHANNEL_EXPANSION: channelExpansionForm,
    STOCK_ADDITION: stockAdditionForm,
    UPGRADE: upgradeForm,
    OWNERSHIP_CHANGE: ownershipChangeForm,
    HARDWARE_REPLACEMENT: hardwareReplacementForm,
    RETURN_CONFIRMATION: returnConfirmationForm,
    PARTIAL_TRANSFER: partialTransferForm,
    STOCK_RESHIP: stockReshipForm,
    SMA_RENEWAL: smaRenewalForm,
  };

  const formTargets: Target[] = (Object.keys(bodies) as Array<keyof typeof bodies>).map((type) => ({
    name: `POST /api/requests ${type}`,
    call: () => p.asUser,
    path: () => '/api/requests',
    baseline: bodies[type],
    fields: () => fieldsOf(schemas[type].shape, bodies[type]()),
    stored: async (answer, sent) => {
      const row = await api.world.prisma.request.findUnique({ where: { id: String(answer.id) } });
      expect(row, 'the created request is in the database').not.toBeNull();
      expect(row).toMatchObject({ type: sent.type, companyId: p.company.id, requesterId: p.user.id, workflowId: `request-${row!.id}` });
      // The stored form is the one the API answered with.
      expect(row!.payload).toEqual(answer.payload);
      expect((row!.payload as { type: string }).type).toBe(type);
      accepted.push(row!.id);
    },
  }));

  /** The body fields of a route, as the OpenAPI document (from the route's zod schema) lists them. */
  const bodyFields = (path: string) => {
    const schema = (openApi.paths?.[path]?.post?.requestBody as OpenAPIV3_1.RequestBodyObject | undefined)?.content['application/json']?.schema as
      OpenAPIV3_1.SchemaObject | undefined;
    const fields = Object.keys(schema?.properties ?? {});
    if (!fields.length) throw new Error(`The OpenAPI document has no body fields for POST ${path}`);
    return fields;
  };
  const decision = (route: 'reject' | 'request-information', purpose: keyof typeof open, field: string, action: string, who: () => Call): Target => ({
    name: `POST /api/requests/{id}/${route}`,
    call: who,
    path: () => `/api/requests/${open[purpose]}/${route}`,
    baseline: () => ({ [field]: `A ${route} from the fuzzer` }),
    fields: () => bodyFields(`/api/requests/{id}/${route}`),
    stored: async (_answer, sent) => {
      decided.push({ requestId: open[purpose], action, comment: asStored(String(sent[field]).trim()) });
    },
  });
  const otherTargets: Target[] = [
    {
      name: 'POST /api/requests/{id}/reply',
      call: () => p.asUser,
      path: () => `/api/requests/${open.reply}/reply`,
      baseline: () => ({ message: 'A reply from the fuzzer' }),
      fields: () => bodyFields('/api/requests/{id}/reply'),
      stored: async (_answer, sent) => {
        replies.push(asStored(String(sent.message).trim()));
      },
    },
    decision('reject', 'reject', 'reason', 'request_rejected', () => deskAgent),
    decision('request-information', 'question', 'question', 'information_requested', () => deskAgent),
    {
      name: 'POST /api/requests/{id}/comments',
      call: () => p.asUser,
      path: () => `/api/requests/${open.comment}/comments`,
      baseline: () => ({ body: 'A comment from the fuzzer' }),
      fields: () => bodyFields('/api/requests/{id}/comments'),
      stored: async (answer, sent) => {
        const row = await api.world.prisma.requestComment.findUnique({ where: { id: String(answer.id) } });
        expect(row, 'the comment is in the database').not.toBeNull();
        expect(row).toMatchObject({ requestId: open.comment, authorId: p.user.id, body: answer.body, partnerVisible: true });
        expect(row!.body).toBe(asStored(String(sent.body).trim()));
      },
    },
    {
      name: 'POST /api/stocks/adjust',
      call: () => deskAdmin,
      path: () => '/api/stocks/adjust',
      baseline: () => ({ companyId: p.company.id, productId: p.product.id, channels: 5, reason: 'Fuzzed adjustment' }),
      fields: () => bodyFields('/api/stocks/adjust'),
      stored: async (answer, sent) => {
        const entry = answer.entry as { id: string };
        const row = await api.world.prisma.stockLedgerEntry.findUnique({ where: { id: BigInt(entry.id) } });
        expect(row, 'the ledger entry is in the database').not.toBeNull();
        expect(row).toMatchObject({
          companyId: sent.companyId,
          productId: sent.productId,
          kind: Number(sent.channels) > 0 ? 'CREDIT' : 'DEBIT',
          channels: Math.abs(Number(sent.channels)),
        });
        expect(row!.note).toBe(asStored(String(sent.reason).trim()));
      },
    },
  ];

  /** Sends `text` as the JSON body and holds the answer to the properties. */
  async function send(target: Target, text: string) {
    const response = await target.call()(target.path(), { method: 'POST', raw: text, headers: { 'content-type': 'application/json' } });
    const answer = await response.text();
    const what = `${target.name} answered ${response.status} to ${text.slice(0, 300)}${text.length > 300 ? `… (${text.length} chars)` : ''}\n→ ${answer.slice(0, 300)}`;
    const counts = seen.get(target.name) ?? new Map<number, number>();
    counts.set(response.status, (counts.get(response.status) ?? 0) + 1);
    seen.set(target.name, counts);
    if (response.status >= 500) {
      // The server's own account of the failure, from its log line with the request id.
      const requestId = (JSON.parse(answer) as { requestId?: string }).requestId;
      const logged = api.logLines.find((line) => requestId && line.includes(requestId) && line.includes('"err"'));
      const err = logged ? (JSON.parse(logged) as { err?: { type?: string; message?: string; stack?: string } }).err : undefined;
      expect.fail(`${what}\nserver error: ${err?.type}: ${err?.message?.slice(0, 500)}\n${err?.stack?.split('\n').slice(1, 8).join('\n')}`);
    }
    let parsed: unknown;
    expect(() => (parsed = JSON.parse(answer)), what).not.toThrow();
    if (response.status >= 400) {
      const message = (parsed as { message?: unknown }).message;
      expect(typeof message, what).toBe('string');
      expect((message as string).trim().length, what).toBeGreaterThan(3);
      return;
    }
    expect(response.status, what).toBeGreaterThanOrEqual(200);
    await target.stored(parsed as Record<string, unknown>, JSON.parse(text) as Record<string, unknown>);
  }

  for (const target of [...formTargets, ...otherTargets]) {
    it(`${target.name}: any JSON, any text and near-valid bodies get a 4xx with a message or are stored`, async () => {
      // The valid body is valid, and its fields are the schema's: otherwise near-valid means nothing.
      const fields = target.fields();
      for (const key of Object.keys(target.baseline())) expect(fields, target.name).toContain(key);
      await send(target, jsonText(target.baseline()));
      await fc.assert(
        fc.asyncProperty(fc.jsonValue().map(jsonText), (text) => send(target, text)),
        settings(RUNS.anyJson),
      );
      await fc.assert(
        fc.asyncProperty(fc.string({ unit: codeUnit, maxLength: 200 }), (text) => send(target, text)),
        settings(RUNS.anyText),
      );
      await fc.assert(
        fc.asyncProperty(nearValid(target.baseline(), fields), (text) => send(target, text)),
        settings(RUNS.nearValid),
      );
    }, 60_000);
  }

  it('every valid request form was accepted, and each accepted decision and the answer to the question show on the timeline', async () => {
    for (const target of formTargets) expect(seen.get(target.name)?.get(201), target.name).toBeGreaterThan(0);
    const verdict = await expectNoInputRejections(api.world.prisma, accepted);
    console.log(`[fuzz] ${verdict.checked} accepted requests checked by their workflows; ${verdict.stockShortages} rejected for a short stock`);
    expect(decided.length).toBeGreaterThanOrEqual(2);
    // Every reply the API accepted is on the timeline, in order; the rest were refused (409)
    // once the desk had its answer.
    expect(replies.length).toBeGreaterThan(0);
    const answered = await until(async () => {
      const events = await api.world.prisma.historyEvent.findMany({ where: { requestId: open.reply, action: 'partner_replied' }, orderBy: { id: 'asc' } });
      return events.length >= replies.length ? events : undefined;
    }, 'a partner_replied event for each accepted reply');
    expect(answered.map((e) => e.comment)).toEqual(replies);
    for (const d of decided) {
      await until(
        async () =>
          (await api.world.prisma.historyEvent.count({ where: { requestId: d.requestId, action: d.action, comment: d.comment } })) > 0 ? true : undefined,
        `${d.action} "${d.comment.slice(0, 40)}" on the timeline of ${d.requestId}`,
      );
    }
  }, 240_000);
});
