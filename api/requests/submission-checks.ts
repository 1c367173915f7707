import { createStockLedger } from '../../services/stock-ledger.ts';
import { isDomainError } from '../../domain/errors.ts';
import { normalizeMac } from '../../domain/mac-address.ts';
import { checkRequestFileLockedTo, checkRequestFileNew, checkRequestFileProduct, parseRequestFile, type RequestFile } from '../../domain/request-file.ts';
import type { RequestForm } from '../../domain/request-forms.ts';
import {
  checkActive,
  checkChannelRange,
  checkExpansion,
  checkHardwareReplacement,
  checkLockedTo,
  checkLockType,
  checkOwners,
  checkPartialTransfer,
  checkReshippable,
  checkReshipper,
  checkReshipStock,
  checkReturn,
  checkTransferable,
  checkTransferTarget,
  checkUpgradeTarget,
  normalizeLock,
  offeredProduct,
  ownerCompanies,
  ownLicense,
  transferTarget,
  reshipDealer,
} from '../../domain/request-rules.ts';
import { distinctSerials, normalizeSerial } from '../../domain/serial.ts';
import { checkNoCoolingOffRenewal, checkRenewable } from '../../domain/sma-renewal.ts';
import type { PrismaClient } from '../../prisma/client.ts';
import { coolingOffRenewals } from '../../services/sma-cooling-off.ts';

/** A request the API refuses before recording it: the field to correct and why. */
export class SubmissionRefused extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'SubmissionRefused';
  }
}

/**
 * Checks a parsed request form against the catalogue and the company's licenses, with the rules
 * the workflow's prepare activities apply (domain/request-rules.ts), so that what can be known at
 * once is refused at once (422) instead of being accepted and rejected by the workflow later.
 * Throws SubmissionRefused. What can change before the workflow acts (the stock above all) is
 * the workflow's to decide: a shortage now is answered as a warning, not a refusal.
 */
export async function checkSubmission(prisma: PrismaClient, { companyId, form }: { companyId: string; form: RequestForm }): Promise<{ warnings: string[] }> {
  try {
    return await check(prisma, companyId, form);
  } catch (error) {
    if (isDomainError(error)) throw new SubmissionRefused(error.field ?? '_', error.message);
    throw error;
  }
}

async function check(prisma: PrismaClient, companyId: string, form: RequestForm): Promise<{ warnings: string[] }> {
  const product = (id: string) => prisma.product.findUnique({ where: { id } });
  /** The company's active license with this serial (and MAC), checked in the order of companyLicense in activities/request-checks.ts. */
  const license = async (typed: string, { macAddress, why }: { macAddress?: string; why?: string } = {}) => {
    const serial = normalizeSerial(typed);
    const found = ownLicense(await prisma.license.findUnique({ where: { serial }, include: { product: true } }), companyId, serial);
    if (macAddress !== undefined) checkLockedTo(found, normalizeMac(macAddress));
    checkActive(found, why);
    return found;
  };

  /** The form's request file, once read: not used before (a replay is refused). */
  /** A license whose SMA renewal can still be cancelled may not change owner, give channels, be returned or move. */
  const noCoolingOff = async (serials: string[], field = 'serial') => checkNoCoolingOffRenewal(serials, await coolingOffRenewals(prisma), field);

  const requestFile = async (text: string | undefined) => {
    if (text === undefined) return undefined;
    const file = parseRequestFile(text);
    await checkRequestFileUnused(prisma, file);
    return file;
  };

  switch (form.type) {
    case 'NEW_INSTALLATION': {
      const offered = offeredProduct(await product(form.productId));
      const file = await requestFile(form.requestFile);
      if (file) {
        checkRequestFileProduct(file, offered, 'the product chosen');
        checkRequestFileNew(file);
      }
      checkChannelRange(offered, form.channels);
      checkLockType(offered, form.lock.type);
      normalizeLock(offered, form.lock.value);
      return { warnings: await stockWarnings(prisma, companyId, offered, form.channels) };
    }
    case 'CHANNEL_EXPANSION': {
      const file = await requestFile(form.requestFile);
      // With a file, its hardware and product are checked against the license in the file's words.
      const found = await license(form.serial, file ? {} : { macAddress: form.macAddress });
      if (file) checkFileOfLicense(file, found);
      checkExpansion(found, form.channels);
      return { warnings: await stockWarnings(prisma, companyId, found.product, form.channels, found.productId) };
    }
    case 'STOCK_ADDITION':
      offeredProduct(await product(form.productId));
      return { warnings: [] };
    case 'UPGRADE': {
      const found = await license(form.serial, { macAddress: form.macAddress });
      checkUpgradeTarget(found, offeredProduct(await product(form.targetProductId), 'targetProductId'));
      return { warnings: [] };
    }
    case 'OWNERSHIP_CHANGE': {
      checkOwners(companyId, form);
      const companies = await prisma.company.findMany({
        where: { id: { in: [form.currentOwnerCompanyId, form.newOwnerCompanyId] } },
        select: { id: true, name: true },
      });
      const { currentOwner } = ownerCompanies(companies, form);
      const serials = distinctSerials(form.serials);
      const found = await prisma.license.findMany({ where: { serial: { in: serials } }, select: { serial: true, companyId: true, status: true } });
      checkTransferable(serials, found, currentOwner);
      await noCoolingOff(serials, 'serials');
      return { warnings: [] };
    }
    case 'HARDWARE_REPLACEMENT': {
      const found = await license(form.serial, { why: '; only an active license can be moved to new hardware' });
      checkHardwareReplacement(found, form.oldLock, form.newLock);
      await noCoolingOff([found.serial]);
      return { warnings: [] };
    }
    case 'RETURN_CONFIRMATION': {
      const file = await requestFile(form.requestFile);
      const found = await license(form.serial);
      if (file) checkFileOfLicense(file, found);
      checkReturn(found, form.channels);
      await noCoolingOff([found.serial]);
      return { warnings: [] };
    }
    case 'PARTIAL_TRANSFER': {
      const found = await license(form.serial, { why: '; only an active license can give channels' });
      checkPartialTransfer(found, form.channels);
      checkTransferTarget(companyId, form.targetCompanyId);
      transferTarget(await prisma.company.findUnique({ where: { id: form.targetCompanyId }, select: { id: true } }));
      checkLockType(found.product, form.lock.type);
      normalizeLock(found.product, form.lock.value);
      await noCoolingOff([found.serial]);
      return { warnings: [] };
    }
    case 'STOCK_RESHIP': {
      // Refused, not warned: a reship only ever draws on the distributor's own stock, which the
      // partner sees, so a shortage now is the partner's to correct (the workflow's reservation
      // checks again under the stock's lock).
      const [requester, dealer] = await Promise.all([
        prisma.company.findUniqueOrThrow({ where: { id: companyId }, select: { kind: true } }),
        prisma.company.findUnique({ where: { id: form.dealerCompanyId }, select: { id: true, parentId: true } }),
      ]);
      checkReshipper(requester);
      reshipDealer(dealer, companyId);
      const offered = offeredProduct(await product(form.productId));
      checkReshippable(offered);
      const { available } = await createStockLedger(prisma).balance({ companyId, productId: offered.id });
      checkReshipStock(offered, form.channels, available);
      return { warnings: [] };
    }
    case 'SMA_RENEWAL': {
      const now = new Date();
      for (const serial of distinctSerials(form.serials)) {
        const found = ownLicense(await prisma.license.findUnique({ where: { serial }, include: { product: true } }), companyId, serial, 'serials');
        checkRenewable(found, now);
      }
      return { warnings: [] };
    }
  }
}

