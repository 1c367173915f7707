import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { z } from 'zod';
import { createStockLedger, InsufficientStockError } from '../../services/stock-ledger.ts';
import type { PrismaClient } from '../../prisma/client.ts';
import { Prisma } from '../../prisma/generated/client.ts';
import { requireRole, type AuthEnv } from '../auth/middleware.ts';
import { listQuery, listResponse, notFound, orderOf } from '../simple-rest.ts';
import { companyScope, visibleCompanyIds } from '../tenancy.ts';
import * as shapes from '../answer-shapes.ts';
import { documented, listOf } from '../route-docs.ts';
import { fieldError, validate } from '../validation.ts';

/** A stock is a (company, product) pair; its id joins the two uuids (any that PostgreSQL reads as one). */
const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const STOCK_ID = new RegExp(`^(${UUID})_(${UUID})$`);
const stockId = (companyId: string, productId: string) => `${companyId}_${productId}`;

const stockFilter = z.strictObject({
  q: z.string().trim().max(100).optional(),
  companyId: z.uuid().optional(),
  productId: z.uuid().optional(),
  /** Low stocks: at most this many channels available. */
  availableAtMost: z
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .optional(),
});
const ledgerFilter = z.strictObject({
  // A bigint's digits: a longer number is no entry, and PostgreSQL would refuse to compare it.
  id: z
    .array(z.string().regex(/^\d{1,18}$/, 'must be a list of entry numbers'))
    .max(100, 'must be a list of at most 100 entry numbers')
    .optional(),
  companyId: z.uuid().optional(),
  productId: z.uuid().optional(),
  requestId: z.uuid().optional(),
  kind: z.enum(['CREDIT', 'RESERVE', 'CONSUME', 'RELEASE', 'RETURN', 'DEBIT', 'TRANSFER_OUT', 'TRANSFER_IN']).optional(),
});
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{8,100}$/;
const adjustBody = z.strictObject({
  companyId: z.uuid({ message: 'Choose the company' }),
  productId: z.uuid({ message: 'Choose the product' }),
  channels: z
    .number({ message: 'Give the number of channels, e.g. 10 to add or -10 to take out' })
    .int('Channels must be a whole number')
    .min(-100_000)
    .max(100_000)
    .refine((n) => n !== 0, 'Give a number of channels other than 0'),
  reason: z.string({ message: 'Give the reason for the adjustment' }).trim().min(3, 'Give the reason for the adjustment').max(500),
});

interface StockRow {
  companyId: string;
  productId: string;
  companyName: string;
  productCode: string;
  productName: string;
  available: number;
  reserved: number;
  consumed: number;
  updatedAt: Date;
}

const SORTABLE = { companyName: 'c."name"', productName: 'p."name"', productCode: 'p."code"', available: 'b."available"', updatedAt: 'b."updatedAt"' } as const;

/**
 * Stocks as "available / total" per product (VIVOTEK's dashboard), the ledger behind each, and
 * the desk's adjustment with a reason. total = available + reserved + consumed, i.e. every
 * channel credited and not debited. Partners see their own companies' stocks.
 */
