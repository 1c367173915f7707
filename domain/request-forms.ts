import { z } from 'zod';
import { EMAIL_PATTERN } from './email-address.ts';
import { isDomainError } from './errors.ts';
import { normalizeMac } from './mac-address.ts';
import { lockOfRequestFile, parseRequestFile, requestFileText } from './request-file.ts';
import { normalizeSerial, SERIAL_EXAMPLE } from './serial.ts';
import { MAX_RENEWAL_SERIALS } from './sma-renewal.ts';

/**
 * The request forms, one zod schema per request type (DESIGN.md "Request types"; Mirasys §3).
 * Payload types are inferred here once; workflows import them with `import type` only.
 *
 * Every message is read by a partner (the API answers it next to the field, and the admin UI's
 * form shows it), so each one names the field in words and says what to give. What the
 * catalogue or the licenses decide (the product, its channel range, the serial's owner) is
 * checked against the database by api/requests/submission-checks.ts.
 */

/** zod's type error, split: a field that is absent is "required", one of the wrong type says what it must be. */
const either = (required: string, wrongType: string) => ({ error: (issue: { input?: unknown }) => (issue.input === undefined ? required : wrongType) });

/**
 * Runs a domain rule on a value; its DomainError becomes the field's message. `pathOf` places it
 * under the value (e.g. a lock's rule refusing `lock.value` → ['value']); by default, on the value.
 */
export const rule =
  <T>(check: (value: T) => unknown, pathOf: (field: string | undefined) => PropertyKey[] = () => []) =>
  (value: T, ctx: z.RefinementCtx) => {
    try {
      check(value);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      ctx.addIssue({ code: 'custom', message: error.message, path: pathOf(error.field) });
    }
  };

const email = z.email({ message: 'Each delivery address must be an e-mail address, e.g. orders@example.com', pattern: EMAIL_PATTERN });
const common = {
  deliveryEmails: z
    .array(email, either('Give at least one delivery e-mail address', 'Delivery e-mail addresses must be a list, e.g. ["orders@example.com"]'))
    .min(1, 'Give at least one delivery e-mail address')
    .max(10, 'Give at most 10 delivery e-mail addresses'),
  comments: z.string({ message: 'Comments must be text' }).trim().max(2000, 'Comments can be at most 2000 characters').optional(),
};
const MAX_CHANNELS = 10_000;
/**
 * `label` is how the partner's form names the number, e.g. "IP channels"; `required` asks for it.
 * `check`, a domain rule that knows more (the product's range, the stock held), runs before the
 * general bounds, so its message is the one the form shows (domain/request-form-facts.ts).
 */
export const channels = (label: string, required: string, check?: (channels: number) => unknown) => {
  const count = z.number(either(required, `${label} must be a whole number`)).int(`${label} must be a whole number`);
  return (check ? count.superRefine(rule(check)) : count)
    .min(1, `${label} must be at least 1`)
    .max(MAX_CHANNELS, `${label} can be at most ${MAX_CHANNELS}; no product takes more`);
};
const serial = z
  .string(either(`Give the license serial, e.g. ${SERIAL_EXAMPLE}`, `The license serial must be text, e.g. ${SERIAL_EXAMPLE}`))
  .trim()
  .min(1, `Give the license serial, e.g. ${SERIAL_EXAMPLE}`)
  .superRefine(rule(normalizeSerial));
/** Optional text of at most `max` characters; `label` names it in messages. */
const optionalText = (label: string, max: number) =>
  z
    .string({ message: `${label} must be text` })
    .trim()
    .max(max, `${label} can be at most ${max} characters`)
    .optional();
const lockedMac = z
  .string(either('Give the MAC address the license is locked to, e.g. c8d9d29aa31b', 'The MAC address must be text, e.g. c8d9d29aa31b'))
  .trim()
  .min(1, 'Give the MAC address the license is locked to, e.g. c8d9d29aa31b')
  .superRefine(rule(normalizeMac));
/** A company chosen from the list: `what` completes "Choose …". */
const companyId = (what: string) => z.uuid({ message: `Choose ${what}` });

export const lockSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({
      type: z.literal('MAC'),
      value: z
        .string(either('Give the MAC address, e.g. c8d9d29aa31b', 'The MAC address must be text, e.g. c8d9d29aa31b'))
        .trim()
        .min(1, 'Give the MAC address, e.g. c8d9d29aa31b')
        .superRefine(rule(normalizeMac)),
    }),
    // Its format depends on the product's system type: checked against the catalogue.
    z.strictObject({
      type: z.literal('HARDWARE_KEY'),
      value: z.string(either('Give the hardware key code', 'The hardware key code must be text')).trim().min(1, 'Give the hardware key code'),
    }),
  ],
  either(
    'Give the lock: {"type": "MAC", "value": "<MAC address>"} or {"type": "HARDWARE_KEY", "value": "<hardware key code>"}',
    'The lock type must be MAC or HARDWARE_KEY',
  ),
);

