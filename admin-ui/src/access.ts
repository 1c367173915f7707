/**
 * Who may do what in the UI. The server enforces every rule again; this only decides which
 * menus, pages and buttons a role sees. `canAccess` in the authProvider reads this table.
 */
export type Role = 'PARTNER_USER' | 'PARTNER_ADMIN' | 'DESK_AGENT' | 'DESK_ADMIN';

export const isDeskRole = (role: Role | undefined) => role === 'DESK_AGENT' || role === 'DESK_ADMIN';
export const isPartnerRole = (role: Role | undefined) => role === 'PARTNER_USER' || role === 'PARTNER_ADMIN';

type Rules = Record<string, readonly string[]>;

const READ = ['list', 'show'] as const;
const CRUD = ['list', 'show', 'create', 'edit', 'delete'] as const;

const deskAgent: Rules = {
  dashboard: ['show'],
  requests: [...READ, 'approve', 'reject', 'request-information', 'assign', 'external-file', 'rma-received', 'cancel'],
  licenses: [...READ, 'download'],
  stocks: READ,
  'stock-ledger': READ,
  companies: READ,
  // Desk staff may act as a partner user to see what they see; history records both names.
  users: [...READ, 'impersonate'],
  products: READ,
  outbox: [...READ, 'resend'],
  'signing-keys': READ,
  reports: ['list', 'export', 'queue'],
};

const deskAdmin: Rules = {
  ...deskAgent,
  stocks: [...READ, 'adjust'],
  companies: CRUD,
  users: [...CRUD, 'impersonate'],
  products: CRUD,
  'signing-keys': [...READ, 'rotate'],
  'webhook-endpoints': CRUD,
  'webhook-deliveries': [...READ, 'redeliver'],
};

const partnerUser: Rules = {
  dashboard: ['show'],
  requests: [...READ, 'create', 'reply', 'cancel', 'confirm-return'],
  licenses: [...READ, 'download'],
  stocks: ['list'],
  // Its own companies' ledger (the server's tenancy), opened from "My stock": a reship's
  // TRANSFER_OUT shows to the distributor, its TRANSFER_IN to the dealer.
  'stock-ledger': ['list'],
  reports: ['list', 'export'],
};

const partnerAdmin: Rules = {
  ...partnerUser,
  requests: [...(partnerUser.requests ?? []), 'consent'],
  users: CRUD,
  'api-tokens': ['list', 'create', 'delete'],
  'webhook-endpoints': CRUD,
  'webhook-deliveries': [...READ, 'redeliver'],
};

const RULES: Record<Role, Rules> = { DESK_AGENT: deskAgent, DESK_ADMIN: deskAdmin, PARTNER_USER: partnerUser, PARTNER_ADMIN: partnerAdmin };

export function roleCan(role: Role | undefined, resource: string, action: string): boolean {
  if (!role) return false;
  return RULES[role]?.[resource]?.includes(action) ?? false;
}
