import { describe, expect, it } from 'vitest';
import { LicenseGrantsSchema } from '../../domain/license-file.ts';

const issues = (value: unknown) => LicenseGrantsSchema.safeParse(value).error?.issues.map((i) => `${i.path.join('.') || '(grants)'} ${i.message}`);

describe('license grant messages', () => {
  it('complete "<field> …" in words a verifier reads, never zod\'s', () => {
    expect(issues(null)).toEqual([
      '(grants) must be an object with the fields serial, revision, product, channels, vcaChannels, lock, owner, endUser, sma, expiresAt, issuedAt and features',
    ]);
    const grants = {
      serial: 'V8WJNEE89Q6A',
      revision: 0,
      product: { code: '', name: 'V9 Pro', version: 1, tier: 'GOLD', isDemo: 'no', extra: 1 },
      channels: -1,
      vcaChannels: 1.5,
      lock: { type: 'USB' },
      owner: null,
      endUser: {},
      sma: {},
      expiresAt: 'never',
      issuedAt: '2026-11-22',
      features: 'all',
      more: 2,
    };
    expect(issues(grants)).toEqual([
      'revision must be a whole number of at least 1',
      'product.code must not be empty',
      'product.version must be text',
      'product.tier must be BASE, PRO, ENTERPRISE, ENTERPRISE_PLUS or null',
      'product.isDemo must be true or false',
      'product has fields the format does not define: extra',
      'channels must be a whole number of at least 0',
      'vcaChannels must be a whole number of at least 0',
      'lock.type must be MAC or HARDWARE_KEY',
      'lock.value must be text',
      'owner must be an object with companyId and name',
      'endUser.company must be text',
      'expiresAt must be an ISO 8601 date or date-time, e.g. 2026-11-22 or 2026-11-22T10:00:00Z',
      'features must be a list of texts',
      '(grants) has fields the format does not define: more',
    ]);
  });
});
