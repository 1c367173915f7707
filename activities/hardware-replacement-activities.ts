import { randomBytes } from 'node:crypto';
import { hardwareReplacementForm } from '../domain/request-forms.ts';
import { checkInterimAllowance, checkUnchangedForRebind, lockText } from '../domain/fulfilment-rules.ts';
import { interimExpiry } from '../domain/license-terms.ts';
import { checkHardwareReplacement } from '../domain/request-rules.ts';
import { generateSerial } from '../domain/serial.ts';
import type { PrismaClient } from '../prisma/client.ts';
import type { Clock } from '../services/clock.ts';
import type { IssuedRevision, LicenseOperations } from '../services/licenses.ts';
import { companyLicense, fromDomain, loadRequestForm } from './request-checks.ts';
import { displayMac } from '../domain/mac-address.ts';
import { checkNoCoolingOffRenewal } from '../domain/sma-renewal.ts';
import { coolingOffRenewals } from '../services/sma-cooling-off.ts';

export interface HardwareReplacementActivityDeps {
  prisma: PrismaClient;
  licenses: LicenseOperations;
  clock: Clock;
}

type LockType = 'MAC' | 'HARDWARE_KEY';
type Actor = { userId: string; name: string };

export interface HardwareReplacementTarget {
  licenseId: string;
  serial: string;
  productName: string;
  channels: number;
  lockType: LockType;
  /** The lock the license has now (the defective hardware), normalised. */
  oldLock: string;
  /** The replacement hardware's lock, normalised. */
  newLock: string;
  interimLicense: boolean;
}

export interface InterimLicense extends IssuedRevision {
  productName: string;
  channels: number;
  /** ISO 8601. */
  expiresAt: string;
}

/**
 * The activities of the hardware-replacement workflow (NEC LMS "License Transfer in case of
 * Hardware Replacement"): check the request against the license, issue an interim license on
 * the new hardware at once when asked for (at most two per hardware, as NEC's demo licenses),
 * and move the license to the new hardware as its next revision.
 */
