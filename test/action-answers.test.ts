import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionAnswer } from '../api/answer-shapes.ts';
import type { RequestPhase } from '../workflows/messages.ts';
import { rmaReceivedSignal } from '../workflows/messages.ts';
import { startApiWorld, until, type ApiWorld, type Call } from './support/api-harness.ts';
import { waitForPhase } from './support/request-harness.ts';
import { startAlwaysOpenReplacement } from './support/request-steps.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies in assertions
type Partner = Awaited<ReturnType<ApiWorld['newPartnerCompany']>>;

async function json(response: Response | Promise<Response>, status = 200): Promise<Json> {
  const r = await response;
  const body = (await r.json()) as Json;
  expect(r.status, JSON.stringify(body)).toBe(status);
  return body;
}

/** A refusal: the status, and the sentence the caller reads (with the field it is about, if any). */
async function expectRefused(response: Promise<Response>, status: number, message: string, field?: string) {
  expect(await json(response, status)).toEqual({ message, ...(field ? { errors: { [field]: message } } : {}) });
}

/**
 * Every action route on a request (approve, reject, request-information, reply, cancel,
 * confirm-return, consent, rma-received, external-file) answers in one shape,
 * api/answer-shapes.ts's actionAnswer: the request's id and reference, its status as the database
 * has it when the answer leaves, the phase the workflow answered with, and the sentence the caller
 * reads. Each route is driven once against the real worker and database.
 */
