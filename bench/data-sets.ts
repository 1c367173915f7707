import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createSessionStore } from '../api/auth/sessions.ts';
import { generateSerial, SERIAL_ALPHABET } from '../domain/serial.ts';
import type { PrismaClient } from '../prisma/client.ts';

/**
 * The benchmark's data, built with SQL (`INSERT … SELECT … FROM generate_series`), never row by
 * row: a vendor with its desk, dealers under distributors, the V9 catalogue, a million licenses
 * and a million license history events, and small partners for the request benchmarks.
 */

export const PARTNER_COUNT = 200;
export const DEALERS_PER_DISTRIBUTOR = 10;
const PRODUCT_TIERS = ['BASE', 'PRO', 'ENTERPRISE', 'ENTERPRISE_PLUS'] as const;
/** Licenses are created 90 s apart from 2023-01-01: a million span about 2.9 years. */
const FIRST_LICENSE_AT = '2023-01-01T00:00:00Z';
const LICENSE_SPACING_SECONDS = 90;

export interface BaseData {
  deskUserId: string;
  /** A distributor that sees its dealers: the partner view of the license list. */
  distributorUserId: string;
  /** A dealer user: submits the requests of the submission benchmark. */
  dealerUserId: string;
  productIds: string[];
}

/** The vendor, its desk admin, 20 distributors with 10 dealers each, and 8 products. */
export async function createBaseData(db: pg.Client): Promise<BaseData> {
  const distributors = PARTNER_COUNT / DEALERS_PER_DISTRIBUTOR;
  await db.query(`
    INSERT INTO "Company" (id, name, kind, "updatedAt") VALUES (gen_random_uuid(), 'Bench Vendor Oy', 'VENDOR', now());
    INSERT INTO "Company" (id, name, kind, "seesDealers", "updatedAt")
      SELECT gen_random_uuid(), 'Bench Distributor ' || lpad(d::text, 3, '0'), 'DISTRIBUTOR', true, now() FROM generate_series(1, ${distributors}) d;
    INSERT INTO "Company" (id, name, kind, "parentId", "updatedAt")
      SELECT gen_random_uuid(), 'Bench Dealer ' || lpad(n::text, 4, '0'), 'DEALER',
        (SELECT id FROM "Company" WHERE name = 'Bench Distributor ' || lpad((1 + (n - 1) / ${DEALERS_PER_DISTRIBUTOR})::text, 3, '0')), now()
      FROM generate_series(1, ${PARTNER_COUNT}) n;
    INSERT INTO "User" (id, "companyId", email, name, role, "passwordHash", "updatedAt")
      SELECT gen_random_uuid(), id, 'desk@bench.test', 'Bench Desk', 'DESK_ADMIN', 'x', now() FROM "Company" WHERE name = 'Bench Vendor Oy';
    INSERT INTO "User" (id, "companyId", email, name, role, "passwordHash", "updatedAt")
      SELECT gen_random_uuid(), id, 'distributor@bench.test', 'Bench Distributor User', 'PARTNER_ADMIN', 'x', now() FROM "Company" WHERE name = 'Bench Distributor 001';
    INSERT INTO "User" (id, "companyId", email, name, role, "passwordHash", "updatedAt")
      SELECT gen_random_uuid(), id, 'dealer@bench.test', 'Bench Dealer User', 'PARTNER_USER', 'x', now() FROM "Company" WHERE name = 'Bench Dealer 0001';
    INSERT INTO "Product" (id, code, name, family, version, tier, "isDemo", "maxChannels", "lockType", "smaMonths", "updatedAt")
      SELECT gen_random_uuid(), 'BENCH-V9-' || t || CASE WHEN demo THEN '-DEMO' ELSE '' END, 'V9 ' || initcap(replace(t, '_', ' ')) || CASE WHEN demo THEN ' Demo' ELSE '' END,
        'Mirasys VMS', '9.0', t::"ProductTier", demo, 250, 'MAC', 12, now()
      FROM unnest(ARRAY['${PRODUCT_TIERS.join("','")}']) t, unnest(ARRAY[false, true]) demo;
  `);
  const users = await db.query<{ email: string; id: string }>(`SELECT email, id FROM "User" WHERE email LIKE '%@bench.test'`);
  const userId = (email: string) => users.rows.find((u) => u.email === email)!.id;
  const products = await db.query<{ id: string }>(`SELECT id FROM "Product" WHERE code LIKE 'BENCH-V9-%' ORDER BY code`);
  return {
    deskUserId: userId('desk@bench.test'),
    distributorUserId: userId('distributor@bench.test'),
    dealerUserId: userId('dealer@bench.test'),
    productIds: products.rows.map((p) => p.id),
  };
}

/** A SQL expression for a unique, valid Crockford serial of the bigint expression `n`. */
function serialSql(n: string): string {
  // An injective mix of n below 2^60, spelled as 12 base-32 digits.
  const x = `((${n})::bigint * 1000003 + 77777777)`;
  const digits = Array.from({ length: 12 }, (_, k) => `substr('${SERIAL_ALPHABET}', (((${x}) >> ${5 * (11 - k)}) & 31)::int + 1, 1)`);
  return digits.join(' || ');
}

/**
 * `count` licenses, spread over the dealers and products, created 90 s apart (oldest first, as
 * an append-only table fills). End users repeat every 50,000 licenses.
 */
