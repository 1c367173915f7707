import { Box } from '@mui/material';
import { AutocompleteInput, DataTable, DateField, FunctionField, List, ReferenceField, ReferenceInput, TextField, type RaRecord } from 'react-admin';
import { Link } from 'react-router-dom';
import { EmptyState } from '../common/EmptyState.tsx';
import { LEDGER_KIND_LABELS } from '../common/labels.ts';

const filters = [
  <ReferenceInput key="companyId" source="companyId" reference="companies" sort={{ field: 'name', order: 'ASC' }} alwaysOn>
    <AutocompleteInput label="Company" optionText="name" filterToQuery={(q) => ({ q })} />
  </ReferenceInput>,
  <ReferenceInput key="productId" source="productId" reference="products" sort={{ field: 'name', order: 'ASC' }} alwaysOn>
    <AutocompleteInput label="Product" optionText="name" filterToQuery={(q) => ({ q })} />
  </ReferenceInput>,
];

/** The append-only ledger: every credit, reservation, consumption, release, return and debit. */
export function LedgerList() {
  return (
    <List title="Stock ledger" filters={filters} sort={{ field: 'createdAt', order: 'DESC' }} perPage={50} empty={false}>
      <DataTable bulkActionButtons={false} rowClick={false} empty={<EmptyState title="No ledger entries" hint="Choose a company and a product, or clear the filters." />}>
        <DataTable.Col source="createdAt" label="Date">
          <DateField source="createdAt" showTime />
        </DataTable.Col>
        <DataTable.Col source="kind" label="Entry" render={(r: RaRecord) => LEDGER_KIND_LABELS[r.kind as string] ?? (r.kind as string)} />
        <DataTable.Col source="channels" label="Channels">
          <FunctionField
            render={(r: RaRecord) => {
              const n = r.channels as number;
              const kind = r.kind as string;
              if (kind === 'CONSUME') return <Box component="span">{Math.abs(n)}</Box>;
              const out = kind === 'RESERVE' || kind === 'DEBIT';
              return <Box component="span" sx={{ fontWeight: 600, color: out ? 'error.main' : 'success.main' }}>{out ? `−${Math.abs(n)}` : `+${Math.abs(n)}`}</Box>;
            }}
          />
        </DataTable.Col>
        <DataTable.Col source="companyId" label="Company" disableSort>
          <ReferenceField source="companyId" reference="companies" link={false}>
            <TextField source="name" />
          </ReferenceField>
        </DataTable.Col>
        <DataTable.Col source="productId" label="Product" disableSort>
          <ReferenceField source="productId" reference="products" link={false}>
            <TextField source="name" />
          </ReferenceField>
        </DataTable.Col>
        <DataTable.Col source="note" label="Note / reason" disableSort />
        <DataTable.Col source="requestId" label="Request" disableSort>
          <FunctionField render={(r: RaRecord) => (r.requestId ? <Link to={`/requests/${r.requestId as string}/show`}>Open</Link> : '—')} />
        </DataTable.Col>
      </DataTable>
    </List>
  );
}
