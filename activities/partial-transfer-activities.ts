import { checkUnchangedForPartialTransfer } from '../domain/fulfilment-rules.ts';
import { partialTransferForm } from '../domain/request-forms.ts';
import { checkLockType, checkPartialTransfer, checkTransferTarget, normalizeLock, transferTarget } from '../domain/request-rules.ts';
import type { PrismaClient } from '../prisma/client.ts';
import type { IssuedRevision, LicenseOperations } from '../services/licenses.ts';
import { companyLicense, fromDomain, loadRequestForm } from './request-checks.ts';
import { checkNoCoolingOffRenewal } from '../domain/sma-renewal.ts';
import { coolingOffRenewals } from '../services/sma-cooling-off.ts';

export interface PartialTransferActivityDeps {
  prisma: PrismaClient;
  licenses: LicenseOperations;
}

/** What a checked partial transfer moves: `channels` of the source license to the target company as a new license. */
export interface PartialTransfer {
  source: { licenseId: string; serial: string; channels: number; productName: string };
  channels: number;
  /** The channels the source keeps. */
  remaining: number;
  currentOwner: { id: string; name: string };
  target: { id: string; name: string };
  /** The new license's lock, normalised. */
  lock: { type: 'MAC' | 'HARDWARE_KEY'; value: string };
  endUserCompany?: string;
  endUserContact?: string;
}

type Actor = { userId: string; name: string };

/**
 * The activities of the partial-transfer workflow (Avigilon "Transferring License Channels"):
 * check the license, the target and the new lock, then split the license in one transaction.
 * The owner's consent and the mails are the ownership change's (activities/ownership-activities.ts).
 */
export function createPartialTransferActivities({ prisma, licenses }: PartialTransferActivityDeps) {
  return {
    /**
     * Checks the form with the rules the API ran at submission: the license is the requester's and
     * active, keeps its product's minimum, the target is another company that exists, and the lock
     * is of the product's kind and well formed. Refusals name what was wrong.
     */
    async preparePartialTransfer({ requestId }: { requestId: string }): Promise<PartialTransfer> {
      const { request, form } = await loadRequestForm(prisma, requestId, 'PARTIAL_TRANSFER', partialTransferForm);
      const license = await companyLicense(prisma, {
        companyId: request.companyId,
        serial: form.serial,
        activeMessage: '; only an active license can give channels',
      });
      const remaining = fromDomain(() => checkPartialTransfer(license, form.channels));
      fromDomain(() => checkTransferTarget(request.companyId, form.targetCompanyId));
      const [owner, found] = await Promise.all([
        prisma.company.findUniqueOrThrow({ where: { id: request.companyId }, select: { id: true, name: true } }),
        prisma.company.findUnique({ where: { id: form.targetCompanyId }, select: { id: true, name: true } }),
      ]);
      const target = fromDomain(() => transferTarget(found));
      fromDomain(() => checkLockType(license.product, form.lock.type));
      const lock = { type: form.lock.type, value: fromDomain(() => normalizeLock(license.product, form.lock.value)) };
      const renewals = await coolingOffRenewals(prisma);
      fromDomain(() => checkNoCoolingOffRenewal([license.serial], renewals));

      await prisma.request.update({ where: { id: requestId }, data: { serial: license.serial, licenseId: license.id } });
      return {
        source: { licenseId: license.id, serial: license.serial, channels: license.channels, productName: license.product.name },
        channels: form.channels,
        remaining,
        currentOwner: owner,
        target,
        lock,
        ...(form.endUserCompany ? { endUserCompany: form.endUserCompany } : {}),
        ...(form.endUserContact ? { endUserContact: form.endUserContact } : {}),
      };
    },

    /**
     * Splits the license: the source's reduced revision and the target's new license, both signed,
     * in one transaction, once per request (services/licenses.ts `transferChannels`). Refused if
     * the source changed since `preparePartialTransfer`.
     */
    transferChannels({
      requestId,
      transfer,
      actor,
    }: {
      requestId: string;
      transfer: PartialTransfer;
      actor?: Actor;
    }): Promise<{ source: IssuedRevision; created: IssuedRevision }> {
      return licenses.transferChannels({
        requestId,
        sourceLicenseId: transfer.source.licenseId,
        channels: transfer.channels,
        target: { companyId: transfer.target.id, name: transfer.target.name },
        lock: transfer.lock,
        endUserCompany: transfer.endUserCompany,
        endUserContact: transfer.endUserContact,
        actor,
        // Checked again under the row lock: the license may have changed while the desk decided.
        check: (source) =>
          fromDomain(() => checkUnchangedForPartialTransfer(source, { currentOwnerId: transfer.currentOwner.id, channels: transfer.channels })),
      });
    },
  };
}

export type PartialTransferActivities = ReturnType<typeof createPartialTransferActivities>;
