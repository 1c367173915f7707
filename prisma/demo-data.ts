import type { PrismaClient } from './client.ts';
import { CompanyKind, LockType, ProductTier, StockEntryKind, UserRole } from './client.ts';
import { hashPassword } from '../api/auth/password.ts';

/**
 * Demo data for the embedded default: the vendor's desk, a distributor with one dealer, the
 * Mirasys V9 catalogue (seeds/000, §1.1.1), one NEC product locked to an SV9100 CP20 hardware
 * key code and one external product (seeds/004), and opening stocks. Loading it twice changes
 * nothing: every row is keyed by a business key.
 */
export const DEMO_PASSWORD = 'LicenseDesk-demo-2026';

export const DEMO_USERS = [
  { email: 'desk.admin@license-desk.test', name: 'Dana Desk (desk admin)', role: UserRole.DESK_ADMIN, company: 'vendor' },
  { email: 'desk.agent@license-desk.test', name: 'Aki Agent (desk agent)', role: UserRole.DESK_AGENT, company: 'vendor' },
  { email: 'admin@nordic-distribution.test', name: 'Nina Nordic (distributor admin)', role: UserRole.PARTNER_ADMIN, company: 'distributor' },
  { email: 'user@nordic-distribution.test', name: 'Niko Nordic (distributor user)', role: UserRole.PARTNER_USER, company: 'distributor' },
  { email: 'admin@tapsan-turva.test', name: 'Tapio Tapsa (dealer admin)', role: UserRole.PARTNER_ADMIN, company: 'dealer' },
  { email: 'user@tapsan-turva.test', name: 'Taru Tapsa (dealer user)', role: UserRole.PARTNER_USER, company: 'dealer' },
] as const;

const COMPANIES = {
  vendor: { name: 'License Desk Vendor Oy', kind: CompanyKind.VENDOR, contactEmail: 'license-desk@license-desk.test' },
  distributor: { name: 'Nordic Security Distribution Oy', kind: CompanyKind.DISTRIBUTOR, contactEmail: 'orders@nordic-distribution.test', seesDealers: true },
  dealer: { name: 'Tapsan Turva Oy', kind: CompanyKind.DEALER, contactEmail: 'office@tapsan-turva.test' },
} as const;

// Servers and users as the Mirasys guide lists them ("Standard System License: ..."). The guide
// gives none for Enterprise Plus, so those stay empty rather than invented.
const MIRASYS_TIERS = [
  { tier: ProductTier.BASE, label: 'Base', servers: 1, users: 2 },
  { tier: ProductTier.PRO, label: 'Pro', servers: 3, users: 5 },
  { tier: ProductTier.ENTERPRISE, label: 'Enterprise', servers: 150, users: 10 },
  { tier: ProductTier.ENTERPRISE_PLUS, label: 'Enterprise Plus', servers: null, users: null },
] as const;

export const DEMO_PRODUCTS = [
  ...MIRASYS_TIERS.flatMap(({ tier, label, servers, users }) =>
    [false, true].map((isDemo) => ({
      code: `MIRASYS-V9-${tier.replace('_', '-')}${isDemo ? '-DEMO' : ''}`,
      name: `V9 ${label}${isDemo ? ' Demo' : ''}`,
      family: 'Mirasys VMS',
      version: '9.0',
      tier,
      isDemo,
      // The guide does not state a demo length; 30 days is the desk's default and editable.
      demoDays: isDemo ? 30 : null,
      minChannels: 1,
      maxChannels: 250,
      servers,
      users,
      features: ['Mirasys Default skin', 'VCA channels'],
      smaMonths: isDemo ? null : 12,
      lockType: LockType.MAC,
      hardwareKeyType: null,
      external: false,
    })),
  ),
  {
    code: 'NEC-SV9100-INMAIL-CP20',
    name: 'SV9100 InMail INT-01 licence (CP20)',
    family: 'NEC SV9100',
    version: 'CP20',
    tier: null,
    isDemo: false,
    demoDays: null,
    minChannels: 1,
    maxChannels: 512,
    servers: null,
    users: null,
    features: ['InMail ports'],
    smaMonths: 12,
    lockType: LockType.HARDWARE_KEY,
    hardwareKeyType: 'SV9100_CP20',
    external: false,
  },
  {
    code: 'NEC-UM4730-EXTERNAL',
    name: 'UM4730 Unified Messaging licence (external)',
    family: 'NEC UM4730',
    version: '1',
    tier: null,
    isDemo: false,
    demoDays: null,
    minChannels: 1,
    maxChannels: 256,
    servers: null,
    users: null,
    features: ['Voice mail ports'],
    smaMonths: 12,
    lockType: LockType.HARDWARE_KEY,
    hardwareKeyType: 'UM4730',
    // Its licence files come from outside our generator; the desk uploads them.
    external: true,
  },
];

// Opening stocks; the dealer's match the guide's example ("Stocks for Tapsan yritys").
const OPENING_STOCK: Array<{ company: keyof typeof COMPANIES; product: string; channels: number }> = [
  { company: 'distributor', product: 'MIRASYS-V9-BASE', channels: 500 },
  { company: 'distributor', product: 'MIRASYS-V9-PRO', channels: 200 },
  { company: 'distributor', product: 'MIRASYS-V9-ENTERPRISE', channels: 300 },
  { company: 'distributor', product: 'MIRASYS-V9-ENTERPRISE-PLUS', channels: 100 },
  { company: 'distributor', product: 'NEC-SV9100-INMAIL-CP20', channels: 64 },
  { company: 'distributor', product: 'NEC-UM4730-EXTERNAL', channels: 32 },
  { company: 'dealer', product: 'MIRASYS-V9-ENTERPRISE', channels: 50 },
  { company: 'dealer', product: 'MIRASYS-V9-BASE', channels: 300 },
];

export async function loadDemoData(prisma: PrismaClient, options: { password?: string } = {}) {
  const password = options.password ?? DEMO_PASSWORD;

  const vendor = await prisma.company.upsert({ where: { name: COMPANIES.vendor.name }, update: {}, create: COMPANIES.vendor });
  const distributor = await prisma.company.upsert({
    where: { name: COMPANIES.distributor.name },
    update: {},
    create: COMPANIES.distributor,
  });
  const dealer = await prisma.company.upsert({
    where: { name: COMPANIES.dealer.name },
    update: {},
    create: { ...COMPANIES.dealer, parentId: distributor.id },
  });
  const companyIds = { vendor: vendor.id, distributor: distributor.id, dealer: dealer.id };

  for (const user of DEMO_USERS) {
    const existing = await prisma.user.findUnique({ where: { email: user.email } });
    if (existing) continue;
    await prisma.user.create({
      data: { email: user.email, name: user.name, role: user.role, companyId: companyIds[user.company], passwordHash: await hashPassword(password) },
    });
  }

  const productIds = new Map<string, string>();
  for (const product of DEMO_PRODUCTS) {
    const row = await prisma.product.upsert({ where: { code: product.code }, update: {}, create: product });
    productIds.set(product.code, row.id);
  }

  await prisma.stockLedgerEntry.createMany({
    data: OPENING_STOCK.map((stock) => ({
      companyId: companyIds[stock.company],
      productId: productIds.get(stock.product)!,
      kind: StockEntryKind.CREDIT,
      channels: stock.channels,
      idempotencyKey: `demo-data:opening-stock:${stock.company}:${stock.product}`,
      note: 'Opening stock (demo data)',
    })),
    skipDuplicates: true,
  });

  return { companyIds, productCount: productIds.size };
}
