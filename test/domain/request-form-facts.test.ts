import { describe, expect, it } from 'vitest';
import { requestFormFor } from '../../domain/request-form-facts.ts';
import { requestForm } from '../../domain/request-forms.ts';
import { checkChannelsInStock, type RuleLicense, type RuleProduct } from '../../domain/request-rules.ts';

const base: RuleProduct = {
  name: 'V9 Base',
  active: true,
  family: 'Mirasys VMS',
  version: '9.0',
  tier: 'BASE',
  isDemo: false,
  minChannels: 1,
  maxChannels: 250,
  lockType: 'MAC',
  hardwareKeyType: null,
};
const sv9100: RuleProduct = { ...base, name: 'SV9100 CP20 ports', family: 'NEC SV9100', tier: null, lockType: 'HARDWARE_KEY', hardwareKeyType: 'SV9100_CP20' };
const license: RuleLicense = {
  serial: 'V8WJNEE89Q6A',
  companyId: 'own',
  status: 'ACTIVE',
  channels: 240,
  lockType: 'MAC',
  macAddress: 'c8d9d29aa31b',
  hardwareKey: null,
  product: base,
};

const installation = (over: Record<string, unknown>) => ({
  type: 'NEW_INSTALLATION',
  productId: '6f1c2b1e-8f7a-4a55-9a33-3c3c3c3c3c3c',
  channels: 5,
  vcaChannels: 0,
  lock: { type: 'MAC', value: 'c8d9d29aa31b' },
  endUserCompany: 'Koistinen Logistics',
  deliveryEmails: ['orders@example.com'],
  ...over,
});
const expansion = (channels: number) => ({
  type: 'CHANNEL_EXPANSION',
  serial: 'V8WJNEE89Q6A',
  macAddress: 'c8:d9:d2:9a:a3:1b',
  channels,
  deliveryEmails: ['orders@example.com'],
});

/** The first message per field, as the form shows them (react-hook-form's zod resolver keeps the first). */
function messages(
  schema: { safeParse(value: unknown): { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } } },
  value: unknown,
) {
  const result = schema.safeParse(value);
  const out: Record<string, string> = {};
  for (const issue of result.error?.issues ?? []) out[issue.path.join('.')] ??= issue.message;
  return out;
}

describe('checkChannelsInStock: the range and the stock, both named', () => {
  const refusal = (run: () => void) => {
    try {
      run();
    } catch (error) {
      return (error as Error).message;
    }
    return undefined;
  };
  it('names the range when it is the limit, and the stock when that is', () => {
    expect(refusal(() => checkChannelsInStock(base, 100_000, 284))).toBe('At most 250 IP channels for V9 Base; you have 284 in stock.');
    expect(refusal(() => checkChannelsInStock({ ...base, minChannels: 8 }, 4, 284))).toBe('At least 8 IP channels for V9 Base; you have 284 in stock.');
    expect(refusal(() => checkChannelsInStock(base, 41, 40))).toBe(
      'At most 40 IP channels: you have 40 of V9 Base in stock. Ask for fewer, or add stock first with a stock addition request.',
    );
    expect(refusal(() => checkChannelsInStock(base, 300, 40))).toMatch(/^At most 40 IP channels: you have 40 of V9 Base in stock/);
    expect(refusal(() => checkChannelsInStock(base, 1, 0))).toBe('You have no channels of V9 Base in stock. Add stock first with a stock addition request.');
    expect(refusal(() => checkChannelsInStock(null, 6, 5, 'channels'))).toMatch(/^At most 5 channels: you have 5 in stock/);
    expect(refusal(() => checkChannelsInStock(base, 250, 284))).toBeUndefined();
    expect(refusal(() => checkChannelsInStock(base, 40, 40))).toBeUndefined();
  });
});

