import { AutocompleteInput, ReferenceInput, SearchInput, SelectInput } from 'react-admin';
import { requestTypeChoices } from '../common/labels.ts';

export const deskRequestFilters = [
  <SearchInput key="q" source="q" alwaysOn sx={{ width: { xs: '100%', sm: 340 } }} placeholder="Reference, serial, MAC, end user or company" />,
  <SelectInput key="type" source="type" label="Type" choices={requestTypeChoices} alwaysOn />,
  <ReferenceInput key="companyId" source="companyId" reference="companies" sort={{ field: 'name', order: 'ASC' }}>
    <AutocompleteInput label="Company" optionText="name" filterToQuery={(q) => ({ q })} />
  </ReferenceInput>,
  <ReferenceInput key="assigneeId" source="assigneeId" reference="users">
    <AutocompleteInput label="Assignee" optionText="name" filterToQuery={(q) => ({ q })} />
  </ReferenceInput>,
];

export const partnerRequestFilters = [
  <SearchInput key="q" source="q" alwaysOn placeholder="Reference, serial, MAC or end user" />,
  <SelectInput key="type" source="type" label="Type" choices={requestTypeChoices} alwaysOn />,
];
