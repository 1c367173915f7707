import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { KeyStore } from '../../activities/signing/key-store.ts';
import { verifyWithStore } from '../../activities/signing/sign-license.ts';

const MAX_LICENSE_FILE_BYTES = 64 * 1024;

/**
 * Public routes: the public keys that verify license files (retired ones included, so old
 * files keep verifying), and verification of a file: is it genuine, and what does it grant.
 */
export function publicRoutes(deps: { keyStore: KeyStore }) {
  return new Hono()
    .get('/public-keys', async (c) => {
      const keys = await deps.keyStore.publicKeys();
      return c.json(keys.map(({ kid, algorithm, publicKeyPem, status, createdAt, retiredAt }) => ({ kid, algorithm, publicKeyPem, status, createdAt, retiredAt })));
    })
    .post(
      '/verify',
      bodyLimit({ maxSize: MAX_LICENSE_FILE_BYTES, onError: (c) => c.json({ message: 'A license file is at most 64 KB.' }, 413) }),
      async (c) => {
        const text = await c.req.text();
        if (!text.trim()) return c.json({ message: 'Send the content of the .lic file as the request body.' }, 422);
        const result = await verifyWithStore(deps.keyStore, text);
        return result.valid ? c.json(result) : c.json(result, 422);
      },
    );
}
