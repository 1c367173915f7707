import { DataTable, FunctionField, List, SimpleList, TextField, useListContext, useTranslate, type RaRecord } from 'react-admin';
import { DateField } from '../common/DateField.tsx';
import { EmptyState } from '../common/EmptyState.tsx';
import { formatMac, useLabel } from '../common/labels.ts';
import { formatNumber } from '../common/formats.ts';
import { StatusChip } from '../common/StatusChip.tsx';
import { useMe } from '../common/useMe.ts';
import { deskLicenseFilters, partnerLicenseFilters } from './LicenseFilters.tsx';
import { useSmallScreen } from '../common/responsive.ts';

const lockOf = (r: RaRecord) => (r.macAddress ? formatMac(r.macAddress as string) : ((r.hardwareKey as string) ?? '—'));

function LicenseTable({ desk }: { desk: boolean }) {
  const small = useSmallScreen();
  const { data, isPending, filterValues } = useListContext();
  const translate = useTranslate();
  const label = useLabel();
  if (!isPending && data?.length === 0) {
    return (
      <EmptyState
        title={translate(Object.keys(filterValues).length ? 'ld.licenses.no_match' : 'ld.licenses.none_yet')}
        hint={translate(Object.keys(filterValues).length ? 'ld.licenses.no_match_hint' : 'ld.licenses.none_yet_hint')}
      />
    );
  }
  if (small) {
    return (
      <SimpleList
        primaryText={(r) => `${r.serial as string} · ${r.productName as string}`}
        secondaryText={(r) => `${r.endUserCompany as string} · ${lockOf(r)}`}
        tertiaryText={(r) => label('license_status', r.status as string)}
        linkType="show"
      />
    );
  }
  return (
    <DataTable rowClick="show" bulkActionButtons={false}>
      <DataTable.Col source="serial" label="ld.licenses.serial">
        <TextField source="serial" sx={{ fontFamily: 'monospace', fontWeight: 600 }} />
      </DataTable.Col>
      <DataTable.Col source="productName" label="ld.licenses.product" disableSort />
      <DataTable.Col source="channels" label="ld.licenses.channels" align="right" render={(r: RaRecord) => formatNumber(r.channels)} />
      <DataTable.Col source="macAddress" label="ld.licenses.lock" disableSort>
        <FunctionField render={lockOf} />
      </DataTable.Col>
      <DataTable.Col source="endUserCompany" label="ld.licenses.end_user" />
      {desk ? <DataTable.Col source="companyName" label="ld.licenses.owner" disableSort /> : null}
      <DataTable.Col source="status" label="ld.licenses.status">
        <StatusChip kind="license" />
      </DataTable.Col>
      <DataTable.Col source="createdAt" label="ld.licenses.created">
        <DateField source="createdAt" />
      </DataTable.Col>
    </DataTable>
  );
}

export function LicenseList() {
  const { isDesk, isPending } = useMe();
  const translate = useTranslate();
  if (isPending) return null;
  return (
    <List
      title={translate(isDesk ? 'ld.licenses.licenses' : 'ld.licenses.my_licenses')}
      filters={isDesk ? deskLicenseFilters : partnerLicenseFilters}
      sort={{ field: 'createdAt', order: 'DESC' }}
      empty={false}
    >
      <LicenseTable desk={isDesk} />
    </List>
  );
}
