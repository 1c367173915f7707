import { DomainError } from './errors.ts';

/** Product tiers, lowest first; the strings match Prisma's `ProductTier` enum. */
export const TIER_ORDER = ['BASE', 'PRO', 'ENTERPRISE', 'ENTERPRISE_PLUS'] as const;
export type ProductTier = (typeof TIER_ORDER)[number];

const LABELS: Record<ProductTier, string> = {
  BASE: 'Base',
  PRO: 'Pro',
  ENTERPRISE: 'Enterprise',
  ENTERPRISE_PLUS: 'Enterprise Plus',
};

export function isProductTier(value: string): value is ProductTier {
  return (TIER_ORDER as readonly string[]).includes(value);
}

export function tierLabel(tier: ProductTier): string {
  return LABELS[tier];
}

/** Negative when a is below b, 0 when equal, positive when above. */
export function compareTiers(a: ProductTier, b: ProductTier): number {
  return TIER_ORDER.indexOf(a) - TIER_ORDER.indexOf(b);
}

function versionParts(version: string): number[] {
  const text = version.trim().replace(/^v/i, '');
  if (!/^\d+(\.\d+)*$/.test(text)) {
    throw new DomainError(`Version must be numbers separated by dots, e.g. 9.1 (got "${version}")`, {
      code: 'VERSION_FORMAT',
      field: 'version',
    });
  }
  return text.split('.').map(Number);
}

/** Compares versions numerically part by part ('9.10' > '9.9'; '9' equals '9.0'). */
export function compareVersions(a: string, b: string): number {
  const pa = versionParts(a);
  const pb = versionParts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

export interface TieredProduct {
  tier: ProductTier;
  version: string;
  isDemo: boolean;
}

/** "V9 Pro", "V9.1 Enterprise Plus Demo": the way partners name products. */
export function productLabel({ tier, version, isDemo }: TieredProduct): string {
  const parts = versionParts(version);
  while (parts.length > 1 && parts[parts.length - 1] === 0) parts.pop();
  return `V${parts.join('.')} ${tierLabel(tier)}${isDemo ? ' Demo' : ''}`;
}

export type UpgradeCheck = { ok: true } | { ok: false; reason: string };

/**
 * Whether a license may move from one product to another. An upgrade never takes anything
 * away: the tier and the version may each stay or rise, and at least one of them (or the
 * demo → full step) must change. A demo may become a full license of the same or a higher
 * tier; a full license never becomes a demo. Demo → demo follows the tier/version rules.
 */
export function checkUpgrade({ from, to }: { from: TieredProduct; to: TieredProduct }): UpgradeCheck {
  const tier = compareTiers(to.tier, from.tier);
  const version = compareVersions(to.version, from.version);
  const current = productLabel(from);
  const target = productLabel(to);

  if (!from.isDemo && to.isDemo) {
    return { ok: false, reason: `${current} is a full license and cannot be changed to a demo (${target}); choose a full product.` };
  }
  if (tier === 0 && version === 0 && from.isDemo === to.isDemo) {
    return { ok: false, reason: `This license is already on ${current}; choose a higher tier or a later version.` };
  }
  if (version < 0) {
    return {
      ok: false,
      reason: `${target} is an earlier version than ${current}; an upgrade must stay on version ${from.version} or go to a later one.`,
    };
  }
  if (tier < 0) {
    return {
      ok: false,
      reason: `${target} is a lower tier than ${current}; an upgrade must stay on ${tierLabel(from.tier)} or go to a higher tier.`,
    };
  }
  return { ok: true };
}
