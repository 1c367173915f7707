import { Box, Typography } from '@mui/material';
import { Link } from 'react-router-dom';
import { useGetOne } from 'react-admin';
import { formatMac } from '../common/labels.ts';

/** Labels of the typed payload's fields, in the partner's words (Mirasys §3). */
const FIELD_LABELS: Record<string, string> = {
  productId: 'Product',
  targetProductId: 'Upgrade to',
  channels: 'Channels',
  vcaChannels: 'VCA channels',
  lock: 'Hardware lock',
  oldLock: 'Old hardware',
  newLock: 'New hardware',
  hardwareSerial: 'Hardware serial',
  endUserCompany: 'End-user company',
  endUserContact: 'End-user contact',
  orderType: 'Order type',
  vendorRef: 'Vendor ref.',
  ordererRef: 'Orderer ref.',
  orderReference: 'Order reference (PO)',
  serial: 'License serial',
  serials: 'Licenses',
  macAddress: 'MAC address',
  currentOwnerCompanyId: 'Current owner',
  newOwnerCompanyId: 'New owner',
  reason: 'Reason',
  interimLicense: 'Interim license asked for',
  deliveryEmails: 'Delivery e-mail',
  comments: 'Comments',
};
const HIDDEN = new Set(['type']);

function ReferenceName({ resource, id }: { resource: string; id: string }) {
  const { data, error } = useGetOne(resource, { id }, { retry: false });
  if (error) return <>{resource === 'companies' ? 'Another company' : id}</>;
  return <>{(data?.name as string) ?? '…'}</>;
}

function Value({ name, value }: { name: string; value: unknown }) {
  if (value === null || value === undefined || value === '') return <>—</>;
  if (name === 'productId' || name === 'targetProductId') return <ReferenceName resource="products" id={String(value)} />;
  if (name === 'currentOwnerCompanyId' || name === 'newOwnerCompanyId') return <ReferenceName resource="companies" id={String(value)} />;
  if (typeof value === 'boolean') return <>{value ? 'Yes' : 'No'}</>;
  if (Array.isArray(value)) return <>{value.join(', ')}</>;
  if (typeof value === 'object' && value && 'type' in value && 'value' in value) {
    const lock = value as { type: string; value: string };
    return <>{lock.type === 'MAC' ? `MAC ${formatMac(lock.value.toLowerCase().replace(/[^0-9a-f]/g, '')) || lock.value}` : `Hardware key ${lock.value}`}</>;
  }
  if (name === 'macAddress' && typeof value === 'string') return <>{formatMac(value.toLowerCase().replace(/[^0-9a-f]/g, '')) || value}</>;
  return <>{String(value)}</>;
}

/** The request's typed form, field by field. */
export function PayloadView({ payload, licenseId }: { payload: Record<string, unknown>; licenseId?: string | null }) {
  const entries = Object.entries(payload ?? {}).filter(([k]) => !HIDDEN.has(k));
  return (
    <Box component="dl" sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', sm: '180px 1fr' }, columnGap: 2, rowGap: 1, m: 0 }}>
      {entries.map(([key, value]) => (
        <Box key={key} sx={{ display: 'contents' }}>
          <Typography component="dt" variant="body2" color="text.secondary">
            {FIELD_LABELS[key] ?? key}
          </Typography>
          <Typography component="dd" variant="body2" sx={{ m: 0, overflowWrap: 'anywhere' }}>
            {key === 'serial' && licenseId ? <Link to={`/licenses/${licenseId}/show`}>{String(value)}</Link> : <Value name={key} value={value} />}
          </Typography>
        </Box>
      ))}
    </Box>
  );
}
