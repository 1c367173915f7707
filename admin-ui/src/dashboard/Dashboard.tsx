import type { ReactNode } from 'react';
import { Alert, Box, Button, Card, CardContent, LinearProgress, List as MuiList, ListItem, ListItemButton, ListItemText, Typography } from '@mui/material';
import AddIcon from '@mui/icons-material/AddCircleOutlineOutlined';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { Title, useDataProvider, useGetList, useTranslate, type RaRecord } from 'react-admin';
import { requestReference, useLabel } from '../common/labels.ts';
import { Section } from '../common/Section.tsx';
import { useMe } from '../common/useMe.ts';
import { errorMessage, type LicenseDeskDataProvider } from '../dataProvider.ts';
import { OpenByAgeChart } from '../reports/QueueCharts.tsx';
import { StockChart } from '../stocks/StockChart.tsx';
import { SystemHealth } from './SystemHealth.tsx';
import { formatDate, formatDateTime, formatNumber } from '../common/formats.ts';

/** A stock is low when less than a tenth of it, or fewer than 10 channels, are left. */
export const isLowStock = (s: RaRecord) => (s.available as number) < 10 || (s.available as number) < 0.1 * (s.total as number);

function Kpi({ label, value, tone = 'primary.main', to }: { label: string; value: ReactNode; tone?: string; to?: string }) {
  const translate = useTranslate();
  const body = (
    <CardContent>
      <Typography variant="body2" color="text.secondary">
        {translate(label)}
      </Typography>
      <Typography variant="h4" component="p" sx={{ color: tone, fontWeight: 600 }}>
        {typeof value === 'number' ? formatNumber(value) : value}
      </Typography>
    </CardContent>
  );
  return (
    <Card sx={{ flex: '1 1 180px' }}>
      {to ? (
        <ListItemButton component={Link} to={to} sx={{ p: 0, display: 'block' }}>
          {body}
        </ListItemButton>
      ) : (
        body
      )}
    </Card>
  );
}

function useRequestLine() {
  const label = useLabel();
  return (r: RaRecord) => `${requestReference(r.number as number)} · ${label('request_type', r.type as string)}`;
}
const queueLink = (filter: object) => `/requests?filter=${encodeURIComponent(JSON.stringify(filter))}`;