describe('the answers of the action routes', () => {
  let api: ApiWorld;
  let agent: Call;
  beforeAll(async () => {
    api = await startApiWorld();
    agent = await api.as((await api.newDeskUser('DESK_AGENT')).id);
  });
  afterAll(() => api?.stop());

  async function waitForStatus(caller: Call, id: string, status: string) {
    return until(async () => {
      const r = await json(caller(`/api/requests/${id}`));
      return r.status === status ? r : undefined;
    }, `request ${id} to be ${status}`);
  }

  /** Waits until the request is `status` in the database and its workflow is in `phase`. */
  async function waitFor(caller: Call, id: string, status: string, phase: RequestPhase) {
    const request = await waitForStatus(caller, id, status);
    await waitForPhase(api.world.client, request.workflowId, phase);
    return request as Json & { id: string; number: number; workflowId: string };
  }

  /**
   * The one shape, and nothing beside it: the answer parses with the published schema, has
   * exactly its fields (plus `extra`), and says `message`. `statuses` are the request's status
   * before the workflow moves it on and after: the answer may leave on either side of that.
   */
  function expectAnswer(body: Json, request: { id: string; number: number }, phase: RequestPhase, message: unknown, statuses: string[], extra: string[] = []) {
    expect(actionAnswer.safeParse(body).error).toBeUndefined();
    expect(Object.keys(body).sort()).toEqual(['id', 'message', 'phase', 'reference', 'status', ...extra].sort());
    expect(body).toMatchObject({ id: request.id, reference: `LD-${String(request.number).padStart(6, '0')}`, phase, message });
    expect(statuses).toContain(body.status);
  }

  const reference = (request: { number: number }) => `LD-${String(request.number).padStart(6, '0')}`;

  function newInstallation(p: Partner, mac: string, channels = 4) {
    return json(
      p.asUser('/api/requests', {
        method: 'POST',
        body: {
          type: 'NEW_INSTALLATION',
          productId: p.product.id,
          channels,
          lock: { type: 'MAC', value: mac },
          endUserCompany: `End user ${p.tag}`,
          deliveryEmails: [p.deliveryEmail],
        },
      }),
      201,
    );
  }

  async function issueLicense(p: Partner, mac: string, channels = 4) {
    const { id } = await newInstallation(p, mac, channels);
    await waitForStatus(p.asUser, id, 'PENDING_APPROVAL');
    await json(agent(`/api/requests/${id}/approve`, { method: 'POST', body: {} }));
    const done = await waitForStatus(p.asUser, id, 'COMPLETED');
    return { licenseId: done.licenseId as string, serial: done.serial as string };
  }

  it('request-information, reply, approve and reject answer the request, its status and phase, and a sentence', async () => {
    const p = await api.newPartnerCompany({ stock: 20 });
    const asked = await waitFor(p.asUser, (await newInstallation(p, '02:1b:21:3a:50:01')).id, 'PENDING_APPROVAL', 'awaiting_decision');
    expectAnswer(
      await json(agent(`/api/requests/${asked.id}/request-information`, { method: 'POST', body: { question: 'Which site is it for?' } })),
      asked,
      'waiting_for_partner',
      `The question is sent; ${reference(asked)} waits for the partner's answer.`,
      ['PENDING_APPROVAL', 'WAITING_FOR_PARTNER'],
    );
    await waitFor(p.asUser, asked.id, 'WAITING_FOR_PARTNER', 'waiting_for_partner');
    expectAnswer(
      await json(p.asUser(`/api/requests/${asked.id}/reply`, { method: 'POST', body: { message: 'The Espoo office' } }), 202),
      asked,
      'waiting_for_partner',
      'Your answer was sent to the desk.',
      ['WAITING_FOR_PARTNER', 'PENDING_APPROVAL'],
    );
    await waitFor(p.asUser, asked.id, 'PENDING_APPROVAL', 'awaiting_decision');
    expectAnswer(
      await json(agent(`/api/requests/${asked.id}/approve`, { method: 'POST', body: { comment: 'Site checked' } })),
      asked,
      'awaiting_decision',
      `${reference(asked)} is approved; the workflow carries it out now.`,
      ['PENDING_APPROVAL', 'PROCESSING', 'COMPLETED'],
    );
    await waitForStatus(p.asUser, asked.id, 'COMPLETED');

    const refused = await waitFor(p.asUser, (await newInstallation(p, '02:1b:21:3a:50:02')).id, 'PENDING_APPROVAL', 'awaiting_decision');
    expectAnswer(
      await json(agent(`/api/requests/${refused.id}/reject`, { method: 'POST', body: { reason: 'Duplicate order' } })),
      refused,
      'awaiting_decision',
      `${reference(refused)} is rejected; the partner is told why.`,
      ['PENDING_APPROVAL', 'REJECTED'],
    );
    await waitForStatus(p.asUser, refused.id, 'REJECTED');
    // rma-received belongs to hardware replacements: any other type is refused before the workflow is asked.
    await expectRefused(
      agent(`/api/requests/${refused.id}/rma-received`, { method: 'POST', body: {} }),
      409,
      'Only a hardware replacement waits for returned hardware',
      'id',
    );
  });

  it('confirm-return, consent (given and refused) and external-file answer in the same shape', async () => {
    const p = await api.newPartnerCompany({ stock: 20 });
    const returned = await issueLicense(p, '02:1b:21:3a:50:03', 6);
    const { id: returnId } = await json(
      p.asUser('/api/requests', {
        method: 'POST',
        body: { type: 'RETURN_CONFIRMATION', serial: returned.serial, channels: 2, deliveryEmails: [p.deliveryEmail] },
      }),
      201,
    );
    await waitForStatus(p.asUser, returnId, 'PENDING_APPROVAL');
    await json(agent(`/api/requests/${returnId}/approve`, { method: 'POST', body: {} }));
    const confirming = await waitFor(p.asUser, returnId, 'WAITING_CONFIRM', 'waiting_confirm');
    expectAnswer(
      await json(p.asUser(`/api/requests/${returnId}/confirm-return`, { method: 'POST' })),
      confirming,
      'waiting_confirm',
      `The return of ${reference(confirming)} is confirmed; its channels go back to your stock.`,
      ['WAITING_CONFIRM', 'PROCESSING', 'COMPLETED'],
    );
    await waitForStatus(p.asUser, returnId, 'COMPLETED');

    // The current owner's admin answers an ownership change: first a refusal, then a consent.
    const owner = await api.newPartnerCompany({ stock: 10 });
    const buyer = await api.newPartnerCompany();
    const moving = await issueLicense(owner, '02:1b:21:3a:50:04');
    const ownershipChange = () =>
      json(
        buyer.asAdmin('/api/requests', {
          method: 'POST',
          body: {
            type: 'OWNERSHIP_CHANGE',
            serials: [moving.serial],
            currentOwnerCompanyId: owner.company.id,
            newOwnerCompanyId: buyer.company.id,
            deliveryEmails: [buyer.deliveryEmail],
          },
        }),
        201,
      );
    const declined = await waitFor(owner.asAdmin, (await ownershipChange()).id, 'WAITING_FOR_CONSENT', 'awaiting_consent');
    expectAnswer(
      await json(owner.asAdmin(`/api/requests/${declined.id}/consent`, { method: 'POST', body: { consent: false, comment: 'Not sold after all' } })),
      declined,
      'awaiting_consent',
      `Your refusal is recorded; ${reference(declined)} closes and the licenses stay with your company.`,
      ['WAITING_FOR_CONSENT', 'REJECTED'],
    );
    await waitForStatus(owner.asAdmin, declined.id, 'REJECTED');
    const consented = await waitFor(owner.asAdmin, (await ownershipChange()).id, 'WAITING_FOR_CONSENT', 'awaiting_consent');
    expectAnswer(
      await json(owner.asAdmin(`/api/requests/${consented.id}/consent`, { method: 'POST', body: { consent: true } })),
      consented,
      'awaiting_consent',
      `Your consent is recorded; the desk decides ${reference(consented)} next.`,
      ['WAITING_FOR_CONSENT', 'PENDING_APPROVAL'],
    );
    await waitForStatus(owner.asAdmin, consented.id, 'PENDING_APPROVAL');

    const ext = await api.newPartnerCompany({ stock: 8, external: true });
    const { id: externalId } = await newInstallation(ext, '02:1b:21:3a:50:05', 2);
    await waitForStatus(ext.asUser, externalId, 'PENDING_APPROVAL');
    await json(agent(`/api/requests/${externalId}/approve`, { method: 'POST', body: {} }));
    const waitingForFile = await waitFor(ext.asUser, externalId, 'WAITING_FOR_FILE', 'waiting_for_file');
    const form = new FormData();
    form.append('file', new Blob(['UM4730 LICENSE\n']), 'um4730.lic');
    const uploaded = await json(agent(`/api/requests/${externalId}/external-file`, { method: 'POST', raw: form }), 201);
    expectAnswer(
      uploaded,
      waitingForFile,
      'waiting_for_file',
      `The license file of ${reference(waitingForFile)} is stored; the workflow delivers it to the partner.`,
      ['WAITING_FOR_FILE', 'PROCESSING', 'COMPLETED'],
      ['attachment'],
    );
    expect(uploaded.attachment).toEqual({ id: expect.any(String), fileName: 'um4730.lic', size: 15, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    await waitForStatus(ext.asUser, externalId, 'COMPLETED');
  });

  it('rma-received is an update: refused in words until the part is awaited and once it is recorded; cancel answers the same shape', async () => {
    const p = await api.newPartnerCompany({ stock: 10 });
    const license = await issueLicense(p, '02:1b:21:3a:50:06');
    async function hardwareReplacement() {
      const form = {
        type: 'HARDWARE_REPLACEMENT' as const,
        serial: license.serial,
        oldLock: { type: 'MAC' as const, value: '02:1b:21:3a:50:06' },
        newLock: { type: 'MAC' as const, value: '02:1b:21:3a:50:07' },
        reason: 'Mainboard failed',
        interimLicense: false,
        deliveryEmails: [p.deliveryEmail],
      };
      const { id } = await startAlwaysOpenReplacement(api.world, p, form);
      return waitFor(p.asUser, id, 'PENDING_APPROVAL', 'awaiting_decision');
    }

    const early = await hardwareReplacement();
    const rmaReceived = (id: string, body: object = {}) => agent(`/api/requests/${id}/rma-received`, { method: 'POST', body });
    // Before the license has moved, the workflow's validator refuses the part in words (no status pre-check).
    await expectRefused(rmaReceived(early.id), 409, 'This request is not waiting for returned hardware: it is awaiting decision.');
    // A notice the earlier signal delivered counts: the update then says the part is already recorded.
    await api.world.client.workflow
      .getHandle(early.workflowId)
      .signal(rmaReceivedSignal, { actor: { userId: p.user.id, name: p.user.name }, note: 'By signal' });
    await expectRefused(rmaReceived(early.id), 409, 'The returned hardware is already recorded.');
    expectAnswer(
      await json(p.asUser(`/api/requests/${early.id}/cancel`, { method: 'POST', body: { reason: 'Filed twice' } })),
      early,
      'awaiting_decision',
      `${reference(early)} is cancelled; anything reserved for it is released.`,
      ['PENDING_APPROVAL', 'CANCELLED'],
    );
    await waitForStatus(p.asUser, early.id, 'CANCELLED');

    const replacement = await hardwareReplacement();
    expectAnswer(
      await json(agent(`/api/requests/${replacement.id}/approve`, { method: 'POST', body: {} })),
      replacement,
      'awaiting_decision',
      // The API words it on the desk's calendar (Helsinki office hours), not this workflow's, so either sentence may come.
      expect.stringMatching(
        new RegExp(
          `^${reference(replacement)} is approved(; the workflow carries it out now\\.|\\. It is outside office hours: the license moves to the new hardware at .+\\.)$`,
        ),
      ),
      ['PENDING_APPROVAL', 'PROCESSING', 'WAITING_FOR_RMA'],
    );
    const awaiting = await waitFor(p.asUser, replacement.id, 'WAITING_FOR_RMA', 'waiting_for_rma');
    // The body is the payload's schema without the actor: a field of its own is refused by name.
    await expectRefused(rmaReceived(replacement.id, { note: 'x', actor: 'someone' }), 422, 'Unknown field "actor": this form has no such field', 'actor');
    await expectRefused(rmaReceived(replacement.id, { note: 'x'.repeat(2001) }), 422, 'Use at most 2000 characters', 'note');
    expectAnswer(
      await json(rmaReceived(replacement.id, { note: 'Parcel 12345 arrived' }), 202),
      awaiting,
      'waiting_for_rma',
      `The returned hardware of ${reference(awaiting)} is recorded.`,
      ['WAITING_FOR_RMA', 'COMPLETED'],
    );
    const done = await waitForStatus(p.asUser, replacement.id, 'COMPLETED');
    expect(done.timeline.find((e: Json) => e.action === 'rma_received')).toMatchObject({
      comment: 'Parcel 12345 arrived',
      actor: expect.stringMatching(/^Agent /),
    });
  });
});
