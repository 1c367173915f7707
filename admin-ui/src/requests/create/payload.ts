import { requestForm, type RequestType } from '../../../../domain/request-forms.ts';
import type { FieldErrors, FieldValues, Resolver } from 'react-hook-form';
import { formFieldOf } from './field-of-path.ts';

export { formFieldOf };

const list = (text: unknown) =>
  String(text ?? '')
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);

const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);
const num = (value: unknown) => (typeof value === 'number' && !Number.isNaN(value) ? value : value === '' || value == null ? undefined : Number(value));
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
      };
    case 'CHANNEL_EXPANSION':
      return { ...common, serial: values.serial ?? '', macAddress: values.macAddress ?? '', channels: num(values.channels) };
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
      return { ...common, serial: values.serial ?? '', channels: num(values.channels) };
    default:
      return common;
  }
}

function setPath(target: Record<string, unknown>, path: string, value: unknown) {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[keys[keys.length - 1]!] ??= value;
}

/**
 * Inline validation with the server's own schema and messages: the same zod form the API
 * checks, run on the browser side before the confirmation step. The server checks again.
 */
export const requestResolver: Resolver<FieldValues> = async (values) => {
  const parsed = requestForm.safeParse(toPayload(values));
  if (parsed.success) return { values, errors: {} };
  const errors: Record<string, unknown> = {};
  for (const issue of parsed.error.issues) {
    const path = formFieldOf(issue.path.join('.')) || 'type';
    setPath(errors, path, { type: 'server', message: issue.message });
  }
  return { values: {}, errors: errors as FieldErrors<FieldValues> };
};