export const newInstallationForm = z.strictObject({
  type: z.literal('NEW_INSTALLATION'),
  productId: z.uuid({ message: 'Choose a product' }),
  channels: channels('IP channels', 'Give the number of IP channels'),
  vcaChannels: z
    .number({ message: 'VCA channels must be a whole number' })
    .int('VCA channels must be a whole number')
    .min(0, 'VCA channels cannot be negative')
    .max(MAX_CHANNELS, `VCA channels can be at most ${MAX_CHANNELS}`)
    .default(0),
  lock: lockSchema,
  hardwareSerial: optionalText('Hardware serial', 100),
  endUserCompany: z
    .string(either('End user company is required', 'End user company must be text'))
    .trim()
    .min(1, 'End user company is required')
    .max(200, 'End user company can be at most 200 characters'),
  endUserContact: optionalText('End user contact', 1000),
  orderType: optionalText('Order type', 100),
  vendorRef: optionalText('Vendor reference', 100),
  ordererRef: optionalText('Orderer reference', 100),
  /** The installation's request file (domain/request-file.ts): the lock comes from it. */
  requestFile: requestFileText.optional(),
  ...common,
});

export const channelExpansionForm = z.strictObject({
  type: z.literal('CHANNEL_EXPANSION'),
  serial,
  macAddress: lockedMac,
  channels: channels('Channels to add', 'Give the number of channels to add'),
  /** The installation's request file: the MAC address comes from it. */
  requestFile: requestFileText.optional(),
  ...common,
});

export const stockAdditionForm = z.strictObject({
  type: z.literal('STOCK_ADDITION'),
  productId: z.uuid({ message: 'Choose a product' }),
  channels: channels('Channels', 'Give the number of channels'),
  orderReference: z
    .string(either('Give the order reference (PO number)', 'The order reference must be text'))
    .trim()
    .min(1, 'Give the order reference (PO number)')
    .max(100, 'The order reference can be at most 100 characters'),
  ...common,
});

export const upgradeForm = z.strictObject({
  type: z.literal('UPGRADE'),
  serial,
  macAddress: lockedMac,
  targetProductId: z.uuid({ message: 'Choose the product to upgrade to' }),
  ...common,
});

export const ownershipChangeForm = z.strictObject({
  type: z.literal('OWNERSHIP_CHANGE'),
  serials: z
    .array(serial, either('Give at least one license serial', `License serials must be a list, e.g. ["${SERIAL_EXAMPLE}"]`))
    .min(1, 'Give at least one license serial')
    .max(50, 'Give at most 50 licenses in one request; send the rest in another'),
  currentOwnerCompanyId: companyId('the current owner'),
  newOwnerCompanyId: companyId('the new owner'),
  ...common,
});

export const hardwareReplacementForm = z.strictObject({
  type: z.literal('HARDWARE_REPLACEMENT'),
  serial,
  oldLock: lockSchema,
  newLock: lockSchema,
  reason: z
    .string(either('Say why the hardware is replaced', 'The reason must be text'))
    .trim()
    .min(1, 'Say why the hardware is replaced')
    .max(1000, 'The reason can be at most 1000 characters'),
  interimLicense: z.boolean({ message: 'Interim license must be true or false' }).default(false),
  ...common,
});

export const returnConfirmationForm = z.strictObject({
  type: z.literal('RETURN_CONFIRMATION'),
  serial,
  channels: channels('Channels to return', 'Give the number of channels to return'),
  /** The installation's request file: it shows the installation is the license's. */
  requestFile: requestFileText.optional(),
  ...common,
});

/**
 * A partial transfer (Avigilon "Transferring License Channels"): `channels` of the license move to
 * another company as a new license, locked to that company's hardware (the lock's kind is the
 * product's: checked against the catalogue). The source keeps the rest.
 */
export const partialTransferForm = z.strictObject({
  type: z.literal('PARTIAL_TRANSFER'),
  serial,
  channels: channels('Channels to transfer', 'Give the number of channels to transfer'),
  targetCompanyId: companyId('the company that receives the channels'),
  lock: lockSchema,
  endUserCompany: optionalText('End user company', 200),
  endUserContact: optionalText('End user contact', 1000),
  ...common,
});

/** A distributor moves channels of its stock to one of its dealers (NEC LMS "Reship Licenses"). */
export const stockReshipForm = z.strictObject({
  type: z.literal('STOCK_RESHIP'),
  productId: z.uuid({ message: 'Choose a product' }),
  dealerCompanyId: companyId('the dealer to send the channels to'),
  channels: channels('Channels to reship', 'Give the number of channels to reship'),
  note: optionalText('Note', 500),
  ...common,
});

/** SMA renewal (NEC LMS Software Assurance renewal; Milestone Care): the SMA of each license runs on by its product's term. */
export const smaRenewalForm = z.strictObject({
  type: z.literal('SMA_RENEWAL'),
  serials: z
    .array(serial, either('Give at least one license serial', `License serials must be a list, e.g. ["${SERIAL_EXAMPLE}"]`))
    .min(1, 'Give at least one license serial')
    .max(MAX_RENEWAL_SERIALS, `Give at most ${MAX_RENEWAL_SERIALS} licenses in one renewal; send the rest in another`),
  ...common,
});

