import { Chip } from '@mui/material';
import { useRecordContext } from 'react-admin';
import { CLOSED_STATUSES, useLabel } from './labels.ts';

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
  const label = useLabel();
  const status = record?.[source] as string | undefined;
  if (!status) return null;
  const text = label(kind === 'request' ? 'request_status' : kind === 'license' ? 'license_status' : 'status', status);
  return <Chip data-testid="status-chip" size="small" color={tone(status)} variant={tone(status) === 'default' ? 'outlined' : 'filled'} label={text} />;
}
