import { Box, Typography } from '@mui/material';
import SendIcon from '@mui/icons-material/Send';
import { Link } from 'react-router-dom';
import {
  DataTable,
  List,
  SelectInput,
  Show,
  SimpleList,
  TopToolbar,
  useCanAccess,
  useDataProvider,
  useRecordContext,
  useTranslate,
  type RaRecord,
} from 'react-admin';
import { DateField } from '../common/DateField.tsx';
import { ActionDialog } from '../common/ActionDialog.tsx';
import { EmptyState } from '../common/EmptyState.tsx';
import { Facts, Section } from '../common/Section.tsx';
import { SearchBox } from '../common/SearchBox.tsx';
import { StatusChip } from '../common/StatusChip.tsx';
import type { LicenseDeskDataProvider } from '../dataProvider.ts';
import { formatDateTime, formatNumber } from '../common/formats.ts';
import { useLabel } from '../common/labels.ts';
import { useSmallScreen } from '../common/responsive.ts';

/** The statuses of an e-mail; their words are ld.status.* (StatusChip's too). */
const statusChoices = ['PENDING', 'SENT', 'FAILED'].map((id) => ({ id, name: `ld.status.${id}` }));
const filters = [
  <SearchBox key="q" source="q" alwaysOn placeholder="ld.outbox.search" />,
  <SelectInput key="status" source="status" label="ld.outbox.status" choices={statusChoices} alwaysOn />,
];

const recipients = (r: RaRecord) => (Array.isArray(r.to) ? (r.to as string[]).join(', ') : (r.to as string));

function NoEmails() {
  const translate = useTranslate();
  return <EmptyState title={translate('ld.outbox.none')} hint={translate('ld.outbox.none_hint')} />;
}

export function OutboxList() {
  const small = useSmallScreen();
  const translate = useTranslate();
  const label = useLabel();
  return (
    <List title={translate('ld.outbox.title')} filters={filters} sort={{ field: 'createdAt', order: 'DESC' }} empty={false}>
      {small ? (
        <SimpleList
          primaryText={(r) => r.subject as string}
          secondaryText={recipients}
          tertiaryText={(r) => `${label('status', r.status as string)} · ${formatDateTime(r.createdAt)}`}
          linkType="show"
          empty={<NoEmails />}
        />
      ) : (
        <DataTable rowClick="show" bulkActionButtons={false} empty={<NoEmails />}>
          <DataTable.Col source="createdAt" label="ld.outbox.created">
            <DateField source="createdAt" showTime />
          </DataTable.Col>
          <DataTable.Col source="to" label="ld.outbox.to" disableSort render={recipients} />
          <DataTable.Col source="subject" label="ld.outbox.subject" disableSort />
          <DataTable.Col source="status" label="ld.outbox.status">
            <StatusChip kind="plain" />
          </DataTable.Col>
          <DataTable.Col source="attempts" label="ld.outbox.attempts" disableSort align="right" render={(r: RaRecord) => formatNumber(r.attempts)} />
          <DataTable.Col source="sentAt" label="ld.outbox.sent">
            <DateField source="sentAt" showTime emptyText="ld.common.none" />
          </DataTable.Col>
        </DataTable>
      )}
    </List>
  );
}

function ResendButton() {
  const record = useRecordContext();
  const translate = useTranslate();
  const dataProvider = useDataProvider<LicenseDeskDataProvider>();
  const { canAccess } = useCanAccess({ resource: 'outbox', action: 'resend' });
  if (!record || !canAccess) return null;
  return (
    <ActionDialog
      label={translate('ld.outbox.resend')}
      title={translate('ld.outbox.resend_title')}
      description={translate('ld.outbox.resend_description', { to: recipients(record) })}
      variant="contained"
      icon={<SendIcon />}
      successMessage={translate('ld.outbox.resent')}
      run={() => dataProvider.resendEmail(record.id)}
    />
  );
}

function OutboxDetail() {
  const record = useRecordContext();
  const translate = useTranslate();
  if (!record) return null;
  return (
    <Box sx={{ mt: 1 }}>
      <Section title={(record.subject as string) ?? translate('ld.outbox.email')} action={<StatusChip kind="plain" />}>
        <Facts
          items={[
            [translate('ld.outbox.to'), recipients(record)],
            [translate('ld.outbox.created'), formatDateTime(record.createdAt)],
            [translate('ld.outbox.sent'), record.sentAt ? formatDateTime(record.sentAt) : translate('ld.common.not_yet')],
            [translate('ld.outbox.attempts'), formatNumber(record.attempts ?? 0)],
            [translate('ld.outbox.last_error'), (record.lastError as string) ?? '—'],
            [
              translate('ld.outbox.request'),
              record.requestId ? (
                <Link key="r" to={`/requests/${record.requestId as string}/show`}>
                  {translate('ld.outbox.open_request')}
                </Link>
              ) : (
                '—'
              ),
            ],
          ]}
        />
      </Section>
      <Section title={translate('ld.outbox.message')}>
        {record.html ? (
          <Box
            component="iframe"
            title={translate('ld.outbox.message_body')}
            sandbox=""
            srcDoc={record.html as string}
            sx={{ width: '100%', minHeight: 420, border: '1px solid', borderColor: 'divider', borderRadius: 1, bgcolor: '#fff' }}
          />
        ) : (
          <Typography component="pre" sx={{ whiteSpace: 'pre-wrap', fontFamily: 'inherit', m: 0 }}>
            {(record.text as string) ?? translate('ld.outbox.no_body')}
          </Typography>
        )}
      </Section>
    </Box>
  );
}

export function OutboxShow() {
  const translate = useTranslate();
  return (
    <Show
      component="div"
      actions={
        <TopToolbar>
          <ResendButton />
        </TopToolbar>
      }
      title={translate('ld.outbox.email')}
    >
      <OutboxDetail />
    </Show>
  );
}
