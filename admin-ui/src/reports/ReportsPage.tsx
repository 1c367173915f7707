import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import {
  Alert,
  Box,
  FormControl,
  InputLabel,
  LinearProgress,
  MenuItem,
  Select,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TablePagination,
  TableRow,
  Typography,
} from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { Title, useDataProvider, useGetList, useLocaleState, useRequireAccess, useTranslate } from 'react-admin';
import { EmptyState } from '../common/EmptyState.tsx';
import { formatMac } from '../common/labels.ts';
import { Section } from '../common/Section.tsx';
import { useMe } from '../common/useMe.ts';
import { errorMessage, type LicenseDeskDataProvider } from '../dataProvider.ts';
import { formatNumber } from '../common/formats.ts';
import { ld } from '../i18n/en.ts';
import { DayField, DayPickersInLanguage } from './DayField.tsx';
import { ExportButtons } from './ExportButton.tsx';
import { DecisionTimeChart, OpenByAgeChart } from './QueueCharts.tsx';

/** The theme makes inputs full width; the report's filters sit side by side from tablet width up. */
const FILTER_WIDTH = { width: { xs: '100%', sm: 220 } } as const;

/**
 * The history actions the report filters on (the Mirasys "By action"), by code; their words are
 * ld.reports.actions, whose English is the server's (LICENSE_ACTION_LABELS in domain/license-actions.ts).
 */
export const REPORT_ACTIONS = Object.keys(ld.reports.actions);

/** The report's "Action" column carries the server's English words: back to the code, for the chosen language's words. */
const ACTION_CODES = new Map(Object.entries(ld.reports.actions).map(([code, words]) => [words, code]));

/** The columns shown, by key; their headers are ld.reports.column.*. */
const COLUMNS = Object.keys(ld.reports.column);

type Translate = ReturnType<typeof useTranslate>;

const cell = (key: string, value: unknown, translate: Translate, locale: string) => {
  if (value === null || value === undefined || value === '') return '—';
  if (key === 'utcDate') return new Date(value as string).toISOString().replace('T', ' ').slice(0, 19);
  if (key === 'mac') return formatMac(String(value));
  if (key === 'action') {
    const code = ACTION_CODES.get(String(value));
    if (code) return translate(`ld.reports.actions.${code}`);
    // Another event of the license's history ("Request completed" is request_completed): its timeline words, except in English.
    return locale === 'en' ? String(value) : translate(`ld.event.${String(value).toLowerCase().replaceAll(' ', '_')}`, { _: String(value) });
  }
  if (key === 'channels' || key === 'vcaChannels') return formatNumber(value);
  return String(value);
};

/**
 * The report's 16 columns scroll inside the card, not the page. While columns are out of sight,
 * a caption says so and a shade marks the edge they are behind.
 */
function SidewaysScroll({ children }: { children: ReactNode }) {
  const translate = useTranslate();
  const ref = useRef<HTMLDivElement>(null);
  const [hidden, setHidden] = useState({ left: false, right: false });
  const measure = useCallback(() => {
    const el = ref.current;
    if (!el) return;
    const next = { left: el.scrollLeft > 0, right: el.scrollLeft + el.clientWidth < el.scrollWidth - 1 };
    setHidden((now) => (now.left === next.left && now.right === next.right ? now : next));
  }, []);
  useEffect(() => {
    measure();
    const observer = new ResizeObserver(measure);
    if (ref.current) observer.observe(ref.current);
    return () => observer.disconnect();
  }, [measure]);
  const shade = (side: 'left' | 'right') => ({
    position: 'absolute',
    top: 0,
    bottom: 0,
    [side]: 0,
    width: 28,
    pointerEvents: 'none',
    background: `linear-gradient(to ${side}, rgba(23, 50, 77, 0), rgba(23, 50, 77, 0.18))`,
  });
  return (
    <>
      {hidden.left || hidden.right ? (
        <Typography variant="caption" color="text.secondary" component="p" sx={{ mb: 0.5 }} data-testid="scroll-cue">
          {translate(hidden.right ? 'ld.reports.more_right' : 'ld.reports.more_left')}
        </Typography>
      ) : null}
      <Box sx={{ position: 'relative' }}>
        <TableContainer
          ref={ref}
          onScroll={measure}
          sx={{ maxWidth: '100%', overflowX: 'auto' }}
          tabIndex={0}
          role="region"
          aria-label={translate('ld.reports.table')}
        >
          {children}
        </TableContainer>
        {hidden.left ? <Box aria-hidden sx={shade('left')} /> : null}
        {hidden.right ? <Box aria-hidden sx={shade('right')} /> : null}
      </Box>
    </>
  );
}