function DeskDashboard() {
  const { role } = useMe();
  const translate = useTranslate();
  const label = useLabel();
  const requestLine = useRequestLine();
  const dataProvider = useDataProvider<LicenseDeskDataProvider>();
  const report = useQuery({ queryKey: ['queue-report'], queryFn: () => dataProvider.queueReport() });
  const pending = useGetList('requests', {
    filter: { status: 'PENDING_APPROVAL' },
    sort: { field: 'createdAt', order: 'ASC' },
    pagination: { page: 1, perPage: 6 },
  });
  const stocks = useGetList('stocks', { pagination: { page: 1, perPage: 200 }, sort: { field: 'available', order: 'ASC' } });
  const low = (stocks.data ?? []).filter(isLowStock);
  const open = report.data?.open.reduce((s, o) => s + o.total, 0);
  return (
    <Box sx={{ mt: 1 }}>
      <Title title={translate('ld.dashboard.desk_title')} />
      <Typography variant="h5" component="h1" sx={{ mb: 2 }}>
        {translate('ld.dashboard.desk_title')}
      </Typography>
      <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap', mb: 2 }}>
        <Kpi label="ld.dashboard.open_requests" value={open ?? '…'} to={queueLink({ open: true })} />
        <Kpi label="ld.dashboard.to_decide" value={pending.total ?? '…'} to={queueLink({ status: 'PENDING_APPROVAL' })} />
        <Kpi
          label="ld.dashboard.sla_breaches"
          value={report.data?.slaBreaches.total ?? '…'}
          tone={report.data?.slaBreaches.total ? 'error.main' : 'success.main'}
        />
        <Kpi label="ld.dashboard.low_stocks" value={stocks.isPending ? '…' : low.length} tone={low.length ? 'warning.main' : 'success.main'} to="/stocks" />
      </Box>
      {role === 'DESK_ADMIN' ? (
        <Section title={translate('ld.dashboard.system')}>
          <SystemHealth />
        </Section>
      ) : null}
      {report.error ? (
        <Alert severity="error" sx={{ mb: 2 }}>
          {translate('ld.dashboard.report_error', { error: errorMessage(report.error) })}
        </Alert>
      ) : null}
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: '3fr 2fr' }, gap: 2, alignItems: 'start' }}>
        <Box sx={{ minWidth: 0 }}>
          <Section title={translate('ld.dashboard.open_by_age')}>
            {report.isPending ? (
              <LinearProgress aria-label={translate('ld.dashboard.loading_queue')} />
            ) : report.data ? (
              <OpenByAgeChart report={report.data} />
            ) : null}
          </Section>
          <Section title={translate('ld.dashboard.sla_breaches')}>
            {report.data && report.data.slaBreaches.mostOverdue.length === 0 ? (
              <Typography color="text.secondary">{translate('ld.dashboard.none_overdue')}</Typography>
            ) : null}
            <MuiList dense disablePadding>
              {report.data?.slaBreaches.mostOverdue.slice(0, 8).map((b) => (
                <ListItem key={b.id} disablePadding divider>
                  <ListItemButton component={Link} to={`/requests/${b.id}/show`}>
                    <ListItemText
                      primary={`${requestReference(b.number)} · ${label('request_type', b.type)} · ${b.companyName}`}
                      secondary={translate('ld.dashboard.overdue', {
                        hours: formatNumber(Math.round(b.overdueHours)),
                        status: label('request_status', b.status),
                      })}
                      slotProps={{ secondary: { sx: { color: 'error.main' } } }}
                    />
                  </ListItemButton>
                </ListItem>
              ))}
            </MuiList>
          </Section>
        </Box>
        <Box sx={{ minWidth: 0 }}>
          <Section
            title={translate('ld.dashboard.waiting_decision')}
            action={
              <Button component={Link} to={queueLink({ status: 'PENDING_APPROVAL' })} size="small">
                {translate('ld.dashboard.open_queue')}
              </Button>
            }
          >
            {pending.isPending ? <LinearProgress aria-label={translate('ld.dashboard.loading_requests')} /> : null}
            {pending.error ? <Alert severity="error">{errorMessage(pending.error)}</Alert> : null}
            {pending.data?.length === 0 ? <Typography color="text.secondary">{translate('ld.dashboard.nothing_to_decide')}</Typography> : null}
            <MuiList dense disablePadding>
              {pending.data?.map((r) => (
                <ListItem key={r.id} disablePadding divider>
                  <ListItemButton component={Link} to={`/requests/${r.id}/show`}>
                    <ListItemText primary={requestLine(r)} secondary={`${r.companyName as string} · ${formatDateTime(r.createdAt)}`} />
                  </ListItemButton>
                </ListItem>
              ))}
            </MuiList>
          </Section>
          <Section title={translate('ld.dashboard.low_stocks')}>
            {stocks.error ? <Alert severity="error">{errorMessage(stocks.error)}</Alert> : null}
            {!stocks.isPending && !stocks.error && low.length === 0 ? (
              <Typography color="text.secondary">{translate('ld.dashboard.every_stock_has_room')}</Typography>
            ) : null}
            <MuiList dense disablePadding>
              {low.slice(0, 8).map((s) => (
                <ListItem key={s.id} disableGutters divider>
                  <ListItemText
                    primary={`${s.companyName as string} · ${s.productName as string}`}
                    secondary={translate('ld.dashboard.channels_available', { available: formatNumber(s.available), total: formatNumber(s.total) })}
                  />
                </ListItem>
              ))}
            </MuiList>
          </Section>
        </Box>
      </Box>
    </Box>
  );
}

