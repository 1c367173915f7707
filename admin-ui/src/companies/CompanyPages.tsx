import { useMediaQuery, type Theme } from '@mui/material';
import {
  AutocompleteInput,
  BooleanInput,
  Create,
  DataTable,
  DateField,
  Edit,
  List,
  ReferenceInput,
  SearchInput,
  SelectInput,
  SimpleForm,
  SimpleList,
  TextInput,
  required,
  type RaRecord,
} from 'react-admin';
import { EmptyState } from '../common/EmptyState.tsx';
import { COMPANY_KIND_LABELS, companyKindChoices } from '../common/labels.ts';

const filters = [
  <SearchInput key="q" source="q" alwaysOn placeholder="Company name" />,
  <SelectInput key="kind" source="kind" label="Kind" choices={companyKindChoices} />,
];

export function CompanyList() {
  const small = useMediaQuery<Theme>((theme) => theme.breakpoints.down('md'));
  return (
    <List filters={filters} sort={{ field: 'name', order: 'ASC' }} empty={false}>
      {small ? (
        <SimpleList
          primaryText={(r) => r.name as string}
          secondaryText={(r) => [COMPANY_KIND_LABELS[r.kind as string] ?? (r.kind as string), r.timeZone as string].filter(Boolean).join(' · ')}
          tertiaryText={(r) => (r.contactEmail as string) ?? ''}
          linkType="edit"
          empty={<EmptyState title="No companies match" />}
        />
      ) : (
        <DataTable rowClick="edit" bulkActionButtons={false} empty={<EmptyState title="No companies match" />}>
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

function CompanyForm() {
  return (
    <SimpleForm sx={{ maxWidth: 640 }}>
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
  <Edit mutationMode="pessimistic">
    <CompanyForm />
  </Edit>
);
export const CompanyCreate = () => (
  <Create redirect="list">
    <CompanyForm />
  </Create>
);
