import type { z } from 'zod';
import {
  channelExpansionForm,
  channels,
  hardwareReplacementForm,
  lockSchema,
  newInstallationForm,
  ownershipChangeForm,
  partialTransferForm,
  returnConfirmationForm,
  rule,
  smaRenewalForm,
  stockAdditionForm,
  stockReshipForm,
  upgradeForm,
  type RequestType,
} from './request-forms.ts';
import {
  checkChannelRange,
  checkChannelsInStock,
  checkExpansion,
  checkHardwareReplacement,
  checkLockType,
  checkPartialTransfer,
  checkReshippable,
  checkReshipStock,
  checkReturn,
  checkUpgradeTarget,
  normalizeLock,
  type RuleLicense,
  type RuleProduct,
} from './request-rules.ts';

/**
 * What a partner's form knows besides the typed values: the product chosen from the catalogue,
 * the partner's stock of the product the request draws on, and the license chosen from its
 * licenses. The API reads the same from the database (api/requests/submission-checks.ts).
 */
export interface RequestFormFacts {
  /** The product chosen: a new installation's, stock addition's or reship's `productId`, an upgrade's `targetProductId`. */
  product?: RuleProduct;
  /** Channels available in the partner's stock of the product the request draws on. */
  available?: number;
  /** The license the request is about, when it was chosen and its serial is the form's. */
  license?: RuleLicense;
}

/** A rule refusing `lock.value` inside a lock object: its issue goes under the lock, at `value`. */
const underLock = (field: string | undefined) => (field ? field.split('.').slice(1) : []);
/** A rule on the whole form: its issue goes to the field it names. */
const atField = (field: string | undefined) => (field ? field.split('.') : []);

/**
 * The request form of `type` (domain/request-forms.ts) with the domain rules that need the
 * facts: the product's channel range and lock, the channels in stock, the license's room for
 * more channels or a return, the upgrade's tier rules, the hardware replacement's locks. The
 * partner's form validates with it before the confirmation; with no facts it is the API's schema.
 */
export function requestFormFor(type: RequestType, facts: RequestFormFacts = {}): z.ZodType {
  const { product, available, license } = facts;
  switch (type) {
    case 'NEW_INSTALLATION':
      if (!product) return newInstallationForm;
      return newInstallationForm.extend({
        channels: channels('IP channels', 'Give the number of IP channels', (n) =>
          available === undefined ? checkChannelRange(product, n) : checkChannelsInStock(product, n, available),
        ),
        lock: lockSchema.superRefine(
          rule((lock: { type: 'MAC' | 'HARDWARE_KEY'; value: string }) => {
            checkLockType(product, lock.type);
            normalizeLock(product, lock.value);
          }, underLock),
        ),
      });
    case 'CHANNEL_EXPANSION':
      if (!license) return channelExpansionForm;
      return channelExpansionForm.extend({
        channels: channels('Channels to add', 'Give the number of channels to add', (n) => {
          checkExpansion(license, n);
          if (available !== undefined) checkChannelsInStock({ ...license.product, minChannels: 1 }, n, available, 'channels');
        }),
      });
    case 'RETURN_CONFIRMATION':
      if (!license) return returnConfirmationForm;
      return returnConfirmationForm.extend({
        channels: channels('Channels to return', 'Give the number of channels to return', (n) => checkReturn(license, n)),
      });
    case 'UPGRADE':
      if (!license || !product) return upgradeForm;
      return upgradeForm.superRefine(rule(() => checkUpgradeTarget(license, product), atField));
    case 'HARDWARE_REPLACEMENT':
      if (!license) return hardwareReplacementForm;
      return hardwareReplacementForm.superRefine(rule((form) => checkHardwareReplacement(license, form.oldLock, form.newLock), atField));
    case 'PARTIAL_TRANSFER':
      if (!license) return partialTransferForm;
      return partialTransferForm.extend({
        channels: channels('Channels to transfer', 'Give the number of channels to transfer', (n) => checkPartialTransfer(license, n)),
        lock: lockSchema.superRefine(
          rule((lock: { type: 'MAC' | 'HARDWARE_KEY'; value: string }) => {
            checkLockType(license.product, lock.type);
            normalizeLock(license.product, lock.value);
          }, underLock),
        ),
      });
    case 'STOCK_ADDITION':
      return stockAdditionForm;
    case 'OWNERSHIP_CHANGE':
      return ownershipChangeForm;
    case 'STOCK_RESHIP':
      if (!product) return stockReshipForm;
      return stockReshipForm
        .extend({
          channels: channels('Channels to reship', 'Give the number of channels to reship', (n) => {
            if (available !== undefined) checkReshipStock(product, n, available);
          }),
        })
        .superRefine(rule(() => checkReshippable(product), atField));
    case 'SMA_RENEWAL':
      return smaRenewalForm;
  }
}
