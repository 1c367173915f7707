import { Alert, Box } from '@mui/material';
import {
  AutocompleteInput,
  BooleanInput,
  Create,
  DataTable,
  DeleteButton,
  Edit,
  EditButton,
  List,
  ReferenceInput,
  SaveButton,
  SearchInput,
  SelectInput,
  Show,
  SimpleForm,
  SimpleList,
  TextInput,
  Toolbar,
  TopToolbar,
  required,
  useCanAccess,
  useRecordContext,
  type RaRecord,
} from 'react-admin';
import { DateField } from '../common/DateField.tsx';
import type { RequestType } from '../../../domain/request-forms.ts';
import { formatDay } from '../common/dates';
import { Facts, Section } from '../common/Section.tsx';
import { RelatedList } from '../common/RelatedList.tsx';
import { useSmallScreen } from '../common/responsive.ts';
import { useMe } from '../common/useMe.ts';
import { EmptyState } from '../common/EmptyState.tsx';
import {
  COMPANY_KIND_LABELS,
  LICENSE_STATUS_LABELS,
  REQUEST_STATUS_LABELS,
  REQUEST_TYPE_LABELS,
  ROLE_LABELS,
  companyKindChoices,
  requestReference,
} from '../common/labels.ts';

const filters = [
  <SearchInput key="q" source="q" alwaysOn placeholder="Company name" />,
  <SelectInput key="kind" source="kind" label="Kind" choices={companyKindChoices} />,
];

export function CompanyList() {
  const small = useSmallScreen();
  return (
    <List filters={filters} sort={{ field: 'name', order: 'ASC' }} empty={false}>
      {small ? (
        <SimpleList
          primaryText={(r) => r.name as string}
          secondaryText={(r) => [COMPANY_KIND_LABELS[r.kind as string] ?? (r.kind as string), r.timeZone as string].filter(Boolean).join(' · ')}
          tertiaryText={(r) => (r.contactEmail as string) ?? ''}
          linkType="show"
          empty={<EmptyState title="No companies match" />}
        />
      ) : (
        <DataTable rowClick="show" bulkActionButtons={false} empty={<EmptyState title="No companies match" />}>
          <DataTable.Col source="name" label="Name" />
          <DataTable.Col source="kind" label="Kind" render={(r: RaRecord) => COMPANY_KIND_LABELS[r.kind as string] ?? (r.kind as string)} />
          <DataTable.Col source="contactEmail" label="Contact e-mail" disableSort />
          <DataTable.Col source="timeZone" label="Time zone" disableSort />
          <DataTable.Col source="createdAt" label="Since">
            <DateField source="createdAt" />
          </DataTable.Col>
        </DataTable>
      )}
    </List>
  );
}

/** Save, and Delete only where the server would allow it (deleteRefusal is null). */
function CompanyToolbar() {
  const record = useRecordContext();
  const { canAccess: canDelete } = useCanAccess({ resource: 'companies', action: 'delete' });
  return (
    <Toolbar sx={{ justifyContent: 'space-between' }}>
      <SaveButton />
      {record && canDelete && record.deleteRefusal === null ? <DeleteButton mutationMode="pessimistic" /> : null}
    </Toolbar>
  );
}

function CompanyForm() {
  return (
    <SimpleForm sx={{ maxWidth: 640 }} toolbar={<CompanyToolbar />}>
      <TextInput source="name" label="Name" validate={required()} fullWidth />
      <SelectInput source="kind" label="Kind" choices={companyKindChoices} validate={required()} />
      <ReferenceInput source="parentId" reference="companies" sort={{ field: 'name', order: 'ASC' }}>
        <AutocompleteInput label="Distributor (for a dealer)" optionText="name" filterToQuery={(q) => ({ q })} />
      </ReferenceInput>
      <BooleanInput source="seesDealers" label="Sees its dealers' requests, licenses and stock" />
      <TextInput source="contactEmail" label="Contact e-mail" type="email" fullWidth />
      <TextInput source="timeZone" label="Time zone" defaultValue="Europe/Helsinki" helperText="IANA name, e.g. Europe/Helsinki" />
    </SimpleForm>
  );
}

export const CompanyEdit = () => (
  <Edit mutationMode="pessimistic" redirect="show">
    <CompanyForm />
  </Edit>
);
export const CompanyCreate = () => (
  <Create redirect="show">
    <CompanyForm />
  </Create>
);

const filterLink = (path: string, filter: Record<string, unknown>) => `${path}?filter=${encodeURIComponent(JSON.stringify(filter))}`;

