import { Hono } from 'hono';
import type { KeyStore } from '../../services/signing/key-store.ts';
import type { PrismaClient } from '../../prisma/client.ts';
import { requireRole, type AuthEnv } from '../auth/middleware.ts';
import * as shapes from '../answer-shapes.ts';
import { documented, listOf } from '../route-docs.ts';
import { setContentRange } from '../simple-rest.ts';

/**
 * Signing keys for the desk: the list (public halves only, with how many revisions each
 * signed) and rotation. A rotated key retires but keeps verifying the files it signed.
 */
export function signingKeyRoutes(deps: { prisma: PrismaClient; keyStore: KeyStore }) {
  async function list() {
    const [keys, counts] = await Promise.all([
      deps.keyStore.publicKeys(),
      deps.prisma.licenseRevision.groupBy({ by: ['signingKeyId'], _count: { _all: true } }),
    ]);
    return keys.map(({ kid, algorithm, publicKeyPem, status, createdAt, retiredAt }) => ({
      id: kid,
      algorithm,
      publicKeyPem,
      status,
      createdAt,
      retiredAt,
      signedRevisions: counts.find((c) => c.signingKeyId === kid)?._count._all ?? 0,
    }));
  }
  return new Hono<AuthEnv>()
    .get(
      '/',
      documented({
        summary: 'The signing keys (public halves) with how many revisions each signed',
        who: 'desk',
        answers: { 200: listOf(shapes.signingKey, 'Every key, in one page') },
      }),
      requireRole('DESK_AGENT', 'DESK_ADMIN'),
      async (c) => {
        const rows = await list();
        setContentRange(c, 'signing-keys', 0, rows.length, rows.length);
        return c.json(rows);
      },
    )
    .post(
      '/rotate',
      documented({
        summary: 'Rotate: a new active key; the old one retires and keeps verifying',
        who: 'desk admin',
        answers: { 201: { description: 'The new key', json: shapes.signingKey } },
      }),
      requireRole('DESK_ADMIN'),
      async (c) => {
        const key = await deps.keyStore.rotate();
        return c.json(
          (await list()).find((k) => k.id === key.kid),
          201,
        );
      },
    );
}
