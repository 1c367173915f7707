import { DataTable, FunctionField, List, SimpleList, TextField, useListContext, type RaRecord } from 'react-admin';
import { DateField } from '../common/DateField.tsx';
import { EmptyState } from '../common/EmptyState.tsx';
import { LICENSE_STATUS_LABELS, formatMac } from '../common/labels.ts';
import { StatusChip } from '../common/StatusChip.tsx';
import { useMe } from '../common/useMe.ts';
import { deskLicenseFilters, partnerLicenseFilters } from './LicenseFilters.tsx';
import { useSmallScreen } from '../common/responsive.ts';

const lockOf = (r: RaRecord) => (r.macAddress ? formatMac(r.macAddress as string) : ((r.hardwareKey as string) ?? '—'));

function LicenseTable({ desk }: { desk: boolean }) {
  const small = useSmallScreen();
  const { data, isPending, filterValues } = useListContext();
  if (!isPending && data?.length === 0) {
    return (
      <EmptyState
        title={Object.keys(filterValues).length ? 'No license matches' : 'No licenses yet'}
        hint={Object.keys(filterValues).length ? 'Check the serial or MAC, or clear the filters.' : 'Licenses appear here once the desk approves a request.'}
      />
    );
  }
  if (small) {
    return (
      <SimpleList
        primaryText={(r) => `${r.serial as string} · ${r.productName as string}`}
        secondaryText={(r) => `${r.endUserCompany as string} · ${lockOf(r)}`}
        tertiaryText={(r) => LICENSE_STATUS_LABELS[r.status as string] ?? (r.status as string)}
        linkType="show"
      />
    );
  }
  return (
    <DataTable rowClick="show" bulkActionButtons={false}>
      <DataTable.Col source="serial" label="Serial">
        <TextField source="serial" sx={{ fontFamily: 'monospace', fontWeight: 600 }} />
      </DataTable.Col>
      <DataTable.Col source="productName" label="Product" disableSort />
      <DataTable.NumberCol source="channels" label="Channels" />
      <DataTable.Col source="macAddress" label="MAC / hardware key" disableSort>
        <FunctionField render={lockOf} />
      </DataTable.Col>
      <DataTable.Col source="endUserCompany" label="End user" />
      {desk ? <DataTable.Col source="companyName" label="Owner" disableSort /> : null}
      <DataTable.Col source="status" label="Status">
        <StatusChip kind="license" />
      </DataTable.Col>
      <DataTable.Col source="createdAt" label="Created">
        <DateField source="createdAt" />
      </DataTable.Col>
    </DataTable>
  );
}

export function LicenseList() {
  const { isDesk, isPending } = useMe();
  if (isPending) return null;
  return (
    <List
      title={isDesk ? 'Licenses' : 'My licenses'}
      filters={isDesk ? deskLicenseFilters : partnerLicenseFilters}
      sort={{ field: 'createdAt', order: 'DESC' }}
      empty={false}
    >
      <LicenseTable desk={isDesk} />
    </List>
  );
}
