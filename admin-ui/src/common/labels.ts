import type { RequestType } from '../../../domain/request-forms.ts';
import { useTranslate } from 'react-admin';
import { REQUEST_TYPE_LABELS, requestReference } from '../../../domain/request-labels.ts';
import { displayMac } from '../../../domain/mac-address.ts';
import { ld } from '../i18n/en.ts';
import { formatNumber } from './formats.ts';

export { REQUEST_TYPE_LABELS, requestReference, type RequestType };

export const REQUEST_TYPES = Object.keys(REQUEST_TYPE_LABELS) as RequestType[];

// Choices carry message keys: react-admin's SelectInput, RadioButtonGroupInput and AutocompleteInput
// translate a choice's name. The English maps below are the English messages (i18n/en.ts).
const choicesOf = (group: string, ids: string[]) => ids.map((id) => ({ id, name: `ld.${group}.${id}` }));

export const requestTypeChoices = choicesOf('request_type', REQUEST_TYPES);

export const REQUEST_STATUS_LABELS: Record<string, string> = ld.request_status;
export const requestStatusChoices = choicesOf('request_status', Object.keys(ld.request_status));
export const CLOSED_STATUSES = ['COMPLETED', 'REJECTED', 'CANCELLED', 'EXPIRED', 'FAILED'];

export const LICENSE_STATUS_LABELS: Record<string, string> = ld.license_status;
export const licenseStatusChoices = choicesOf('license_status', Object.keys(ld.license_status));

export const ROLE_LABELS: Record<string, string> = ld.role;
export const roleChoices = choicesOf('role', Object.keys(ld.role));

export const TIER_LABELS: Record<string, string> = ld.tier;
export const tierChoices = choicesOf('tier', Object.keys(ld.tier));

export const COMPANY_KIND_LABELS: Record<string, string> = ld.company_kind;
export const companyKindChoices = choicesOf('company_kind', Object.keys(ld.company_kind));

export const LEDGER_KIND_LABELS: Record<string, string> = ld.ledger_kind;

type LabelGroup = 'status' | 'request_type' | 'request_status' | 'license_status' | 'role' | 'tier' | 'company_kind' | 'ledger_kind' | 'event';

/**
 * The words for a code in the chosen language: `label('request_status', 'COMPLETED')` → "Completed" /
 * "Valmis". A code without a message reads humanized ("SOME_CODE" → "Some code").
 */
export function useLabel() {
  const translate = useTranslate();
  return (group: LabelGroup, code: string | null | undefined): string => (code ? translate(`ld.${group}.${code}`, { _: humanize(code) }) : '');
}

/** "request_approved" → "Request approved". */
export function humanize(code: string | null | undefined): string {
  if (!code) return '';
  const text = code.replaceAll('_', ' ').toLowerCase();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A MAC in the one form every page, mail and report shows (domain/mac-address.ts). */
export function formatMac(mac: string | null | undefined): string {
  return displayMac(mac);
}

/** "512 B", "1.5 KB", "2.3 MB" in the chosen language's number style ("1,5 KB" in Finnish). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${formatNumber(bytes)} B`;
  if (bytes < 1024 * 1024) return `${formatNumber(Number((bytes / 1024).toFixed(1)))} KB`;
  return `${formatNumber(Number((bytes / 1024 / 1024).toFixed(1)))} MB`;
}
