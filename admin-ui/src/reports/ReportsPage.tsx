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
  TextField,
  Typography,
} from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { Title, useDataProvider, useGetList, useRequireAccess } from 'react-admin';
import { EmptyState } from '../common/EmptyState.tsx';
import { formatMac } from '../common/labels.ts';
import { Section } from '../common/Section.tsx';
import { useMe } from '../common/useMe.ts';
import { errorMessage, type LicenseDeskDataProvider } from '../dataProvider.ts';
import { ExportButton } from './ExportButton.tsx';
import { DecisionTimeChart, OpenByAgeChart } from './QueueCharts.tsx';

/** The theme makes inputs full width; the report's filters sit side by side from tablet width up. */
const FILTER_WIDTH = { width: { xs: '100%', sm: 220 } } as const;

/** The history actions the report filters on (the Mirasys "By action"). */
export const REPORT_ACTIONS = [
  { id: 'created', name: 'License created' },
  { id: 'activated', name: 'License activated' },
  { id: 'downloaded', name: 'License downloaded' },
  { id: 'emailed', name: 'License e-mailed' },
  { id: 'channels_changed', name: 'Channels changed' },
  { id: 'upgraded', name: 'License upgraded' },
  { id: 'ownership_changed', name: 'Ownership changed' },
  { id: 'hardware_replaced', name: 'Hardware replaced' },
  { id: 'revoked', name: 'License revoked' },
  { id: 'returned', name: 'License returned' },
];

const COLUMNS: Array<[string, string]> = [
  ['utcDate', 'UTC Date'],
  ['action', 'Action'],
  ['serial', 'Serial'],
  ['mac', 'MAC'],
  ['channels', 'Channels'],
  ['vcaChannels', 'VCA'],
  ['changes', 'Changes'],
  ['stockName', 'Stock'],
  ['productName', 'Product'],
  ['ordererRef', 'Orderer Ref.'],
  ['orderer', 'Orderer'],
  ['endUserCompany', 'End User Company'],
  ['comment', 'Comment'],
];

const cell = (key: string, value: unknown) => {
  if (value === null || value === undefined || value === '') return '—';
  if (key === 'utcDate') return new Date(value as string).toISOString().replace('T', ' ').slice(0, 19);
  if (key === 'mac') return formatMac(String(value));
  return String(value);
};

/**
 * The report's 16 columns scroll inside the card, not the page. While columns are out of sight,
 * a caption says so and a shade marks the edge they are behind.
 */
function SidewaysScroll({ children }: { children: ReactNode }) {
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
          {hidden.right ? 'More columns to the right: scroll the table sideways →' : '← More columns to the left'}
        </Typography>
      ) : null}
      <Box sx={{ position: 'relative' }}>
        <TableContainer ref={ref} onScroll={measure} sx={{ maxWidth: '100%', overflowX: 'auto' }} tabIndex={0} role="region" aria-label="License report table">
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
      title="License report"
      action={
        <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap' }}>
          <ExportButton url={`/api/reports/licenses.xlsx?${query}`} fileName="license-report.xlsx" label="Excel export" />
          <ExportButton url={`/api/reports/licenses.csv?${query}`} fileName="license-report.csv" label="CSV export" />
        </Box>
      }
    >
      <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap', mb: 2 }}>
        <TextField
          label="From"
          type="date"
          value={from}
          onChange={(e) => {
            setFrom(e.target.value);
            setPage(0);
          }}
          size="small"
          sx={FILTER_WIDTH}
          slotProps={{ inputLabel: { shrink: true } }}
        />
        <TextField
          label="To"
          type="date"
          value={to}
          onChange={(e) => {
            setTo(e.target.value);
            setPage(0);
          }}
          size="small"
          sx={FILTER_WIDTH}
          slotProps={{ inputLabel: { shrink: true } }}
        />
        <FormControl size="small" sx={FILTER_WIDTH}>
          <InputLabel id="report-product">Stock / product</InputLabel>
          <Select
            labelId="report-product"
            label="Stock / product"
            value={productId}
            onChange={(e) => {
              setProductId(e.target.value);
              setPage(0);
            }}
          >
            <MenuItem value="">All</MenuItem>
            {products.map((p) => (
              <MenuItem key={p.id} value={p.id as string}>
                {p.name as string}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
        <FormControl size="small" sx={FILTER_WIDTH}>
          <InputLabel id="report-action">Action</InputLabel>
          <Select
            labelId="report-action"
            label="Action"
            value={action}
            onChange={(e) => {
              setAction(e.target.value);
              setPage(0);
            }}
          >
            <MenuItem value="">All</MenuItem>
            {REPORT_ACTIONS.map((a) => (
              <MenuItem key={a.id} value={a.id}>
                {a.name}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
        {isDesk ? (
          <FormControl size="small" sx={{ ...FILTER_WIDTH, width: { xs: '100%', sm: 260 } }}>
            <InputLabel id="report-company">Company</InputLabel>
            <Select
              labelId="report-company"
              label="Company"
              value={companyId}
              onChange={(e) => {
                setCompanyId(e.target.value);
                setPage(0);
              }}
            >
              <MenuItem value="">All</MenuItem>
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
      {isPending ? <LinearProgress aria-label="Loading the report" /> : null}
      {!isPending && !error && rows.length === 0 ? <EmptyState title="No events in this period" hint="Widen the period or clear the filters." /> : null}
      {rows.length > 0 ? (
        <>
          <SidewaysScroll>
            <Table size="small" aria-label="License report">
              <TableHead>
                <TableRow>
                  {COLUMNS.map(([key, label]) => (
                    <TableCell key={key} sx={{ whiteSpace: 'nowrap' }}>
                      {label}
                    </TableCell>
                  ))}
                </TableRow>
              </TableHead>
              <TableBody>
                {rows.map((row) => (
                  <TableRow key={row.id}>
                    {COLUMNS.map(([key]) => (
                      <TableCell key={key} sx={{ whiteSpace: key === 'changes' || key === 'comment' ? 'normal' : 'nowrap' }}>
                        {cell(key, row[key])}
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
          />
        </>
      ) : null}
    </Section>
  );
}

function QueueReportSection() {
  const dataProvider = useDataProvider<LicenseDeskDataProvider>();
  const { data, error, isPending } = useQuery({ queryKey: ['queue-report'], queryFn: () => dataProvider.queueReport() });
  return (
    <Section title="Queue report">
      {error ? <Alert severity="error">{errorMessage(error)}</Alert> : null}
      {isPending ? <LinearProgress aria-label="Loading the queue report" /> : null}
      {data ? (
        <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: '1fr 1fr' }, gap: 3 }}>
          <Box>
            <Typography variant="subtitle2" component="h3">
              Open requests by type and age
            </Typography>
            <OpenByAgeChart report={data} />
          </Box>
          <Box>
            <Typography variant="subtitle2" component="h3">
              Median time to decision (hours)
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
  const { isPending: checking } = useRequireAccess({ resource: 'reports', action: 'list' });
  const { isDesk, isPending } = useMe();
  if (checking || isPending) return <LinearProgress aria-label="Loading" />;
  return (
    // A one-column grid of minmax(0, 1fr): the 16-column table scrolls inside its card instead of
    // widening the page past the viewport.
    <Box sx={{ mt: 1, display: 'grid', gridTemplateColumns: 'minmax(0, 1fr)' }}>
      <Title title="Reports" />
      <LicenseReport />
      {isDesk ? <QueueReportSection /> : null}
    </Box>
  );
}
