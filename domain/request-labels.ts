import type { RequestType } from './request-forms.ts';

/** The request types' names as people read them (no zod here: the admin UI's first load imports this). */
export const REQUEST_TYPE_LABELS: Record<RequestType, string> = {
  NEW_INSTALLATION: 'New installation',
  CHANNEL_EXPANSION: 'Channel expansion',
  STOCK_ADDITION: 'Stock addition',
  UPGRADE: 'Upgrade',
  OWNERSHIP_CHANGE: 'Ownership change',
  HARDWARE_REPLACEMENT: 'Hardware replacement',
  RETURN_CONFIRMATION: 'Return confirmation',
  PARTIAL_TRANSFER: 'Partial transfer',
  STOCK_RESHIP: 'Stock reship',
  SMA_RENEWAL: 'SMA renewal',
};

/** "LD-000042": the reference people quote on the phone. */
export function requestReference(number: number): string {
  return `LD-${String(number).padStart(6, '0')}`;
}
