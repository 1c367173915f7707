import { Box, Button } from '@mui/material';
import { Link } from 'react-router-dom';
import SwapIcon from '@mui/icons-material/SwitchAccount';
import { useMutation } from '@tanstack/react-query';
import {
  AutocompleteInput,
  BooleanField,
  Create,
  DataTable,
  Edit,
  EditButton,
  List,
  ReferenceInput,
  SelectInput,
  Show,
  SimpleForm,
  SimpleList,
  TopToolbar,
  TextInput,
  email,
  required,
  useCanAccess,
  useDataProvider,
  useNotify,
  useRecordContext,
  useTranslate,
  type RaRecord,
} from 'react-admin';
import { DateField } from '../common/DateField.tsx';
import { EmptyState } from '../common/EmptyState.tsx';
import { requestReference, roleChoices, useLabel } from '../common/labels.ts';
import { RelatedList } from '../common/RelatedList.tsx';
import { useSmallScreen } from '../common/responsive.ts';
import { Facts, Section } from '../common/Section.tsx';
import { useMe } from '../common/useMe.ts';
import { loadMe } from '../authProvider.ts';
import { errorMessage, type LicenseDeskDataProvider } from '../dataProvider.ts';
import { formatDateTime } from '../common/formats.ts';
import { SearchBox } from '../common/SearchBox.tsx';

const PARTNER_ROLES = roleChoices.filter((r) => r.id.startsWith('PARTNER'));

/** Desk admins act as a partner user to see what they see; the timeline records who really acted. */
function ImpersonateButton() {
  const record = useRecordContext();
  const dataProvider = useDataProvider<LicenseDeskDataProvider>();
  const notify = useNotify();
  const translate = useTranslate();
  const { canAccess } = useCanAccess({ resource: 'users', action: 'impersonate' });
  const mutation = useMutation({
    mutationFn: () => dataProvider.impersonate(record!.id),
    onSuccess: async () => {
      await loadMe(true);
      window.location.replace('#/');
      window.location.reload();
    },
    onError: (e) => notify(errorMessage(e), { type: 'error' }),
  });
  if (!canAccess || !record || !(record.role as string)?.startsWith('PARTNER')) return null;
  return (
    <Button
      size="small"
      startIcon={<SwapIcon />}
      sx={{ whiteSpace: 'nowrap', flexShrink: 0 }}
      onClick={(e) => {
        e.stopPropagation();
        mutation.mutate();
      }}
      disabled={mutation.isPending}
    >
      {translate('ld.users.act_as')}
    </Button>
  );
}

/** On a phone, a user in two lines: name and role, then e-mail, company and last login. */
function UserRows({ desk }: { desk: boolean }) {
  const translate = useTranslate();
  const label = useLabel();
  return (
    <SimpleList
      primaryText={(r) => r.name as string}
      tertiaryText={(r) => (r.active ? label('role', r.role as string) : translate('ld.users.role_inactive', { role: label('role', r.role as string) }))}
      secondaryText={(r) =>
        [
          r.email as string,
          desk ? (r.companyName as string) : undefined,
          r.lastLoginAt ? translate('ld.users.last_login_at', { when: formatDateTime(r.lastLoginAt) }) : translate('ld.users.last_login_never'),
        ]
          .filter(Boolean)
          .join(' · ')
      }
      linkType="show"
      empty={<EmptyState title={translate('ld.users.no_match')} />}
    />
  );
}

export function UserList() {
  const { isDesk, isPending } = useMe();
  const small = useSmallScreen();
  const translate = useTranslate();
  const label = useLabel();
  if (isPending) return null;
  const filters = [
    <SearchBox key="q" source="q" alwaysOn placeholder="ld.users.search" />,
    <SelectInput key="role" source="role" choices={isDesk ? roleChoices : PARTNER_ROLES} />,
    ...(isDesk
      ? [
          <ReferenceInput key="companyId" source="companyId" reference="companies" sort={{ field: 'name', order: 'ASC' }} alwaysOn>
            <AutocompleteInput optionText="name" filterToQuery={(q) => ({ q })} />
          </ReferenceInput>,
        ]
      : []),
  ];
  return (
    <List title={translate(isDesk ? 'ld.users.users' : 'ld.users.company_users')} filters={filters} sort={{ field: 'name', order: 'ASC' }} empty={false}>
      {small ? (
        <UserRows desk={isDesk} />
      ) : (
        <DataTable rowClick="show" bulkActionButtons={false} empty={<EmptyState title={translate('ld.users.no_match')} />}>
          <DataTable.Col source="name" />
          <DataTable.Col source="email" />
          <DataTable.Col source="role" render={(r: RaRecord) => label('role', r.role as string)} />
          {isDesk ? <DataTable.Col source="companyName" disableSort /> : null}
          <DataTable.Col source="active" disableSort>
            <BooleanField source="active" />
          </DataTable.Col>
          <DataTable.Col source="lastLoginAt">
            <DateField source="lastLoginAt" showTime emptyText="ld.common.never" />
          </DataTable.Col>
          {isDesk ? (
            <DataTable.Col label="" disableSort>
              <ImpersonateButton />
            </DataTable.Col>
          ) : null}
        </DataTable>
      )}
    </List>
  );
}

