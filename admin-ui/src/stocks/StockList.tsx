import { Box, Button, Card, CardContent, LinearProgress, Typography } from '@mui/material';
import LedgerIcon from '@mui/icons-material/ReceiptLongOutlined';
import { Link } from 'react-router-dom';
import {
  AutocompleteInput,
  DataTable,
  FunctionField,
  List,
  ReferenceInput,
  SimpleList,
  useCanAccess,
  useListContext,
  useTranslate,
  type RaRecord,
} from 'react-admin';
import { EmptyState } from '../common/EmptyState.tsx';
import { formatNumber } from '../common/formats.ts';
import { SearchBox } from '../common/SearchBox.tsx';
import { useMe } from '../common/useMe.ts';
import { AdjustStockDialog } from './AdjustStockDialog.tsx';
import { StockChart } from './StockChart.tsx';
import { useSmallScreen } from '../common/responsive.ts';

const deskFilters = [
  <SearchBox key="q" source="q" alwaysOn placeholder="ld.stocks.search" />,
  <ReferenceInput key="companyId" source="companyId" reference="companies" sort={{ field: 'name', order: 'ASC' }} alwaysOn>
    <AutocompleteInput optionText="name" filterToQuery={(q) => ({ q })} />
  </ReferenceInput>,
  <ReferenceInput key="productId" source="productId" reference="products" sort={{ field: 'name', order: 'ASC' }}>
    <AutocompleteInput optionText="name" filterToQuery={(q) => ({ q })} />
  </ReferenceInput>,
];

const ledgerLink = (r: RaRecord) => `/stock-ledger?filter=${encodeURIComponent(JSON.stringify({ companyId: r.companyId, productId: r.productId }))}`;

function Availability({ record }: { record: RaRecord }) {
  const translate = useTranslate();
  const total = (record.total as number) || 0;
  const available = (record.available as number) || 0;
  return (
    <Box sx={{ minWidth: 140 }}>
      <Typography variant="body2" sx={{ fontWeight: 600 }}>
        {formatNumber(available)} / {formatNumber(total)}
      </Typography>
      <LinearProgress
        variant="determinate"
        value={total ? (available / total) * 100 : 0}
        aria-label={translate('ld.stocks.available_of', { available: formatNumber(available), total: formatNumber(total) })}
        sx={{ height: 6, borderRadius: 3 }}
      />
    </Box>
  );
}

function DeskStockTable() {
  const { data, isPending } = useListContext();
  const { canAccess: canAdjust } = useCanAccess({ resource: 'stocks', action: 'adjust' });
  const small = useSmallScreen();
  const translate = useTranslate();
  if (!isPending && data?.length === 0) return <EmptyState title={translate('ld.stocks.no_match')} hint={translate('ld.stocks.no_match_hint')} />;
  if (small) {
    return (
      <SimpleList
        primaryText={(r) => `${r.companyName as string}`}
        secondaryText={(r) =>
          translate('ld.stocks.row', { product: r.productName as string, available: formatNumber(r.available), total: formatNumber(r.total) })
        }
        linkType={false}
      />
    );
  }
  return (
    <DataTable bulkActionButtons={false} rowClick={false}>
      <DataTable.Col source="companyName" disableSort />
      <DataTable.Col source="productName" disableSort />
      <DataTable.Col label="ld.stocks.available_total" disableSort>
        <FunctionField render={(r: RaRecord) => <Availability record={r} />} />
      </DataTable.Col>
      <DataTable.Col source="reserved" align="right" disableSort render={(r: RaRecord) => formatNumber(r.reserved)} />
      <DataTable.Col source="consumed" align="right" disableSort render={(r: RaRecord) => formatNumber(r.consumed)} />
      <DataTable.Col label="ld.stocks.actions" disableSort>
        <FunctionField
          render={(r: RaRecord) => (
            <Box sx={{ display: 'flex', gap: 1 }}>
              <Button size="small" component={Link} to={ledgerLink(r)} startIcon={<LedgerIcon />}>
                {translate('ld.stocks.ledger')}
              </Button>
              {canAdjust ? <AdjustStockDialog stock={r} /> : null}
            </Box>
          )}
        />
      </DataTable.Col>
    </DataTable>
  );
}

/** "My stock": available of total per product, with a chart, as the Mirasys "Stocks" page. */
function PartnerStock() {
  const { data = [], isPending } = useListContext();
  const translate = useTranslate();
  if (isPending) return <LinearProgress aria-label={translate('ld.dashboard.loading_stock')} />;
  if (data.length === 0)
    return (
      <EmptyState
        title={translate('ld.stocks.none_yet')}
        hint={translate('ld.stocks.none_yet_hint')}
        action={
          <Button component={Link} to="/requests/create?type=STOCK_ADDITION" variant="contained">
            {translate('ld.stocks.request_addition')}
          </Button>
        }
      />
    );
  return (
    <Box sx={{ p: 2 }}>
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr', lg: 'repeat(3, 1fr)' }, gap: 2, mb: 3 }}>
        {data.map((r) => (
          <Card key={r.id} variant="outlined">
            <CardContent>
              <Typography variant="body2" color="text.secondary">
                {r.productName as string}
                {r.companyName ? ` · ${r.companyName as string}` : ''}
              </Typography>
              <Typography variant="h5" component="p" sx={{ my: 0.5 }}>
                {formatNumber(r.available)}{' '}
                <Typography component="span" color="text.secondary">
                  {translate('ld.stocks.of_total', { total: formatNumber(r.total) })}
                </Typography>
              </Typography>
              <LinearProgress
                variant="determinate"
                value={(r.total as number) ? ((r.available as number) / (r.total as number)) * 100 : 0}
                aria-label={translate('ld.stocks.available_of', { available: formatNumber(r.available), total: formatNumber(r.total) })}
                sx={{ height: 6, borderRadius: 3 }}
              />
              <Typography variant="caption" color="text.secondary">
                {translate('ld.stocks.usage', { reserved: formatNumber(r.reserved), consumed: formatNumber(r.consumed) })}
              </Typography>
              <Box>
                <Button size="small" component={Link} to={ledgerLink(r)} startIcon={<LedgerIcon />} sx={{ mt: 0.5, ml: -0.5 }}>
                  {translate('ld.stocks.ledger')}
                </Button>
              </Box>
            </CardContent>
          </Card>
        ))}
      </Box>
      <StockChart rows={data} />
    </Box>
  );
}

export function StockList() {
  const { isDesk, isPending, me } = useMe();
  const translate = useTranslate();
  if (isPending) return null;
  return isDesk ? (
    <List title={translate('ld.stocks.title')} filters={deskFilters} sort={{ field: 'companyName', order: 'ASC' }} perPage={50} empty={false}>
      <DeskStockTable />
    </List>
  ) : (
    <List title={translate('ld.stocks.my_stock')} filter={me ? {} : {}} perPage={100} pagination={false} actions={false} empty={false}>
      <PartnerStock />
    </List>
  );
}