/**
 * Edit behind a button; Delete only where the server would allow it (never the vendor company
 * nor one with licenses); otherwise the reason, in the server's words.
 */
function CompanyShowActions() {
  const record = useRecordContext();
  const { canAccess: canEdit } = useCanAccess({ resource: 'companies', action: 'edit' });
  const { canAccess: canDelete } = useCanAccess({ resource: 'companies', action: 'delete' });
  if (!record) return null;
  return (
    <TopToolbar>
      {canEdit ? <EditButton /> : null}
      {canDelete && record.deleteRefusal === null ? <DeleteButton mutationMode="pessimistic" /> : null}
    </TopToolbar>
  );
}

function CompanyDetail() {
  const record = useRecordContext();
  const { isDesk } = useMe();
  if (!record) return null;
  const id = record.id as string;
  const counts = (record.counts ?? {}) as Record<string, number>;
  return (
    <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: '1fr 1fr' }, gap: 2, alignItems: 'start', mt: 1, minWidth: 0 }}>
      <Box sx={{ minWidth: 0 }}>
        <Section title="Company">
          <Facts
            items={[
              ['Name', record.name as string],
              ['Kind', COMPANY_KIND_LABELS[record.kind as string] ?? (record.kind as string)],
              ...(record.parentName ? ([['Distributor', record.parentName as string]] as Array<[string, string]>) : []),
              ...(record.kind === 'DISTRIBUTOR'
                ? ([['Sees its dealers', record.seesDealers ? 'Yes: their requests, licenses and stock' : 'No']] as Array<[string, string]>)
                : []),
              ['Contact e-mail', (record.contactEmail as string) ?? '—'],
              ['Time zone', record.timeZone as string],
              ['Since', formatDay(record.createdAt)],
              ['Licenses', String(counts.licenses ?? 0)],
            ]}
          />
          {isDesk && record.deleteRefusal ? (
            <Alert severity="info" sx={{ mt: 2 }} data-testid="delete-refusal">
              {record.deleteRefusal as string}
            </Alert>
          ) : null}
        </Section>
        <RelatedList
          title={`Users (${counts.users ?? 0})`}
          reference="users"
          target="companyId"
          sort={{ field: 'name', order: 'ASC' }}
          seeAll={filterLink('/users', { companyId: id })}
          empty="No users."
          primaryText={(r) => `${r.name as string}${r.active ? '' : ' (inactive)'}`}
          secondaryText={(r) => `${ROLE_LABELS[r.role as string] ?? (r.role as string)} · ${r.email as string}`}
        />
        <RelatedList
          title="Stock"
          reference="stocks"
          target="companyId"
          sort={{ field: 'productName', order: 'ASC' }}
          seeAll={filterLink('/stocks', { companyId: id })}
          empty="No stock."
          primaryText={(r) => r.productName as string}
          secondaryText={(r) => `${r.available as number} / ${r.total as number} available · ${r.reserved as number} reserved`}
          linkType={false}
        />
      </Box>
      <Box sx={{ minWidth: 0 }}>
        <RelatedList
          title={`Licenses (${counts.licenses ?? 0})`}
          reference="licenses"
          target="companyId"
          sort={{ field: 'createdAt', order: 'DESC' }}
          seeAll={filterLink('/licenses', { companyId: id })}
          empty="No licenses."
          primaryText={(r) => `${r.serial as string} · ${r.productName as string}`}
          secondaryText={(r) =>
            `${r.endUserCompany as string} · ${r.channels as number} channels · ${LICENSE_STATUS_LABELS[r.status as string] ?? (r.status as string)}`
          }
        />
        <RelatedList
          title={`Requests (${counts.requests ?? 0})`}
          reference="requests"
          target="companyId"
          sort={{ field: 'createdAt', order: 'DESC' }}
          seeAll={filterLink('/requests', { companyId: id })}
          empty="No requests."
          primaryText={(r) => `${requestReference(r.number as number)} · ${REQUEST_TYPE_LABELS[r.type as RequestType] ?? (r.type as string)}`}
          secondaryText={(r) => `${REQUEST_STATUS_LABELS[r.status as string] ?? (r.status as string)} · ${formatDay(r.createdAt)}`}
        />
      </Box>
    </Box>
  );
}

function CompanyTitle() {
  const record = useRecordContext();
  return <>{(record?.name as string) ?? 'Company'}</>;
}

export const CompanyShow = () => (
  <Show title={<CompanyTitle />} actions={<CompanyShowActions />} component="div">
    <CompanyDetail />
  </Show>
);
