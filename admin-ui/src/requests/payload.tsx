import { Box, Typography } from '@mui/material';
import { Link } from 'react-router-dom';
import { useGetList, useGetOne, useTranslate } from 'react-admin';
import { useMe } from '../common/useMe.ts';
import { formatDateTime, formatNumber } from '../common/formats.ts';
import { formatMac } from '../common/labels.ts';

/**
 * The payload's fields in the order the forms ask for them (requests/create/fields.tsx), whatever
 * order the stored JSON has; their words are ld.field.* (the partner's words, Mirasys §3). The
 * comment is shown once, in the request page's Comments card.
 */
const FIELD_ORDER = [
  'serial',
  'macAddress',
  'serials',
  'currentOwnerCompanyId',
  'newOwnerCompanyId',
  'targetCompanyId',
  'productId',
  'dealerCompanyId',
  'targetProductId',
  'channels',
  'vcaChannels',
  'lock',
  'hardwareSerial',
  'oldLock',
  'newLock',
  'reason',
  'interimLicense',
  'endUserCompany',
  'endUserContact',
  'orderType',
  'vendorRef',
  'ordererRef',
  'orderReference',
  'note',
  'requestFile',
  'deliveryEmails',
];
const HIDDEN = new Set(['type', 'comments']);
const rank = (key: string) => (FIELD_ORDER.includes(key) ? FIELD_ORDER.indexOf(key) : FIELD_ORDER.length);

function ReferenceName({ resource, id }: { resource: string; id: string }) {
  const { data, error } = useGetOne(resource, { id }, { retry: false });
  const translate = useTranslate();
  if (error) return <>{resource === 'companies' ? translate('ld.field.another_company') : id}</>;
  return <>{(data?.name as string) ?? '…'}</>;
}

/**
 * A reship's dealer: a distributor that does not see its dealers' data still reads their names
 * from its list of dealers (GET /api/companies with its own id as parentId).
 */
function DealerName({ id }: { id: string }) {
  const { me, isDesk } = useMe();
  const translate = useTranslate();
  const { data, isPending } = useGetList(
    'companies',
    { filter: { parentId: me?.companyId, id: [id] }, pagination: { page: 1, perPage: 1 } },
    { enabled: !!me && !isDesk },
  );
  if (isDesk) return <ReferenceName resource="companies" id={id} />;
  if (isPending) return <>…</>;
  return <>{(data?.[0]?.name as string | undefined) ?? translate('ld.field.another_company')}</>;
}

function Value({ name, value }: { name: string; value: unknown }) {
  const translate = useTranslate();
  if (value === null || value === undefined || value === '') return <>—</>;
  if (name === 'productId' || name === 'targetProductId') return <ReferenceName resource="products" id={String(value)} />;
  if (name === 'dealerCompanyId') return <DealerName id={String(value)} />;
  if (['currentOwnerCompanyId', 'newOwnerCompanyId', 'targetCompanyId'].includes(name)) return <ReferenceName resource="companies" id={String(value)} />;
  if (typeof value === 'boolean') return <>{translate(value ? 'ld.common.yes' : 'ld.common.no')}</>;
  if (typeof value === 'number') return <>{formatNumber(value)}</>;
  if (Array.isArray(value)) return <>{value.join(', ')}</>;
  if (typeof value === 'object' && value && 'type' in value && 'value' in value) {
    const lock = value as { type: string; value: string };
    return (
      <>{translate(lock.type === 'MAC' ? 'ld.field.lock_mac' : 'ld.field.lock_key', { value: lock.type === 'MAC' ? formatMac(lock.value) : lock.value })}</>
    );
  }
  if (name === 'macAddress' && typeof value === 'string') return <>{formatMac(value)}</>;
  if (name === 'requestFile' && typeof value === 'string') return <RequestFileFacts text={value} />;
  return <>{String(value)}</>;
}

/**
 * A request file (docs/request-file.md) in words, not its JSON: the installation, its channels and
 * when it was written. The server read and checked it; this page does not load zod to read it again.
 */
function RequestFileFacts({ text }: { text: string }) {
  const translate = useTranslate();
  let file: { installationId?: unknown; channels?: unknown; createdAt?: unknown } = {};
  try {
    file = JSON.parse(text) as typeof file;
  } catch {
    return <>—</>;
  }
  return (
    <>
      {translate('ld.field.request_file_of', {
        installation: String(file.installationId ?? '?'),
        channels: String(file.channels ?? '?'),
        createdAt: typeof file.createdAt === 'string' ? formatDateTime(file.createdAt) : '?',
      })}
    </>
  );
}

/** The request's typed form, field by field. */
export function PayloadView({ payload, licenseId }: { payload: Record<string, unknown>; licenseId?: string | null }) {
  const translate = useTranslate();
  const entries = Object.entries(payload ?? {})
    .filter(([k]) => !HIDDEN.has(k))
    .sort(([a], [b]) => rank(a) - rank(b));
  return (
    <Box component="dl" sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', sm: '180px 1fr' }, columnGap: 2, rowGap: 1, m: 0 }}>
      {entries.map(([key, value]) => (
        <Box key={key} sx={{ display: 'contents' }}>
          <Typography component="dt" variant="body2" color="text.secondary">
            {translate(`ld.field.${key}`, { _: key })}
          </Typography>
          <Typography component="dd" variant="body2" sx={{ m: 0, overflowWrap: 'anywhere' }}>
            {key === 'serial' && licenseId ? <Link to={`/licenses/${licenseId}/show`}>{String(value)}</Link> : <Value name={key} value={value} />}
          </Typography>
        </Box>
      ))}
    </Box>
  );
}
