import { Chip } from '@mui/material';
import { useRecordContext } from 'react-admin';
import { CLOSED_STATUSES, LICENSE_STATUS_LABELS, REQUEST_STATUS_LABELS } from './labels.ts';

const tone = (status: string): 'success' | 'error' | 'warning' | 'info' | 'default' => {
  if (status === 'COMPLETED' || status === 'ACTIVE' || status === 'SENT') return 'success';
  if (['REJECTED', 'FAILED', 'REVOKED', 'EXPIRED', 'CANCELLED'].includes(status)) return 'error';
  // Nobody has to act on a request waiting for office hours: it goes on by itself.
  if (status === 'WAITING_FOR_OFFICE_HOURS') return 'info';
  if (status.startsWith('WAITING') || status === 'PENDING' || status === 'PENDING_APPROVAL') return 'warning';
  if (CLOSED_STATUSES.includes(status)) return 'default';
  return 'info';
};

export function StatusChip({ source = 'status', kind = 'request' }: { source?: string; kind?: 'request' | 'license' | 'plain'; label?: string }) {
  const record = useRecordContext();
  const status = record?.[source] as string | undefined;
  if (!status) return null;
  const labels = kind === 'request' ? REQUEST_STATUS_LABELS : kind === 'license' ? LICENSE_STATUS_LABELS : {};
  const label = labels[status] ?? status.charAt(0) + status.slice(1).toLowerCase().replaceAll('_', ' ');
  return <Chip data-testid="status-chip" size="small" color={tone(status)} variant={tone(status) === 'default' ? 'outlined' : 'filled'} label={label} />;
}
