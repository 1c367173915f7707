import { randomBytes, randomUUID } from 'node:crypto';
import { generateSerial } from '../../domain/serial.ts';
import type { PrismaClient } from '../../prisma/client.ts';

/** Report suites share the database with the others: every name carries a tag. */
export function tagged() {
  return randomUUID().slice(0, 8);
}

export async function reportCompany(prisma: PrismaClient, name: string) {
  const company = await prisma.company.create({ data: { name, kind: 'DEALER' } });
  const user = await prisma.user.create({
    data: { email: `${randomUUID()}@reports.test`, name: `Reporter of ${name}`, role: 'PARTNER_USER', companyId: company.id, passwordHash: 'x' },
  });
  return { company, user };
}

export function reportProduct(prisma: PrismaClient, name: string) {
  return prisma.product.create({
    data: { code: `REPORT-${randomUUID()}`, name, family: 'Mirasys VMS', version: '9.0', tier: 'ENTERPRISE', maxChannels: 250, lockType: 'MAC', smaMonths: 12 },
  });
}

export function reportLicense(
  prisma: PrismaClient,
  data: {
    companyId: string;
    productId: string;
    channels: number;
    vcaChannels?: number;
    macAddress: string;
    endUserCompany: string;
    endUserContact?: string;
    orderType?: string;
    vendorRef?: string;
    ordererRef?: string;
  },
) {
  return prisma.license.create({
    data: { ...data, serial: generateSerial((n) => new Uint8Array(randomBytes(n))), lockType: 'MAC', status: 'ACTIVE', vcaChannels: data.vcaChannels ?? 0 },
  });
}

/** A revision row as licenses.ts writes it (the file content does not matter to reports). */
export function reportRevision(
  prisma: PrismaClient,
  license: { id: string; macAddress: string | null },
  data: { revision: number; productId: string; channels: number; vcaChannels?: number; createdAt: Date },
) {
  return prisma.licenseRevision.create({
    data: {
      licenseId: license.id,
      revision: data.revision,
      productId: data.productId,
      channels: data.channels,
      vcaChannels: data.vcaChannels ?? 0,
      macAddress: license.macAddress,
      grants: {},
      fileName: `license-${data.revision}.lic`,
      signedFile: 'signed',
      createdAt: data.createdAt,
    },
  });
}

export function historyEvent(
  prisma: PrismaClient,
  data: {
    occurredAt: Date;
    action: string;
    companyId: string;
    licenseId?: string;
    changes?: string;
    comment?: string;
    revision?: number;
    partnerVisible?: boolean;
  },
) {
  const { revision, ...rest } = data;
  return prisma.historyEvent.create({ data: { ...rest, actorName: 'report test', details: revision ? { revision } : {} } });
}