export function createHardwareReplacementActivities({ prisma, licenses, clock }: HardwareReplacementActivityDeps) {
  return {
    /**
     * Checks the form: the license is the company's and active, the old lock is the one it has
     * now, and the new lock is well formed and different. Refusals say what to correct.
     */
    async prepareHardwareReplacement({ requestId }: { requestId: string }): Promise<HardwareReplacementTarget> {
      const { request, form } = await loadRequestForm(prisma, requestId, 'HARDWARE_REPLACEMENT', hardwareReplacementForm);
      const license = await companyLicense(prisma, {
        companyId: request.companyId,
        serial: form.serial,
        activeMessage: '; only an active license can be moved to new hardware',
      });
      const lockType = license.lockType;
      const { oldLock, newLock } = fromDomain(() => checkHardwareReplacement(license, form.oldLock, form.newLock));
      const renewals = await coolingOffRenewals(prisma);
      fromDomain(() => checkNoCoolingOffRenewal([license.serial], renewals));

      await prisma.request.update({
        where: { id: requestId },
        data: { serial: license.serial, licenseId: license.id, ...(lockType === 'MAC' ? { macAddress: oldLock } : { hardwareKey: oldLock }) },
      });
      return {
        licenseId: license.id,
        serial: license.serial,
        productName: license.product.name,
        channels: license.channels,
        lockType,
        oldLock,
        newLock,
        interimLicense: form.interimLicense,
      };
    },

    /**
     * Issues an interim license for the same product on the new hardware, valid for
     * INTERIM_LICENSE_DAYS: a license of its own (serial, revision 1, signed). Refused when the
     * new hardware already had MAX_INTERIM_LICENSES_PER_HARDWARE interim or demo licenses (any
     * license with an expiry on that lock). Once per request: a retry returns the same license.
     */
    async issueInterimLicense({ requestId, target }: { requestId: string; target: HardwareReplacementTarget }): Promise<InterimLicense> {
      const interimOf = async (issued: IssuedRevision): Promise<InterimLicense> => {
        const license = await prisma.license.findUniqueOrThrow({ where: { id: issued.licenseId }, include: { product: true } });
        return { ...issued, productName: license.product.name, channels: license.channels, expiresAt: license.expiresAt!.toISOString() };
      };
      const done = await licenses.existingRevision(requestId, 'interim');
      if (done) return interimOf(done);

      const original = await prisma.license.findUniqueOrThrow({ where: { id: target.licenseId } });
      const onNewHardware = target.lockType === 'MAC' ? { macAddress: target.newLock } : { hardwareKey: target.newLock };
      for (let attempt = 0; ; attempt++) {
        const serial = generateSerial((n) => new Uint8Array(randomBytes(n)));
        try {
          const issued = await prisma.$transaction(async (tx) => {
            // One interim at a time per hardware, so two requests cannot both take the last one.
            await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`interim:${target.lockType}:${target.newLock}`}))`;
            const used = await tx.license.count({ where: { ...onNewHardware, expiresAt: { not: null } } });
            fromDomain(() => checkInterimAllowance(used, { lockType: target.lockType, value: target.newLock }));
            const now = clock.now();
            const expiresAt = interimExpiry(now);
            const license = await tx.license.create({
              data: {
                serial,
                companyId: original.companyId,
                productId: original.productId,
                channels: 0,
                vcaChannels: 0,
                lockType: target.lockType,
                macAddress: target.lockType === 'MAC' ? target.newLock : null,
                hardwareKey: target.lockType === 'HARDWARE_KEY' ? target.newLock : null,
                endUserCompany: original.endUserCompany,
                endUserContact: original.endUserContact,
                orderType: 'Interim (hardware replacement)',
                vendorRef: original.vendorRef,
                ordererRef: original.ordererRef,
                expiresAt,
                status: 'CREATED',
              },
            });
            return licenses.reviseIn(
              tx,
              requestId,
              license.id,
              () => ({ channels: original.channels, vcaChannels: original.vcaChannels, status: 'ACTIVE', activatedAt: now }),
              {
                step: 'interim',
                action: 'interim_issued',
                changes: [
                  `Channels: +${original.channels}`,
                  original.vcaChannels ? `VCA channels: +${original.vcaChannels}` : '',
                  lockText(target.lockType, target.newLock),
                  `Expires: ${expiresAt.toISOString().slice(0, 10)}`,
                  `Interim for ${target.serial}`,
                ]
                  .filter(Boolean)
                  .join(', '),
              },
            );
          });
          return interimOf(issued);
        } catch (error) {
          if (attempt < 3 && (error as { code?: string }).code === 'P2002' && String((error as Error).message).includes('serial')) continue;
          throw error;
        }
      }
    },

    /**
     * Moves the license to the new hardware as its next revision, signed, once per request. The
     * history event `hardware_replaced` records the old binding as revoked. Refused if the
     * license changed while the request waited (another replacement moved it, or it is no longer
     * active).
     */
    async rebindLicense({ requestId, target, actor }: { requestId: string; target: HardwareReplacementTarget; actor?: Actor }): Promise<IssuedRevision> {
      const done = await licenses.existingRevision(requestId, 'rebind');
      if (done) return done;
      const label = target.lockType === 'MAC' ? 'MAC' : 'Hardware key';
      // A MAC in the one form every page, mail and report shows.
      const shown = (lock: string) => (target.lockType === 'MAC' ? displayMac(lock) : lock);
      return prisma.$transaction((tx) =>
        licenses.reviseIn(
          tx,
          requestId,
          target.licenseId,
          (before) => {
            // Checked again under the row lock: the license may have changed while the desk decided.
            fromDomain(() => checkUnchangedForRebind(before, target));
            return target.lockType === 'MAC' ? { macAddress: target.newLock } : { hardwareKey: target.newLock };
          },
          { step: 'rebind', action: 'hardware_replaced', changes: `${label}: ${shown(target.oldLock)} → ${shown(target.newLock)}`, actor },
        ),
      );
    },
  };
}

export type HardwareReplacementActivities = ReturnType<typeof createHardwareReplacementActivities>;
