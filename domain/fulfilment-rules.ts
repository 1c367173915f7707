import { DomainError } from './errors.ts';
import { displayMac } from './mac-address.ts';

/**
 * The rules a request's fulfilment checks when it writes: a license it changes must still be as
 * the request found it (checked again under the license's row lock, since the desk may have
 * taken days to decide), an interim license needs room on the new hardware, and an uploaded file
 * must be the request's own. Each refusal is a DomainError the activity turns into a refusal
 * the partner reads, in the same words.
 */

type LockType = 'MAC' | 'HARDWARE_KEY';

/** How many interim or demo licenses one hardware gets (NEC LMS: 2 per location). */
export const MAX_INTERIM_LICENSES_PER_HARDWARE = 2;

function refuse(field: string, code: string, message: string): never {
  throw new DomainError(message, { code, field });
}

/** "MAC: c8:d9:d2:9a:a3:1b" (the canonical form, displayMac) or "Hardware key: 4410011575A6", as the history and the mails show a lock. */
export function lockText(type: LockType, value: string): string {
  return type === 'MAC' ? `MAC: ${displayMac(value)}` : `Hardware key: ${value}`;
}

const statusText = (status: string) => status.toLowerCase();

/** The license an upgrade moves is still active on the product the upgrade started from. */
export function checkUnchangedForUpgrade(
  license: { serial: string; productId: string; status: string; product: { name: string } },
  target: { fromProductId: string },
) {
  if (license.productId !== target.fromProductId || license.status !== 'ACTIVE') {
    refuse(
      'serial',
      'LICENSE_CHANGED',
      `License ${license.serial} changed while the upgrade waited (it is now ${license.product.name}, ${statusText(license.status)}); submit a new request.`,
    );
  }
}

/** The license a hardware replacement moves is still active on the old hardware. */
export function checkUnchangedForRebind(
  license: { serial: string; status: string; lockType: LockType; macAddress: string | null; hardwareKey: string | null },
  target: { lockType: LockType; oldLock: string },
) {
  const current = license.lockType === 'MAC' ? license.macAddress : license.hardwareKey;
  if (license.status !== 'ACTIVE' || license.lockType !== target.lockType || current !== target.oldLock) {
    refuse(
      'serial',
      'LICENSE_CHANGED',
      `License ${license.serial} changed while the replacement waited (it is now ${statusText(license.status)}, ${lockText(license.lockType, current ?? '')}); submit a new request.`,
    );
  }
}

/** A license an ownership change moves is still active and still the current owner's. */
export function checkUnchangedForTransfer(
  license: { serial: string; companyId: string; status: string; company: { name: string } },
  currentOwner: { id: string },
) {
  if (license.companyId !== currentOwner.id || license.status !== 'ACTIVE') {
    refuse(
      'serials',
      'LICENSE_CHANGED',
      `License ${license.serial} changed while the request waited (it is now owned by ${license.company.name}, ${statusText(license.status)}); nothing was moved. Submit a new request.`,
    );
  }
}

/**
 * The new hardware has room for an interim license: it had fewer than
 * MAX_INTERIM_LICENSES_PER_HARDWARE interim or demo licenses (`used`, any license with an expiry
 * on that lock). The refusal says the request goes on without one.
 */
export function checkInterimAllowance(used: number, newLock: { lockType: LockType; value: string }) {
  if (used >= MAX_INTERIM_LICENSES_PER_HARDWARE) {
    refuse(
      'interimLicense',
      'INTERIM_LIMIT',
      `No interim license was issued: the new hardware (${lockText(newLock.lockType, newLock.value)}) has already had its ${MAX_INTERIM_LICENSES_PER_HARDWARE} interim or demo licenses. ` +
        'Your request goes on without one; the license is moved to the new hardware when the desk approves it.',
    );
  }
}

/** The license file the desk uploaded for an external product is an attachment of this request, of the license-file kind. */
export function checkExternalLicenseFile<A extends { requestId: string; kind: string }>(attachment: A | null | undefined, requestId: string): A {
  if (!attachment || attachment.requestId !== requestId || attachment.kind !== 'LICENSE_FILE') {
    refuse('attachmentId', 'LICENSE_FILE_NOT_OF_REQUEST', 'The uploaded license file does not belong to this request.');
  }
  return attachment;
}

/**
 * The license a partial transfer takes channels from is still active, still the current owner's,
 * and still keeps its product's minimum after the transfer.
 */
export function checkUnchangedForPartialTransfer(
  license: { serial: string; companyId: string; status: string; channels: number; company: { name: string }; product: { minChannels: number } },
  transfer: { currentOwnerId: string; channels: number },
) {
  if (license.companyId !== transfer.currentOwnerId || license.status !== 'ACTIVE' || license.channels - transfer.channels < license.product.minChannels) {
    refuse(
      'serial',
      'LICENSE_CHANGED',
      `License ${license.serial} changed while the request waited (it is now owned by ${license.company.name}, ${statusText(license.status)}, with ${license.channels} channels); nothing was moved. Submit a new request.`,
    );
  }
}
