import { Box } from '@mui/material';
import {
  AutocompleteInput,
  DataTable,
  FunctionField,
  List,
  ReferenceField,
  ReferenceInput,
  SimpleList,
  TextField,
  useTranslate,
  type RaRecord,
} from 'react-admin';
import { DateField } from '../common/DateField.tsx';
import { Link } from 'react-router-dom';
import { EmptyState } from '../common/EmptyState.tsx';
import { useLabel } from '../common/labels.ts';
import { formatDateTime, formatNumber } from '../common/formats.ts';
import { useSmallScreen } from '../common/responsive.ts';
import { useMe } from '../common/useMe.ts';

const filters = [
  <ReferenceInput key="companyId" source="companyId" reference="companies" sort={{ field: 'name', order: 'ASC' }} alwaysOn>
    <AutocompleteInput optionText="name" filterToQuery={(q) => ({ q })} />
  </ReferenceInput>,
  <ReferenceInput key="productId" source="productId" reference="products" sort={{ field: 'name', order: 'ASC' }} alwaysOn>
    <AutocompleteInput optionText="name" filterToQuery={(q) => ({ q })} />
  </ReferenceInput>,
];

/** Channels in (+, green) or out (−, red); a consumption (or a reship's transfer out) turns a reservation into a sale. */
function Channels({ record }: { record: RaRecord }) {
  const n = record.channels as number;
  const kind = record.kind as string;
  // A reship's TRANSFER_OUT settles its reservation, as a consumption does: the channels left the available stock then.
  if (kind === 'CONSUME' || kind === 'TRANSFER_OUT') return <Box component="span">{formatNumber(Math.abs(n))}</Box>;
  const out = kind === 'RESERVE' || kind === 'DEBIT';
  return (
    <Box component="span" sx={{ fontWeight: 600, color: out ? 'error.main' : 'success.main' }}>
      {`${out ? '−' : '+'}${formatNumber(Math.abs(n))}`}
    </Box>
  );
}

/** On a phone, the first line of an entry: what happened and how many channels. */
function LedgerChange({ record }: { record: RaRecord }) {
  const label = useLabel();
  return (
    <>
      {label('ledger_kind', record.kind as string)} <Channels record={record} />
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

/** The append-only ledger: every credit, reservation, consumption, release, return, debit and reship (out and in). */
export function LedgerList() {
  const small = useSmallScreen();
  const translate = useTranslate();
  const label = useLabel();
  const { isDesk } = useMe();
  // A dealer's TRANSFER_IN belongs to its distributor's request, which the dealer cannot open.
  const requestLink = (r: RaRecord) => !!r.requestId && (isDesk || r.kind !== 'TRANSFER_IN');
  const empty = <EmptyState title={translate('ld.ledger.none')} hint={translate('ld.ledger.none_hint')} />;
  return (
    <List title={translate('ld.ledger.title')} filters={filters} sort={{ field: 'createdAt', order: 'DESC' }} perPage={50} empty={false}>
      {small ? (
        <SimpleList
          primaryText={(r) => <LedgerChange record={r} />}
          secondaryText={(r) => <LedgerWhere record={r} />}
          tertiaryText={(r) => formatDateTime(r.createdAt)}
          linkType={false}
          empty={empty}
        />
      ) : (
        <DataTable bulkActionButtons={false} rowClick={false} empty={empty}>
          <DataTable.Col source="createdAt">
            <DateField source="createdAt" showTime />
          </DataTable.Col>
          <DataTable.Col source="kind" render={(r: RaRecord) => label('ledger_kind', r.kind as string)} />
          <DataTable.Col source="channels">
            <FunctionField render={(r: RaRecord) => <Channels record={r} />} />
          </DataTable.Col>
          <DataTable.Col source="companyId" disableSort>
            <ReferenceField source="companyId" reference="companies" link={false}>
              <TextField source="name" />
            </ReferenceField>
          </DataTable.Col>
          <DataTable.Col source="productId" disableSort>
            <ReferenceField source="productId" reference="products" link={false}>
              <TextField source="name" />
            </ReferenceField>
          </DataTable.Col>
          <DataTable.Col source="note" disableSort />
          <DataTable.Col source="requestId" disableSort>
            <FunctionField
              render={(r: RaRecord) => (requestLink(r) ? <Link to={`/requests/${r.requestId as string}/show`}>{translate('ld.ledger.open')}</Link> : '—')}
            />
          </DataTable.Col>
        </DataTable>
      )}
    </List>
  );
}