function UserForm({ creating }: { creating?: boolean }) {
  const { isDesk, me } = useMe();
  return (
    <SimpleForm sx={{ maxWidth: 640 }} defaultValues={creating && !isDesk && me ? { companyId: me.companyId, role: 'PARTNER_USER' } : undefined}>
      <TextInput source="name" validate={required()} fullWidth />
      <TextInput source="email" type="email" validate={[required(), email()]} fullWidth helperText={creating ? 'ld.users.email_helper' : false} />
      <SelectInput source="role" choices={isDesk ? roleChoices : PARTNER_ROLES} validate={required()} />
      {isDesk ? (
        <ReferenceInput source="companyId" reference="companies" sort={{ field: 'name', order: 'ASC' }}>
          <AutocompleteInput optionText="name" filterToQuery={(q) => ({ q })} validate={required()} />
        </ReferenceInput>
      ) : null}
    </SimpleForm>
  );
}

export const UserEdit = () => (
  // "Act as" is here too: on a phone the list has no column for it.
  <Edit
    mutationMode="pessimistic"
    redirect="show"
    actions={
      <TopToolbar>
        <ImpersonateButton />
      </TopToolbar>
    }
  >
    <UserForm />
  </Edit>
);
export const UserCreate = () => (
  <Create redirect="show" title="ld.users.invite">
    <UserForm creating />
  </Create>
);

function UserDetail() {
  const record = useRecordContext();
  const { isDesk } = useMe();
  const translate = useTranslate();
  const label = useLabel();
  if (!record) return null;
  const field = (name: string) => translate(`resources.users.fields.${name}`);
  const requestLine = (r: RaRecord) => `${requestReference(r.number as number)} · ${label('request_type', r.type as string)}`;
  const requestStatusLine = (r: RaRecord) => `${label('request_status', r.status as string)} · ${r.companyName as string} · ${formatDateTime(r.createdAt)}`;
  const deskUser = (record.role as string).startsWith('DESK');
  const requestsLink = (filter: Record<string, unknown>) => `/requests?filter=${encodeURIComponent(JSON.stringify(filter))}`;
  return (
    <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: '1fr 1fr' }, gap: 2, alignItems: 'start', mt: 1, minWidth: 0 }}>
      <Section title={translate('ld.users.user')}>
        <Facts
          items={[
            [field('name'), record.name as string],
            [field('email'), record.email as string],
            [field('role'), label('role', record.role as string)],
            [
              field('companyId'),
              isDesk ? <Link to={`/companies/${record.companyId as string}/show`}>{record.companyName as string}</Link> : (record.companyName as string),
            ],
            [field('active'), translate(record.active ? 'ld.common.yes' : 'ld.users.active_no')],
            [field('lastLoginAt'), record.lastLoginAt ? formatDateTime(record.lastLoginAt) : translate('ld.common.never')],
            [field('createdAt'), formatDateTime(record.createdAt)],
          ]}
        />
      </Section>
      {deskUser ? (
        <RelatedList
          title="ld.users.requests_assigned"
          reference="requests"
          target="assigneeId"
          sort={{ field: 'createdAt', order: 'DESC' }}
          seeAll={requestsLink({ assigneeId: record.id })}
          empty="ld.users.no_assigned"
          primaryText={requestLine}
          secondaryText={requestStatusLine}
        />
      ) : (
        <RelatedList
          title="ld.users.requests_submitted"
          reference="requests"
          target="requesterId"
          sort={{ field: 'createdAt', order: 'DESC' }}
          seeAll={requestsLink({ companyId: record.companyId })}
          empty="ld.users.no_submitted"
          primaryText={requestLine}
          secondaryText={requestStatusLine}
        />
      )}
    </Box>
  );
}

function UserTitle() {
  const record = useRecordContext();
  const translate = useTranslate();
  return <>{(record?.name as string) ?? translate('ld.users.user')}</>;
}

function UserShowActions() {
  const { canAccess: canEdit } = useCanAccess({ resource: 'users', action: 'edit' });
  return (
    <TopToolbar>
      <ImpersonateButton />
      {canEdit ? <EditButton /> : null}
    </TopToolbar>
  );
}

/** A user's page: who they are, and the requests they submitted (a desk user: those assigned to them); edit behind a button. */
export const UserShow = () => (
  <Show title={<UserTitle />} actions={<UserShowActions />} component="div">
    <UserDetail />
  </Show>
);
