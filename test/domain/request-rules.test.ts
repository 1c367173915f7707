import { describe, expect, it } from 'vitest';
import {
  checkActive,
  checkChannelRange,
  checkExpansion,
  checkHardwareReplacement,
  checkLockedTo,
  checkLockType,
  checkOwners,
  checkReturn,
  checkTransferable,
  checkUpgradeTarget,
  normalizeLock,
  offeredProduct,
  ownerCompanies,
  ownLicense,
  type RuleLicense,
  type RuleProduct,
} from '../../domain/request-rules.ts';
import { pro, refusal } from '../support/rule-fixtures.ts';

const enterprise: RuleProduct = { ...pro, name: 'V9 Enterprise', tier: 'ENTERPRISE', maxChannels: 500 };
const sv9100: RuleProduct = { ...pro, name: 'SV9100 CP20 ports', family: 'NEC SV9100', tier: null, lockType: 'HARDWARE_KEY', hardwareKeyType: 'SV9100_CP20' };
const license: RuleLicense = {
  serial: 'V8WJNEE89Q6A',
  companyId: 'own',
  status: 'ACTIVE',
  channels: 200,
  lockType: 'MAC',
  macAddress: 'c8d9d29aa31b',
  hardwareKey: null,
  product: pro,
};

describe('request rules', () => {
  it('offers active products only, and an unknown one reads the same as a retired one', () => {
    expect(offeredProduct(pro)).toBe(pro);
    const message = 'This product is not offered to your company; choose one from the product list.';
    expect(refusal(() => offeredProduct(null))).toEqual({ field: 'productId', message });
    expect(refusal(() => offeredProduct({ ...pro, active: false }, 'targetProductId'))).toEqual({ field: 'targetProductId', message });
  });

  it('names the product range and the channels asked for', () => {
    expect(() => checkChannelRange(pro, 250)).not.toThrow();
    expect(refusal(() => checkChannelRange(pro, 300))).toEqual({ field: 'channels', message: 'V9 Pro allows 1–250 IP channels; you asked for 300.' });
    expect(refusal(() => checkChannelRange({ ...pro, minChannels: 8 }, 4)).message).toBe('V9 Pro allows 8–250 IP channels; you asked for 4.');
  });

  it('wants the lock kind of the product, and reads the lock by its format', () => {
    expect(refusal(() => checkLockType(sv9100, 'MAC'))).toEqual({
      field: 'lock.type',
      message: 'SV9100 CP20 ports is locked to a hardware key code; choose HARDWARE_KEY as the lock type.',
    });
    expect(refusal(() => checkLockType(pro, 'HARDWARE_KEY')).message).toBe('V9 Pro is locked to a MAC address; choose MAC as the lock type.');
    expect(normalizeLock(pro, 'C8:D9:D2:9A:A3:1B')).toBe('c8d9d29aa31b');
    expect(normalizeLock(sv9100, '4410011575a6')).toBe('4410011575A6');
    expect(refusal(() => normalizeLock(sv9100, '1234'))).toEqual({
      field: 'lock.value',
      message: 'SV9100 CP20 hardware key code must be 12 characters starting with 44 (digits and letters A-F), e.g. 4410011575A6 (got "1234", 4 characters)',
    });
    expect(refusal(() => normalizeLock(pro, 'ZZ:11:22:33:44', 'oldLock.value'))).toEqual({
      field: 'oldLock.value',
      message: 'MAC address may contain only hex digits 0-9 and a-f (found "Z"); it must be 12 hex digits, e.g. c8d9d29aa31b',
    });
  });

  it("says the same of another company's license as of a missing one", () => {
    expect(ownLicense(license, 'own', 'V8WJNEE89Q6A')).toBe(license);
    const missing = refusal(() => ownLicense(null, 'own', 'V8WJNEE89Q6A'));
    expect(missing).toEqual({ field: 'serial', message: 'No license V8WJNEE89Q6A belongs to your company.' });
    expect(refusal(() => ownLicense(license, 'another', 'V8WJNEE89Q6A'))).toEqual(missing);
  });

  it('checks the MAC the license is locked to, and that it is active', () => {
    expect(refusal(() => checkLockedTo(license, '001b213a4f70'))).toEqual({
      field: 'macAddress',
      message: 'License V8WJNEE89Q6A is not locked to MAC 001b213a4f70.',
    });
    expect(refusal(() => checkActive({ ...license, status: 'WAITING_CONFIRM' }, '; only an active license can be moved to new hardware')).message).toBe(
      'License V8WJNEE89Q6A is waiting confirm, not active; only an active license can be moved to new hardware.',
    );
  });

  it('keeps an expansion within the product maximum, and a return above zero', () => {
    expect(() => checkExpansion(license, 50)).not.toThrow();
    expect(refusal(() => checkExpansion(license, 100))).toEqual({
      field: 'channels',
      message: 'V9 Pro allows at most 250 channels; license V8WJNEE89Q6A has 200, so at most 50 can be added; you asked for 100.',
    });
    expect(refusal(() => checkExpansion({ ...license, channels: 250 }, 1)).message).toBe(
      'V9 Pro allows at most 250 channels, and license V8WJNEE89Q6A has 250 already; no channels can be added.',
    );
    expect(checkReturn(license, 199)).toBe(1);
    expect(checkReturn(license, 5)).toBe(195);
    expect(refusal(() => checkReturn(license, 200))).toEqual({
      field: 'channels',
      message: 'License V8WJNEE89Q6A has 200 channels; a return must leave at least 1, so return at most 199.',
    });
  });

  it('upgrades within the family, to a higher tier, on the same lock', () => {
    expect(() => checkUpgradeTarget(license, enterprise)).not.toThrow();
    expect(refusal(() => checkUpgradeTarget(license, pro))).toEqual({
      field: 'targetProductId',
      message: 'This license is already on V9 Pro; choose a higher tier or a later version.',
    });
    expect(refusal(() => checkUpgradeTarget(license, { ...enterprise, family: 'NEC SV9100' })).message).toBe(
      'V9 Enterprise is a NEC SV9100 product; license V8WJNEE89Q6A is Mirasys VMS. Choose a Mirasys VMS product.',
    );
    expect(refusal(() => checkUpgradeTarget(license, { ...enterprise, maxChannels: 100 })).message).toBe(
      'V9 Enterprise takes 1–100 camera channels; license V8WJNEE89Q6A has 200.',
    );
  });

  it('moves a license from the lock it has to a different, well-formed one', () => {
    const mac = (value: string) => ({ type: 'MAC' as const, value });
    expect(checkHardwareReplacement(license, mac('C8-D9-D2-9A-A3-1B'), mac('001b213a4f70'))).toEqual({ oldLock: 'c8d9d29aa31b', newLock: '001b213a4f70' });
    expect(refusal(() => checkHardwareReplacement(license, mac('001b213a4f70'), mac('001b213a4f72')))).toEqual({
      field: 'oldLock.value',
      message: 'License V8WJNEE89Q6A is not locked to MAC 001b213a4f70; give the MAC address of the hardware being replaced, as shown on the license.',
    });
    expect(refusal(() => checkHardwareReplacement(license, mac('c8d9d29aa31b'), mac('not-a-mac'))).field).toBe('newLock.value');
    expect(refusal(() => checkHardwareReplacement(license, mac('c8d9d29aa31b'), { type: 'HARDWARE_KEY', value: '4410011575A6' }))).toEqual({
      field: 'newLock.type',
      message: 'License V8WJNEE89Q6A is locked to a MAC address; give the new hardware as a MAC address.',
    });
    expect(refusal(() => checkHardwareReplacement(license, mac('c8d9d29aa31b'), mac('c8:d9:d2:9a:a3:1b'))).message).toBe(
      'The new MAC address is the same as the old one (c8d9d29aa31b); give the one of the replacement hardware.',
    );
  });

  it('changes owner between two companies, one of them the requester, of active licenses of the current owner', () => {
    expect(refusal(() => checkOwners('a', { currentOwnerCompanyId: 'b', newOwnerCompanyId: 'b' }))).toEqual({
      field: 'newOwnerCompanyId',
      message: 'The current owner and the new owner are the same company; choose a different new owner.',
    });
    expect(refusal(() => checkOwners('a', { currentOwnerCompanyId: 'b', newOwnerCompanyId: 'c' })).message).toBe(
      'Your company must be the current owner or the new owner of the licenses.',
    );
    expect(refusal(() => ownerCompanies([{ id: 'a' }], { currentOwnerCompanyId: 'b', newOwnerCompanyId: 'a' }))).toEqual({
      field: 'currentOwnerCompanyId',
      message: 'The current owner company does not exist; choose it from the list.',
    });
    const owner = { id: 'b', name: 'Seller Oy' };
    expect(
      refusal(() =>
        checkTransferable(
          ['V8WJNEE89Q6A', 'V8WJNEE89Q6B'],
          [
            { serial: 'V8WJNEE89Q6A', companyId: 'b', status: 'ACTIVE' },
            { serial: 'V8WJNEE89Q6B', companyId: 'x', status: 'ACTIVE' },
          ],
          owner,
        ),
      ),
    ).toEqual({
      field: 'serials',
      message: 'License V8WJNEE89Q6B does not belong to Seller Oy.',
    });
    expect(refusal(() => checkTransferable(['V8WJNEE89Q6A'], [{ serial: 'V8WJNEE89Q6A', companyId: 'b', status: 'REVOKED' }], owner)).message).toBe(
      'Only active licenses can change owner: V8WJNEE89Q6A is revoked.',
    );
  });
});
