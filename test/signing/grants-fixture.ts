import type { LicenseGrants } from '../../domain/license-file.ts';

/** A realistic set of grants; `serial` varies so that files do not collide. */
export function sampleGrants(overrides: Partial<LicenseGrants> = {}): LicenseGrants {
  return {
    serial: 'V8WJNEE89Q6A',
    revision: 1,
    product: { code: 'MIRASYS-V9-ENTERPRISE', name: 'V9 Enterprise', version: '9', tier: 'ENTERPRISE', isDemo: false },
    channels: 64,
    vcaChannels: 4,
    lock: { type: 'MAC', value: 'c8d9d29aa31b' },
    owner: { companyId: '5f0c2a52-8d8e-4d0b-9f3c-2f4f7a0d1e11', name: 'Tapsan Turva Oy' },
    endUser: { company: 'Kauppakeskus Ääkkönen Oy', contact: 'Åsa Öberg <asa@example.fi>' },
    sma: { start: '2026-11-22', end: '2027-11-22' },
    expiresAt: null,
    issuedAt: '2026-11-22T10:15:00.000Z',
    features: ['vca', 'failover'],
    ...overrides,
  };
}

/** Replaces the character at `index` with another one from `alphabet`. */
export function changeCharAt(text: string, index: number, alphabet: string): string {
  const current = text[index]!;
  const replacement = alphabet[(alphabet.indexOf(current) + 1) % alphabet.length]!;
  return text.slice(0, index) + replacement + text.slice(index + 1);
}

export const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
export const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Rewrites one field of a .lic document, keeping the layout. */
export function withField(content: string, field: 'kid' | 'data' | 'sig', change: (value: string) => string): string {
  const document = JSON.parse(content) as Record<string, string>;
  document[field] = change(document[field]!);
  return `${JSON.stringify(document, null, 2)}\n`;
}