/** The request file is of the license's installation: its hardware is the license's lock, its product the license's. */
export function checkFileOfLicense(file: RequestFile, license: Parameters<typeof checkRequestFileLockedTo>[1] & { product: { code: string; name: string } }) {
  checkRequestFileLockedTo(file, license);
  checkRequestFileProduct(file, license.product, `license ${license.serial}'s product`);
}

/** A request file is accepted once: its nonce must not be recorded yet (RequestFileUse). */
export async function checkRequestFileUnused(prisma: PrismaClient, file: Pick<RequestFile, 'nonce'>) {
  const used = await prisma.requestFileUse.findUnique({ where: { nonce: file.nonce }, select: { nonce: true } });
  if (used) throw new SubmissionRefused('requestFile', REQUEST_FILE_REPLAYED);
}

export const REQUEST_FILE_REPLAYED =
  'This request file was used already: each request file is accepted once. Write a new request file on the installation with the generator, and give that one.';

/**
 * A warning when the company's stock does not cover the channels now. The workflow reserves
 * them moments later and rejects the request if the stock is still short then; a credit or a
 * release in between may cover it, so the API does not refuse.
 */
async function stockWarnings(prisma: PrismaClient, companyId: string, product: { id?: string; name: string }, channels: number, productId = product.id!) {
  const { available } = await createStockLedger(prisma).balance({ companyId, productId });
  if (available >= channels) return [];
  return [
    `Your stock of ${product.name} has ${available} channel${available === 1 ? '' : 's'} available; this request needs ${channels}. ` +
      'Unless the stock covers it when the workflow reserves the channels, the request is rejected.',
  ];
}

/** The words /api/openapi.json gives POST /api/requests' own answers (docs/api.md "Requests" says the same). */
export const SUBMISSION_ANSWERS = {
  201:
    'The request is recorded and its workflow started (`status: SUBMITTED`). `warnings` lists what the partner should know now, ' +
    'e.g. that the stock does not cover the request: the workflow rejects it if the stock is still short when it reserves the channels.',
  422:
    'Refused before anything is recorded, with the field to correct in `errors`: a missing field; a malformed MAC, serial or hardware key code; ' +
    "a product that is unknown or not offered; channels outside the product's range (named), or more than the license can take or give; " +
    "a lock of the wrong kind, or a MAC the license is not locked to; a license that does not exist or is not your company's (the same words for both); " +
    "an upgrade the tier rules do not allow; a hardware replacement whose old lock is not the license's; an ownership change between one company, or of licenses the current owner does not hold; " +
    "a partial transfer that would leave the license below its product's minimum, or that names the owner as the target; " +
    'an ownership change, partial transfer, return or hardware replacement of a license whose SMA renewal can still be cancelled (its cooling-off period; the answer names the renewal and when it ends); ' +
    'a stock reship from a company that is not a distributor, to a company that is not one of its dealers, of a demo product, or of more channels than its stock has available; ' +
    "an SMA renewal of a license without an SMA, of one whose SMA ended longer ago than its product's grace period (the answer says to ask the desk for a reinstatement). " +
    'A `requestFile` (docs/request-file.md) that is over 16 KB, not JSON, not a License Desk request file, for another product, of other hardware than the license, ' +
    'of a licensed installation (a new installation), or used already (a replay).',
} as const;
