import { Box, LinearProgress, Typography } from '@mui/material';
import InventoryIcon from '@mui/icons-material/Inventory2Outlined';
import KeyIcon from '@mui/icons-material/VpnKeyOutlined';
import { Link } from 'react-router-dom';
import { useGetList, useRecordContext, useTranslate, type RaRecord } from 'react-admin';
import { CLOSED_STATUSES, useLabel } from '../common/labels.ts';
import { formatNumber } from '../common/formats.ts';
import { useMe } from '../common/useMe.ts';

/** Requests about a license the partner holds: the desk sees the license as it is now. */
const ABOUT_A_LICENSE = ['CHANNEL_EXPANSION', 'UPGRADE', 'RETURN_CONFIRMATION', 'HARDWARE_REPLACEMENT', 'PARTIAL_TRANSFER'];

function Fact({ icon, label, children, testId }: { icon: React.ReactNode; label: string; children: React.ReactNode; testId: string }) {
  return (
    <Box data-testid={testId} sx={{ display: 'flex', gap: 1, alignItems: 'flex-start', minWidth: 0 }}>
      <Box sx={{ color: 'text.secondary', pt: 0.25 }} aria-hidden>
        {icon}
      </Box>
      <Box sx={{ minWidth: 0 }}>
        <Typography variant="caption" color="text.secondary" component="p">
          {label}
        </Typography>
        {children}
      </Box>
    </Box>
  );
}

/** The partner's stock of the product: available of total, with a gauge. */
function PartnerStock({ companyId, productId }: { companyId: string; productId: string }) {
  const { data, isPending } = useGetList('stocks', { filter: { companyId, productId }, pagination: { page: 1, perPage: 1 } });
  const translate = useTranslate();
  const stock = data?.[0];
  if (isPending) return null;
  const available = (stock?.available as number) ?? 0;
  const total = (stock?.total as number) ?? 0;
  const counts = { available: formatNumber(available), total: formatNumber(total) };
  return (
    <Fact
      icon={<InventoryIcon fontSize="small" />}
      label={stock?.productName ? translate('ld.request.partner_stock_of', { product: stock.productName as string }) : translate('ld.request.partner_stock')}
      testId="decision-stock"
    >
      <Typography variant="body2" sx={{ fontWeight: 600 }}>
        {stock ? translate('ld.request.stock_available', counts) : translate('ld.request.no_stock')}
      </Typography>
      {stock ? (
        <LinearProgress
          variant="determinate"
          value={total ? (available / total) * 100 : 0}
          aria-label={translate('ld.stocks.available_of', counts)}
          sx={{ height: 6, borderRadius: 3, width: 160, maxWidth: '100%' }}
        />
      ) : null}
    </Fact>
  );
}

function LicenseNow({ license }: { license: RaRecord }) {
  const label = useLabel();
  const translate = useTranslate();
  const line = translate('ld.request.license_now_line', {
    product: license.productName as string,
    smart_count: license.channels as number,
    channels: formatNumber(license.channels),
    status: label('license_status', license.status as string),
  });
  return (
    <Fact icon={<KeyIcon fontSize="small" />} label={translate('ld.request.license_now')} testId="decision-license">
      <Typography variant="body2" sx={{ fontWeight: 600, overflowWrap: 'anywhere' }}>
        <Link to={`/licenses/${license.id}/show`}>{license.serial as string}</Link>
        {` · ${line}`}
      </Typography>
    </Fact>
  );
}

/**
 * Beside the desk's decision buttons: what the decision draws on. The partner's stock of the
 * product (the form's, the upgrade's target, else the license's), and for a request about a
 * license, that license's current channels, product and status.
 */
export function DecisionContext() {
  const record = useRecordContext();
  const { isDesk } = useMe();
  const payload = (record?.payload ?? {}) as { productId?: string; targetProductId?: string; serial?: string };
  const serial = ((record?.serial as string | undefined) ?? payload.serial)?.trim();
  const aboutLicense = !!record && ABOUT_A_LICENSE.includes(record.type as string) && !!serial;
  const { data: licenses } = useGetList('licenses', { filter: { serial }, pagination: { page: 1, perPage: 5 } }, { enabled: isDesk && aboutLicense });
  if (!record || !isDesk || CLOSED_STATUSES.includes(record.status as string)) return null;
  const license = licenses?.find((l) => l.serial === serial);
  const productId = payload.targetProductId ?? payload.productId ?? (license?.productId as string | undefined);
  if (!productId && !license) return null;
  return (
    <Box
      data-testid="decision-context"
      sx={{ display: 'flex', flexWrap: 'wrap', gap: 2, p: 1.5, mb: 1.5, borderRadius: 1, bgcolor: 'action.hover', minWidth: 0 }}
    >
      {productId ? <PartnerStock companyId={record.companyId as string} productId={productId} /> : null}
      {aboutLicense && license ? <LicenseNow license={license} /> : null}
    </Box>
  );
}
