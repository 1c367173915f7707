import { Box } from '@mui/material';
import { AutocompleteInput, DataTable, FunctionField, List, ReferenceField, ReferenceInput, SimpleList, TextField, type RaRecord } from 'react-admin';
import { DateField } from '../common/DateField.tsx';
import { Link } from 'react-router-dom';
import { EmptyState } from '../common/EmptyState.tsx';
import { LEDGER_KIND_LABELS } from '../common/labels.ts';
import { formatDateTime } from '../common/dates';
import { useSmallScreen } from '../common/responsive.ts';

const filters = [
  <ReferenceInput key="companyId" source="companyId" reference="companies" sort={{ field: 'name', order: 'ASC' }} alwaysOn>
    <AutocompleteInput label="Company" optionText="name" filterToQuery={(q) => ({ q })} />
  </ReferenceInput>,
  <ReferenceInput key="productId" source="productId" reference="products" sort={{ field: 'name', order: 'ASC' }} alwaysOn>
    <AutocompleteInput label="Product" optionText="name" filterToQuery={(q) => ({ q })} />
  </ReferenceInput>,
];

/** Channels in (+, green) or out (−, red); a consumption turns a reservation into a sale. */
function Channels({ record }: { record: RaRecord }) {
  const n = record.channels as number;
  const kind = record.kind as string;
  if (kind === 'CONSUME') return <Box component="span">{Math.abs(n)}</Box>;
  const out = kind === 'RESERVE' || kind === 'DEBIT';
  return (
    <Box component="span" sx={{ fontWeight: 600, color: out ? 'error.main' : 'success.main' }}>
      {out ? `−${Math.abs(n)}` : `+${Math.abs(n)}`}
    </Box>
  );
}

/** On a phone, the first line of an entry: what happened and how many channels. */
function LedgerChange({ record }: { record: RaRecord }) {
  return (
    <>
      {LEDGER_KIND_LABELS[record.kind as string] ?? (record.kind as string)} <Channels record={record} />
    </>
  );
}

/** …and the second: company, product, and the note when there is one. */
function LedgerWhere({ record }: { record: RaRecord }) {
  return (
    <>
      <ReferenceField source="companyId" reference="companies" link={false}>
        <TextField source="name" variant="body2" />
      </ReferenceField>
      {` · ${record.productName as string}${record.note ? ` · ${record.note as string}` : ''}`}
    </>
  );
}

/** The append-only ledger: every credit, reservation, consumption, release, return and debit. */
export function LedgerList() {
  const small = useSmallScreen();
  return (
    <List title="Stock ledger" filters={filters} sort={{ field: 'createdAt', order: 'DESC' }} perPage={50} empty={false}>
      {small ? (
        <SimpleList
          primaryText={(r) => <LedgerChange record={r} />}
          secondaryText={(r) => <LedgerWhere record={r} />}
          tertiaryText={(r) => formatDateTime(r.createdAt)}
          linkType={false}
          empty={<EmptyState title="No ledger entries" hint="Choose a company and a product, or clear the filters." />}
        />
      ) : (
        <DataTable
          bulkActionButtons={false}
          rowClick={false}
          empty={<EmptyState title="No ledger entries" hint="Choose a company and a product, or clear the filters." />}
        >
          <DataTable.Col source="createdAt" label="Date">
            <DateField source="createdAt" showTime />
          </DataTable.Col>
          <DataTable.Col source="kind" label="Entry" render={(r: RaRecord) => LEDGER_KIND_LABELS[r.kind as string] ?? (r.kind as string)} />
          <DataTable.Col source="channels" label="Channels">
            <FunctionField render={(r: RaRecord) => <Channels record={r} />} />
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
      )}
    </List>
  );
}
