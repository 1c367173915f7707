import { z } from 'zod';

/**
 * The request forms, one zod schema per request type (DESIGN.md "Request types"; Mirasys §3).
 * Payload types are inferred here once; workflows import them with `import type` only.
 */
const email = z.email({ message: 'Each delivery address must be an e-mail address, e.g. orders@example.com' });
const common = {
  deliveryEmails: z.array(email).min(1, 'Give at least one delivery e-mail address').max(10, 'At most 10 delivery addresses'),
  comments: z.string().trim().max(2000, 'Comments can be at most 2000 characters').optional(),
};
const channels = (label: string) =>
  z.number({ message: `${label} must be a whole number` }).int(`${label} must be a whole number`).min(1, `${label} must be at least 1`).max(10_000);
const serial = z.string().trim().min(1, 'Give the license serial, e.g. V8WJNEE89Q6A');
const optionalText = (max: number) => z.string().trim().max(max).optional();

export const lockSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('MAC'), value: z.string().trim().min(1, 'Give the MAC address, e.g. c8d9d29aa31b') }),
  z.strictObject({ type: z.literal('HARDWARE_KEY'), value: z.string().trim().min(1, 'Give the hardware key code') }),
]);

export const newInstallationForm = z.strictObject({
  type: z.literal('NEW_INSTALLATION'),
  productId: z.uuid({ message: 'Choose a product' }),
  channels: channels('IP channels'),
  vcaChannels: z.number().int().min(0, 'VCA channels cannot be negative').max(10_000).default(0),
  lock: lockSchema,
  hardwareSerial: optionalText(100),
  endUserCompany: z.string().trim().min(1, 'End-user company is mandatory').max(200),
  endUserContact: optionalText(1000),
  orderType: optionalText(100),
  vendorRef: optionalText(100),
  ordererRef: optionalText(100),
  ...common,
});

export const channelExpansionForm = z.strictObject({
  type: z.literal('CHANNEL_EXPANSION'),
  serial,
  macAddress: z.string().trim().min(1, 'Give the MAC address the license is locked to'),
  channels: channels('Channels to add'),
  ...common,
});

export const stockAdditionForm = z.strictObject({
  type: z.literal('STOCK_ADDITION'),
  productId: z.uuid({ message: 'Choose a product' }),
  channels: channels('Channels'),
  orderReference: z.string().trim().min(1, 'Give the order reference (PO number)').max(100),
  ...common,
});

export const upgradeForm = z.strictObject({
  type: z.literal('UPGRADE'),
  serial,
  macAddress: z.string().trim().min(1, 'Give the MAC address the license is locked to'),
  targetProductId: z.uuid({ message: 'Choose the product to upgrade to' }),
  ...common,
});

export const ownershipChangeForm = z.strictObject({
  type: z.literal('OWNERSHIP_CHANGE'),
  serials: z.array(serial).min(1, 'Give at least one license').max(50),
  currentOwnerCompanyId: z.uuid({ message: 'Choose the current owner' }),
  newOwnerCompanyId: z.uuid({ message: 'Choose the new owner' }),
  ...common,
});

export const hardwareReplacementForm = z.strictObject({
  type: z.literal('HARDWARE_REPLACEMENT'),
  serial,
  oldLock: lockSchema,
  newLock: lockSchema,
  reason: z.string().trim().min(1, 'Say why the hardware is replaced').max(1000),
  interimLicense: z.boolean().default(false),
  ...common,
});

export const returnConfirmationForm = z.strictObject({
  type: z.literal('RETURN_CONFIRMATION'),
  serial,
  channels: channels('Channels to return'),
  ...common,
});

export const requestForm = z.discriminatedUnion('type', [
  newInstallationForm,
  channelExpansionForm,
  stockAdditionForm,
  upgradeForm,
  ownershipChangeForm,
  hardwareReplacementForm,
  returnConfirmationForm,
]);

export type RequestForm = z.infer<typeof requestForm>;
export type RequestType = RequestForm['type'];
export type NewInstallationForm = z.infer<typeof newInstallationForm>;
export type ChannelExpansionForm = z.infer<typeof channelExpansionForm>;
export type StockAdditionForm = z.infer<typeof stockAdditionForm>;
export type UpgradeForm = z.infer<typeof upgradeForm>;
export type OwnershipChangeForm = z.infer<typeof ownershipChangeForm>;
export type HardwareReplacementForm = z.infer<typeof hardwareReplacementForm>;
export type ReturnConfirmationForm = z.infer<typeof returnConfirmationForm>;

// Labels and references live in a module without zod, so that the admin UI's first load
// (its app bar and lists) does not download zod; they stay importable from here.
export { REQUEST_TYPE_LABELS, requestReference } from './request-labels.ts';
