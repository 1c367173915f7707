import { encodeLicenseFile, verifyLicenseFile, type LicenseFileVerification, type LicenseGrants } from '../../domain/license-file.ts';
import type { KeyStore } from './key-store.ts';

/** Signs the grants with the active key: the `license-<SERIAL>.lic` file and the key id. */
export async function signLicense({
  keyStore,
  grants,
}: {
  keyStore: KeyStore;
  grants: LicenseGrants;
}): Promise<{ fileName: string; content: string; kid: string }> {
  const signer = await keyStore.activeSigner();
  const { fileName, content } = encodeLicenseFile({ grants, kid: signer.kid, sign: (bytes) => signer.sign(bytes) });
  return { fileName, content, kid: signer.kid };
}

/** Checks a file against every key in the store, retired ones included. */
export async function verifyWithStore(keyStore: KeyStore, text: string): Promise<LicenseFileVerification> {
  const keys = await keyStore.publicKeys();
  return verifyLicenseFile(text, new Map(keys.map((key) => [key.kid, key.publicKeyPem])));
}
