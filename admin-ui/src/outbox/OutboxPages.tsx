import { Box, Typography } from '@mui/material';
import SendIcon from '@mui/icons-material/Send';
import { Link } from 'react-router-dom';
import {
  DataTable,
  List,
  SearchInput,
  SelectInput,
  Show,
  SimpleList,
  TopToolbar,
  useCanAccess,
  useDataProvider,
  useRecordContext,
  type RaRecord,
} from 'react-admin';
import { DateField } from '../common/DateField.tsx';
import { ActionDialog } from '../common/ActionDialog.tsx';
import { EmptyState } from '../common/EmptyState.tsx';
import { Facts, Section } from '../common/Section.tsx';
import { StatusChip } from '../common/StatusChip.tsx';
import type { LicenseDeskDataProvider } from '../dataProvider.ts';
import { formatDateTime } from '../common/dates';
import { useSmallScreen } from '../common/responsive.ts';

const statusChoices = [
  { id: 'PENDING', name: 'Pending' },
  { id: 'SENT', name: 'Sent' },
  { id: 'FAILED', name: 'Failed' },
];
const filters = [
  <SearchInput key="q" source="q" alwaysOn placeholder="Recipient or subject" />,
  <SelectInput key="status" source="status" label="Status" choices={statusChoices} alwaysOn />,
];

const recipients = (r: RaRecord) => (Array.isArray(r.to) ? (r.to as string[]).join(', ') : (r.to as string));
const STATUS_NAMES = Object.fromEntries(statusChoices.map((c) => [c.id, c.name]));

export function OutboxList() {
  const small = useSmallScreen();
  return (
    <List title="E-mail outbox" filters={filters} sort={{ field: 'createdAt', order: 'DESC' }} empty={false}>
      {small ? (
        <SimpleList
          primaryText={(r) => r.subject as string}
          secondaryText={recipients}
          tertiaryText={(r) => `${STATUS_NAMES[r.status as string] ?? (r.status as string)} · ${formatDateTime(r.createdAt)}`}
          linkType="show"
          empty={<EmptyState title="No e-mails" hint="Every message the system sends is recorded here first." />}
        />
      ) : (
        <DataTable
          rowClick="show"
          bulkActionButtons={false}
          empty={<EmptyState title="No e-mails" hint="Every message the system sends is recorded here first." />}
        >
          <DataTable.Col source="createdAt" label="Created">
            <DateField source="createdAt" showTime />
          </DataTable.Col>
          <DataTable.Col
            source="to"
            label="To"
            disableSort
            render={(r: RaRecord) => (Array.isArray(r.to) ? (r.to as string[]).join(', ') : (r.to as string))}
          />
          <DataTable.Col source="subject" label="Subject" disableSort />
          <DataTable.Col source="status" label="Status">
            <StatusChip kind="plain" />
          </DataTable.Col>
          <DataTable.NumberCol source="attempts" label="Attempts" disableSort />
          <DataTable.Col source="sentAt" label="Sent">
            <DateField source="sentAt" showTime emptyText="—" />
          </DataTable.Col>
        </DataTable>
      )}
    </List>
  );
}

function ResendButton() {
  const record = useRecordContext();
  const dataProvider = useDataProvider<LicenseDeskDataProvider>();
  const { canAccess } = useCanAccess({ resource: 'outbox', action: 'resend' });
  if (!record || !canAccess) return null;
  return (
    <ActionDialog
      label="Resend"
      title="Send this e-mail again"
      description={`A new copy goes to ${Array.isArray(record.to) ? (record.to as string[]).join(', ') : String(record.to)}.`}
      variant="contained"
      icon={<SendIcon />}
      successMessage="The e-mail is queued to be sent again."
      run={() => dataProvider.resendEmail(record.id)}
    />
  );
}

function OutboxDetail() {
  const record = useRecordContext();
  if (!record) return null;
  return (
    <Box sx={{ mt: 1 }}>
      <Section title={(record.subject as string) ?? 'E-mail'} action={<StatusChip kind="plain" />}>
        <Facts
          items={[
            ['To', Array.isArray(record.to) ? (record.to as string[]).join(', ') : (record.to as string)],
            ['Created', formatDateTime(record.createdAt)],
            ['Sent', record.sentAt ? formatDateTime(record.sentAt) : 'Not yet'],
            ['Attempts', String(record.attempts ?? 0)],
            ['Last error', (record.lastError as string) ?? '—'],
            [
              'Request',
              record.requestId ? (
                <Link key="r" to={`/requests/${record.requestId as string}/show`}>
                  Open the request
                </Link>
              ) : (
                '—'
              ),
            ],
          ]}
        />
      </Section>
      <Section title="Message">
        {record.html ? (
          <Box
            component="iframe"
            title="Message body"
            sandbox=""
            srcDoc={record.html as string}
            sx={{ width: '100%', minHeight: 420, border: '1px solid', borderColor: 'divider', borderRadius: 1, bgcolor: '#fff' }}
          />
        ) : (
          <Typography component="pre" sx={{ whiteSpace: 'pre-wrap', fontFamily: 'inherit', m: 0 }}>
            {(record.text as string) ?? 'No body stored.'}
          </Typography>
        )}
      </Section>
    </Box>
  );
}

export function OutboxShow() {
  return (
    <Show
      component="div"
      actions={
        <TopToolbar>
          <ResendButton />
        </TopToolbar>
      }
      title="E-mail"
    >
      <OutboxDetail />
    </Show>
  );
}