function PartnerDashboard() {
  const { me } = useMe();
  const translate = useTranslate();
  const label = useLabel();
  const requestLine = useRequestLine();
  const recent = useGetList('requests', { sort: { field: 'createdAt', order: 'DESC' }, pagination: { page: 1, perPage: 6 } });
  const info = useGetList('requests', { filter: { status: 'WAITING_FOR_PARTNER' }, pagination: { page: 1, perPage: 1 } });
  const consent = useGetList('requests', { filter: { status: 'WAITING_FOR_CONSENT' }, pagination: { page: 1, perPage: 1 } });
  const confirm = useGetList('requests', { filter: { status: 'WAITING_CONFIRM' }, pagination: { page: 1, perPage: 1 } });
  const stocks = useGetList('stocks', { pagination: { page: 1, perPage: 100 } });
  const licenses = useGetList('licenses', { pagination: { page: 1, perPage: 1 } });
  return (
    <Box sx={{ mt: 1 }}>
      <Title title={translate('ld.dashboard.home')} />
      <Box sx={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', flexWrap: 'wrap', gap: 1, mb: 2 }}>
        <Box>
          <Typography variant="h5" component="h1">
            {translate('ld.dashboard.welcome', { name: me?.name ?? '' })}
          </Typography>
          <Typography color="text.secondary">{me?.companyName}</Typography>
        </Box>
        <Button component={Link} to="/requests/create" variant="contained" startIcon={<AddIcon />}>
          {translate('ld.dashboard.new_request')}
        </Button>
      </Box>
      <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap', mb: 2 }}>
        <Kpi label="ld.dashboard.licenses" value={licenses.total ?? '…'} to="/licenses" />
        <Kpi
          label="ld.dashboard.questions"
          value={info.total ?? '…'}
          tone={info.total ? 'warning.main' : 'primary.main'}
          to={queueLink({ status: 'WAITING_FOR_PARTNER' })}
        />
        <Kpi
          label="ld.dashboard.consents"
          value={consent.total ?? '…'}
          tone={consent.total ? 'warning.main' : 'primary.main'}
          to={queueLink({ status: 'WAITING_FOR_CONSENT' })}
        />
        <Kpi
          label="ld.dashboard.returns"
          value={confirm.total ?? '…'}
          tone={confirm.total ? 'warning.main' : 'primary.main'}
          to={queueLink({ status: 'WAITING_CONFIRM' })}
        />
      </Box>
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: '1fr 1fr' }, gap: 2, alignItems: 'start' }}>
        <Section
          title={translate('ld.dashboard.my_stock')}
          action={
            <Button component={Link} to="/stocks" size="small">
              {translate('ld.dashboard.details')}
            </Button>
          }
        >
          {stocks.isPending ? <LinearProgress aria-label={translate('ld.dashboard.loading_stock')} /> : null}
          {stocks.error ? <Alert severity="error">{errorMessage(stocks.error)}</Alert> : null}
          {stocks.data?.length === 0 ? <Typography color="text.secondary">{translate('ld.dashboard.no_stock')}</Typography> : null}
          {stocks.data?.length ? <StockChart rows={stocks.data} /> : null}
        </Section>
        <Section
          title={translate('ld.dashboard.recent_requests')}
          action={
            <Button component={Link} to="/requests" size="small">
              {translate('ld.dashboard.all_requests')}
            </Button>
          }
        >
          {recent.isPending ? <LinearProgress aria-label={translate('ld.dashboard.loading_requests')} /> : null}
          {recent.error ? <Alert severity="error">{errorMessage(recent.error)}</Alert> : null}
          {recent.data?.length === 0 ? <Typography color="text.secondary">{translate('ld.dashboard.no_requests')}</Typography> : null}
          <MuiList dense disablePadding>
            {recent.data?.map((r) => (
              <ListItem key={r.id} disablePadding divider>
                <ListItemButton component={Link} to={`/requests/${r.id}/show`}>
                  <ListItemText primary={requestLine(r)} secondary={`${label('request_status', r.status as string)} · ${formatDate(r.createdAt)}`} />
                </ListItemButton>
              </ListItem>
            ))}
          </MuiList>
        </Section>
      </Box>
    </Box>
  );
}

export function Dashboard() {
  const { isDesk, isPending } = useMe();
  const translate = useTranslate();
  if (isPending) return <LinearProgress aria-label={translate('ld.app.loading')} />;
  return isDesk ? <DeskDashboard /> : <PartnerDashboard />;
}
