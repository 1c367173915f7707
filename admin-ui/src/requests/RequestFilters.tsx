import { AutocompleteInput, ReferenceInput, SearchInput, SelectInput } from 'react-admin';
import { requestTypeChoices } from '../common/labels.ts';

export const deskRequestFilters = [
  <SearchInput key="q" source="q" alwaysOn placeholder="Serial or MAC" />,
  <SelectInput key="type" source="type" label="Type" choices={requestTypeChoices} alwaysOn />,
  <ReferenceInput key="companyId" source="companyId" reference="companies" sort={{ field: 'name', order: 'ASC' }}>
    <AutocompleteInput label="Company" optionText="name" filterToQuery={(q) => ({ q })} />
  </ReferenceInput>,
  <ReferenceInput key="assigneeId" source="assigneeId" reference="users">
    <AutocompleteInput label="Assignee" optionText="name" filterToQuery={(q) => ({ q })} />
  </ReferenceInput>,
];

export const partnerRequestFilters = [
  <SearchInput key="q" source="q" alwaysOn placeholder="Serial or MAC" />,
  <SelectInput key="type" source="type" label="Type" choices={requestTypeChoices} alwaysOn />,
];
