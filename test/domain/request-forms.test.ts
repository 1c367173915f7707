import { describe, expect, it } from 'vitest';
import { fieldErrors } from '../../api/validation.ts';
import { requestForm } from '../../domain/request-forms.ts';

const PRODUCT = '0b6c7b7e-3c1e-4a7e-9c1e-1b2c3d4e5f60';
const COMPANY = '1b6c7b7e-3c1e-4a7e-9c1e-1b2c3d4e5f61';
const OTHER = '2b6c7b7e-3c1e-4a7e-9c1e-1b2c3d4e5f62';
const mac = { type: 'MAC', value: 'c8d9d29aa31b' };
const common = { deliveryEmails: ['orders@example.com'], comments: 'A comment' };
const VALID: Record<string, Record<string, unknown>> = {
  NEW_INSTALLATION: {
    type: 'NEW_INSTALLATION',
    productId: PRODUCT,
    channels: 5,
    vcaChannels: 0,
    lock: mac,
    hardwareSerial: 'HS-1',
    endUserCompany: 'Kauppa Oy',
    endUserContact: 'Tapio',
    orderType: 'New',
    vendorRef: 'V-1',
    ordererRef: 'O-1',
    ...common,
  },
  CHANNEL_EXPANSION: { type: 'CHANNEL_EXPANSION', serial: 'V8WJNEE89Q6A', macAddress: 'c8d9d29aa31b', channels: 2, ...common },
  STOCK_ADDITION: { type: 'STOCK_ADDITION', productId: PRODUCT, channels: 5, orderReference: 'PO-1', ...common },
  UPGRADE: { type: 'UPGRADE', serial: 'V8WJNEE89Q6A', macAddress: 'c8d9d29aa31b', targetProductId: PRODUCT, ...common },
  OWNERSHIP_CHANGE: { type: 'OWNERSHIP_CHANGE', serials: ['V8WJNEE89Q6A'], currentOwnerCompanyId: COMPANY, newOwnerCompanyId: OTHER, ...common },
  HARDWARE_REPLACEMENT: {
    type: 'HARDWARE_REPLACEMENT',
    serial: 'V8WJNEE89Q6A',
    oldLock: mac,
    newLock: { type: 'MAC', value: '001b213a4f70' },
    reason: 'Burnt out',
    interimLicense: true,
    ...common,
  },
  RETURN_CONFIRMATION: { type: 'RETURN_CONFIRMATION', serial: 'V8WJNEE89Q6A', channels: 1, ...common },
  PARTIAL_TRANSFER: { type: 'PARTIAL_TRANSFER', serial: 'V8WJNEE89Q6A', channels: 4, targetCompanyId: OTHER, lock: mac, ...common },
  STOCK_RESHIP: { type: 'STOCK_RESHIP', productId: PRODUCT, dealerCompanyId: OTHER, channels: 5, note: 'SO-1', ...common },
};

const errorsOf = (body: unknown) => {
  const parsed = requestForm.safeParse(body);
  return parsed.success ? {} : fieldErrors(parsed.error.issues as never);
};

/** zod's own wording, which a partner should never read. */
const ZOD_WORDING = /invalid input|expected|received|too (big|small)|must match|invalid (string|uuid|email|option)|nonoptional|unrecognized/i;

describe('request form messages', () => {
  it('accepts the valid forms', () => {
    for (const body of Object.values(VALID)) expect(errorsOf(body)).toEqual({});
  });

  it('names each missing required field in words', () => {
    expect(errorsOf({ type: 'NEW_INSTALLATION' })).toEqual({
      productId: 'Choose a product',
      channels: 'Give the number of IP channels',
      lock: 'Give the lock: {"type": "MAC", "value": "<MAC address>"} or {"type": "HARDWARE_KEY", "value": "<hardware key code>"}',
      endUserCompany: 'End user company is required',
      deliveryEmails: 'Give at least one delivery e-mail address',
    });
    expect(errorsOf({ type: 'CHANNEL_EXPANSION' })).toMatchObject({
      serial: 'Give the license serial, e.g. V8WJNEE89Q6A',
      macAddress: 'Give the MAC address the license is locked to, e.g. c8d9d29aa31b',
      channels: 'Give the number of channels to add',
    });
    expect(errorsOf({ type: 'HARDWARE_REPLACEMENT' })).toMatchObject({ reason: 'Say why the hardware is replaced' });
    expect(errorsOf({})).toEqual({
      type: 'Choose the request type: NEW_INSTALLATION, CHANNEL_EXPANSION, STOCK_ADDITION, UPGRADE, OWNERSHIP_CHANGE, HARDWARE_REPLACEMENT, RETURN_CONFIRMATION, PARTIAL_TRANSFER, STOCK_RESHIP or SMA_RENEWAL',
    });
    expect(errorsOf([])).toEqual({ _: 'Send the request as a JSON object with its type, e.g. {"type": "NEW_INSTALLATION", …}' });
  });

  it('says what is wrong with a MAC, a serial and a number of channels', () => {
    expect(errorsOf({ ...VALID.NEW_INSTALLATION, lock: { type: 'MAC', value: 'ZZ:11:22:33:44' }, channels: 100_000 })).toEqual({
      'lock.value': 'MAC address may contain only hex digits 0-9 and a-f (found "Z"); it must be 12 hex digits, e.g. c8d9d29aa31b',
      channels: 'IP channels can be at most 10000; no product takes more',
    });
    expect(errorsOf({ ...VALID.CHANNEL_EXPANSION, macAddress: 'not-a-mac', serial: 'V8WJNEE89Q6', channels: 1.5 })).toEqual({
      macAddress: 'MAC address may contain only hex digits 0-9 and a-f (found "n", "o", "t", "m"); it must be 12 hex digits, e.g. c8d9d29aa31b',
      serial: 'Serial must be 12 characters, e.g. V8WJNEE89Q6A (got 11)',
      channels: 'Channels to add must be a whole number',
    });
    expect(errorsOf({ ...VALID.RETURN_CONFIRMATION, channels: 0 })).toEqual({ channels: 'Channels to return must be at least 1' });
    expect(errorsOf({ ...VALID.OWNERSHIP_CHANGE, serials: Array.from({ length: 51 }, () => 'V8WJNEE89Q6A') })).toEqual({
      serials: 'Give at most 50 licenses in one request; send the rest in another',
    });
  });

  it("answers every field's wrong value in the desk's words, never zod's", () => {
    const wrong: unknown[] = [undefined, null, 42, -1, 1.5, 100_001, '', ' ', 'x'.repeat(3000), true, [], ['x'], {}, { type: 'NONE' }];
    let checked = 0;
    for (const [type, valid] of Object.entries(VALID)) {
      const fields = Object.keys(valid).filter((k) => k !== 'type');
      for (const field of [
        ...fields,
        ...fields.filter((f) => typeof valid[f] === 'object' && !Array.isArray(valid[f])).flatMap((f) => [`${f}.type`, `${f}.value`]),
      ]) {
        for (const value of wrong) {
          const body = structuredClone(valid);
          const [head, sub] = field.split('.') as [string, string | undefined];
          if (sub) (body[head] as Record<string, unknown>)[sub] = value;
          else body[head] = value;
          for (const [at, message] of Object.entries(errorsOf(body))) {
            checked++;
            expect(message, `${type} ${field}=${JSON.stringify(value)?.slice(0, 30)} → ${at}`).not.toMatch(ZOD_WORDING);
            expect(message.length, message).toBeGreaterThan(10);
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(300);
  });
});
