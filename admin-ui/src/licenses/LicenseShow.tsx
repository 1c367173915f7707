import { Box, Button, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { Link } from 'react-router-dom';
import { Show, useCanAccess, useRecordContext, useTranslate } from 'react-admin';
import { DownloadButton } from '../common/DownloadButton.tsx';
import { formatMac } from '../common/labels.ts';
import { Facts, Section } from '../common/Section.tsx';
import { StatusChip } from '../common/StatusChip.tsx';
import { Timeline, type TimelineEvent } from '../common/Timeline.tsx';
import { formatDate, formatDateTime, formatNumber } from '../common/formats.ts';

interface Revision {
  id: string;
  revision: number;
  channels: number;
  vcaChannels: number;
  macAddress: string | null;
  hardwareKey: string | null;
  fileName: string;
  signingKeyId: string;
  external: boolean;
  createdAt: string;
}

function LicenseTitle() {
  const record = useRecordContext();
  const translate = useTranslate();
  return <>{record ? translate('ld.license.title', { serial: record.serial as string }) : translate('ld.license.license')}</>;
}

function LicenseDetail() {
  const record = useRecordContext();
  const translate = useTranslate();
  /** "16 IP, 4 VCA", in the chosen language's number style. */
  const channelsText = (ip: unknown, vca: unknown) => translate('ld.license.channels_value', { ip: formatNumber(ip), vca: formatNumber(vca) });
  const { canAccess: canDownload } = useCanAccess({ resource: 'licenses', action: 'download' });
  // Who may submit requests (a partner) can start a partial transfer of an active license from here.
  const { canAccess: canRequest } = useCanAccess({ resource: 'requests', action: 'create' });
  if (!record) return null;
  const revisions = (record.revisions as Revision[] | undefined) ?? [];
  const history = (record.history as TimelineEvent[] | undefined) ?? [];
  const product = record.product as { name?: string } | undefined;
  const company = record.company as { name?: string } | undefined;
  return (
    <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: '3fr 2fr' }, gap: 2, alignItems: 'start', mt: 1 }}>
      <Box sx={{ minWidth: 0 }}>
        <Section
          title={translate('ld.license.title', { serial: record.serial as string })}
          action={
            <Box sx={{ display: 'flex', gap: 1, alignItems: 'center' }}>
              <StatusChip kind="license" />
              {canRequest && record.status === 'ACTIVE' ? (
                <Button
                  component={Link}
                  to={`/requests/create?type=PARTIAL_TRANSFER&licenseId=${encodeURIComponent(String(record.id))}&serial=${encodeURIComponent(String(record.serial))}`}
                  variant="outlined"
                  size="small"
                >
                  {translate('ld.license.transfer_channels')}
                </Button>
              ) : null}
              {canDownload && revisions.length > 0 ? (
                <DownloadButton
                  href={`/api/licenses/${record.id}/download`}
                  label={translate('ld.license.download')}
                  fileName={`license-${record.serial as string}.lic`}
                />
              ) : null}
            </Box>
          }
        >
          <Facts
            items={[
              [
                translate('ld.license.serial'),
                <Box key="s" component="span" sx={{ fontFamily: 'monospace', fontWeight: 600 }}>
                  {record.serial as string}
                </Box>,
              ],
              [translate('ld.license.product'), product?.name ?? (record.productName as string) ?? '—'],
              [translate('ld.license.owner'), company?.name ?? (record.companyName as string) ?? '—'],
              [translate('ld.license.channels'), channelsText(record.channels, record.vcaChannels)],
              [
                translate('ld.license.locked_to'),
                record.macAddress
                  ? translate('ld.field.lock_mac', { value: formatMac(record.macAddress as string) })
                  : record.hardwareKey
                    ? translate('ld.field.lock_key', { value: record.hardwareKey as string })
                    : '—',
              ],
              [translate('ld.license.hardware_serial'), (record.hardwareSerial as string) ?? '—'],
              [translate('ld.license.end_user_company'), record.endUserCompany as string],
              [translate('ld.license.end_user_contact'), (record.endUserContact as string) ?? '—'],
              [translate('ld.license.refs'), `${(record.ordererRef as string) ?? '—'} / ${(record.vendorRef as string) ?? '—'}`],
              [translate('ld.license.sma'), record.smaEnd ? `${formatDate(record.smaStart)} – ${formatDate(record.smaEnd)}` : '—'],
              [translate('ld.license.expires'), record.expiresAt ? formatDate(record.expiresAt) : translate('ld.common.permanent')],
            ]}
          />
        </Section>
        <Section title={translate('ld.license.revisions')}>
          {revisions.length === 0 ? (
            <Typography color="text.secondary">{translate('ld.license.no_file')}</Typography>
          ) : (
            <Box sx={{ overflowX: 'auto' }} tabIndex={0} role="region" aria-label={translate('ld.license.revisions_table')}>
              <Table size="small" aria-label={translate('ld.license.revisions')}>
                <TableHead>
                  <TableRow>
                    <TableCell>{translate('ld.license.revision')}</TableCell>
                    <TableCell>{translate('ld.license.channels')}</TableCell>
                    <TableCell>{translate('ld.license.locked_to')}</TableCell>
                    <TableCell>{translate('ld.license.file')}</TableCell>
                    <TableCell>{translate('ld.license.issued')}</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {revisions.map((r) => (
                    <TableRow key={r.id}>
                      <TableCell>{r.revision}</TableCell>
                      <TableCell sx={{ whiteSpace: 'nowrap' }}>{channelsText(r.channels, r.vcaChannels)}</TableCell>
                      <TableCell>{r.macAddress ? formatMac(r.macAddress) : (r.hardwareKey ?? '—')}</TableCell>
                      <TableCell sx={{ wordBreak: 'break-all' }}>
                        {r.fileName}
                        {r.external ? ` ${translate('ld.license.external')}` : ''}
                      </TableCell>
                      <TableCell sx={{ whiteSpace: 'nowrap' }}>{formatDateTime(r.createdAt)}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </Box>
          )}
        </Section>
      </Box>
      <Section title={translate('ld.license.history')}>
        <Timeline events={history} empty={translate('ld.license.no_history')} />
      </Section>
    </Box>
  );
}

export function LicenseShow() {
  return (
    <Show title={<LicenseTitle />} component="div" actions={false}>
      <LicenseDetail />
    </Show>
  );
}