export function stockRoutes(deps: { prisma: PrismaClient }) {
  const { prisma } = deps;
  const ledger = createStockLedger(prisma);

  async function stocks(where: Prisma.Sql, order: Prisma.Sql, page?: { skip: number; take: number }) {
    const limit = page ? Prisma.sql`LIMIT ${page.take} OFFSET ${page.skip}` : Prisma.empty;
    const rows = await prisma.$queryRaw<StockRow[]>`
      SELECT b."companyId", b."productId", c."name" AS "companyName", p."code" AS "productCode", p."name" AS "productName",
             b."available", b."reserved", b."consumed", b."updatedAt"
      FROM "StockBalance" b JOIN "Company" c ON c.id = b."companyId" JOIN "Product" p ON p.id = b."productId"
      WHERE ${where} ORDER BY ${order}, b."companyId", b."productId" ${limit}`;
    return rows.map((r) => ({ id: stockId(r.companyId, r.productId), ...r, total: r.available + r.reserved + r.consumed }));
  }

  async function scopeSql(user: AuthEnv['Variables']['user']) {
    const ids = await visibleCompanyIds(prisma, user);
    return ids ? Prisma.sql`b."companyId" = ANY(${ids}::uuid[])` : Prisma.sql`TRUE`;
  }

  return new Hono<AuthEnv>()
    .get(
      '/',
      documented({
        summary: 'Stocks: available, reserved, consumed and total per company and product',
        who: 'logged in',
        answers: { 200: listOf(shapes.stock, 'The stocks') },
      }),
      validate('query', listQuery(Object.keys(SORTABLE) as [keyof typeof SORTABLE], stockFilter)),
      async (c) => {
        const { sort, range, filter = {} } = c.req.valid('query');
        const conditions = [await scopeSql(c.var.user)];
        if (filter.companyId) conditions.push(Prisma.sql`b."companyId" = ${filter.companyId}::uuid`);
        if (filter.productId) conditions.push(Prisma.sql`b."productId" = ${filter.productId}::uuid`);
        if (filter.availableAtMost !== undefined) conditions.push(Prisma.sql`b."available" <= ${filter.availableAtMost}`);
        if (filter.q) {
          const like = `%${filter.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
          conditions.push(Prisma.sql`(c."name" ILIKE ${like} OR p."name" ILIKE ${like} OR p."code" ILIKE ${like})`);
        }
        const where = Prisma.join(conditions, ' AND ');
        const [field, direction] = sort ?? ['companyName', 'ASC'];
        const order = Prisma.raw(`${SORTABLE[field]} ${direction === 'DESC' ? 'DESC' : 'ASC'}`);
        return listResponse(c, 'stocks', range, async (page) => {
          const [rows, [count]] = await Promise.all([
            stocks(where, order, page),
            prisma.$queryRaw<
              Array<{ n: number }>
            >`SELECT count(*)::integer AS n FROM "StockBalance" b JOIN "Company" c ON c.id = b."companyId" JOIN "Product" p ON p.id = b."productId" WHERE ${where}`,
          ]);
          return [rows, count?.n ?? 0];
        });
      },
    )
    .get(
      '/:id',
      documented({
        summary: 'One stock; its id is <companyId>_<productId>',
        who: 'logged in',
        answers: { 200: { description: 'The stock', json: shapes.stock } },
      }),
      validate('param', z.object({ id: z.string().regex(STOCK_ID, 'Not a stock id') })),
      async (c) => {
        const [, companyId, productId] = STOCK_ID.exec(c.req.valid('param').id)!;
        const [row] = await stocks(
          Prisma.sql`${await scopeSql(c.var.user)} AND b."companyId" = ${companyId}::uuid AND b."productId" = ${productId}::uuid`,
          Prisma.sql`1`,
        );
        return c.json(row ?? notFound('Stock'));
      },
    )
    .post(
      '/adjust',
      documented({
        summary: 'Add or take out channels, with a reason (Idempotency-Key honoured)',
        description: '`{ companyId, productId, channels, reason }`: a positive `channels` credits the stock, a negative one takes channels out',
        who: 'desk admin',
        parameters: [
          {
            in: 'header',
            name: 'Idempotency-Key',
            description: 'A retry with the same key moves the stock once',
            schema: { type: 'string', pattern: IDEMPOTENCY_KEY.source },
          },
        ],
        answers: { 201: { description: 'The stock and its ledger `entry`', json: shapes.adjustedStock }, 409: 'More channels taken out than are available' },
      }),
      requireRole('DESK_ADMIN'),
      validate('json', adjustBody),
      async (c) => {
        const body = c.req.valid('json');
        const [company, product] = await Promise.all([
          prisma.company.findUnique({ where: { id: body.companyId } }),
          prisma.product.findUnique({ where: { id: body.productId } }),
        ]);
        if (!company) throw fieldError('companyId', 'Choose the company from the list');
        if (!product) throw fieldError('productId', 'Choose the product from the list');
        // A client may send Idempotency-Key so that a retried adjustment moves stock once.
        const clientKey = c.req.header('idempotency-key');
        if (clientKey !== undefined && !IDEMPOTENCY_KEY.test(clientKey))
          throw fieldError('Idempotency-Key', 'Idempotency-Key must be 8-100 letters, digits or .:_-');
        const key = `adjust:${clientKey ?? randomUUID()}`;
        const stock = { companyId: company.id, productId: product.id };
        const meta = { createdById: c.var.user.id, note: body.reason };
        try {
          const entry =
            body.channels > 0
              ? await ledger.credit(stock, body.channels, key, meta)
              : await ledger.debit(stock, -body.channels, key, { ...meta, productName: product.name });
          // A retry repeats the same adjustment; the same key with another one is a client's mistake.
          const same =
            entry &&
            entry.companyId === company.id &&
            entry.productId === product.id &&
            entry.channels === Math.abs(body.channels) &&
            entry.kind === (body.channels > 0 ? 'CREDIT' : 'DEBIT');
          if (entry && !same) throw fieldError('Idempotency-Key', 'This Idempotency-Key was already used for a different adjustment; send a new key', 422);
          const [row] = await stocks(Prisma.sql`b."companyId" = ${company.id}::uuid AND b."productId" = ${product.id}::uuid`, Prisma.sql`1`);
          return c.json({ ...row!, entry: entry && { ...entry, id: String(entry.id) } }, 201);
        } catch (error) {
          if (error instanceof InsufficientStockError)
            throw fieldError('channels', `Only ${error.available} channels of ${product.name} are available to take out`, 409);
          throw error;
        }
      },
    );
}

/** The ledger rows behind the stocks, newest first, in the caller's companies. */
export function stockLedgerRoutes(deps: { prisma: PrismaClient }) {
  const { prisma } = deps;
  return new Hono<AuthEnv>().get(
    '/',
    documented({ summary: 'The stock ledger entries, newest first', who: 'logged in', answers: { 200: listOf(shapes.ledgerRow, 'The entries') } }),
    validate('query', listQuery(['createdAt', 'id', 'kind', 'channels'], ledgerFilter)),
    async (c) => {
      const { sort, range, filter = {} } = c.req.valid('query');
      const where: Prisma.StockLedgerEntryWhereInput = {
        AND: [
          companyScope(await visibleCompanyIds(prisma, c.var.user)),
          filter.id ? { id: { in: filter.id.map(BigInt) } } : {},
          filter.companyId ? { companyId: filter.companyId } : {},
          filter.productId ? { productId: filter.productId } : {},
          filter.requestId ? { requestId: filter.requestId } : {},
          filter.kind ? { kind: filter.kind } : {},
        ],
      };
      return listResponse(c, 'stock-ledger', range, async ({ skip, take }) => {
        const [rows, total] = await Promise.all([
          prisma.stockLedgerEntry.findMany({
            where,
            orderBy: [orderOf(sort, ['id', 'DESC']), { id: 'desc' }],
            skip,
            take,
            include: { createdBy: { select: { name: true } }, product: { select: { name: true } }, request: { select: { number: true } } },
          }),
          prisma.stockLedgerEntry.count({ where }),
        ]);
        return [
          rows.map(({ createdBy, product, request, ...e }) => ({
            ...e,
            id: String(e.id),
            createdByName: createdBy?.name ?? null,
            productName: product.name,
            requestNumber: request?.number ?? null,
          })),
          total,
        ];
      });
    },
  );
}
