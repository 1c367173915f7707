import { DomainError, isDomainError } from './errors.ts';
import { normalizeHardwareKey } from './hardware-key.ts';
import { normalizeMac } from './mac-address.ts';
import { checkUpgrade, isProductTier } from './tiers.ts';

/**
 * The rules a request must meet against the catalogue and the licenses, as plain functions.
 * The API runs them before it accepts a request (api/requests/submission-checks.ts), and the
 * workflow's prepare activities run them again when they read the request, so both refuse in
 * the same words. Each refusal is a DomainError whose `field` is the form field to correct.
 */

type LockType = 'MAC' | 'HARDWARE_KEY';

export interface RuleProduct {
  name: string;
  active: boolean;
  family: string;
  version: string;
  tier: string | null;
  isDemo: boolean;
  minChannels: number;
  maxChannels: number;
  lockType: LockType;
  hardwareKeyType: string | null;
}

export interface RuleLicense {
  serial: string;
  companyId: string;
  status: string;
  channels: number;
  lockType: LockType;
  macAddress: string | null;
  hardwareKey: string | null;
  product: RuleProduct;
}

function refuse(field: string, code: string, message: string): never {
  throw new DomainError(message, { code, field });
}

/** Runs a domain rule and files its refusal under `field` (the rule's own field is the generic one). */
function atField<T>(field: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (isDomainError(error)) throw new DomainError(error.message, { code: error.code, field });
    throw error;
  }
}

/**
 * The product when the catalogue offers it (it exists and is active). Partners are offered the
 * active products, and an unknown id reads the same as a retired one.
 */
export function offeredProduct<P extends { active: boolean }>(product: P | null | undefined, field = 'productId'): P {
  if (!product || !product.active) refuse(field, 'PRODUCT_NOT_OFFERED', 'This product is not offered to your company; choose one from the product list.');
  return product;
}

/** A new license's channels lie within the product's range, which the message names. */
export function checkChannelRange(product: Pick<RuleProduct, 'name' | 'minChannels' | 'maxChannels'>, channels: number) {
  if (channels < product.minChannels || channels > product.maxChannels) {
    refuse('channels', 'CHANNELS_OUT_OF_RANGE', `${product.name} allows ${product.minChannels}–${product.maxChannels} IP channels; you asked for ${channels}.`);
  }
}

/**
 * The channels a request takes from the partner's stock are held there now, and a new license's
 * channels lie within its product's range: the form's check before the confirmation, with both
 * limits in its message ("At most 250 IP channels for V9 Base; you have 284 in stock."). The API
 * only warns of a shortage (the stock may change before the workflow reserves it); the range it
 * refuses with checkChannelRange. `label` names the number as the form does.
 */
export function checkChannelsInStock(
  product: Pick<RuleProduct, 'name' | 'minChannels' | 'maxChannels'> | null,
  channels: number,
  available: number,
  label = 'IP channels',
) {
  const inStock = `you have ${available} in stock`;
  if (product && channels < product.minChannels)
    refuse('channels', 'CHANNELS_OUT_OF_RANGE', `At least ${product.minChannels} ${label} for ${product.name}; ${inStock}.`);
  if (product && channels > product.maxChannels && product.maxChannels <= available)
    refuse('channels', 'CHANNELS_OUT_OF_RANGE', `At most ${product.maxChannels} ${label} for ${product.name}; ${inStock}.`);
  if (channels <= available) return;
  const name = product ? ` of ${product.name}` : '';
  refuse(
    'channels',
    'STOCK_SHORT',
    available > 0
      ? `At most ${available} ${label}: you have ${available}${name} in stock. Ask for fewer, or add stock first with a stock addition request.`
      : `You have no channels${name} in stock. Add stock first with a stock addition request.`,
  );
}

const lockKind = (type: LockType) => (type === 'MAC' ? 'a MAC address' : 'a hardware key code');

/** The lock the form gives is the kind the product is locked with. */
export function checkLockType(product: Pick<RuleProduct, 'name' | 'lockType'>, lockType: LockType, field = 'lock.type') {
  if (lockType !== product.lockType)
    refuse(field, 'LOCK_TYPE', `${product.name} is locked to ${lockKind(product.lockType)}; choose ${product.lockType} as the lock type.`);
}

