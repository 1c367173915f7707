import { describe, expect, it } from 'vitest';
import {
  checkExternalLicenseFile,
  checkInterimAllowance,
  checkUnchangedForRebind,
  checkUnchangedForTransfer,
  checkUnchangedForUpgrade,
  lockText,
  MAX_INTERIM_LICENSES_PER_HARDWARE,
} from '../../domain/fulfilment-rules.ts';
import { refusalWithCode as refusal } from '../support/rule-fixtures.ts';

const license = {
  serial: 'V8WJNEE89Q6A',
  productId: 'v9-pro',
  companyId: 'owner',
  status: 'ACTIVE',
  lockType: 'MAC' as const,
  macAddress: 'c8d9d29aa31b',
  hardwareKey: null,
  product: { name: 'V9 Pro' },
  company: { name: 'Owner Oy' },
};

describe('fulfilment rules', () => {
  it('shows a lock as the history and the mails do', () => {
    expect(lockText('MAC', 'c8d9d29aa31b')).toBe('MAC: c8:d9:d2:9a:a3:1b');
    expect(lockText('HARDWARE_KEY', '4410011575A6')).toBe('Hardware key: 4410011575A6');
  });

  it('lets an upgrade go on only while the license is active on the product it started from', () => {
    expect(() => checkUnchangedForUpgrade(license, { fromProductId: 'v9-pro' })).not.toThrow();
    expect(
      refusal(() => checkUnchangedForUpgrade({ ...license, productId: 'v9-ent', product: { name: 'V9 Enterprise' } }, { fromProductId: 'v9-pro' })),
    ).toEqual({
      code: 'LICENSE_CHANGED',
      field: 'serial',
      message: 'License V8WJNEE89Q6A changed while the upgrade waited (it is now V9 Enterprise, active); submit a new request.',
    });
    expect(refusal(() => checkUnchangedForUpgrade({ ...license, status: 'REVOKED' }, { fromProductId: 'v9-pro' })).message).toBe(
      'License V8WJNEE89Q6A changed while the upgrade waited (it is now V9 Pro, revoked); submit a new request.',
    );
  });

  it('lets a hardware replacement go on only while the license is active on the old hardware', () => {
    const target = { lockType: 'MAC' as const, oldLock: 'c8d9d29aa31b' };
    expect(() => checkUnchangedForRebind(license, target)).not.toThrow();
    expect(refusal(() => checkUnchangedForRebind({ ...license, macAddress: '001122334455' }, target))).toEqual({
      code: 'LICENSE_CHANGED',
      field: 'serial',
      message: 'License V8WJNEE89Q6A changed while the replacement waited (it is now active, MAC: 00:11:22:33:44:55); submit a new request.',
    });
    expect(refusal(() => checkUnchangedForRebind({ ...license, status: 'WAITING_CONFIRM' }, target)).message).toBe(
      'License V8WJNEE89Q6A changed while the replacement waited (it is now waiting_confirm, MAC: c8:d9:d2:9a:a3:1b); submit a new request.',
    );
    const keyed = { ...license, lockType: 'HARDWARE_KEY' as const, macAddress: null, hardwareKey: '4410011575A6' };
    expect(() => checkUnchangedForRebind(keyed, { lockType: 'HARDWARE_KEY', oldLock: '4410011575A6' })).not.toThrow();
    expect(refusal(() => checkUnchangedForRebind(keyed, target)).message).toBe(
      'License V8WJNEE89Q6A changed while the replacement waited (it is now active, Hardware key: 4410011575A6); submit a new request.',
    );
  });

  it('moves a license to a new owner only while it is active and still the current owner’s', () => {
    expect(() => checkUnchangedForTransfer(license, { id: 'owner' })).not.toThrow();
    expect(refusal(() => checkUnchangedForTransfer({ ...license, companyId: 'other', company: { name: 'Other Oy' } }, { id: 'owner' }))).toEqual({
      code: 'LICENSE_CHANGED',
      field: 'serials',
      message: 'License V8WJNEE89Q6A changed while the request waited (it is now owned by Other Oy, active); nothing was moved. Submit a new request.',
    });
    expect(refusal(() => checkUnchangedForTransfer({ ...license, status: 'REVOKED' }, { id: 'owner' })).message).toBe(
      'License V8WJNEE89Q6A changed while the request waited (it is now owned by Owner Oy, revoked); nothing was moved. Submit a new request.',
    );
  });

  it('issues at most two interim or demo licenses per hardware, and says the request goes on without one', () => {
    expect(MAX_INTERIM_LICENSES_PER_HARDWARE).toBe(2);
    expect(() => checkInterimAllowance(1, { lockType: 'MAC', value: '001122334455' })).not.toThrow();
    expect(refusal(() => checkInterimAllowance(2, { lockType: 'MAC', value: '001122334455' }))).toEqual({
      code: 'INTERIM_LIMIT',
      field: 'interimLicense',
      message:
        'No interim license was issued: the new hardware (MAC: 00:11:22:33:44:55) has already had its 2 interim or demo licenses. ' +
        'Your request goes on without one; the license is moved to the new hardware when the desk approves it.',
    });
    expect(refusal(() => checkInterimAllowance(3, { lockType: 'HARDWARE_KEY', value: '4410011575A6' })).message).toContain(
      'the new hardware (Hardware key: 4410011575A6) has already had its 2 interim or demo licenses.',
    );
  });

  it("takes an external product's file only from this request's license-file attachments", () => {
    const file = { id: 'a1', requestId: 'r1', kind: 'LICENSE_FILE', fileName: 'license-V8WJNEE89Q6A.lic' };
    expect(checkExternalLicenseFile(file, 'r1')).toBe(file);
    const message = 'The uploaded license file does not belong to this request.';
    for (const other of [null, undefined, { ...file, requestId: 'r2' }, { ...file, kind: 'REQUEST_FILE' }]) {
      expect(refusal(() => checkExternalLicenseFile(other, 'r1'))).toEqual({ code: 'LICENSE_FILE_NOT_OF_REQUEST', field: 'attachmentId', message });
    }
  });
});
