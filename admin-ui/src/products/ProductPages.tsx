import {
  BooleanField,
  BooleanInput,
  Create,
  DataTable,
  Edit,
  List,
  NumberInput,
  SelectInput,
  SimpleForm,
  SimpleList,
  TextInput,
  required,
  useTranslate,
  type RaRecord,
} from 'react-admin';
import { EmptyState } from '../common/EmptyState.tsx';
import { formatNumber } from '../common/formats.ts';
import { tierChoices, useLabel } from '../common/labels.ts';
import { useSmallScreen } from '../common/responsive.ts';
import { SearchBox } from '../common/SearchBox.tsx';

const filters = [<SearchBox key="q" source="q" alwaysOn placeholder="ld.products.search" />, <TextInput key="family" source="family" />];

const channelRange = (r: RaRecord) => `${formatNumber((r.minChannels as number) ?? 1)}–${formatNumber(r.maxChannels)}`;

export function ProductList() {
  const small = useSmallScreen();
  const translate = useTranslate();
  const label = useLabel();
  /** A phone's second line: the name, the channel range and the flags (the tier is on the first). */
  const productFacts = (r: RaRecord) =>
    [
      r.name as string,
      translate('ld.products.channels_range', { min: formatNumber((r.minChannels as number) ?? 1), max: formatNumber(r.maxChannels) }),
      r.isDemo ? translate('ld.products.demo') : undefined,
      r.external ? translate('ld.products.external') : undefined,
    ]
      .filter(Boolean)
      .join(' · ');
  const empty = <EmptyState title={translate('ld.products.no_match')} />;
  return (
    <List filters={filters} sort={{ field: 'code', order: 'ASC' }} empty={false}>
      {small ? (
        <SimpleList
          primaryText={(r) => r.code as string}
          tertiaryText={(r) => (r.tier ? label('tier', r.tier as string) : '')}
          secondaryText={productFacts}
          linkType="edit"
          empty={empty}
        />
      ) : (
        <DataTable rowClick="edit" bulkActionButtons={false} empty={empty}>
          <DataTable.Col source="code" />
          <DataTable.Col source="name" />
          <DataTable.Col source="family" />
          <DataTable.Col source="tier" disableSort render={(r: RaRecord) => (r.tier ? label('tier', r.tier as string) : '—')} />
          <DataTable.Col source="maxChannels" label="ld.products.channels" disableSort render={channelRange} />
          <DataTable.Col source="isDemo" disableSort>
            <BooleanField source="isDemo" />
          </DataTable.Col>
          <DataTable.Col source="external" disableSort>
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
      <TextInput source="code" validate={required()} helperText="ld.products.code_helper" />
      <TextInput source="name" validate={required()} fullWidth />
      <TextInput source="family" validate={required()} />
      <TextInput source="version" validate={required()} />
      <SelectInput source="tier" choices={tierChoices} emptyText="ld.products.no_tier" />
      <NumberInput source="minChannels" defaultValue={1} />
      <NumberInput source="maxChannels" validate={required()} />
      <NumberInput source="smaMonths" />
      <NumberInput source="smaGraceDays" min={0} max={3650} defaultValue={30} helperText="ld.products.grace_days_helper" />
      <SelectInput
        source="lockType"
        choices={[
          { id: 'MAC', name: 'ld.form.lock_mac' },
          { id: 'HARDWARE_KEY', name: 'ld.review.hardware_key' },
        ]}
        validate={required()}
      />
      <TextInput source="hardwareKeyType" helperText="ld.products.key_type_helper" />
      <BooleanInput source="isDemo" label="ld.products.demo_product" />
      <NumberInput source="demoDays" />
      <BooleanInput source="external" label="ld.products.external_product" />
      <BooleanInput source="active" label="ld.products.active_product" defaultValue />
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
