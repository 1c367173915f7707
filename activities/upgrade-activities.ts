import { upgradeForm } from '../domain/request-forms.ts';
import { checkUnchangedForUpgrade } from '../domain/fulfilment-rules.ts';
import { upgradeMakesFull, upgradeTerms } from '../domain/license-terms.ts';
import { checkUpgradeTarget, offeredProduct } from '../domain/request-rules.ts';
import type { PrismaClient } from '../prisma/client.ts';
import type { Clock } from '../services/clock.ts';
import type { IssuedRevision, LicenseOperations } from '../services/licenses.ts';
import { companyLicense, fromDomain, loadRequestForm } from './request-checks.ts';

export interface UpgradeActivityDeps {
  prisma: PrismaClient;
  licenses: LicenseOperations;
  clock: Clock;
}

export interface UpgradeTarget {
  licenseId: string;
  serial: string;
  channels: number;
  fromProductId: string;
  fromProductName: string;
  targetProductId: string;
  targetProductName: string;
}

/**
 * The activities of the upgrade workflow (Mirasys §3.4): check the license may move to the
 * target product, then issue its next revision on that product. An upgrade moves no stock:
 * its price is invoiced outside the desk, which holds stocks of channels, not of upgrades.
 */
export function createUpgradeActivities({ prisma, licenses, clock }: UpgradeActivityDeps) {
  return {
    /** Checks the form: the license (own, active, on that MAC), the target and the tier rules. */
    async prepareUpgrade({ requestId }: { requestId: string }): Promise<UpgradeTarget> {
      const { request, form } = await loadRequestForm(prisma, requestId, 'UPGRADE', upgradeForm);
      const license = await companyLicense(prisma, { companyId: request.companyId, serial: form.serial, macAddress: form.macAddress });
      const from = license.product;
      const found = await prisma.product.findUnique({ where: { id: form.targetProductId } });
      const target = fromDomain(() => offeredProduct(found, 'targetProductId'));
      fromDomain(() => checkUpgradeTarget(license, target));

      await prisma.request.update({ where: { id: requestId }, data: { serial: license.serial, macAddress: license.macAddress, licenseId: license.id } });
      return {
        licenseId: license.id,
        serial: license.serial,
        channels: license.channels,
        fromProductId: from.id,
        fromProductName: from.name,
        targetProductId: target.id,
        targetProductName: target.name,
      };
    },

    /**
     * Moves the license to the target product as its next revision, signed, once per request.
     * Demo → full drops the expiry and starts the SMA. Refused if the license changed since
     * `prepareUpgrade` (another request upgraded it, or it is no longer active).
     */
    async upgradeLicense({
      requestId,
      target,
      actor,
    }: {
      requestId: string;
      target: UpgradeTarget;
      actor?: { userId: string; name: string };
    }): Promise<IssuedRevision> {
      const done = await licenses.existingRevision(requestId, 'upgrade');
      if (done) return done;
      const product = await prisma.product.findUniqueOrThrow({ where: { id: target.targetProductId } });
      const current = await prisma.license.findUniqueOrThrow({ where: { id: target.licenseId }, include: { product: true } });
      const changes = [
        `Product: ${target.fromProductName} → ${product.name}`,
        upgradeMakesFull(current.product, product) && current.expiresAt ? 'Expiry: none (full license)' : '',
      ]
        .filter(Boolean)
        .join(', ');
      return prisma.$transaction((tx) =>
        licenses.reviseIn(
          tx,
          requestId,
          target.licenseId,
          (before) => {
            // Checked again under the row lock: the license may have changed while the desk decided.
            fromDomain(() => checkUnchangedForUpgrade(before, target));
            return { product: { connect: { id: product.id } }, ...upgradeTerms(before, current.product, product, clock.now()) };
          },
          { step: 'upgrade', action: 'upgraded', changes, actor },
        ),
      );
    },
  };
}

export type UpgradeActivities = ReturnType<typeof createUpgradeActivities>;
