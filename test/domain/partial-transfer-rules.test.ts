import { describe, expect, it } from 'vitest';
import { checkUnchangedForPartialTransfer } from '../../domain/fulfilment-rules.ts';
import { partialTransferForm } from '../../domain/request-forms.ts';
import { requestFormFor } from '../../domain/request-form-facts.ts';
import { checkPartialTransfer, checkTransferTarget, transferTarget, type RuleLicense, type RuleProduct } from '../../domain/request-rules.ts';
import { pro, refusal } from '../support/rule-fixtures.ts';

const sv9100: RuleProduct = { ...pro, name: 'SV9100 CP20 ports', family: 'NEC SV9100', tier: null, lockType: 'HARDWARE_KEY', hardwareKeyType: 'SV9100_CP20' };
const license: RuleLicense = {
  serial: 'V8WJNEE89Q6A',
  companyId: 'own',
  status: 'ACTIVE',
  channels: 20,
  lockType: 'MAC',
  macAddress: 'c8d9d29aa31b',
  hardwareKey: null,
  product: pro,
};

const TARGET = '7b0f1c1e-4a55-4d8e-9d7c-0c1c2b3a4d5e';
const form = {
  type: 'PARTIAL_TRANSFER',
  serial: 'V8WJNEE89Q6A',
  channels: 5,
  targetCompanyId: TARGET,
  lock: { type: 'MAC', value: 'c8:d9:d2:9a:a3:1c' },
  deliveryEmails: ['orders@example.com'],
};
const messages = (
  schema: { safeParse(v: unknown): { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } } },
  value: unknown,
) => Object.fromEntries((schema.safeParse(value).error?.issues ?? []).map((i) => [i.path.join('.'), i.message]));

describe('partial transfer rules', () => {
  it('answers the channels the source keeps', () => {
    expect(checkPartialTransfer(license, 5)).toBe(15);
    expect(checkPartialTransfer(license, 19)).toBe(1);
  });

  it('refuses more channels than the license has, or a remainder below the product minimum', () => {
    expect(refusal(() => checkPartialTransfer(license, 25))).toEqual({
      field: 'channels',
      message: 'License V8WJNEE89Q6A has 20 channels; you asked to transfer 25. Transfer at most 19.',
    });
    expect(refusal(() => checkPartialTransfer(license, 20)).message).toBe(
      'License V8WJNEE89Q6A would keep 0 channels, fewer than the 1 V9 Pro needs; transfer at most 19.',
    );
    const eight = { ...license, product: { ...pro, minChannels: 8 } };
    expect(refusal(() => checkPartialTransfer(eight, 13)).message).toBe(
      'License V8WJNEE89Q6A would keep 7 channels, fewer than the 8 V9 Pro needs; transfer at most 12.',
    );
    expect(refusal(() => checkPartialTransfer(eight, 4)).message).toBe('A new V9 Pro license needs at least 8 channels; transfer at least 8.');
    expect(refusal(() => checkPartialTransfer({ ...license, channels: 1 }, 1)).message).toBe(
      'License V8WJNEE89Q6A has 1 channels and must keep at least 1 for V9 Pro, so no channels can be transferred from it.',
    );
    expect(refusal(() => checkPartialTransfer({ ...eight, channels: 15 }, 7)).message).toBe(
      'License V8WJNEE89Q6A has 15 channels: it must keep 8 for V9 Pro, and a new license needs 8 too, so it cannot be split.',
    );
  });

  it('refuses the owner as the target, and a target that does not exist', () => {
    expect(refusal(() => checkTransferTarget('a', 'a'))).toEqual({
      field: 'targetCompanyId',
      message: 'The channels would stay with the company that owns the license; choose the company that receives them.',
    });
    expect(() => checkTransferTarget('a', 'b')).not.toThrow();
    expect(refusal(() => transferTarget(null)).message).toBe('The company that receives the channels does not exist; choose it from the list.');
  });

  it('the form refuses fewer than one channel, and with the license known, its rules and a lock of the wrong kind', () => {
    expect(partialTransferForm.safeParse(form).success).toBe(true);
    expect(messages(partialTransferForm, { ...form, channels: 0 })).toEqual({ channels: 'Channels to transfer must be at least 1' });
    expect(messages(partialTransferForm, { ...form, lock: { type: 'MAC', value: 'c8d9' } })).toEqual({
      'lock.value': 'MAC address must be 12 hex digits, e.g. c8d9d29aa31b (got 4)',
    });
    const withLicense = requestFormFor('PARTIAL_TRANSFER', { license });
    expect(messages(withLicense, { ...form, channels: 20 })).toEqual({
      channels: 'License V8WJNEE89Q6A would keep 0 channels, fewer than the 1 V9 Pro needs; transfer at most 19.',
    });
    const keyLicense = { ...license, lockType: 'HARDWARE_KEY' as const, macAddress: null, hardwareKey: '4410011575A6', product: sv9100 };
    expect(messages(requestFormFor('PARTIAL_TRANSFER', { license: keyLicense }), form)).toEqual({
      'lock.type': 'SV9100 CP20 ports is locked to a hardware key code; choose HARDWARE_KEY as the lock type.',
    });
  });

  it('refuses the fulfilment when the license changed while the request waited', () => {
    const row = { ...license, company: { name: 'Partner A' }, product: { minChannels: 1 } };
    expect(() => checkUnchangedForPartialTransfer(row, { currentOwnerId: 'own', channels: 5 })).not.toThrow();
    expect(refusal(() => checkUnchangedForPartialTransfer({ ...row, channels: 5 }, { currentOwnerId: 'own', channels: 5 })).message).toBe(
      'License V8WJNEE89Q6A changed while the request waited (it is now owned by Partner A, active, with 5 channels); nothing was moved. Submit a new request.',
    );
  });
});