function LicenseReport() {
  const { isDesk } = useMe();
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const [from, setFrom] = useState(() => new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10));
  const [to, setTo] = useState(() => new Date().toISOString().slice(0, 10));
  const [productId, setProductId] = useState('');
  const [action, setAction] = useState('');
  const [companyId, setCompanyId] = useState('');
  const [page, setPage] = useState(0);
  const [perPage, setPerPage] = useState(25);
  const filter = useMemo(
    () => Object.fromEntries(Object.entries({ from, to, productId, action, companyId }).filter(([, v]) => v !== '')),
    [from, to, productId, action, companyId],
  );
  const { data: products = [] } = useGetList('products', { pagination: { page: 1, perPage: 200 }, sort: { field: 'name', order: 'ASC' } });
  const { data: companies = [] } = useGetList(
    'companies',
    { pagination: { page: 1, perPage: 500 }, sort: { field: 'name', order: 'ASC' } },
    { enabled: isDesk },
  );
  const {
    data: rows = [],
    total = 0,
    isPending,
    error,
  } = useGetList('reports/licenses', { filter, pagination: { page: page + 1, perPage }, sort: { field: 'utcDate', order: 'DESC' } });
  const query = `filter=${encodeURIComponent(JSON.stringify(filter))}`;
  return (
    <Section
      title={translate('ld.reports.license_report')}
      action={
        <ExportButtons
          formats={[
            { url: `/api/reports/licenses.xlsx?${query}`, fileName: 'license-report.xlsx', label: 'ld.reports.excel' },
            { url: `/api/reports/licenses.csv?${query}`, fileName: 'license-report.csv', label: 'ld.reports.csv' },
          ]}
        />
      }
    >
      <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap', mb: 2 }}>
        <DayPickersInLanguage>
          <DayField
            label={translate('ld.reports.from')}
            value={from}
            onChange={(day) => {
              setFrom(day);
              setPage(0);
            }}
            sx={FILTER_WIDTH}
          />
          <DayField
            label={translate('ld.reports.to')}
            value={to}
            minDay={from}
            onChange={(day) => {
              setTo(day);
              setPage(0);
            }}
            sx={FILTER_WIDTH}
          />
        </DayPickersInLanguage>
        <FormControl size="small" sx={FILTER_WIDTH}>
          <InputLabel id="report-product">{translate('ld.reports.product')}</InputLabel>
          <Select
            labelId="report-product"
            label={translate('ld.reports.product')}
            value={productId}
            onChange={(e) => {
              setProductId(e.target.value);
              setPage(0);
            }}
          >
            <MenuItem value="">{translate('ld.reports.all')}</MenuItem>
            {products.map((p) => (
              <MenuItem key={p.id} value={p.id as string}>
                {p.name as string}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
        <FormControl size="small" sx={FILTER_WIDTH}>
          <InputLabel id="report-action">{translate('ld.reports.action')}</InputLabel>
          <Select
            labelId="report-action"
            label={translate('ld.reports.action')}
            value={action}
            onChange={(e) => {
              setAction(e.target.value);
              setPage(0);
            }}
          >
            <MenuItem value="">{translate('ld.reports.all')}</MenuItem>
            {REPORT_ACTIONS.map((code) => (
              <MenuItem key={code} value={code}>
                {translate(`ld.reports.actions.${code}`)}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
        {isDesk ? (
          <FormControl size="small" sx={{ ...FILTER_WIDTH, width: { xs: '100%', sm: 260 } }}>
            <InputLabel id="report-company">{translate('ld.reports.company')}</InputLabel>
            <Select
              labelId="report-company"
              label={translate('ld.reports.company')}
              value={companyId}
              onChange={(e) => {
                setCompanyId(e.target.value);
                setPage(0);
              }}
            >
              <MenuItem value="">{translate('ld.reports.all')}</MenuItem>
              {companies.map((c) => (
                <MenuItem key={c.id} value={c.id as string}>
                  {c.name as string}
                </MenuItem>
              ))}
            </Select>
          </FormControl>
        ) : null}
      </Box>
      {error ? <Alert severity="error">{errorMessage(error)}</Alert> : null}
      {isPending ? <LinearProgress aria-label={translate('ld.reports.loading')} /> : null}
      {!isPending && !error && rows.length === 0 ? (
        <EmptyState title={translate('ld.reports.no_events')} hint={translate('ld.reports.no_events_hint')} />
      ) : null}
      {rows.length > 0 ? (
        <>
          <SidewaysScroll>
            <Table size="small" aria-label={translate('ld.reports.license_report')}>
              <TableHead>
                <TableRow>
                  {COLUMNS.map((key) => (
                    <TableCell key={key} sx={{ whiteSpace: 'nowrap' }}>
                      {translate(`ld.reports.column.${key}`)}
                    </TableCell>
                  ))}
                </TableRow>
              </TableHead>
              <TableBody>
                {rows.map((row) => (
                  <TableRow key={row.id}>
                    {COLUMNS.map((key) => (
                      <TableCell key={key} sx={{ whiteSpace: key === 'changes' || key === 'comment' ? 'normal' : 'nowrap' }}>
                        {cell(key, row[key], translate, locale)}
                      </TableCell>
                    ))}
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </SidewaysScroll>
          <TablePagination
            component="div"
            count={total}
            page={page}
            rowsPerPage={perPage}
            onPageChange={(_, p) => setPage(p)}
            onRowsPerPageChange={(e) => {
              setPerPage(Number(e.target.value));
              setPage(0);
            }}
            rowsPerPageOptions={[25, 50, 100]}
            labelRowsPerPage={translate('ra.navigation.page_rows_per_page')}
            labelDisplayedRows={({ from, to, count }) => translate('ra.navigation.page_range_info', { offsetBegin: from, offsetEnd: to, total: count })}
          />
        </>
      ) : null}
    </Section>
  );
}

function QueueReportSection() {
  const translate = useTranslate();
  const dataProvider = useDataProvider<LicenseDeskDataProvider>();
  const { data, error, isPending } = useQuery({ queryKey: ['queue-report'], queryFn: () => dataProvider.queueReport() });
  return (
    <Section title={translate('ld.reports.queue_report')}>
      {error ? <Alert severity="error">{errorMessage(error)}</Alert> : null}
      {isPending ? <LinearProgress aria-label={translate('ld.reports.loading_queue')} /> : null}
      {data ? (
        <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: '1fr 1fr' }, gap: 3 }}>
          <Box>
            <Typography variant="subtitle2" component="h3">
              {translate('ld.reports.open_by_age')}
            </Typography>
            <OpenByAgeChart report={data} />
          </Box>
          <Box>
            <Typography variant="subtitle2" component="h3">
              {translate('ld.reports.median_time')}
            </Typography>
            <DecisionTimeChart report={data} />
          </Box>
        </Box>
      ) : null}
    </Section>
  );
}

/** Reports: the license report for everyone (scoped by the server), the queue report for the desk. */
export function ReportsPage() {
  const translate = useTranslate();
  const { isPending: checking } = useRequireAccess({ resource: 'reports', action: 'list' });
  const { isDesk, isPending } = useMe();
  if (checking || isPending) return <LinearProgress aria-label={translate('ld.app.loading')} />;
  return (
    // A one-column grid of minmax(0, 1fr): the 16-column table scrolls inside its card instead of
    // widening the page past the viewport.
    <Box sx={{ mt: 1, display: 'grid', gridTemplateColumns: 'minmax(0, 1fr)' }}>
      <Title title={translate('ld.reports.title')} />
      <LicenseReport />
      {isDesk ? <QueueReportSection /> : null}
    </Box>
  );
}