/** The lock value in its stored form, read by the product's lock (MAC, or its system's hardware key format). */
export function normalizeLock(product: Pick<RuleProduct, 'lockType' | 'hardwareKeyType'>, value: string, field = 'lock.value'): string {
  return atField(field, () => (product.lockType === 'MAC' ? normalizeMac(value) : normalizeHardwareKey(product.hardwareKeyType ?? '', value)));
}

/**
 * The license when it belongs to the company. Another company's license reads exactly like a
 * missing one, so a partner cannot learn that a serial exists elsewhere.
 */
export function ownLicense<L extends Pick<RuleLicense, 'companyId'>>(license: L | null | undefined, companyId: string, serial: string, field = 'serial'): L {
  if (!license || license.companyId !== companyId) refuse(field, 'LICENSE_NOT_FOUND', `No license ${serial} belongs to your company.`);
  return license;
}

/** The license is locked to this MAC (normalised). */
export function checkLockedTo(license: Pick<RuleLicense, 'serial' | 'macAddress'>, mac: string) {
  if (license.macAddress !== mac) refuse('macAddress', 'LICENSE_MAC', `License ${license.serial} is not locked to MAC ${mac}.`);
}

/** The license is active; `why` completes the sentence (e.g. "; only an active license can be moved to new hardware"). */
export function checkActive(license: Pick<RuleLicense, 'serial' | 'status'>, why = '', field = 'serial') {
  if (license.status !== 'ACTIVE')
    refuse(field, 'LICENSE_NOT_ACTIVE', `License ${license.serial} is ${license.status.toLowerCase().replace('_', ' ')}, not active${why}.`);
}

/** Channels added to a license keep it within its product's maximum. */
export function checkExpansion(license: Pick<RuleLicense, 'serial' | 'channels' | 'product'>, channels: number) {
  const { name, maxChannels } = license.product;
  if (license.channels + channels <= maxChannels) return;
  const room = maxChannels - license.channels;
  refuse(
    'channels',
    'CHANNELS_OUT_OF_RANGE',
    room > 0
      ? `${name} allows at most ${maxChannels} channels; license ${license.serial} has ${license.channels}, so at most ${room} can be added; you asked for ${channels}.`
      : `${name} allows at most ${maxChannels} channels, and license ${license.serial} has ${license.channels} already; no channels can be added.`,
  );
}

/** A return leaves the license at least one channel. Answers the channels it leaves. */
export function checkReturn(license: Pick<RuleLicense, 'serial' | 'channels'>, channels: number): number {
  if (channels >= license.channels) {
    refuse(
      'channels',
      'RETURN_TOO_MANY',
      `License ${license.serial} has ${license.channels} channels; a return must leave at least 1, so return at most ${license.channels - 1}.`,
    );
  }
  return license.channels - channels;
}

/** The license may move to the target product: same family and lock, tier and version rules, its channels in range. */
export function checkUpgradeTarget(license: Pick<RuleLicense, 'serial' | 'channels' | 'lockType' | 'product'>, target: RuleProduct, field = 'targetProductId') {
  const from = license.product;
  const serial = license.serial;
  if (target.family !== from.family)
    refuse(field, 'UPGRADE_FAMILY', `${target.name} is a ${target.family} product; license ${serial} is ${from.family}. Choose a ${from.family} product.`);
  const fromTier = from.tier;
  const toTier = target.tier;
  if (!fromTier || !isProductTier(fromTier) || !toTier || !isProductTier(toTier)) {
    refuse(
      field,
      'UPGRADE_NO_TIER',
      `${fromTier ? target.name : from.name} has no tier (Base, Pro, Enterprise, Enterprise Plus), so it cannot be upgraded; ask the desk.`,
    );
  }
  if (target.lockType !== license.lockType) refuse(field, 'UPGRADE_LOCK', `${target.name} uses a different hardware lock than license ${serial}.`);
  const check = atField(field, () =>
    checkUpgrade({
      from: { tier: fromTier, version: from.version, isDemo: from.isDemo },
      to: { tier: toTier, version: target.version, isDemo: target.isDemo },
    }),
  );
  if (!check.ok) refuse(field, 'UPGRADE_NOT_ALLOWED', check.reason);
  if (license.channels < target.minChannels || license.channels > target.maxChannels) {
    refuse(
      field,
      'UPGRADE_CHANNELS',
      `${target.name} takes ${target.minChannels}–${target.maxChannels} camera channels; license ${serial} has ${license.channels}.`,
    );
  }
}

