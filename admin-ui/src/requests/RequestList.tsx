import { Box, useMediaQuery, type Theme } from '@mui/material';
import { CreateButton, DataTable, DateField, FunctionField, List, SimpleList, TextField, TopToolbar, useListContext, type RaRecord } from 'react-admin';
import { EmptyState } from '../common/EmptyState.tsx';
import { FilterTabs, type FilterTab } from '../common/FilterTabs.tsx';
import { REQUEST_STATUS_LABELS, REQUEST_TYPE_LABELS, requestReference, type RequestType } from '../common/labels.ts';
import { StatusChip } from '../common/StatusChip.tsx';
import { useMe } from '../common/useMe.ts';
import { deskRequestFilters, partnerRequestFilters } from './RequestFilters.tsx';
import { formatDay, formatDateTime } from '../common/dates';

/** Desk queues: the statuses a desk agent works through. */
export const DESK_TABS: FilterTab[] = [
  { id: 'pending', label: 'To decide', filter: { status: 'PENDING_APPROVAL', open: undefined } },
  { id: 'open', label: 'All open', filter: { status: undefined, open: true } },
  { id: 'partner', label: 'Waiting for partner', filter: { status: 'WAITING_FOR_PARTNER', open: undefined } },
  { id: 'consent', label: 'Waiting for consent', filter: { status: 'WAITING_FOR_CONSENT', open: undefined } },
  { id: 'file', label: 'Waiting for file', filter: { status: 'WAITING_FOR_FILE', open: undefined } },
  { id: 'office-hours', label: 'Waiting for office hours', filter: { status: 'WAITING_FOR_OFFICE_HOURS', open: undefined } },
  { id: 'completed', label: 'Completed', filter: { status: 'COMPLETED', open: undefined } },
  { id: 'rejected', label: 'Rejected', filter: { status: 'REJECTED', open: undefined } },
];

/** A partner's view: everything, what waits for them, what is done. */
export const PARTNER_TABS: FilterTab[] = [
  { id: 'all', label: 'All', filter: { status: undefined, open: undefined } },
  { id: 'open', label: 'Open', filter: { status: undefined, open: true } },
  { id: 'pending', label: 'Pending approval', filter: { status: 'PENDING_APPROVAL', open: undefined } },
  { id: 'info', label: 'Information requested', filter: { status: 'WAITING_FOR_PARTNER', open: undefined } },
  { id: 'consent', label: 'Consent needed', filter: { status: 'WAITING_FOR_CONSENT', open: undefined } },
  { id: 'confirm', label: 'Return to confirm', filter: { status: 'WAITING_CONFIRM', open: undefined } },
  { id: 'completed', label: 'Completed', filter: { status: 'COMPLETED', open: undefined } },
];

const reference = (r: RaRecord) => requestReference(r.number as number);
const typeLabel = (r: RaRecord) => REQUEST_TYPE_LABELS[r.type as RequestType] ?? r.type;

function Overdue() {
  return (
    <FunctionField
      label="Due"
      render={(r: RaRecord) => {
        if (!r.dueAt) return '—';
        const late = !r.decidedAt && new Date(r.dueAt as string) < new Date();
        return (
          <Box component="span" sx={{ color: late ? 'error.main' : 'inherit', fontWeight: late ? 600 : 400 }}>
            {formatDateTime(r.dueAt)}
            {late ? ' (SLA breached)' : ''}
          </Box>
        );
      }}
    />
  );
}

function RequestTable({ desk }: { desk: boolean }) {
  const small = useMediaQuery<Theme>((theme) => theme.breakpoints.down('md'));
  const { data, isPending } = useListContext();
  if (!isPending && data?.length === 0) {
    return (
      <EmptyState
        title="No requests here"
        hint={desk ? 'Nothing waits in this queue. Try another tab or clear the filters.' : 'Requests you submit appear here with their status.'}
      />
    );
  }
  if (small) {
    return (
      <SimpleList
        primaryText={(r) => `${reference(r)} · ${typeLabel(r)}`}
        secondaryText={(r) => `${REQUEST_STATUS_LABELS[r.status as string] ?? r.status}${desk ? ` · ${r.companyName as string}` : ''}`}
        tertiaryText={(r) => formatDay(r.createdAt)}
        linkType="show"
      />
    );
  }
  return (
    <DataTable rowClick="show" bulkActionButtons={false}>
      <DataTable.Col source="number" label="Reference" render={reference} />
      <DataTable.Col source="type" label="Type" render={typeLabel} />
      {desk ? <DataTable.Col source="companyName" label="Company" disableSort /> : null}
      <DataTable.Col source="status" label="Status">
        <StatusChip />
      </DataTable.Col>
      <DataTable.Col source="serial" label="Serial" disableSort>
        <TextField source="serial" emptyText="—" />
      </DataTable.Col>
      <DataTable.Col source="createdAt" label="Submitted">
        <DateField source="createdAt" showTime />
      </DataTable.Col>
      {desk ? (
        <DataTable.Col source="dueAt" label="Due">
          <Overdue />
        </DataTable.Col>
      ) : null}
    </DataTable>
  );
}

export function RequestList() {
  const { isDesk, isPending } = useMe();
  if (isPending) return null;
  const tabs = isDesk ? DESK_TABS : PARTNER_TABS;
  return (
    <List
      title={isDesk ? 'Queues' : 'My requests'}
      filters={isDesk ? deskRequestFilters : partnerRequestFilters}
      filterDefaultValues={tabs[0]!.filter}
      sort={{ field: 'createdAt', order: 'DESC' }}
      perPage={25}
      empty={false}
      actions={<TopToolbar>{isDesk ? null : <CreateButton label="New request" />}</TopToolbar>}
    >
      <FilterTabs tabs={tabs} resource="requests" />
      <RequestTable desk={isDesk} />
    </List>
  );
}