export async function createLicenses(db: pg.Client, count: number) {
  await db.query(`
    INSERT INTO "License" (id, serial, "companyId", "productId", channels, "vcaChannels", "lockType", "macAddress",
      "endUserCompany", "endUserContact", "orderType", "vendorRef", "ordererRef", "smaStart", "smaEnd", status,
      "currentRevision", "activatedAt", "createdAt", "updatedAt")
    SELECT gen_random_uuid(), ${serialSql('i')}, dealers.ids[1 + i % ${PARTNER_COUNT}], products.ids[1 + i % 8],
      1 + i % 64, i % 5, 'MAC', substr(md5(i::text), 1, 12),
      'End User ' || lpad((i % 50000)::text, 5, '0') || ' Oy', 'contact' || (i % 50000) || '@end-user.test', 'New', 'V-' || i, 'PO-' || i,
      t.at, t.at + interval '1 year', 'ACTIVE', 1, t.at, t.at, t.at
    FROM generate_series(1, ${count}) i
    CROSS JOIN (SELECT array_agg(id ORDER BY name) ids FROM "Company" WHERE kind = 'DEALER' AND name LIKE 'Bench Dealer %') dealers
    CROSS JOIN (SELECT array_agg(id ORDER BY code) ids FROM "Product" WHERE code LIKE 'BENCH-V9-%') products
    CROSS JOIN LATERAL (SELECT timestamp '${FIRST_LICENSE_AT}' + i * interval '${LICENSE_SPACING_SECONDS} seconds' AS at) t`);
}

/**
 * One history event per license (so `count` events when there are `count` licenses), with the
 * license actions the report names, a few minutes after the license was created.
 */
export async function createHistoryEvents(db: pg.Client) {
  await db.query(`
    INSERT INTO "HistoryEvent" ("occurredAt", action, "actorName", "companyId", "licenseId", changes, comment)
    SELECT l."createdAt" + interval '5 minutes',
      (ARRAY['created','activated','channels_changed','downloaded','emailed'])[1 + l."vcaChannels" % 5],
      'Bench Desk', l."companyId", l.id, 'Channels: +' || l.channels, CASE WHEN l.channels % 7 = 0 THEN 'Order checked' END
    FROM "License" l`);
}

/** Vacuum and statistics, as autovacuum would leave a table that has settled. */
export async function settle(db: pg.Client) {
  await db.query('VACUUM (ANALYZE) "License"');
  await db.query('VACUUM (ANALYZE) "HistoryEvent"');
  await db.query('ANALYZE');
}

/** A logged-in session (the cookie a browser would send), without the login rate limit. */
export async function sessionCookie(prisma: PrismaClient, userId: string) {
  return `ld_session=${await createSessionStore(prisma).create(userId)}`;
}

export interface ExpansionPartner {
  cookie: string;
  serial: string;
  macAddress: string;
  deliveryEmail: string;
}

/**
 * Partners for the end-to-end benchmark, one per concurrent client so that clients never wait
 * on each other's license or stock lock: each has a user, a stock of 100,000 channels of a
 * shared product, and an ACTIVE 4-channel license locked to a MAC (room for 246 more channels).
 */
export async function createExpansionPartners(db: pg.Client, prisma: PrismaClient, count: number, label = 'E2E'): Promise<ExpansionPartner[]> {
  // `label` keeps the sets of separate runs apart (product code, company names, e-mails).
  const product = await db.query<{ id: string }>(
    `INSERT INTO "Product" (id, code, name, family, version, tier, "maxChannels", "lockType", "smaMonths", "updatedAt")
     VALUES (gen_random_uuid(), $1, 'V9 Pro (bench)', 'Mirasys VMS', '9.0', 'PRO', 250, 'MAC', 12, now()) RETURNING id`,
    [`BENCH-${label}-PRO`],
  );
  const productId = product.rows[0]!.id;
  const partners: ExpansionPartner[] = [];
  for (let n = 1; n <= count; n++) {
    const serial = generateSerial((size) => randomBytes(size));
    // A network card's (unicast) MAC: the first byte is even.
    const mac = randomBytes(6);
    mac[0]! &= 0xfe;
    const macAddress = mac.toString('hex');
    const { rows } = await db.query<{ user_id: string }>(
      `WITH company AS (
         INSERT INTO "Company" (id, name, kind, "updatedAt") VALUES (gen_random_uuid(), $1, 'DEALER', now()) RETURNING id
       ), person AS (
         INSERT INTO "User" (id, "companyId", email, name, role, "passwordHash", "updatedAt")
         SELECT gen_random_uuid(), id, $2, $1 || ' user', 'PARTNER_USER', 'x', now() FROM company RETURNING id
       ), stock AS (
         INSERT INTO "StockLedgerEntry" ("companyId", "productId", kind, channels, "idempotencyKey")
         SELECT id, $3::uuid, 'CREDIT', 100000, 'bench-opening:' || $1 FROM company
       ), license AS (
         INSERT INTO "License" (id, serial, "companyId", "productId", channels, "lockType", "macAddress", "endUserCompany", status, "activatedAt", "updatedAt")
         SELECT gen_random_uuid(), $4, id, $3::uuid, 4, 'MAC', $5, 'Bench End User Oy', 'ACTIVE', now(), now() FROM company
       )
       SELECT id AS user_id FROM person`,
      [`Bench ${label} Partner ${n}`, `${label.toLowerCase()}-${n}@bench.test`, productId, serial, macAddress],
    );
    partners.push({
      cookie: await sessionCookie(prisma, rows[0]!.user_id),
      serial,
      macAddress,
      deliveryEmail: `orders-${label.toLowerCase()}-${n}@bench.test`,
    });
  }
  return partners;
}