/**
 * A hardware replacement's two locks: both of the license's kind, the old one the lock the
 * license has now, the new one well formed and different. Answers both in their stored form.
 */
export function checkHardwareReplacement(
  license: Pick<RuleLicense, 'serial' | 'lockType' | 'macAddress' | 'hardwareKey' | 'product'>,
  oldLock: { type: LockType; value: string },
  newLock: { type: LockType; value: string },
) {
  const { serial, lockType } = license;
  const kind = lockKind(lockType);
  const lockOf = { lockType, hardwareKeyType: license.product.hardwareKeyType };
  if (oldLock.type !== lockType) refuse('oldLock.type', 'LOCK_TYPE', `License ${serial} is locked to ${kind}; give the old hardware as ${kind}.`);
  if (newLock.type !== lockType) refuse('newLock.type', 'LOCK_TYPE', `License ${serial} is locked to ${kind}; give the new hardware as ${kind}.`);
  const old = normalizeLock(lockOf, oldLock.value, 'oldLock.value');
  const current = lockType === 'MAC' ? license.macAddress : license.hardwareKey;
  if (current !== old) {
    refuse(
      'oldLock.value',
      'LICENSE_LOCK',
      lockType === 'MAC'
        ? `License ${serial} is not locked to MAC ${old}; give the MAC address of the hardware being replaced, as shown on the license.`
        : `License ${serial} is not locked to hardware key ${old}; give the hardware key code of the CPU or dongle being replaced, as shown on the license.`,
    );
  }
  const next = normalizeLock(lockOf, newLock.value, 'newLock.value');
  if (next === old) {
    refuse(
      'newLock.value',
      'LOCK_UNCHANGED',
      `The new ${lockType === 'MAC' ? 'MAC address' : 'hardware key code'} is the same as the old one (${old}); give the one of the replacement hardware.`,
    );
  }
  return { oldLock: old, newLock: next };
}

/** An ownership change is between two different companies, one of them the requester's. */
export function checkOwners(companyId: string, form: { currentOwnerCompanyId: string; newOwnerCompanyId: string }) {
  if (form.currentOwnerCompanyId === form.newOwnerCompanyId)
    refuse('newOwnerCompanyId', 'SAME_OWNER', 'The current owner and the new owner are the same company; choose a different new owner.');
  if (companyId !== form.currentOwnerCompanyId && companyId !== form.newOwnerCompanyId) {
    refuse('currentOwnerCompanyId', 'NOT_AN_OWNER', 'Your company must be the current owner or the new owner of the licenses.');
  }
}

/** The two companies of an ownership change, when both exist. */
export function ownerCompanies<C extends { id: string }>(companies: C[], form: { currentOwnerCompanyId: string; newOwnerCompanyId: string }) {
  const currentOwner = companies.find((c) => c.id === form.currentOwnerCompanyId);
  const newOwner = companies.find((c) => c.id === form.newOwnerCompanyId);
  if (!currentOwner) refuse('currentOwnerCompanyId', 'COMPANY_NOT_FOUND', 'The current owner company does not exist; choose it from the list.');
  if (!newOwner) refuse('newOwnerCompanyId', 'COMPANY_NOT_FOUND', 'The new owner company does not exist; choose it from the list.');
  return { currentOwner, newOwner };
}

/** Every serial is an active license of the current owner; a third company's license reads as a missing one. */
export function checkTransferable(
  serials: string[],
  found: Array<{ serial: string; companyId: string; status: string }>,
  currentOwner: { id: string; name: string },
) {
  const missing = serials.filter((s) => !found.some((l) => l.serial === s && l.companyId === currentOwner.id));
  if (missing.length > 0) {
    refuse(
      'serials',
      'LICENSE_NOT_FOUND',
      `${missing.length === 1 ? 'License' : 'Licenses'} ${missing.join(', ')} ${missing.length === 1 ? 'does' : 'do'} not belong to ${currentOwner.name}.`,
    );
  }
  const inactive = found.filter((l) => l.status !== 'ACTIVE');
  if (inactive.length > 0) {
    refuse(
      'serials',
      'LICENSE_NOT_ACTIVE',
      `Only active licenses can change owner: ${inactive.map((l) => `${l.serial} is ${l.status.toLowerCase().replace('_', ' ')}`).join(', ')}.`,
    );
  }
}

