import { AutocompleteInput, ReferenceInput, SearchInput, SelectInput, TextInput } from 'react-admin';
import { licenseStatusChoices } from '../common/labels.ts';

const common = [
  <SearchInput key="q" source="q" alwaysOn placeholder="Serial, MAC or end user" />,
  <SelectInput key="status" source="status" label="Status" choices={licenseStatusChoices} />,
  <TextInput key="serial" source="serial" label="Serial" />,
  <TextInput key="mac" source="mac" label="MAC address" />,
  <ReferenceInput key="productId" source="productId" reference="products" sort={{ field: 'name', order: 'ASC' }}>
    <AutocompleteInput label="Product" optionText="name" filterToQuery={(q) => ({ q })} />
  </ReferenceInput>,
];

export const partnerLicenseFilters = common;
export const deskLicenseFilters = [
  ...common,
  <ReferenceInput key="companyId" source="companyId" reference="companies" sort={{ field: 'name', order: 'ASC' }} alwaysOn>
    <AutocompleteInput label="Company" optionText="name" filterToQuery={(q) => ({ q })} />
  </ReferenceInput>,
];
