import {
  BooleanField,
  BooleanInput,
  Create,
  DataTable,
  Edit,
  List,
  NumberInput,
  SearchInput,
  SelectInput,
  SimpleForm,
  SimpleList,
  TextInput,
  required,
  type RaRecord,
} from 'react-admin';
import { EmptyState } from '../common/EmptyState.tsx';
import { TIER_LABELS, tierChoices } from '../common/labels.ts';
import { useSmallScreen } from '../common/responsive.ts';

const filters = [<SearchInput key="q" source="q" alwaysOn placeholder="Name or code" />, <TextInput key="family" source="family" label="Family" />];

/** A phone's second line: the name, the channel range and the flags (the tier is on the first). */
const productFacts = (r: RaRecord) =>
  [
    r.name as string,
    `${(r.minChannels as number) ?? 1}–${r.maxChannels as number} channels`,
    r.isDemo ? 'demo' : undefined,
    r.external ? 'external' : undefined,
  ]
    .filter(Boolean)
    .join(' · ');

export function ProductList() {
  const small = useSmallScreen();
  return (
    <List filters={filters} sort={{ field: 'code', order: 'ASC' }} empty={false}>
      {small ? (
        <SimpleList
          primaryText={(r) => r.code as string}
          tertiaryText={(r) => (r.tier ? TIER_LABELS[r.tier as string] : '')}
          secondaryText={productFacts}
          linkType="edit"
          empty={<EmptyState title="No products match" />}
        />
      ) : (
        <DataTable rowClick="edit" bulkActionButtons={false} empty={<EmptyState title="No products match" />}>
          <DataTable.Col source="code" label="Code" />
          <DataTable.Col source="name" label="Name" />
          <DataTable.Col source="family" label="Family" />
          <DataTable.Col source="tier" label="Tier" disableSort render={(r: RaRecord) => (r.tier ? TIER_LABELS[r.tier as string] : '—')} />
          <DataTable.Col
            source="maxChannels"
            label="Channels"
            disableSort
            render={(r: RaRecord) => `${(r.minChannels as number) ?? 1}–${r.maxChannels as number}`}
          />
          <DataTable.Col source="isDemo" label="Demo" disableSort>
            <BooleanField source="isDemo" />
          </DataTable.Col>
          <DataTable.Col source="external" label="External" disableSort>
            <BooleanField source="external" />
          </DataTable.Col>
        </DataTable>
      )}
    </List>
  );
}

function ProductForm() {
  return (
    <SimpleForm sx={{ maxWidth: 720 }}>
      <TextInput source="code" label="Code" validate={required()} helperText="Stable key, e.g. MIRASYS-V9-PRO" />
      <TextInput source="name" label="Name" validate={required()} fullWidth />
      <TextInput source="family" label="Family" validate={required()} />
      <TextInput source="version" label="Version" validate={required()} />
      <SelectInput source="tier" label="Tier" choices={tierChoices} emptyText="None" />
      <NumberInput source="minChannels" label="Min channels" defaultValue={1} />
      <NumberInput source="maxChannels" label="Max channels" validate={required()} />
      <NumberInput source="smaMonths" label="SMA months" />
      <SelectInput
        source="lockType"
        label="Lock"
        choices={[
          { id: 'MAC', name: 'MAC address' },
          { id: 'HARDWARE_KEY', name: 'Hardware key' },
        ]}
        validate={required()}
      />
      <TextInput source="hardwareKeyType" label="Hardware key type" helperText="For hardware-key locks, e.g. SV9100_CP20" />
      <BooleanInput source="isDemo" label="Demo product" />
      <NumberInput source="demoDays" label="Demo length (days)" />
      <BooleanInput source="external" label="External: the desk uploads the license files" />
      <BooleanInput source="active" label="Active (partners can choose it)" defaultValue />
    </SimpleForm>
  );
}

export const ProductEdit = () => (
  <Edit mutationMode="pessimistic">
    <ProductForm />
  </Edit>
);
export const ProductCreate = () => (
  <Create redirect="list">
    <ProductForm />
  </Create>
);
