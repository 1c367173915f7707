import { AutocompleteInput, ReferenceInput, SelectInput, TextInput } from 'react-admin';
import { licenseStatusChoices } from '../common/labels.ts';
import { SearchBox } from '../common/SearchBox.tsx';

const common = [
  <SearchBox key="q" source="q" alwaysOn placeholder="ld.licenses.search" />,
  <SelectInput key="status" source="status" label="ld.licenses.status" choices={licenseStatusChoices} />,
  <TextInput key="serial" source="serial" label="ld.licenses.serial" />,
  <TextInput key="mac" source="mac" label="ld.licenses.mac" />,
  <ReferenceInput key="productId" source="productId" reference="products" sort={{ field: 'name', order: 'ASC' }}>
    <AutocompleteInput label="ld.licenses.product" optionText="name" filterToQuery={(q) => ({ q })} />
  </ReferenceInput>,
];

export const partnerLicenseFilters = common;
export const deskLicenseFilters = [
  ...common,
  <ReferenceInput key="companyId" source="companyId" reference="companies" sort={{ field: 'name', order: 'ASC' }} alwaysOn>
    <AutocompleteInput label="ld.licenses.company" optionText="name" filterToQuery={(q) => ({ q })} />
  </ReferenceInput>,
];
