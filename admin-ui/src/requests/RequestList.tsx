import { Box, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import {
  CreateButton,
  DataTable,
  FilterButton,
  FunctionField,
  List,
  SimpleList,
  TopToolbar,
  useDataProvider,
  useListContext,
  useTranslate,
  type RaRecord,
} from 'react-admin';
import { slaStanding, type SlaStanding } from '../../../domain/desk-sla.ts';
import { EmptyState } from '../common/EmptyState.tsx';
import { FilterTabs, type FilterTab } from '../common/FilterTabs.tsx';
import { requestReference, useLabel } from '../common/labels.ts';
import { useSmallScreen } from '../common/responsive.ts';
import { StatusChip } from '../common/StatusChip.tsx';
import { useMe } from '../common/useMe.ts';
import type { LicenseDeskDataProvider } from '../dataProvider.ts';
import { deskRequestFilters, partnerRequestFilters } from './RequestFilters.tsx';
import { formatDate, formatDateTime, formatNumber } from '../common/formats.ts';

/** Desk queues: the statuses a desk agent works through, every waiting state with its own tab. */
export const DESK_TABS: FilterTab[] = [
  { id: 'pending', label: 'ld.tabs.pending', filter: { status: 'PENDING_APPROVAL', open: undefined } },
  { id: 'open', label: 'ld.tabs.all_open', filter: { status: undefined, open: true } },
  { id: 'partner', label: 'ld.tabs.partner', filter: { status: 'WAITING_FOR_PARTNER', open: undefined } },
  { id: 'consent', label: 'ld.tabs.consent', filter: { status: 'WAITING_FOR_CONSENT', open: undefined } },
  { id: 'file', label: 'ld.tabs.file', filter: { status: 'WAITING_FOR_FILE', open: undefined } },
  { id: 'rma', label: 'ld.tabs.rma', filter: { status: 'WAITING_FOR_RMA', open: undefined } },
  { id: 'confirm', label: 'ld.tabs.confirm', filter: { status: 'WAITING_CONFIRM', open: undefined } },
  { id: 'office-hours', label: 'ld.tabs.office_hours', filter: { status: 'WAITING_FOR_OFFICE_HOURS', open: undefined } },
  { id: 'processing', label: 'ld.tabs.processing', filter: { status: 'PROCESSING', open: undefined } },
  { id: 'failed', label: 'ld.tabs.failed', filter: { status: 'FAILED', open: undefined } },
  { id: 'completed', label: 'ld.tabs.completed', filter: { status: 'COMPLETED', open: undefined } },
  { id: 'rejected', label: 'ld.tabs.rejected', filter: { status: 'REJECTED', open: undefined } },
  { id: 'cancelled', label: 'ld.tabs.cancelled', filter: { status: 'CANCELLED', open: undefined } },
  { id: 'expired', label: 'ld.tabs.expired', filter: { status: 'EXPIRED', open: undefined } },
];

/** A partner's view: everything, what waits for them, what is done. */
export const PARTNER_TABS: FilterTab[] = [
  { id: 'all', label: 'ld.tabs.all', filter: { status: undefined, open: undefined } },
  { id: 'open', label: 'ld.tabs.open', filter: { status: undefined, open: true } },
  { id: 'pending', label: 'ld.tabs.pending_approval', filter: { status: 'PENDING_APPROVAL', open: undefined } },
  { id: 'info', label: 'ld.tabs.info', filter: { status: 'WAITING_FOR_PARTNER', open: undefined } },
  { id: 'consent', label: 'ld.tabs.consent_needed', filter: { status: 'WAITING_FOR_CONSENT', open: undefined } },
  { id: 'confirm', label: 'ld.tabs.return_to_confirm', filter: { status: 'WAITING_CONFIRM', open: undefined } },
  { id: 'completed', label: 'ld.tabs.completed', filter: { status: 'COMPLETED', open: undefined } },
  { id: 'rejected', label: 'ld.tabs.rejected', filter: { status: 'REJECTED', open: undefined } },
  { id: 'cancelled', label: 'ld.tabs.cancelled', filter: { status: 'CANCELLED', open: undefined } },
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

/** "45 min", "5 h", "3 d": how long the request has waited, or took until the decision. */
function ageOf(r: RaRecord, translate: (key: string, options?: object) => string, now = Date.now()) {
  const start = new Date((r.submittedAt ?? r.createdAt) as string).getTime();
  const end = r.decidedAt ? new Date(r.decidedAt as string).getTime() : now;
  const minutes = Math.max(0, Math.round((end - start) / 60_000));
  if (minutes < 60) return translate('ld.list.minutes', { n: minutes });
  if (minutes < 48 * 60) return translate('ld.list.hours', { n: Math.floor(minutes / 60) });
  return translate('ld.list.days', { n: Math.floor(minutes / 1440) });
}

const SLA_LOOK: Record<SlaStanding, { color: string; words: string }> = {
  none: { color: 'text.secondary', words: '' },
  'on-time': { color: 'success.dark', words: 'ld.list.on_time' },
  'due-soon': { color: 'warning.dark', words: 'ld.list.due_soon' },
  breached: { color: 'error.main', words: 'ld.list.sla_breached' },
  met: { color: 'text.secondary', words: 'ld.list.met' },
  missed: { color: 'error.main', words: 'ld.list.missed' },
};

/** The due time coloured by its SLA standing (domain/desk-sla.ts), in words too, not by colour alone. */
function Due({ record }: { record: RaRecord }) {
  const translate = useTranslate();
  if (!record.dueAt) return <>—</>;
  const standing = slaStanding({ dueAt: record.dueAt as string, decidedAt: record.decidedAt as string | null });
  const look = SLA_LOOK[standing];
  return (
    <Box component="span" data-sla={standing} sx={{ color: look.color, fontWeight: standing === 'breached' || standing === 'due-soon' ? 600 : 400 }}>
      {formatDateTime(record.dueAt)}
      {look.words ? (
        <Box component="span" sx={{ display: 'block', fontSize: 12 }}>
          {translate(look.words)}
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
  const translate = useTranslate();
  const { data, isPending } = useListContext();
  if (!isPending && data?.length === 0) {
    return <EmptyState title={translate('ld.list.no_requests')} hint={translate(desk ? 'ld.list.desk_hint' : 'ld.list.partner_hint')} />;
  }
  if (small) {
    // Two lines: what and where it stands; then whose and for whom, and how long it has waited.
    return (
      <SimpleList
        primaryText={(r) => `${reference(r)} · ${label('request_type', r.type as string)}`}
        secondaryText={(r) =>
          [label('request_status', r.status as string), desk ? (r.companyName as string) : undefined, r.endUserCompany as string | undefined]
            .filter(Boolean)
            .join(' · ')
        }
        tertiaryText={(r) => (desk && r.dueAt ? <Due record={r} /> : formatDate(r.createdAt))}
        linkType="show"
        sx={{ '& .MuiListItemText-root, & .MuiListItemText-primary, & .MuiListItemText-secondary': { whiteSpace: 'normal', overflowWrap: 'anywhere' } }}
      />
    );
  }
  return (
    <DataTable rowClick="show" bulkActionButtons={false}>
      <DataTable.Col source="number" label="ld.list.reference">
        <FunctionField render={(r: RaRecord) => <Reference record={r} />} />
      </DataTable.Col>
      <DataTable.Col source="type" label="ld.list.type" render={(r: RaRecord) => label('request_type', r.type as string)} />
      {desk ? <DataTable.Col source="companyName" label="ld.list.company" disableSort /> : null}
      <DataTable.Col source="endUserCompany" label="ld.list.end_user" disableSort render={(r: RaRecord) => (r.endUserCompany as string) ?? '—'} />
      <DataTable.Col source="productName" label="ld.list.product" disableSort render={(r: RaRecord) => (r.productName as string) ?? '—'} />
      <DataTable.Col source="channels" label="ld.list.channels" disableSort align="right" render={(r: RaRecord) => formatNumber(r.channels)} />
      <DataTable.Col source="status" label="ld.list.status">
        <StatusChip />
      </DataTable.Col>
      {desk ? (
        <DataTable.Col
          source="assigneeName"
          label="ld.list.assignee"
          disableSort
          render={(r: RaRecord) => (r.assigneeName as string) ?? translate('ld.common.nobody')}
        />
      ) : null}
      {desk ? (
        <DataTable.Col
          source="submittedAt"
          label="ld.list.age"
          render={(r: RaRecord) => <span title={formatDateTime(r.submittedAt ?? r.createdAt)}>{ageOf(r, translate)}</span>}
        />
      ) : (
        <DataTable.Col source="createdAt" label="ld.list.submitted" render={(r: RaRecord) => formatDateTime(r.createdAt)} />
      )}
      {desk ? <DataTable.Col source="dueAt" label="ld.list.due" render={(r: RaRecord) => <Due record={r} />} /> : null}
    </DataTable>
  );
}

export function RequestList() {
  const { isDesk, isPending } = useMe();
  const translate = useTranslate();
  if (isPending) return null;
  const tabs = isDesk ? DESK_TABS : PARTNER_TABS;
  return (
    <List
      title={translate(isDesk ? 'ld.list.queues' : 'ld.list.my_requests')}
      filters={isDesk ? deskRequestFilters : partnerRequestFilters}
      filterDefaultValues={tabs[0]!.filter}
      sort={{ field: 'createdAt', order: 'DESC' }}
      perPage={25}
      empty={false}
      actions={
        // The desk's other filters (company, assignee) come from "Add filter"; a partner creates. On a
        // phone the create button floats (react-admin's), so the toolbar takes no height of its own.
        <TopToolbar sx={(theme) => ({ [theme.breakpoints.down('sm')]: { minHeight: 0 } })}>
          {isDesk ? <FilterButton /> : <CreateButton label="ld.list.new_request" />}
        </TopToolbar>
      }
    >
      <FilterTabs tabs={tabs} resource="requests" useCounts={isDesk ? useDeskCounts : usePartnerCounts} />
      <RequestTable desk={isDesk} />
    </List>
  );
}