/**
 * A partial transfer leaves the source license at least its product's minimum, and gives the new
 * license at least that minimum too. Answers the channels the source keeps.
 */
export function checkPartialTransfer(license: Pick<RuleLicense, 'serial' | 'channels' | 'product'>, channels: number): number {
  const { serial, channels: has } = license;
  const { name, minChannels: min } = license.product;
  const most = has - min;
  if (most < 1) {
    refuse(
      'channels',
      'TRANSFER_TOO_MANY',
      `License ${serial} has ${has} channels and must keep at least ${min} for ${name}, so no channels can be transferred from it.`,
    );
  }
  if (most < min) {
    refuse(
      'channels',
      'TRANSFER_TOO_MANY',
      `License ${serial} has ${has} channels: it must keep ${min} for ${name}, and a new license needs ${min} too, so it cannot be split.`,
    );
  }
  if (channels > has)
    refuse('channels', 'TRANSFER_TOO_MANY', `License ${serial} has ${has} channels; you asked to transfer ${channels}. Transfer at most ${most}.`);
  if (has - channels < min) {
    refuse(
      'channels',
      'TRANSFER_TOO_MANY',
      `License ${serial} would keep ${has - channels} channels, fewer than the ${min} ${name} needs; transfer at most ${most}.`,
    );
  }
  if (channels < min) refuse('channels', 'TRANSFER_TOO_FEW', `A new ${name} license needs at least ${min} channels; transfer at least ${min}.`);
  return has - channels;
}

/** The channels of a partial transfer go to another company than the license's owner. */
export function checkTransferTarget(ownerCompanyId: string, targetCompanyId: string) {
  if (ownerCompanyId === targetCompanyId)
    refuse('targetCompanyId', 'SAME_OWNER', 'The channels would stay with the company that owns the license; choose the company that receives them.');
}

/** The company that receives a partial transfer, when it exists. */
export function transferTarget<C>(company: C | null | undefined): C {
  if (!company) refuse('targetCompanyId', 'COMPANY_NOT_FOUND', 'The company that receives the channels does not exist; choose it from the list.');
  return company;
}

/** Only a distributor reships stock (NEC LMS: "Reship Licenses (for Distributors only)"). */
export function checkReshipper(company: { kind: string }) {
  if (company.kind !== 'DISTRIBUTOR')
    refuse(
      'type',
      'NOT_A_DISTRIBUTOR',
      'Only a distributor can reship stock to its dealers, and your company is not a distributor. Ask your distributor or the license desk.',
    );
}

/**
 * The company the channels go to is one of the distributor's dealers. Any other company (or none)
 * reads the same, so a partner cannot learn which companies exist.
 */
export function reshipDealer<C extends { id: string; parentId: string | null }>(dealer: C | null | undefined, distributorId: string): C {
  if (!dealer || dealer.parentId !== distributorId || dealer.id === distributorId)
    refuse('dealerCompanyId', 'NOT_YOUR_DEALER', 'This company is not one of your dealers; choose the dealer from the list of your dealers.');
  return dealer;
}

/** A demo product is licensed per trial, not held in stock, so there is nothing to reship. */
export function checkReshippable(product: Pick<RuleProduct, 'name' | 'isDemo'>) {
  if (product.isDemo)
    refuse('productId', 'DEMO_NOT_IN_STOCK', `${product.name} is a demo product; demo licenses are not kept in stock, so they cannot be reshipped.`);
}

/** The distributor's available channels cover the reship: its stock never goes below zero. */
export function checkReshipStock(product: Pick<RuleProduct, 'name'>, channels: number, available: number) {
  if (channels <= available) return;
  refuse(
    'channels',
    'STOCK_SHORT',
    available > 0
      ? `You have ${available} channel${available === 1 ? '' : 's'} of ${product.name} available; reship at most ${available}, or add stock first with a stock addition request.`
      : `You have no channels of ${product.name} available to reship. Add stock first with a stock addition request.`,
  );
}
