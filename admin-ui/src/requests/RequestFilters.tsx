import { AutocompleteInput, ReferenceInput, SelectInput } from 'react-admin';
import { requestTypeChoices } from '../common/labels.ts';
import { SearchBox } from '../common/SearchBox.tsx';

export const deskRequestFilters = [
  <SearchBox
    key="q"
    source="q"
    alwaysOn
    sx={{ width: { xs: '100%', sm: 400 }, '& input::placeholder': { fontSize: { xs: 14, sm: 16 } } }}
    placeholder="ld.list.search_desk"
  />,
  <SelectInput key="type" source="type" label="ld.list.type" choices={requestTypeChoices} alwaysOn />,
  <ReferenceInput key="companyId" source="companyId" reference="companies" sort={{ field: 'name', order: 'ASC' }}>
    <AutocompleteInput label="ld.list.company" optionText="name" filterToQuery={(q) => ({ q })} />
  </ReferenceInput>,
  <ReferenceInput key="assigneeId" source="assigneeId" reference="users">
    <AutocompleteInput label="ld.list.assignee" optionText="name" filterToQuery={(q) => ({ q })} />
  </ReferenceInput>,
];

export const partnerRequestFilters = [
  <SearchBox key="q" source="q" alwaysOn placeholder="ld.list.search_partner" />,
  <SelectInput key="type" source="type" label="ld.list.type" choices={requestTypeChoices} alwaysOn />,
];
