import type { RequestType } from '../../../domain/request-forms.ts';
import { REQUEST_TYPE_LABELS, requestReference } from '../../../domain/request-labels.ts';

export { REQUEST_TYPE_LABELS, requestReference, type RequestType };

export const REQUEST_TYPES = Object.keys(REQUEST_TYPE_LABELS) as RequestType[];
export const requestTypeChoices = REQUEST_TYPES.map((id) => ({ id, name: REQUEST_TYPE_LABELS[id] }));

export const REQUEST_STATUS_LABELS: Record<string, string> = {
  SUBMITTED: 'Submitted',
  PENDING_APPROVAL: 'Pending approval',
  WAITING_FOR_PARTNER: 'Information requested',
  WAITING_FOR_CONSENT: 'Waiting for owner consent',
  WAITING_FOR_FILE: 'Waiting for license file',
  WAITING_FOR_RMA: 'Waiting for returned hardware',
  WAITING_CONFIRM: 'Waiting for return confirmation',
  WAITING_FOR_OFFICE_HOURS: 'Waiting for office hours',
  PROCESSING: 'Processing',
  COMPLETED: 'Completed',
  REJECTED: 'Rejected',
  CANCELLED: 'Cancelled',
  EXPIRED: 'Expired',
  FAILED: 'Failed',
};
export const requestStatusChoices = Object.entries(REQUEST_STATUS_LABELS).map(([id, name]) => ({ id, name }));
export const CLOSED_STATUSES = ['COMPLETED', 'REJECTED', 'CANCELLED', 'EXPIRED', 'FAILED'];

export const LICENSE_STATUS_LABELS: Record<string, string> = {
  CREATED: 'Created',
  ACTIVE: 'Active',
  WAITING_CONFIRM: 'Waiting for return confirmation',
  REVOKED: 'Revoked',
  EXPIRED: 'Expired',
};
export const licenseStatusChoices = Object.entries(LICENSE_STATUS_LABELS).map(([id, name]) => ({ id, name }));

export const ROLE_LABELS: Record<string, string> = {
  PARTNER_USER: 'Partner user',
  PARTNER_ADMIN: 'Partner admin',
  DESK_AGENT: 'Desk agent',
  DESK_ADMIN: 'Desk admin',
};
export const roleChoices = Object.entries(ROLE_LABELS).map(([id, name]) => ({ id, name }));

export const TIER_LABELS: Record<string, string> = { BASE: 'Base', PRO: 'Pro', ENTERPRISE: 'Enterprise', ENTERPRISE_PLUS: 'Enterprise Plus' };
export const tierChoices = Object.entries(TIER_LABELS).map(([id, name]) => ({ id, name }));

export const COMPANY_KIND_LABELS: Record<string, string> = { VENDOR: 'Vendor', DISTRIBUTOR: 'Distributor', DEALER: 'Dealer', INTEGRATOR: 'Integrator' };
export const companyKindChoices = Object.entries(COMPANY_KIND_LABELS).map(([id, name]) => ({ id, name }));

export const LEDGER_KIND_LABELS: Record<string, string> = {
  CREDIT: 'Credited',
  RESERVE: 'Reserved',
  CONSUME: 'Consumed',
  RELEASE: 'Released',
  RETURN: 'Returned',
  DEBIT: 'Taken out',
};

/** "request_approved" → "Request approved". */
export function humanize(code: string | null | undefined): string {
  if (!code) return '';
  const text = code.replaceAll('_', ' ').toLowerCase();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function formatMac(mac: string | null | undefined): string {
  if (!mac) return '';
  return mac.length === 12 ? mac.match(/.{2}/g)!.join(':') : mac;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
