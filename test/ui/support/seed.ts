import { randomUUID } from 'node:crypto';
import { newPartner } from '../../support/request-harness.ts';
import { until, type UiWorld } from './ui-world.ts';

/**
 * A completed new installation for a partner, made through the API (set-up, not under test):
 * the partner submits, a desk agent approves, the workflow issues the license.
 */
export async function issuedLicense(
  world: UiWorld,
  options: { partnerUserId: string; productId: string; deskUserId: string; channels?: number; endUser?: string },
) {
  const partner = await world.api(options.partnerUserId);
  const desk = await world.api(options.deskUserId);
  const mac = `c8${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  const submitted = await partner('/api/requests', {
    method: 'POST',
    body: {
      type: 'NEW_INSTALLATION',
      productId: options.productId,
      channels: options.channels ?? 4,
      vcaChannels: 0,
      lock: { type: 'MAC', value: mac },
      endUserCompany: options.endUser ?? 'Harbour Security Ltd',
      deliveryEmails: ['orders@ui.test'],
    },
  });
  if (submitted.status !== 201) throw new Error(`submit failed: ${submitted.status} ${await submitted.text()}`);
  const { id } = (await submitted.json()) as { id: string };
  await until(async () => ((await world.prisma.request.findUnique({ where: { id } }))?.status === 'PENDING_APPROVAL' ? true : undefined), 'pending approval');
  const approved = await desk(`/api/requests/${id}/approve`, { method: 'POST', body: {} });
  if (approved.status !== 200) throw new Error(`approve failed: ${approved.status} ${await approved.text()}`);
  const done = await until(
    async () => {
      const r = await world.prisma.request.findUnique({ where: { id } });
      return r?.status === 'COMPLETED' ? r : undefined;
    },
    'completion',
    45_000,
  );
  const license = await world.prisma.license.findUniqueOrThrow({ where: { id: done.licenseId! } });
  return { requestId: id, license, mac };
}

/** A dealer with stock, a user and an admin. */
export async function dealerWithStock(world: UiWorld, stock = 40) {
  const dealer = await newPartner(world.prisma, { stock });
  const admin = await world.newUser({ role: 'PARTNER_ADMIN', companyId: dealer.company.id });
  return { ...dealer, admin };
}
