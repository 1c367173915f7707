import { Box, Button, Card, CardContent, LinearProgress, Typography } from '@mui/material';
import LedgerIcon from '@mui/icons-material/ReceiptLongOutlined';
import { Link } from 'react-router-dom';
import {
  AutocompleteInput,
  DataTable,
  FunctionField,
  List,
  ReferenceInput,
  SearchInput,
  SimpleList,
  useCanAccess,
  useListContext,
  type RaRecord,
} from 'react-admin';
import { EmptyState } from '../common/EmptyState.tsx';
import { useMe } from '../common/useMe.ts';
import { AdjustStockDialog } from './AdjustStockDialog.tsx';
import { StockChart } from './StockChart.tsx';
import { useSmallScreen } from '../common/responsive.ts';

const deskFilters = [
  <SearchInput key="q" source="q" alwaysOn placeholder="Company or product" />,
  <ReferenceInput key="companyId" source="companyId" reference="companies" sort={{ field: 'name', order: 'ASC' }} alwaysOn>
    <AutocompleteInput label="Company" optionText="name" filterToQuery={(q) => ({ q })} />
  </ReferenceInput>,
  <ReferenceInput key="productId" source="productId" reference="products" sort={{ field: 'name', order: 'ASC' }}>
    <AutocompleteInput label="Product" optionText="name" filterToQuery={(q) => ({ q })} />
  </ReferenceInput>,
];

const ledgerLink = (r: RaRecord) => `/stock-ledger?filter=${encodeURIComponent(JSON.stringify({ companyId: r.companyId, productId: r.productId }))}`;

function Availability({ record }: { record: RaRecord }) {
  const total = (record.total as number) || 0;
  const available = (record.available as number) || 0;
  return (
    <Box sx={{ minWidth: 140 }}>
      <Typography variant="body2" sx={{ fontWeight: 600 }}>
        {available} / {total}
      </Typography>
      <LinearProgress
        variant="determinate"
        value={total ? (available / total) * 100 : 0}
        aria-label={`${available} of ${total} available`}
        sx={{ height: 6, borderRadius: 3 }}
      />
    </Box>
  );
}

function DeskStockTable() {
  const { data, isPending } = useListContext();
  const { canAccess: canAdjust } = useCanAccess({ resource: 'stocks', action: 'adjust' });
  const small = useSmallScreen();
  if (!isPending && data?.length === 0)
    return <EmptyState title="No stocks match" hint="Clear the filters, or credit a company's stock through a stock addition." />;
  if (small) {
    return (
      <SimpleList
        primaryText={(r) => `${r.companyName as string}`}
        secondaryText={(r) => `${r.productName as string}: ${r.available as number} / ${r.total as number} available`}
        linkType={false}
      />
    );
  }
  return (
    <DataTable bulkActionButtons={false} rowClick={false}>
      <DataTable.Col source="companyName" label="Company" disableSort />
      <DataTable.Col source="productName" label="Product" disableSort />
      <DataTable.Col label="Available / total" disableSort>
        <FunctionField render={(r: RaRecord) => <Availability record={r} />} />
      </DataTable.Col>
      <DataTable.NumberCol source="reserved" label="Reserved" disableSort />
      <DataTable.NumberCol source="consumed" label="Consumed" disableSort />
      <DataTable.Col label="Actions" disableSort>
        <FunctionField
          render={(r: RaRecord) => (
            <Box sx={{ display: 'flex', gap: 1 }}>
              <Button size="small" component={Link} to={ledgerLink(r)} startIcon={<LedgerIcon />}>
                Ledger
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
  if (isPending) return <LinearProgress aria-label="Loading the stock" />;
  if (data.length === 0)
    return (
      <EmptyState
        title="No stock yet"
        hint="Ask for a stock addition to add channels against a purchase order."
        action={
          <Button component={Link} to="/requests/create?type=STOCK_ADDITION" variant="contained">
            Request a stock addition
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
                {r.available as number}{' '}
                <Typography component="span" color="text.secondary">
                  / {r.total as number} available
                </Typography>
              </Typography>
              <LinearProgress
                variant="determinate"
                value={(r.total as number) ? ((r.available as number) / (r.total as number)) * 100 : 0}
                aria-label={`${r.available as number} of ${r.total as number} available`}
                sx={{ height: 6, borderRadius: 3 }}
              />
              <Typography variant="caption" color="text.secondary">
                {r.reserved as number} reserved · {r.consumed as number} in licenses
              </Typography>
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
  if (isPending) return null;
  return isDesk ? (
    <List title="Stocks" filters={deskFilters} sort={{ field: 'companyName', order: 'ASC' }} perPage={50} empty={false}>
      <DeskStockTable />
    </List>
  ) : (
    <List title="My stock" filter={me ? {} : {}} perPage={100} pagination={false} actions={false} empty={false}>
      <PartnerStock />
    </List>
  );
}
