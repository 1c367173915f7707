import { Box, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { CreateButton, DataTable, DateField, FunctionField, List, SimpleList, TopToolbar, useDataProvider, useListContext, type RaRecord } from 'react-admin';
import { slaStanding, type SlaStanding } from '../../../domain/desk-sla.ts';
import { EmptyState } from '../common/EmptyState.tsx';
import { FilterTabs, type FilterTab } from '../common/FilterTabs.tsx';
import { REQUEST_TYPE_LABELS, requestReference, useLabel, type RequestType } from '../common/labels.ts';
import { useSmallScreen } from '../common/responsive.ts';
import { StatusChip } from '../common/StatusChip.tsx';
import { useMe } from '../common/useMe.ts';
import type { LicenseDeskDataProvider } from '../dataProvider.ts';
import { deskRequestFilters, partnerRequestFilters } from './RequestFilters.tsx';
import { formatDay, formatDateTime } from '../common/dates';

/** Desk queues: the statuses a desk agent works through, every waiting state with its own tab. */
export const DESK_TABS: FilterTab[] = [
  { id: 'pending', label: 'To decide', filter: { status: 'PENDING_APPROVAL', open: undefined } },
  { id: 'open', label: 'All open', filter: { status: undefined, open: true } },
  { id: 'partner', label: 'Waiting for partner', filter: { status: 'WAITING_FOR_PARTNER', open: undefined } },
  { id: 'consent', label: 'Waiting for consent', filter: { status: 'WAITING_FOR_CONSENT', open: undefined } },
  { id: 'file', label: 'Waiting for file', filter: { status: 'WAITING_FOR_FILE', open: undefined } },
  { id: 'rma', label: 'Waiting for returned hardware', filter: { status: 'WAITING_FOR_RMA', open: undefined } },
  { id: 'confirm', label: 'Waiting for return confirmation', filter: { status: 'WAITING_CONFIRM', open: undefined } },
  { id: 'office-hours', label: 'Waiting for office hours', filter: { status: 'WAITING_FOR_OFFICE_HOURS', open: undefined } },
  { id: 'processing', label: 'Processing', filter: { status: 'PROCESSING', open: undefined } },
  { id: 'failed', label: 'Failed', filter: { status: 'FAILED', open: undefined } },
  { id: 'completed', label: 'Completed', filter: { status: 'COMPLETED', open: undefined } },
  { id: 'rejected', label: 'Rejected', filter: { status: 'REJECTED', open: undefined } },
  { id: 'cancelled', label: 'Cancelled', filter: { status: 'CANCELLED', open: undefined } },
  { id: 'expired', label: 'Expired', filter: { status: 'EXPIRED', open: undefined } },
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
  { id: 'rejected', label: 'Rejected', filter: { status: 'REJECTED', open: undefined } },
  { id: 'cancelled', label: 'Cancelled', filter: { status: 'CANCELLED', open: undefined } },
];

/** All tabs' counts in one request (GET /api/requests/counts), under the list's other filters. */
function tabCountsOf(tabs: FilterTab[]) {
  return (rest: Record<string, unknown>) => {
    const dataProvider = useDataProvider<LicenseDeskDataProvider>();
    const { data } = useQuery({ queryKey: ['requests', 'counts', rest], queryFn: () => dataProvider.requestCounts(rest) });
    if (!data) return undefined;
    return Object.fromEntries(
      tabs.map((tab) => {
        const status = tab.filter.status as string | undefined;
        return [tab.id, status ? data.byStatus[status] : tab.filter.open ? data.open : data.total];
      }),
    );
  };
}
const useDeskCounts = tabCountsOf(DESK_TABS);
const usePartnerCounts = tabCountsOf(PARTNER_TABS);

const reference = (r: RaRecord) => requestReference(r.number as number);
const typeLabel = (r: RaRecord) => REQUEST_TYPE_LABELS[r.type as RequestType] ?? r.type;

/** "45 min", "5 h", "3 d": how long the request has waited, or took until the decision. */
function ageOf(r: RaRecord, now = Date.now()) {
  const start = new Date((r.submittedAt ?? r.createdAt) as string).getTime();
  const end = r.decidedAt ? new Date(r.decidedAt as string).getTime() : now;
  const minutes = Math.max(0, Math.round((end - start) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)} h`;
  return `${Math.floor(minutes / 1440)} d`;
}

const SLA_LOOK: Record<SlaStanding, { color: string; words: string }> = {
  none: { color: 'text.secondary', words: '' },
  'on-time': { color: 'success.dark', words: 'on time' },
  'due-soon': { color: 'warning.dark', words: 'due soon' },
  breached: { color: 'error.main', words: 'SLA breached' },
  met: { color: 'text.secondary', words: 'met' },
  missed: { color: 'error.main', words: 'missed' },
};

/** The due time coloured by its SLA standing (domain/desk-sla.ts), in words too, not by colour alone. */
function Due({ record }: { record: RaRecord }) {
  if (!record.dueAt) return <>—</>;
  const standing = slaStanding({ dueAt: record.dueAt as string, decidedAt: record.decidedAt as string | null });
  const look = SLA_LOOK[standing];
  return (
    <Box component="span" data-sla={standing} sx={{ color: look.color, fontWeight: standing === 'breached' || standing === 'due-soon' ? 600 : 400 }}>
      {formatDateTime(record.dueAt)}
      {look.words ? (
        <Box component="span" sx={{ display: 'block', fontSize: 12 }}>
          {look.words}
        </Box>
      ) : null}
    </Box>
  );
}

/** The reference, with the serial the request is about under it. */
function Reference({ record }: { record: RaRecord }) {
  return (
    <>
      <Box component="span" sx={{ fontWeight: 600, whiteSpace: 'nowrap' }}>
        {reference(record)}
      </Box>
      {record.serial ? (
        <Typography component="span" variant="caption" sx={{ display: 'block', fontFamily: 'monospace', color: 'text.secondary' }}>
          {record.serial as string}
        </Typography>
      ) : null}
    </>
  );
}

function RequestTable({ desk }: { desk: boolean }) {
  const small = useSmallScreen();
  const label = useLabel();
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
    // Two lines: what and where it stands; then whose and for whom, and how long it has waited.
    return (
      <SimpleList
        primaryText={(r) => `${reference(r)} · ${typeLabel(r)}`}
        secondaryText={(r) =>
          [label('request_status', r.status as string), desk ? (r.companyName as string) : undefined, r.endUserCompany as string | undefined]
            .filter(Boolean)
            .join(' · ')
        }
        tertiaryText={(r) => (desk && r.dueAt ? <Due record={r} /> : formatDay(r.createdAt))}
        linkType="show"
        sx={{ '& .MuiListItemText-root, & .MuiListItemText-primary, & .MuiListItemText-secondary': { whiteSpace: 'normal', overflowWrap: 'anywhere' } }}
      />
    );
  }
  return (
    <DataTable rowClick="show" bulkActionButtons={false}>
      <DataTable.Col source="number" label="Reference">
        <FunctionField render={(r: RaRecord) => <Reference record={r} />} />
      </DataTable.Col>
      <DataTable.Col source="type" label="Type" render={typeLabel} />
      {desk ? <DataTable.Col source="companyName" label="Company" disableSort /> : null}
      <DataTable.Col source="endUserCompany" label="End user" disableSort render={(r: RaRecord) => (r.endUserCompany as string) ?? '—'} />
      <DataTable.Col source="productName" label="Product" disableSort render={(r: RaRecord) => (r.productName as string) ?? '—'} />
      <DataTable.NumberCol source="channels" label="Channels" disableSort />
      <DataTable.Col source="status" label="Status">
        <StatusChip />
      </DataTable.Col>
      {desk ? <DataTable.Col source="assigneeName" label="Assignee" disableSort render={(r: RaRecord) => (r.assigneeName as string) ?? 'Nobody'} /> : null}
      {desk ? (
        <DataTable.Col
          source="submittedAt"
          label="Age"
          render={(r: RaRecord) => <span title={formatDateTime(r.submittedAt ?? r.createdAt)}>{ageOf(r)}</span>}
        />
      ) : (
        <DataTable.Col source="createdAt" label="Submitted">
          <DateField source="createdAt" showTime />
        </DataTable.Col>
      )}
      {desk ? <DataTable.Col source="dueAt" label="Due" render={(r: RaRecord) => <Due record={r} />} /> : null}
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
      <FilterTabs tabs={tabs} resource="requests" useCounts={isDesk ? useDeskCounts : usePartnerCounts} />
      <RequestTable desk={isDesk} />
    </List>
  );
}
