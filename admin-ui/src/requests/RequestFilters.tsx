import { AutocompleteInput, ReferenceInput, SearchInput, SelectInput, useTranslate, type SearchInputProps } from 'react-admin';
import { requestTypeChoices } from '../common/labels.ts';

/** The search box, with its hint in the chosen language (react-admin passes a placeholder as given). */
function RequestSearch({ hint, ...props }: SearchInputProps & { hint: string }) {
  const translate = useTranslate();
  return <SearchInput {...props} placeholder={translate(hint)} />;
}

export const deskRequestFilters = [
  <RequestSearch
    key="q"
    source="q"
    alwaysOn
    sx={{ width: { xs: '100%', sm: 400 }, '& input::placeholder': { fontSize: { xs: 14, sm: 16 } } }}
    hint="ld.list.search_desk"
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
  <RequestSearch key="q" source="q" alwaysOn hint="ld.list.search_partner" />,
  <SelectInput key="type" source="type" label="ld.list.type" choices={requestTypeChoices} alwaysOn />,
];