const REQUEST_FORMS = [
  newInstallationForm,
  channelExpansionForm,
  stockAdditionForm,
  upgradeForm,
  ownershipChangeForm,
  hardwareReplacementForm,
  returnConfirmationForm,
  partialTransferForm,
  stockReshipForm,
  smaRenewalForm,
] as const;

// Named from the forms themselves, so that a new type is listed without editing this sentence.
const REQUEST_TYPES = ((types: string[]) => `${types.slice(0, -1).join(', ')} or ${types.at(-1)}`)(REQUEST_FORMS.map((form) => form.shape.type.value));

export const requestForm = z.discriminatedUnion('type', REQUEST_FORMS, {
  error: (issue) =>
    issue.input === null || typeof issue.input !== 'object' || Array.isArray(issue.input)
      ? `Send the request as a JSON object with its type, e.g. {"type": "NEW_INSTALLATION", …}`
      : `Choose the request type: ${REQUEST_TYPES}`,
});

/**
 * What POST /api/requests takes: a request form, where a new installation may give its
 * `requestFile` instead of the `lock`, and a channel expansion instead of the `macAddress`; the
 * lock is then read from the file. Given both, they must agree. A file that cannot be read is
 * refused by its own message (domain/request-file.ts), not as a missing lock.
 */
export const requestSubmission = z.preprocess((input, ctx) => {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return input;
  const form = input as Record<string, unknown>;
  const field = form.type === 'NEW_INSTALLATION' ? 'lock' : form.type === 'CHANNEL_EXPANSION' ? 'macAddress' : undefined;
  if (!field || typeof form.requestFile !== 'string') return input;
  let fileLock;
  try {
    fileLock = lockOfRequestFile(parseRequestFile(form.requestFile));
  } catch (error) {
    if (!isDomainError(error)) throw error;
    ctx.addIssue({ code: 'custom', message: error.message, path: ['requestFile'], input: form.requestFile });
    return input;
  }
  const mismatch = (typed: string) =>
    ctx.addIssue({
      code: 'custom',
      path: [field],
      input: form[field],
      message: `The ${typed} typed is not the request file's ${fileLock.type === 'MAC' ? `MAC address ${fileLock.value}` : `hardware key ${fileLock.value}`}; give the request file alone, or the lock the file names.`,
    });
  if (field === 'lock') {
    if (form.lock === undefined) return { ...form, lock: fileLock };
    const typed = form.lock as { type?: unknown; value?: unknown };
    if (typeof typed?.value !== 'string') return input;
    const same =
      typed.type === fileLock.type &&
      (fileLock.type === 'MAC' ? sameMac(typed.value, fileLock.value) : typed.value.trim().toUpperCase() === fileLock.value.trim().toUpperCase());
    if (!same) mismatch(typed.type === 'HARDWARE_KEY' ? 'hardware key' : 'MAC address');
    // The same lock: the file's spelling is kept, as when the file alone is given.
    return same ? { ...form, lock: fileLock } : input;
  }
  if (fileLock.type !== 'MAC') {
    ctx.addIssue({
      code: 'custom',
      path: ['requestFile'],
      input: form.requestFile,
      message: `The request file names hardware key ${fileLock.value}; a channel expansion is asked for a license locked to a MAC address.`,
    });
    return input;
  }
  if (form.macAddress === undefined) return { ...form, macAddress: fileLock.value };
  if (typeof form.macAddress === 'string' && !sameMac(form.macAddress, fileLock.value)) {
    mismatch('MAC address');
    return input;
  }
  return { ...form, macAddress: fileLock.value };
}, requestForm);

/** Two MAC addresses are the same card's; a malformed one is left to its field's own message. */
function sameMac(typed: string, mac: string) {
  try {
    return normalizeMac(typed) === mac;
  } catch {
    return true;
  }
}

export type RequestForm = z.infer<typeof requestForm>;
export type RequestType = RequestForm['type'];
export type NewInstallationForm = z.infer<typeof newInstallationForm>;
export type ChannelExpansionForm = z.infer<typeof channelExpansionForm>;
export type StockAdditionForm = z.infer<typeof stockAdditionForm>;
export type UpgradeForm = z.infer<typeof upgradeForm>;
export type OwnershipChangeForm = z.infer<typeof ownershipChangeForm>;
export type HardwareReplacementForm = z.infer<typeof hardwareReplacementForm>;
export type ReturnConfirmationForm = z.infer<typeof returnConfirmationForm>;
export type PartialTransferForm = z.infer<typeof partialTransferForm>;
export type StockReshipForm = z.infer<typeof stockReshipForm>;
export type SmaRenewalForm = z.infer<typeof smaRenewalForm>;

// Labels and references live in a module without zod, so that the admin UI's first load
// (its app bar and lists) does not download zod; they stay importable from here.
export { REQUEST_TYPE_LABELS, requestReference } from './request-labels.ts';
