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
  SearchInput,
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
  type RaRecord,
} from 'react-admin';
import { DateField } from '../common/DateField.tsx';
import { EmptyState } from '../common/EmptyState.tsx';
import { ROLE_LABELS, roleChoices } from '../common/labels.ts';
import { RelatedList } from '../common/RelatedList.tsx';
import { useSmallScreen } from '../common/responsive.ts';
import { Facts, Section } from '../common/Section.tsx';
import { REQUEST_STATUS_LABELS, REQUEST_TYPE_LABELS, requestReference, type RequestType } from '../common/labels.ts';
import { useMe } from '../common/useMe.ts';
import { loadMe } from '../authProvider.ts';
import { errorMessage, type LicenseDeskDataProvider } from '../dataProvider.ts';
import { formatDateTime } from '../common/dates';

const PARTNER_ROLES = roleChoices.filter((r) => r.id.startsWith('PARTNER'));

/** Desk admins act as a partner user to see what they see; the timeline records who really acted. */
function ImpersonateButton() {
  const record = useRecordContext();
  const dataProvider = useDataProvider<LicenseDeskDataProvider>();
  const notify = useNotify();
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
      onClick={(e) => {
        e.stopPropagation();
        mutation.mutate();
      }}
      disabled={mutation.isPending}
    >
      Act as
    </Button>
  );
}

/** On a phone, a user in two lines: name and role, then e-mail, company and last login. */
function UserRows({ desk }: { desk: boolean }) {
  return (
    <SimpleList
      primaryText={(r) => r.name as string}
      tertiaryText={(r) => `${ROLE_LABELS[r.role as string] ?? (r.role as string)}${r.active ? '' : ' (inactive)'}`}
      secondaryText={(r) =>
        [r.email as string, desk ? (r.companyName as string) : undefined, `Last login ${r.lastLoginAt ? formatDateTime(r.lastLoginAt) : 'never'}`]
          .filter(Boolean)
          .join(' · ')
      }
      linkType="show"
      empty={<EmptyState title="No users match" />}
    />
  );
}

export function UserList() {
  const { isDesk, isPending } = useMe();
  const small = useSmallScreen();
  if (isPending) return null;
  const filters = [
    <SearchInput key="q" source="q" alwaysOn placeholder="Name or e-mail" />,
    <SelectInput key="role" source="role" label="Role" choices={isDesk ? roleChoices : PARTNER_ROLES} />,
    ...(isDesk
      ? [
          <ReferenceInput key="companyId" source="companyId" reference="companies" sort={{ field: 'name', order: 'ASC' }} alwaysOn>
            <AutocompleteInput label="Company" optionText="name" filterToQuery={(q) => ({ q })} />
          </ReferenceInput>,
        ]
      : []),
  ];
  return (
    <List title={isDesk ? 'Users' : 'Company users'} filters={filters} sort={{ field: 'name', order: 'ASC' }} empty={false}>
      {small ? (
        <UserRows desk={isDesk} />
      ) : (
        <DataTable rowClick="show" bulkActionButtons={false} empty={<EmptyState title="No users match" />}>
          <DataTable.Col source="name" label="Name" />
          <DataTable.Col source="email" label="E-mail" />
          <DataTable.Col source="role" label="Role" render={(r: RaRecord) => ROLE_LABELS[r.role as string] ?? (r.role as string)} />
          {isDesk ? <DataTable.Col source="companyName" label="Company" disableSort /> : null}
          <DataTable.Col source="active" label="Active" disableSort>
            <BooleanField source="active" />
          </DataTable.Col>
          <DataTable.Col source="lastLoginAt" label="Last login">
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
      <TextInput source="name" label="Name" validate={required()} fullWidth />
      <TextInput
        source="email"
        label="E-mail"
        type="email"
        validate={[required(), email()]}
        fullWidth
        helperText={creating ? 'An invitation with a link to set the password goes to this address' : false}
      />
      <SelectInput source="role" label="Role" choices={isDesk ? roleChoices : PARTNER_ROLES} validate={required()} />
      {isDesk ? (
        <ReferenceInput source="companyId" reference="companies" sort={{ field: 'name', order: 'ASC' }}>
          <AutocompleteInput label="Company" optionText="name" filterToQuery={(q) => ({ q })} validate={required()} />
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
  <Create redirect="show" title="Invite a user">
    <UserForm creating />
  </Create>
);

const requestLine = (r: RaRecord) => `${requestReference(r.number as number)} · ${REQUEST_TYPE_LABELS[r.type as RequestType] ?? (r.type as string)}`;
const requestStatusLine = (r: RaRecord) =>
  `${REQUEST_STATUS_LABELS[r.status as string] ?? (r.status as string)} · ${r.companyName as string} · ${formatDateTime(r.createdAt)}`;

function UserDetail() {
  const record = useRecordContext();
  const { isDesk } = useMe();
  if (!record) return null;
  const deskUser = (record.role as string).startsWith('DESK');
  const requestsLink = (filter: Record<string, unknown>) => `/requests?filter=${encodeURIComponent(JSON.stringify(filter))}`;
  return (
    <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: '1fr 1fr' }, gap: 2, alignItems: 'start', mt: 1, minWidth: 0 }}>
      <Section title="User">
        <Facts
          items={[
            ['Name', record.name as string],
            ['E-mail', record.email as string],
            ['Role', ROLE_LABELS[record.role as string] ?? (record.role as string)],
            [
              'Company',
              isDesk ? <Link to={`/companies/${record.companyId as string}/show`}>{record.companyName as string}</Link> : (record.companyName as string),
            ],
            ['Active', record.active ? 'Yes' : 'No: cannot log in'],
            ['Last login', record.lastLoginAt ? formatDateTime(record.lastLoginAt) : 'Never'],
            ['Invited', formatDateTime(record.createdAt)],
          ]}
        />
      </Section>
      {deskUser ? (
        <RelatedList
          title="Requests assigned"
          reference="requests"
          target="assigneeId"
          sort={{ field: 'createdAt', order: 'DESC' }}
          seeAll={requestsLink({ assigneeId: record.id })}
          empty="No requests are assigned to this user."
          primaryText={requestLine}
          secondaryText={requestStatusLine}
        />
      ) : (
        <RelatedList
          title="Requests submitted"
          reference="requests"
          target="requesterId"
          sort={{ field: 'createdAt', order: 'DESC' }}
          seeAll={requestsLink({ companyId: record.companyId })}
          empty="This user has submitted no requests."
          primaryText={requestLine}
          secondaryText={requestStatusLine}
        />
      )}
    </Box>
  );
}

function UserTitle() {
  const record = useRecordContext();
  return <>{(record?.name as string) ?? 'User'}</>;
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
