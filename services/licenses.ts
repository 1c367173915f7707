import { randomBytes } from 'node:crypto';
import type { LicenseGrants } from '../domain/license-file.ts';
import { historyActorColumns, type Actor } from '../domain/actor.ts';
import { lockText } from '../domain/fulfilment-rules.ts';
import { newLicenseTerms } from '../domain/license-terms.ts';
import { generateSerial } from '../domain/serial.ts';
import type { PrismaClient } from '../prisma/client.ts';
import type { Prisma } from '../prisma/generated/client.ts';
import { systemClock, type Clock } from './clock.ts';
import { recordWebhookEvent } from './webhooks/events.ts';

interface RevisionHistory {
  step: string;
  action: string;
  changes: string;
  actor?: Actor;
  /** The file an external generator made, uploaded by the desk, instead of our signature. */
  externalFile?: { fileName: string; content: string };
}

type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
type LicenseWithRefs = Prisma.LicenseGetPayload<{ include: { product: true; company: true } }>;

export interface IssuedRevision {
  licenseId: string;
  serial: string;
  revisionId: string;
  revision: number;
  fileName: string;
}

export type LicenseSigner = (grants: LicenseGrants) => Promise<{ fileName: string; content: string; kid: string }>;

/** What a license grants at a revision, as written into its signed file. */
export function grantsOf(license: LicenseWithRefs, revision: number, issuedAt: Date): LicenseGrants {
  const features = Array.isArray(license.product.features) ? (license.product.features as string[]) : [];
  return {
    serial: license.serial,
    revision,
    product: {
      code: license.product.code,
      name: license.product.name,
      version: license.product.version,
      tier: license.product.tier,
      isDemo: license.product.isDemo,
    },
    channels: license.channels,
    vcaChannels: license.vcaChannels,
    lock: {
      type: license.lockType,
      value: (license.lockType === 'MAC' ? license.macAddress : license.hardwareKey) ?? '',
      ...(license.lockType === 'HARDWARE_KEY' && license.product.hardwareKeyType ? { hardwareKeyType: license.product.hardwareKeyType } : {}),
    },
    ...(license.hardwareSerial ? { hardwareSerial: license.hardwareSerial } : {}),
    owner: { companyId: license.companyId, name: license.company.name },
    endUser: { company: license.endUserCompany, ...(license.endUserContact ? { contact: license.endUserContact } : {}) },
    sma: {
      ...(license.smaStart ? { start: license.smaStart.toISOString() } : {}),
      ...(license.smaEnd ? { end: license.smaEnd.toISOString() } : {}),
    },
    expiresAt: license.expiresAt ? license.expiresAt.toISOString() : null,
    issuedAt: issuedAt.toISOString(),
    features,
  };
}

/**
 * License operations. Each is idempotent per request: a request issues at most one revision,
 * so a retried activity returns the revision it wrote before instead of writing another.
 * `clock` dates the license (activation, SMA, expiry) and each file's issue time.
 */