describe('requestFormFor: the API schema plus the rules that need the product, the stock or the license', () => {
  it('without facts is the API’s schema, messages and all', () => {
    const bad = installation({ channels: 100_000, lock: { type: 'MAC', value: 'C8:D9:D2:9A:A3' } });
    expect(messages(requestFormFor('NEW_INSTALLATION'), bad)).toEqual(messages(requestForm, bad));
    expect(messages(requestFormFor('NEW_INSTALLATION'), bad)).toEqual({
      channels: 'IP channels can be at most 10000; no product takes more',
      'lock.value': 'MAC address must be 12 hex digits, e.g. c8d9d29aa31b (got 10)',
    });
  });

  it('a new installation: the product’s range and the stock before the general bound, and the product’s lock', () => {
    const form = requestFormFor('NEW_INSTALLATION', { product: base, available: 284 });
    expect(messages(form, installation({ channels: 100_000, lock: { type: 'MAC', value: 'G8:D9:D2:9A:A3:1B' } }))).toEqual({
      channels: 'At most 250 IP channels for V9 Base; you have 284 in stock.',
      'lock.value': 'MAC address may contain only hex digits 0-9 and a-f (found "G"); it must be 12 hex digits, e.g. c8d9d29aa31b',
    });
    expect(messages(form, installation({ lock: { type: 'HARDWARE_KEY', value: '4410011575A6' } }))).toEqual({
      'lock.type': 'V9 Base is locked to a MAC address; choose MAC as the lock type.',
    });
    expect(messages(requestFormFor('NEW_INSTALLATION', { product: sv9100 }), installation({ lock: { type: 'HARDWARE_KEY', value: '1234' } }))).toEqual({
      'lock.value':
        'SV9100 CP20 hardware key code must be 12 characters starting with 44 (digits and letters A-F), e.g. 4410011575A6 (got "1234", 4 characters)',
    });
    // The product known, the stock not yet: the API's own range message.
    expect(messages(requestFormFor('NEW_INSTALLATION', { product: base }), installation({ channels: 300 }))).toEqual({
      channels: 'V9 Base allows 1–250 IP channels; you asked for 300.',
    });
    expect(form.safeParse(installation({ channels: 250 })).success).toBe(true);
  });

  it('an expansion: the license’s room, then the stock; a return leaves a channel', () => {
    const form = requestFormFor('CHANNEL_EXPANSION', { license, available: 5 });
    expect(messages(form, expansion(20))).toEqual({
      channels: 'V9 Base allows at most 250 channels; license V8WJNEE89Q6A has 240, so at most 10 can be added; you asked for 20.',
    });
    expect(messages(form, expansion(8))).toEqual({
      channels: 'At most 5 channels: you have 5 of V9 Base in stock. Ask for fewer, or add stock first with a stock addition request.',
    });
    expect(form.safeParse(expansion(5)).success).toBe(true);
    const back = { type: 'RETURN_CONFIRMATION', serial: 'V8WJNEE89Q6A', channels: 240, deliveryEmails: ['orders@example.com'] };
    expect(messages(requestFormFor('RETURN_CONFIRMATION', { license }), back)).toEqual({
      channels: 'License V8WJNEE89Q6A has 240 channels; a return must leave at least 1, so return at most 239.',
    });
  });

  it('a hardware replacement: the old lock must be the license’s', () => {
    const replacement = {
      type: 'HARDWARE_REPLACEMENT',
      serial: 'V8WJNEE89Q6A',
      oldLock: { type: 'MAC', value: 'c8d9d29aa31c' },
      newLock: { type: 'MAC', value: 'c8d9d29aa31e' },
      reason: 'Disk failure',
      deliveryEmails: ['orders@example.com'],
    };
    expect(messages(requestFormFor('HARDWARE_REPLACEMENT', { license }), replacement)).toEqual({
      'oldLock.value': 'License V8WJNEE89Q6A is not locked to MAC c8d9d29aa31c; give the MAC address of the hardware being replaced, as shown on the license.',
    });
  });
});
