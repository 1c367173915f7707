import { zodResolver } from '@hookform/resolvers/zod';
import type { z } from 'zod';
import type { FieldError, FieldErrors, FieldValues, Resolver } from 'react-hook-form';
import { requestFormFor, type RequestFormFacts } from '../../../../domain/request-form-facts.ts';
import type { RequestType } from '../../../../domain/request-forms.ts';
import { formFieldOf } from './field-of-path.ts';

export { formFieldOf };

const list = (text: unknown) =>
  String(text ?? '')
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);

const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);
const num = (value: unknown) => (typeof value === 'number' && !Number.isNaN(value) ? value : value === '' || value == null ? undefined : Number(value));
/** The request file's text as picked (RequestFilePicker), unchanged; none when no file was picked. */
const fileText = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
const lock = (value: unknown) => {
  const v = (value ?? {}) as { type?: string; value?: string };
  return { type: v.type ?? 'MAC', value: v.value?.trim() ?? '' };
};

/** The form values → the typed request the API takes (domain/request-forms.ts). */
export function toPayload(values: FieldValues): Record<string, unknown> {
  const type = values.type as RequestType;
  const common = { type, deliveryEmails: list(values.deliveryEmailsText), comments: text(values.comments) };
  switch (type) {
    case 'NEW_INSTALLATION':
      return {
        ...common,
        productId: values.productId,
        channels: num(values.channels),
        vcaChannels: num(values.vcaChannels) ?? 0,
        lock: lock(values.lock),
        hardwareSerial: text(values.hardwareSerial),
        endUserCompany: values.endUserCompany?.trim() ?? '',
        endUserContact: text(values.endUserContact),
        orderType: text(values.orderType),
        vendorRef: text(values.vendorRef),
        ordererRef: text(values.ordererRef),
        requestFile: fileText(values.requestFile),
      };
    case 'CHANNEL_EXPANSION':
      return {
        ...common,
        serial: values.serial ?? '',
        macAddress: values.macAddress ?? '',
        channels: num(values.channels),
        requestFile: fileText(values.requestFile),
      };
    case 'STOCK_ADDITION':
      return { ...common, productId: values.productId, channels: num(values.channels), orderReference: values.orderReference ?? '' };
    case 'UPGRADE':
      return { ...common, serial: values.serial ?? '', macAddress: values.macAddress ?? '', targetProductId: values.targetProductId };
    case 'OWNERSHIP_CHANGE':
      return { ...common, serials: list(values.serialsText), currentOwnerCompanyId: values.currentOwnerCompanyId, newOwnerCompanyId: values.newOwnerCompanyId };
    case 'HARDWARE_REPLACEMENT':
      return {
        ...common,
        serial: values.serial ?? '',
        oldLock: lock(values.oldLock),
        newLock: lock(values.newLock),
        reason: values.reason ?? '',
        interimLicense: !!values.interimLicense,
      };
    case 'RETURN_CONFIRMATION':
      return { ...common, serial: values.serial ?? '', channels: num(values.channels), requestFile: fileText(values.requestFile) };
    case 'PARTIAL_TRANSFER':
      return {
        ...common,
        serial: values.serial ?? '',
        channels: num(values.channels),
        targetCompanyId: values.targetCompanyId,
        lock: lock(values.lock),
        endUserCompany: text(values.endUserCompany),
        endUserContact: text(values.endUserContact),
      };
    case 'STOCK_RESHIP':
      return { ...common, productId: values.productId, dealerCompanyId: values.dealerCompanyId, channels: num(values.channels), note: text(values.note) };
    case 'SMA_RENEWAL':
      return { ...common, serials: list(values.serialsText) };
    default:
      return common;
  }
}

/** The first message in a nested error (an e-mail address's error is under `deliveryEmails.1`). */
function firstError(node: unknown): FieldError | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const error = node as FieldError;
  if (typeof error.message === 'string') return { type: error.type, message: error.message };
  for (const child of Object.values(node)) {
    const found = firstError(child);
    if (found) return found;
  }
  return undefined;
}

/**
 * Validates the form with the server's own schemas and messages (domain/request-forms.ts), and
 * with the rules that need what the form has loaded (`facts()`: the product, the stock, the
 * license; domain/request-form-facts.ts), through react-hook-form's zod resolver, before the
 * confirmation step. The resolver reads the typed request (toPayload); an error on a payload
 * field that the form edits under another name goes to that field. The server checks again.
 */
export function requestResolver(type: RequestType, facts: () => RequestFormFacts): Resolver<FieldValues> {
  return async (values, context, options) => {
    const schema = requestFormFor(type, facts()) as z.ZodType<unknown, FieldValues>;
    const validate = zodResolver(schema, undefined, { raw: true });
    const { errors } = await validate(toPayload(values), context, options);
    if (Object.keys(errors).length === 0) return { values, errors: {} };
    const onFields: Record<string, unknown> = {};
    for (const [path, error] of Object.entries(errors)) {
      const field = formFieldOf(path);
      if (field === path) onFields[path] = error;
      else onFields[field] ??= firstError(error);
    }
    return { values: {}, errors: onFields as FieldErrors<FieldValues> };
  };
}
