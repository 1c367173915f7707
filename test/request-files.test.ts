import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUEST_FILE_FORMAT } from '../domain/request-file.ts';
import { confirmReturnUpdate } from '../workflows/messages.ts';
import { startApiWorld, until, type ApiWorld, type Call } from './support/api-harness.ts';
import { balanceOf } from './support/request-harness.ts';
import { expectUpdateRefused } from './support/request-steps.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies in assertions
type Partner = Awaited<ReturnType<ApiWorld['newPartnerCompany']>>;

const REPLAYED =
  'This request file was used already: each request file is accepted once. Write a new request file on the installation with the generator, and give that one.';

/**
 * Request files (docs/request-file.md) through the API, on the real worker, Temporal, database
 * and SMTP catcher: a new installation, a channel expansion and a return take the file instead of
 * the typed lock, a return is confirmed by the reduced installation's file, and each refusal is a
 * 4xx in words.
 */
describe('request files through the API', () => {
  let api: ApiWorld;
  let agent: Call;
  let p: Partner;
  let other: Partner;
  const MAC = 'c8d9d29aa31b';

  beforeAll(async () => {
    api = await startApiWorld();
    agent = await api.as((await api.newDeskUser('DESK_AGENT')).id);
    [p, other] = await Promise.all([api.newPartnerCompany({ stock: 100 }), api.newPartnerCompany({ stock: 10 })]);
  }, 120_000);
  afterAll(() => api?.stop());

  /** A request file's text, as the generator writes it; each call has a new nonce. */
  const requestFile = (changes: Record<string, unknown> = {}) =>
    JSON.stringify(
      {
        format: REQUEST_FILE_FORMAT,
        product: p.product.code,
        hardware: { type: 'MAC', mac: 'c8:d9:d2:9a:a3:1b' },
        installationId: `recorder-${p.tag}`,
        channels: 0,
        createdAt: new Date().toISOString(),
        nonce: randomBytes(18).toString('base64url'),
        ...changes,
      },
      null,
      2,
    );
  const installation = (changes: Record<string, unknown> = {}) => ({
    type: 'NEW_INSTALLATION',
    productId: p.product.id,
    channels: 16,
    endUserCompany: 'Jess Laptop Oy',
    deliveryEmails: [p.deliveryEmail],
    ...changes,
  });

  const json = async (response: Response | Promise<Response>, status = 200): Promise<Json> => {
    const r = await response;
    const body = (await r.json()) as Json;
    expect(r.status, JSON.stringify(body)).toBe(status);
    return body;
  };
  const submit = (body: object) => json(p.asUser('/api/requests', { method: 'POST', body }), 201);
  /** Posts the body, expects a 422 on `field` and that nothing was recorded; answers its message. */
  async function refused(body: object, field = 'requestFile') {
    const before = await api.world.prisma.request.count({ where: { companyId: p.company.id } });
    const answer = await json(p.asUser('/api/requests', { method: 'POST', body }), 422);
    expect(answer.errors[field], JSON.stringify(answer)).toBe(answer.message);
    expect(await api.world.prisma.request.count({ where: { companyId: p.company.id } })).toBe(before);
    return answer.message as string;
  }
  async function waitForStatus(id: string, status: string) {
    return until(async () => {
      const r = await json(p.asUser(`/api/requests/${id}`));
      return r.status === status ? r : undefined;
    }, `request ${id} to be ${status}`);
  }
  const confirm = (id: string, text: string, fileName = 'reduced.json') => {
    const form = new FormData();
    form.append('file', new Blob([text]), fileName);
    return p.asUser(`/api/requests/${id}/confirm-return`, { method: 'POST', raw: form });
  };

  let license: { id: string; serial: string };

  it('a new installation takes its lock from the request file, and the same file is not taken twice', async () => {
    const file = requestFile();
    const created = await submit(installation({ requestFile: file }));
    const row = await api.world.prisma.request.findUniqueOrThrow({ where: { id: created.id as string }, include: { requestFileUses: true } });
    expect(row.payload).toMatchObject({ lock: { type: 'MAC', value: MAC }, requestFile: file });
    expect(row.requestFileUses).toMatchObject([{ purpose: 'SUBMISSION', installationId: `recorder-${p.tag}` }]);

    // A replay: the same file again, alone or with the lock typed.
    expect(await refused(installation({ requestFile: file }))).toBe(REPLAYED);
    expect(await refused(installation({ requestFile: file, lock: { type: 'MAC', value: MAC } }))).toBe(REPLAYED);

    await waitForStatus(created.id as string, 'PENDING_APPROVAL');
    await json(agent(`/api/requests/${created.id}/approve`, { method: 'POST', body: {} }));
    const done = await waitForStatus(created.id as string, 'COMPLETED');
    license = await api.world.prisma.license.findUniqueOrThrow({ where: { id: done.licenseId as string } });
    expect(license).toMatchObject({ macAddress: MAC, channels: 16 });
  });

  it('refuses at submission a file that is not JSON, of another format, too large, for another product or of a licensed installation', async () => {
    expect(await refused(installation({ requestFile: '{"format": "license-desk-request-file/1", ' }))).toBe(
      'The request file is not valid JSON, so it is not a License Desk request file. Give the file the generator wrote, unchanged.',
    );
    expect(await refused(installation({ requestFile: '<?xml version="1.0"?><lrq/>' }))).toMatch(/^The request file is not valid JSON/);
    expect(await refused(installation({ requestFile: JSON.stringify({ format: 'milestone-lrq/2', slc: 'M01-C01-213-01-ABCDEF' }) }))).toBe(
      'The request file is not a License Desk request file: its "format" must be "license-desk-request-file/1". Create it with the License Desk request file generator on the installation (docs/request-file.md).',
    );
    expect(await refused(installation({ requestFile: requestFile({ padding: 'x'.repeat(20_000) }) }))).toBe(
      'The request file is 20 KB; a request file is at most 16 KB. Give the file the generator wrote, unchanged.',
    );
    expect(await refused(installation({ requestFile: requestFile({ product: other.product.code }) }))).toBe(
      `The request file is for product ${other.product.code}, but the product chosen is ${p.product.name} (${p.product.code}). Give the request file of a ${p.product.name} installation.`,
    );
    expect(await refused(installation({ requestFile: requestFile({ channels: 16 }) }))).toBe(
      'The request file shows 16 channels, so the installation is licensed already; for more channels ask for a channel expansion, or give the request file of the new installation (0 channels).',
    );
    expect(await refused(installation({ requestFile: requestFile({ hardware: { type: 'MAC', mac: '01:00:5e:00:00:01' } }) }))).toMatch(
      /^The request file's MAC address "01:00:5e:00:00:01" is not valid: MAC address 01:00:5e:00:00:01 is a multicast address/,
    );
    expect(await refused(installation({ requestFile: requestFile(), lock: { type: 'MAC', value: '001b213a4f70' } }), 'lock')).toBe(
      "The MAC address typed is not the request file's MAC address c8d9d29aa31b; give the request file alone, or the lock the file names.",
    );
  });

  it("a channel expansion takes the MAC from the file, which must be of the license's installation", async () => {
    const expansion = (file: string) => ({
      type: 'CHANNEL_EXPANSION',
      serial: license.serial,
      channels: 4,
      requestFile: file,
      deliveryEmails: [p.deliveryEmail],
    });
    expect(await refused(expansion(requestFile({ channels: 16, hardware: { type: 'MAC', mac: '001b213a4f70' } })))).toBe(
      `The request file is of the installation with MAC 001b213a4f70, but license ${license.serial} is locked to MAC ${MAC}. Give the request file of that installation.`,
    );
    expect(await refused(expansion(requestFile({ channels: 16, product: other.product.code })))).toBe(
      `The request file is for product ${other.product.code}, but license ${license.serial}'s product is ${p.product.name} (${p.product.code}). Give the request file of a ${p.product.name} installation.`,
    );
    const created = await submit(expansion(requestFile({ channels: 16 })));
    expect((await api.world.prisma.request.findUniqueOrThrow({ where: { id: created.id as string } })).payload).toMatchObject({ macAddress: MAC });
    await json(p.asUser(`/api/requests/${created.id}/cancel`, { method: 'POST', body: { reason: 'Asked by mistake' } }));
    await waitForStatus(created.id as string, 'CANCELLED');
  });

  it('a return is confirmed by the request file of the reduced installation, and refused with a file that does not show it', async () => {
    const ret = await submit({
      type: 'RETURN_CONFIRMATION',
      serial: license.serial,
      channels: 6,
      requestFile: requestFile({ channels: 16 }),
      deliveryEmails: [p.deliveryEmail],
    });
    const id = ret.id as string;
    await waitForStatus(id, 'PENDING_APPROVAL');
    await json(agent(`/api/requests/${id}/approve`, { method: 'POST', body: {} }));
    await waitForStatus(id, 'WAITING_CONFIRM');

    /** A confirmation refused at the route (422) on `file`, storing nothing. */
    const refusedConfirmation = async (text: string, fileName?: string) => {
      const answer = await json(confirm(id, text, fileName), 422);
      expect(answer.errors.file).toBe(answer.message);
      expect(await api.world.prisma.requestAttachment.count({ where: { requestId: id } })).toBe(0);
      return answer.message as string;
    };
    // The file of the installation before the reduced license was imported: 16, not 10.
    expect(await refusedConfirmation(requestFile({ channels: 16 }))).toBe(
      'The request file shows 16 channels; after the return the license has 10. Import the reduced license on the installation, then write its request file again and confirm with that file.',
    );
    expect(await refusedConfirmation('REQUEST 10 CHANNELS', 'reduced.req')).toMatch(/^The request file is not valid JSON/);
    expect(await refusedConfirmation(requestFile({ channels: 10, hardware: { type: 'MAC', mac: '001b213a4f70' } }))).toBe(
      `The request file is of the installation with MAC 001b213a4f70, but license ${license.serial} is locked to MAC ${MAC}. Give the request file of that installation.`,
    );
    const used = (await api.world.prisma.requestFileUse.findFirstOrThrow({ where: { requestId: id } })).nonce;
    expect(await refusedConfirmation(requestFile({ channels: 10, nonce: used }))).toBe(REPLAYED);

    // The workflow checks the channels too, when the update comes another way.
    const handle = api.world.client.workflow.getHandle(ret.workflowId as string);
    await expectUpdateRefused(
      handle.executeUpdate(confirmReturnUpdate, { args: [{ actor: p.actor, requestFile: { channels: 12, installationId: 'x' } }] }),
      'The request file shows 12 channels; after the return the license has 10. Import the reduced license on the installation, then write its request file again and confirm with that file.',
    );

    const reduced = requestFile({ channels: 10 });
    const confirmed = await json(confirm(id, reduced));
    expect(confirmed.message).toMatch(/is confirmed; its channels go back to your stock/);
    const done = await waitForStatus(id, 'COMPLETED');
    expect(done.attachments).toMatchObject([{ kind: 'REQUEST_FILE', fileName: 'reduced.json' }]);
    expect(await api.world.prisma.requestFileUse.findMany({ where: { requestId: id }, orderBy: { purpose: 'asc' } })).toMatchObject([
      { purpose: 'RETURN_CONFIRMATION', nonce: JSON.parse(reduced).nonce as string },
      { purpose: 'SUBMISSION' },
    ]);
    expect(await api.world.prisma.license.findUniqueOrThrow({ where: { id: license.id } })).toMatchObject({ channels: 10, status: 'ACTIVE' });
    // 100 credited, 16 consumed by the installation, 6 returned.
    expect(await balanceOf(api.world.prisma, p.company.id, p.product.id)).toMatchObject({ available: 90, reserved: 0 });
  });
});
