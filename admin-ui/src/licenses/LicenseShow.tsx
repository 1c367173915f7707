import { Box, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { Show, useCanAccess, useRecordContext } from 'react-admin';
import { DownloadButton } from '../common/DownloadButton.tsx';
import { formatMac } from '../common/labels.ts';
import { Facts, Section } from '../common/Section.tsx';
import { StatusChip } from '../common/StatusChip.tsx';
import { Timeline, type TimelineEvent } from '../common/Timeline.tsx';
import { formatDay, formatDateTime } from '../common/dates';

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
  return <>{record ? `License ${record.serial as string}` : 'License'}</>;
}

function LicenseDetail() {
  const record = useRecordContext();
  const { canAccess: canDownload } = useCanAccess({ resource: 'licenses', action: 'download' });
  if (!record) return null;
  const revisions = (record.revisions as Revision[] | undefined) ?? [];
  const history = (record.history as TimelineEvent[] | undefined) ?? [];
  const product = record.product as { name?: string } | undefined;
  const company = record.company as { name?: string } | undefined;
  return (
    <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: '3fr 2fr' }, gap: 2, alignItems: 'start', mt: 1 }}>
      <Box sx={{ minWidth: 0 }}>
        <Section
          title={`License ${record.serial as string}`}
          action={
            <Box sx={{ display: 'flex', gap: 1, alignItems: 'center' }}>
              <StatusChip kind="license" />
              {canDownload && revisions.length > 0 ? (
                <DownloadButton href={`/api/licenses/${record.id}/download`} label="Download .lic" fileName={`license-${record.serial as string}.lic`} />
              ) : null}
            </Box>
          }
        >
          <Facts
            items={[
              [
                'Serial',
                <Box key="s" component="span" sx={{ fontFamily: 'monospace', fontWeight: 600 }}>
                  {record.serial as string}
                </Box>,
              ],
              ['Product', product?.name ?? (record.productName as string) ?? '—'],
              ['Owner', company?.name ?? (record.companyName as string) ?? '—'],
              ['Channels', `${record.channels as number} IP, ${record.vcaChannels as number} VCA`],
              [
                'Locked to',
                record.macAddress ? `MAC ${formatMac(record.macAddress as string)}` : record.hardwareKey ? `Hardware key ${record.hardwareKey as string}` : '—',
              ],
              ['Hardware serial', (record.hardwareSerial as string) ?? '—'],
              ['End-user company', record.endUserCompany as string],
              ['End-user contact', (record.endUserContact as string) ?? '—'],
              ['Orderer ref. / Vendor ref.', `${(record.ordererRef as string) ?? '—'} / ${(record.vendorRef as string) ?? '—'}`],
              ['SMA', record.smaEnd ? `${formatDay(record.smaStart)} – ${formatDay(record.smaEnd)}` : '—'],
              ['Expires', record.expiresAt ? formatDay(record.expiresAt) : 'Permanent'],
            ]}
          />
        </Section>
        <Section title="Revisions">
          {revisions.length === 0 ? (
            <Typography color="text.secondary">No file has been issued yet.</Typography>
          ) : (
            <Box sx={{ overflowX: 'auto' }} tabIndex={0} role="region" aria-label="Revisions table">
              <Table size="small" aria-label="Revisions">
                <TableHead>
                  <TableRow>
                    <TableCell>Revision</TableCell>
                    <TableCell>Channels</TableCell>
                    <TableCell>Locked to</TableCell>
                    <TableCell>File</TableCell>
                    <TableCell>Issued</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {revisions.map((r) => (
                    <TableRow key={r.id}>
                      <TableCell>{r.revision}</TableCell>
                      <TableCell sx={{ whiteSpace: 'nowrap' }}>
                        {r.channels} IP, {r.vcaChannels} VCA
                      </TableCell>
                      <TableCell>{r.macAddress ? formatMac(r.macAddress) : (r.hardwareKey ?? '—')}</TableCell>
                      <TableCell sx={{ wordBreak: 'break-all' }}>
                        {r.fileName}
                        {r.external ? ' (external)' : ''}
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
      <Section title="History">
        <Timeline events={history} empty="No history yet." />
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
