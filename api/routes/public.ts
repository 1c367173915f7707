import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import * as shapes from '../answer-shapes.ts';
import { documented, errorBody } from '../route-docs.ts';
import type { KeyStore } from '../../services/signing/key-store.ts';
import { verifyWithStore } from '../../services/signing/sign-license.ts';

const MAX_LICENSE_FILE_BYTES = 64 * 1024;

/**
 * Public routes: the public keys that verify license files (retired ones included, so old
 * files keep verifying), and verification of a file: is it genuine, and what does it grant.
 */
export function publicRoutes(deps: { keyStore: KeyStore }) {
  return new Hono()
    .get(
      '/public-keys',
      documented({
        summary: 'The keys that verify license files, retired ones included',
        who: 'anyone',
        answers: { 200: { description: 'The Ed25519 public keys (PEM)', json: z.array(shapes.publicKey) } },
      }),
      async (c) => {
        const keys = await deps.keyStore.publicKeys();
        return c.json(
          keys.map(({ kid, algorithm, publicKeyPem, status, createdAt, retiredAt }) => ({ kid, algorithm, publicKeyPem, status, createdAt, retiredAt })),
        );
      },
    )
    .post(
      '/verify',
      documented({
        summary: 'Verify a .lic file (the raw file is the body) and read what it grants',
        description: 'At most 64 KB; send `content-type: application/octet-stream` (or an `Origin`)',
        who: 'anyone',
        requestBody: { required: true, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
        answers: {
          200: { description: 'Genuine: `{ valid: true, kid, grants }`', json: shapes.verification },
          413: 'A license file is at most 64 KB',
          422: { description: 'Empty, or not genuine: `{ valid: false, … }`', json: z.union([shapes.verification, errorBody]) },
        },
      }),
      bodyLimit({ maxSize: MAX_LICENSE_FILE_BYTES, onError: (c) => c.json({ message: 'A license file is at most 64 KB.' }, 413) }),
      async (c) => {
        const text = await c.req.text();
        if (!text.trim()) return c.json({ message: 'Send the content of the .lic file as the request body.' }, 422);
        const result = await verifyWithStore(deps.keyStore, text);
        return result.valid ? c.json(result) : c.json(result, 422);
      },
    );
}
