// The signing secret: it opens the Ed25519 private keys in the SigningKey table. A backup keeps it
// apart from the data, in a file of its own beside the backup folder (or not at all when the
// operator keeps it, as SIGNING_KEY_SECRET).
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { decryptPrivateKey } from '../../services/signing/key-store.ts';
import { byteaFromCopy, copyRows } from './copy-text.ts';
import type { Manifest } from './format.ts';

/** Where `npm start` keeps the secret it generated for the embedded default. */
export const localSecretFile = (dataDir: string) => path.join(dataDir, 'secrets', 'signing-key-secret');

export async function readSecretFile(file: string): Promise<string> {
  const secret = (await readFile(file, 'utf8')).trim();
  if (secret.length < 32) throw new Error(`${file} does not hold a signing secret (at least 32 characters).`);
  return secret;
}

/** Writes the secret to a new file only its owner can read (0600); never over an existing file. */
export async function writeSecretFile(file: string, secret: string) {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  await chmod(file, 0o600);
}

/** The key ids the secret does not open (none means it is the right secret). */
export function keysTheSecretDoesNotOpen(keys: Array<{ id: string; privateKeyEnc: Uint8Array }>, secret: string): string[] {
  return keys
    .filter((key) => {
      try {
        decryptPrivateKey(key.privateKeyEnc, secret, key.id);
        return false;
      } catch {
        return true;
      }
    })
    .map((key) => key.id);
}

export const secretFileBeside = (backupDir: string) => `${backupDir.replace(/[\\/]+$/, '')}.secret`;

/** The signing keys in a backup's SigningKey file, to check a secret before anything is restored. */
export async function signingKeysInBackup(backupDir: string, manifest: Manifest) {
  const table = manifest.postgres.tables.find((t) => t.name === 'SigningKey');
  if (!table) return [];
  const keys: Array<{ id: string; privateKeyEnc: Buffer }> = [];
  for await (const row of copyRows(backupDir, table)) keys.push({ id: row.id!, privateKeyEnc: byteaFromCopy(row.privateKeyEnc!) });
  return keys;
}