export function createLicenseOperations(prisma: PrismaClient, sign: LicenseSigner, clock: Clock = systemClock) {
  /** The revision a request wrote at `step` before, found through its history event. */
  async function existingRevision(requestId: string, step: string): Promise<IssuedRevision | undefined> {
    const event = await prisma.historyEvent.findUnique({ where: { idempotencyKey: `${requestId}:license:${step}` } });
    const revisionNumber = (event?.details as { revision?: number } | undefined)?.revision;
    if (!event?.licenseId || !revisionNumber) return undefined;
    const revision = await prisma.licenseRevision.findUniqueOrThrow({
      where: { licenseId_revision: { licenseId: event.licenseId, revision: revisionNumber } },
      include: { license: true },
    });
    return {
      licenseId: revision.licenseId,
      serial: revision.license.serial,
      revisionId: revision.id,
      revision: revision.revision,
      fileName: revision.fileName,
    };
  }

  /**
   * Writes the next revision of `licenseId` after `change` has been applied to the license row,
   * signs it, and records the history event, all in one transaction.
   */
  async function revise(
    requestId: string,
    licenseId: string,
    change: (license: LicenseWithRefs) => Prisma.LicenseUpdateInput,
    history: RevisionHistory,
  ): Promise<IssuedRevision> {
    const done = await existingRevision(requestId, history.step);
    if (done) return done;
    return prisma.$transaction((tx) => reviseIn(tx, requestId, licenseId, change, history));
  }

  async function reviseIn(
    tx: Tx,
    requestId: string,
    licenseId: string,
    change: (license: LicenseWithRefs) => Prisma.LicenseUpdateInput,
    history: RevisionHistory,
  ): Promise<IssuedRevision> {
    // Lock the license so two requests cannot write the same revision number.
    await tx.$executeRaw`SELECT 1 FROM "License" WHERE id = ${licenseId}::uuid FOR UPDATE`;
    const before = await tx.license.findUniqueOrThrow({ where: { id: licenseId }, include: { product: true, company: true } });
    const revision = before.currentRevision + 1;
    const after = await tx.license.update({
      where: { id: licenseId },
      data: { ...change(before), currentRevision: revision },
      include: { product: true, company: true },
    });
    const issuedAt = clock.now();
    const grants = grantsOf(after, revision, issuedAt);
    // An external product's file comes from outside; ours are signed here.
    const file = history.externalFile ? { ...history.externalFile, kid: null } : await sign(grants);
    const row = await tx.licenseRevision.create({
      data: {
        licenseId,
        revision,
        productId: after.productId,
        channels: after.channels,
        vcaChannels: after.vcaChannels,
        macAddress: after.macAddress,
        hardwareKey: after.hardwareKey,
        grants: grants as object,
        fileName: file.fileName,
        signedFile: file.content,
        signingKeyId: file.kid,
        external: Boolean(history.externalFile),
        requestId,
      },
    });
    await tx.historyEvent.create({
      data: {
        idempotencyKey: `${requestId}:license:${history.step}`,
        action: history.action,
        ...historyActorColumns(history.actor),
        companyId: after.companyId,
        licenseId,
        requestId,
        changes: history.changes,
        details: { revision },
      },
    });
    // The webhook event, in this transaction: every license issue and revision passes here.
    await recordWebhookEvent(tx, {
      type: revision === 1 ? 'license.issued' : 'license.revised',
      companyId: after.companyId,
      at: issuedAt,
      data: {
        licenseId,
        serial: after.serial,
        revision,
        requestId,
        productCode: after.product.code,
        channels: after.channels,
        vcaChannels: after.vcaChannels,
        status: after.status,
        action: history.action,
        changes: history.changes,
        fileName: file.fileName,
      },
    });
    return { licenseId, serial: after.serial, revisionId: row.id, revision, fileName: file.fileName };
  }

  return {
    existingRevision,

    /**
     * Revokes a license: it stops being valid (status REVOKED) and the history says why. No new
     * file is issued; a revoked serial is refused by every later request. Idempotent per step.
     */
    async revoke(input: { requestId?: string; step: string; licenseId: string; reason: string; actor?: Actor }) {
      return prisma.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT 1 FROM "License" WHERE id = ${input.licenseId}::uuid FOR UPDATE`;
        const key = `${input.requestId ?? input.licenseId}:license:${input.step}`;
        if (await tx.historyEvent.findUnique({ where: { idempotencyKey: key } })) return;
        const license = await tx.license.update({ where: { id: input.licenseId }, data: { status: 'REVOKED' } });
        await tx.historyEvent.create({
          data: {
            idempotencyKey: key,
            action: 'revoked',
            ...historyActorColumns(input.actor),
            companyId: license.companyId,
            licenseId: license.id,
            requestId: input.requestId,
            changes: 'Status: revoked',
            comment: input.reason,
          },
        });
      });
    },
    /** Writes the next revision inside the caller's transaction (no idempotency check: call existingRevision first). */
    reviseIn,

    /** Creates the license, activates it on its lock (immutable from here) and signs revision 1. */
    async createAndActivate(input: {
      requestId: string;
      companyId: string;
      productId: string;
      channels: number;
      vcaChannels: number;
      lock: { type: 'MAC' | 'HARDWARE_KEY'; value: string };
      hardwareSerial?: string;
      endUserCompany: string;
      endUserContact?: string;
      orderType?: string;
      vendorRef?: string;
      ordererRef?: string;
      actor?: Actor;
      externalFile?: { fileName: string; content: string };
    }): Promise<IssuedRevision> {
      const done = await existingRevision(input.requestId, 'create');
      if (done) return done;
      const product = await prisma.product.findUniqueOrThrow({ where: { id: input.productId } });
      const now = clock.now();
      // Serials are random; on the rare collision the unique index refuses and we draw again.
      for (let attempt = 0; ; attempt++) {
        const serial = generateSerial((n) => new Uint8Array(randomBytes(n)));
        try {
          // One transaction: a failure while signing leaves no half-made license behind.
          return await prisma.$transaction(async (tx) => {
            const license = await tx.license.create({
              data: {
                serial,
                companyId: input.companyId,
                productId: input.productId,
                channels: 0,
                vcaChannels: 0,
                lockType: input.lock.type,
                macAddress: input.lock.type === 'MAC' ? input.lock.value : null,
                hardwareKey: input.lock.type === 'HARDWARE_KEY' ? input.lock.value : null,
                hardwareSerial: input.hardwareSerial,
                endUserCompany: input.endUserCompany,
                endUserContact: input.endUserContact,
                orderType: input.orderType,
                vendorRef: input.vendorRef,
                ordererRef: input.ordererRef,
                ...newLicenseTerms(product, now),
                status: 'CREATED',
              },
            });
            return reviseIn(
              tx,
              input.requestId,
              license.id,
              () => ({ channels: input.channels, vcaChannels: input.vcaChannels, status: 'ACTIVE', activatedAt: now }),
              {
                step: 'create',
                action: 'created',
                changes: [
                  `Channels: +${input.channels}`,
                  input.vcaChannels ? `VCA channels: +${input.vcaChannels}` : '',
                  lockText(input.lock.type, input.lock.value),
                ]
                  .filter(Boolean)
                  .join(', '),
                actor: input.actor,
                externalFile: input.externalFile,
              },
            );
          });
        } catch (error) {
          if (attempt < 3 && (error as { code?: string }).code === 'P2002' && String((error as Error).message).includes('serial')) continue;
          throw error;
        }
      }
    },

    /**
     * A partial transfer (Avigilon's channel transfer): `channels` of the source license move to
     * `target` as a new license (a new serial; the source's product, SMA dates and expiry; the
     * target's lock and end user), signed as its revision 1, and the source gets its next revision
     * with the rest, signed. One transaction: both or neither. `check` runs under the source's row
     * lock before anything is written (it may have changed while the desk decided). Both histories
     * say where the channels went. Once per request: a retry answers what the first one wrote.
     */
    async transferChannels(input: {
      requestId: string;
      sourceLicenseId: string;
      channels: number;
      target: { companyId: string; name: string };
      lock: { type: 'MAC' | 'HARDWARE_KEY'; value: string };
      endUserCompany?: string;
      endUserContact?: string;
      actor?: Actor;
      check?: (source: LicenseWithRefs) => void;
    }): Promise<{ source: IssuedRevision; created: IssuedRevision }> {
      const [source, created] = await Promise.all([existingRevision(input.requestId, 'transfer:source'), existingRevision(input.requestId, 'transfer:create')]);
      if (source && created) return { source, created };
      const now = clock.now();
      for (let attempt = 0; ; attempt++) {
        const serial = generateSerial((n) => new Uint8Array(randomBytes(n)));
        try {
          return await prisma.$transaction(
            async (tx) => {
              await tx.$executeRaw`SELECT 1 FROM "License" WHERE id = ${input.sourceLicenseId}::uuid FOR UPDATE`;
              const from = await tx.license.findUniqueOrThrow({ where: { id: input.sourceLicenseId }, include: { product: true, company: true } });
              input.check?.(from);
              const license = await tx.license.create({
                data: {
                  serial,
                  companyId: input.target.companyId,
                  productId: from.productId,
                  channels: 0,
                  vcaChannels: 0,
                  lockType: input.lock.type,
                  macAddress: input.lock.type === 'MAC' ? input.lock.value : null,
                  hardwareKey: input.lock.type === 'HARDWARE_KEY' ? input.lock.value : null,
                  endUserCompany: input.endUserCompany ?? input.target.name,
                  endUserContact: input.endUserContact,
                  smaStart: from.smaStart,
                  smaEnd: from.smaEnd,
                  expiresAt: from.expiresAt,
                  status: 'CREATED',
                },
              });
              const created = await reviseIn(tx, input.requestId, license.id, () => ({ channels: input.channels, status: 'ACTIVE', activatedAt: now }), {
                step: 'transfer:create',
                action: 'created',
                changes: [
                  `Created from ${from.serial}: ${input.channels} channels from ${from.company.name}`,
                  `Channels: +${input.channels}`,
                  lockText(input.lock.type, input.lock.value),
                ].join(', '),
                actor: input.actor,
              });
              const source = await reviseIn(tx, input.requestId, from.id, (before) => ({ channels: before.channels - input.channels }), {
                step: 'transfer:source',
                action: 'channels_changed',
                changes: `Channels: -${input.channels}, ${input.channels} channels moved to ${input.target.name} as ${serial}`,
                actor: input.actor,
              });
              return { source, created };
            },
            // Two signatures in one transaction; Prisma's 5-second default is short on a loaded machine.
            { maxWait: 10_000, timeout: 60_000 },
          );
        } catch (error) {
          if (attempt < 3 && (error as { code?: string }).code === 'P2002' && String((error as Error).message).includes('serial')) continue;
          throw error;
        }
      }
    },

    /** Adds or removes channels as a new revision of the same license, once per (request, step). */
    changeChannels(input: {
      requestId: string;
      step: string;
      licenseId: string;
      delta: number;
      action: string;
      status?: 'ACTIVE' | 'WAITING_CONFIRM';
      actor?: Actor;
    }) {
      return revise(
        input.requestId,
        input.licenseId,
        (license) => ({ channels: license.channels + input.delta, ...(input.status ? { status: input.status } : {}) }),
        { step: input.step, action: input.action, changes: `Channels: ${input.delta >= 0 ? '+' : ''}${input.delta}`, actor: input.actor },
      );
    },
  };
}

export type LicenseOperations = ReturnType<typeof createLicenseOperations>;
