import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encodeLicenseFile, LicenseFileFormatError, parseLicenseFile, verifyLicenseFile } from '../../domain/license-file.ts';
import { BASE64_ALPHABET, BASE64URL_ALPHABET, changeCharAt, sampleGrants, withField } from './grants-fixture.ts';

const KID = 'ld-20261122-0a1b2c3d';
const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const keys = new Map([[KID, publicKey]]);
const signWithTestKey = (bytes: Uint8Array) => sign(null, bytes, privateKey);

describe('license file (pure)', () => {
  const grants = sampleGrants();
  const { fileName, content } = encodeLicenseFile({ grants, kid: KID, sign: signWithTestKey });

  it('writes the documented JSON shape', () => {
    expect(fileName).toBe('license-V8WJNEE89Q6A.lic');
    expect(content.endsWith('}\n')).toBe(true);
    const document = JSON.parse(content);
    expect(Object.keys(document)).toEqual(['format', 'kid', 'alg', 'data', 'sig']);
    expect(document).toMatchObject({ format: 'license-desk/v1', kid: KID, alg: 'Ed25519' });
    expect(content).toBe(`${JSON.stringify(document, null, 2)}\n`);
    expect(document.data).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(document.sig, 'base64')).toHaveLength(64);
    expect(document.sig).toMatch(/==$/);
    expect(JSON.parse(Buffer.from(document.data, 'base64url').toString('utf8'))).toEqual(grants);
  });

  it('escapes a key id that needs it exactly as JSON.stringify would, and still verifies', () => {
    const kid = 'ld-"quoted"\\back';
    const odd = encodeLicenseFile({ grants, kid, sign: signWithTestKey }).content;
    expect(odd).toBe(`${JSON.stringify(JSON.parse(odd), null, 2)}\n`);
    expect(JSON.parse(odd).kid).toBe(kid);
    expect(verifyLicenseFile(odd, new Map([[kid, publicKey]]))).toEqual({ valid: true, kid, grants });
  });

  it('accepts dates and date-times in the grants, and refuses anything else with the documented message', () => {
    const dated = { ...grants, sma: { start: '2026-11-22', end: '2027-11-22T00:00:00+02:00' } };
    expect(() => encodeLicenseFile({ grants: dated, kid: KID, sign: signWithTestKey })).not.toThrow();
    expect(() => encodeLicenseFile({ grants: { ...grants, issuedAt: '22.11.2026' }, kid: KID, sign: signWithTestKey })).toThrow(
      /issuedAt.*must be an ISO 8601 date or date-time/,
    );
  });

  it('round-trips: verify and parse give back the grants', () => {
    expect(verifyLicenseFile(content, keys)).toEqual({ valid: true, kid: KID, grants });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(verifyLicenseFile(content, new Map([[KID, pem]]))).toMatchObject({ valid: true, grants });
    expect(parseLicenseFile(content)).toMatchObject({ format: 'license-desk/v1', kid: KID, alg: 'Ed25519', grants });
  });

  it('fails when any character of data or sig is changed', () => {
    const { data, sig } = JSON.parse(content) as { data: string; sig: string };
    for (let i = 0; i < data.length; i++) {
      const result = verifyLicenseFile(
        withField(content, 'data', (d) => changeCharAt(d, i, BASE64URL_ALPHABET)),
        keys,
      );
      expect(result.valid, `data[${i}]`).toBe(false);
    }
    // The padding included: every one of the 88 characters.
    for (let i = 0; i < sig.length; i++) {
      const alphabet = sig[i] === '=' ? '=A' : BASE64_ALPHABET;
      const result = verifyLicenseFile(
        withField(content, 'sig', (s) => changeCharAt(s, i, alphabet)),
        keys,
      );
      expect(result.valid, `sig[${i}]`).toBe(false);
    }
  });

  it('fails for an unknown kid and a key that did not sign the file', () => {
    expect(
      verifyLicenseFile(
        withField(content, 'kid', (k) => k.replace(/d$/, 'e')),
        keys,
      ),
    ).toMatchObject({
      valid: false,
      reason: 'unknown-key',
      kid: 'ld-20261122-0a1b2c3e',
    });
    const other = generateKeyPairSync('ed25519').publicKey;
    expect(verifyLicenseFile(content, new Map([[KID, other]]))).toMatchObject({ valid: false, reason: 'bad-signature' });
  });

  it('refuses the non-canonical spelling of a signature (unused low bits)', () => {
    const { sig } = JSON.parse(content) as { sig: string };
    // 64 bytes → 86 significant characters; the last one carries 2 unused bits.
    const last = sig[85]!;
    const twin = BASE64_ALPHABET[BASE64_ALPHABET.indexOf(last) ^ 1]!;
    const forged = withField(content, 'sig', (s) => s.slice(0, 85) + twin + s.slice(86));
    expect(Buffer.from(JSON.parse(forged).sig, 'base64')).toEqual(Buffer.from(sig, 'base64'));
    expect(verifyLicenseFile(forged, keys)).toMatchObject({ valid: false, reason: 'malformed' });
  });

  it('explains what is wrong with a malformed file', () => {
    const cases: Array<[string, RegExp]> = [
      ['hello', /not JSON/],
      ['[]', /expected a JSON object/],
      [content.replace('license-desk/v1', 'license-desk/v2'), /"format" must be "license-desk\/v1"/],
      [content.replace('"Ed25519"', '"RS256"'), /"alg" must be "Ed25519"/],
      [withField(content, 'data', (d) => `${d}=`), /"data" must be a base64url string/],
      [withField(content, 'sig', (s) => s.replace(/=+$/, '')), /"sig" must be standard base64 with padding/],
      [withField(content, 'sig', (s) => s.slice(4)), /64-byte Ed25519 signature/],
      [content.replace('"kid"', '"keyId"'), /unexpected field "keyId"/],
    ];
    for (const [text, message] of cases) {
      expect(() => parseLicenseFile(text)).toThrow(LicenseFileFormatError);
      expect(() => parseLicenseFile(text)).toThrow(/^This is not a License Desk license file: /);
      expect(() => parseLicenseFile(text)).toThrow(message);
      expect(verifyLicenseFile(text, keys)).toMatchObject({ valid: false, reason: 'malformed', message: expect.stringMatching(message) });
    }
    const notGrants = withField(content, 'data', () => Buffer.from('{"serial":"X"}').toString('base64url'));
    expect(() => parseLicenseFile(notGrants)).toThrow(/the license data is invalid: revision/);
  });

  it('refuses to sign invalid grants, with the field named', () => {
    expect(() => encodeLicenseFile({ grants: sampleGrants({ serial: '../etc/passwd' }), kid: KID, sign: signWithTestKey })).toThrow(
      /Cannot sign a license whose grants are invalid: serial must be letters, digits and dashes/,
    );
    expect(() => encodeLicenseFile({ grants: sampleGrants({ issuedAt: 'yesterday' }), kid: KID, sign: signWithTestKey })).toThrow(
      /issuedAt must be an ISO 8601 date/,
    );
  });

  it('carries hardware-key locks, optional fields and demo expiry', () => {
    const hardware = sampleGrants({
      serial: 'HWKEY0000001',
      product: { code: 'NEC-SV9100-INMAIL-CP20', name: 'InMail CP20', version: '1', tier: null, isDemo: true },
      lock: { type: 'HARDWARE_KEY', value: 'ABCD-1234', hardwareKeyType: 'SV9100_CP20' },
      hardwareSerial: 'SN-998877',
      endUser: { company: 'Solo Oy' },
      sma: {},
      expiresAt: '2026-12-22T00:00:00.000Z',
      features: [],
    });
    const file = encodeLicenseFile({ grants: hardware, kid: KID, sign: signWithTestKey });
    expect(verifyLicenseFile(file.content, keys)).toEqual({ valid: true, kid: KID, grants: hardware });
  });
});
