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
  useTranslate,
  type RaRecord,
} from 'react-admin';
import { DateField } from '../common/DateField.tsx';
import { formatDate, formatNumber } from '../common/formats.ts';
import { SearchBox } from '../common/SearchBox.tsx';
import { Facts, Section } from '../common/Section.tsx';
import { RelatedList } from '../common/RelatedList.tsx';
import { useSmallScreen } from '../common/responsive.ts';
import { useMe } from '../common/useMe.ts';
import { EmptyState } from '../common/EmptyState.tsx';
import { companyKindChoices, requestReference, useLabel } from '../common/labels.ts';

const filters = [
  <SearchBox key="q" source="q" alwaysOn placeholder="ld.companies.search" />,
  <SelectInput key="kind" source="kind" choices={companyKindChoices} />,
];

export function CompanyList() {
  const small = useSmallScreen();
  const translate = useTranslate();
  const label = useLabel();
  const empty = <EmptyState title={translate('ld.companies.no_match')} />;
  return (
    <List filters={filters} sort={{ field: 'name', order: 'ASC' }} empty={false}>
      {small ? (
        <SimpleList
          primaryText={(r) => r.name as string}
          secondaryText={(r) => [label('company_kind', r.kind as string), r.timeZone as string].filter(Boolean).join(' · ')}
          tertiaryText={(r) => (r.contactEmail as string) ?? ''}
          linkType="show"
          empty={empty}
        />
      ) : (
        <DataTable rowClick="show" bulkActionButtons={false} empty={empty}>
          <DataTable.Col source="name" />
          <DataTable.Col source="kind" render={(r: RaRecord) => label('company_kind', r.kind as string)} />
          <DataTable.Col source="contactEmail" disableSort />
          <DataTable.Col source="timeZone" disableSort />
          <DataTable.Col source="createdAt">
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
      <TextInput source="name" validate={required()} fullWidth />
      <SelectInput source="kind" choices={companyKindChoices} validate={required()} />
      <ReferenceInput source="parentId" reference="companies" sort={{ field: 'name', order: 'ASC' }}>
        <AutocompleteInput optionText="name" filterToQuery={(q) => ({ q })} />
      </ReferenceInput>
      <BooleanInput source="seesDealers" />
      <BooleanInput source="reshipNeedsApproval" defaultValue={true} />
      <TextInput source="contactEmail" type="email" fullWidth />
      <TextInput source="timeZone" defaultValue="Europe/Helsinki" helperText="ld.companies.time_zone_helper" />
    </SimpleForm>
  );
}

/** What PUT /api/companies/:id takes (a strict body): the form's fields, not the record's counts and names. */
const EDITABLE = ['name', 'kind', 'parentId', 'seesDealers', 'reshipNeedsApproval', 'contactEmail', 'timeZone'] as const;
const editable = (data: RaRecord) => Object.fromEntries(EDITABLE.filter((key) => key in data).map((key) => [key, data[key] as unknown]));

export const CompanyEdit = () => (
  <Edit mutationMode="pessimistic" redirect="show" transform={editable}>
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
 * Why the company cannot be deleted, in the chosen language: the server's deleteRefusal (English,
 * as DELETE answers) said again from the kind and the counts the page has. The server's words
 * when the counts are missing.
 */
function useDeleteRefusal(record: RaRecord | undefined): string | null {
  const translate = useTranslate();
  if (!record?.deleteRefusal) return null;
  const counts = record.counts as Record<string, number> | undefined;
  const name = record.name as string;
  if (record.kind === 'VENDOR') return translate('ld.companies.refusal_vendor', { name });
  if (!counts) return record.deleteRefusal as string;
  const counted = (key: string, n: number | undefined) => (n ? translate(`ld.companies.count_${key}`, { smart_count: n }) : '');
  if (counts.licenses) return translate('ld.companies.refusal_licenses', { name, licenses: counted('license', counts.licenses) });
  const uses = [
    counted('user', counts.users),
    counted('request', counts.requests),
    counted('stock_entry', counts.stockEntries),
    counted('dealer', counts.dealers),
  ].filter(Boolean);
  if (uses.length === 0) return record.deleteRefusal as string;
  const list = uses.length === 1 ? uses[0] : translate('ld.companies.and', { list: uses.slice(0, -1).join(', '), last: uses.at(-1) });
  return translate('ld.companies.refusal_uses', { name, uses: list });
}

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
  const translate = useTranslate();
  const label = useLabel();
  const refusal = useDeleteRefusal(record);
  if (!record) return null;
  const field = (name: string) => translate(`resources.companies.fields.${name}`);
  const id = record.id as string;
  const counts = (record.counts ?? {}) as Record<string, number>;
  return (
    <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: '1fr 1fr' }, gap: 2, alignItems: 'start', mt: 1, minWidth: 0 }}>
      <Box sx={{ minWidth: 0 }}>
        <Section title={translate('ld.companies.company')}>
          <Facts
            items={[
              [field('name'), record.name as string],
              [field('kind'), label('company_kind', record.kind as string)],
              ...(record.parentName ? ([[translate('ld.companies.distributor'), record.parentName as string]] as Array<[string, string]>) : []),
              ...(record.kind === 'DISTRIBUTOR'
                ? ([
                    [translate('ld.companies.sees_dealers'), translate(record.seesDealers ? 'ld.companies.sees_dealers_yes' : 'ld.common.no')],
                    [
                      translate('ld.companies.reship_approval'),
                      translate(record.reshipNeedsApproval === false ? 'ld.companies.reship_approval_no' : 'ld.companies.reship_approval_yes'),
                    ],
                  ] as Array<[string, string]>)
                : []),
              [field('contactEmail'), (record.contactEmail as string) ?? '—'],
              [field('timeZone'), record.timeZone as string],
              [field('createdAt'), formatDate(record.createdAt)],
              [translate('ld.companies.licenses'), formatNumber(counts.licenses ?? 0)],
            ]}
          />
          {isDesk && refusal ? (
            <Alert severity="info" sx={{ mt: 2 }} data-testid="delete-refusal">
              {refusal}
            </Alert>
          ) : null}
        </Section>
        <RelatedList
          title="ld.companies.users_count"
          titleArgs={{ count: formatNumber(counts.users ?? 0) }}
          reference="users"
          target="companyId"
          sort={{ field: 'name', order: 'ASC' }}
          seeAll={filterLink('/users', { companyId: id })}
          empty="ld.companies.no_users"
          primaryText={(r) => (r.active ? (r.name as string) : translate('ld.companies.user_inactive', { name: r.name as string }))}
          secondaryText={(r) => `${label('role', r.role as string)} · ${r.email as string}`}
        />
        <RelatedList
          title="ld.companies.stock"
          reference="stocks"
          target="companyId"
          sort={{ field: 'productName', order: 'ASC' }}
          seeAll={filterLink('/stocks', { companyId: id })}
          empty="ld.companies.no_stock"
          primaryText={(r) => r.productName as string}
          secondaryText={(r) =>
            translate('ld.companies.stock_line', {
              available: formatNumber(r.available),
              total: formatNumber(r.total),
              reserved: formatNumber(r.reserved),
            })
          }
          linkType={false}
        />
      </Box>
      <Box sx={{ minWidth: 0 }}>
        <RelatedList
          title="ld.companies.licenses_count"
          titleArgs={{ count: formatNumber(counts.licenses ?? 0) }}
          reference="licenses"
          target="companyId"
          sort={{ field: 'createdAt', order: 'DESC' }}
          seeAll={filterLink('/licenses', { companyId: id })}
          empty="ld.companies.no_licenses"
          primaryText={(r) => `${r.serial as string} · ${r.productName as string}`}
          secondaryText={(r) =>
            translate('ld.companies.license_line', {
              end_user: r.endUserCompany as string,
              smart_count: r.channels as number,
              channels: formatNumber(r.channels),
              status: label('license_status', r.status as string),
            })
          }
        />
        <RelatedList
          title="ld.companies.requests_count"
          titleArgs={{ count: formatNumber(counts.requests ?? 0) }}
          reference="requests"
          target="companyId"
          sort={{ field: 'createdAt', order: 'DESC' }}
          seeAll={filterLink('/requests', { companyId: id })}
          empty="ld.companies.no_requests"
          primaryText={(r) => `${requestReference(r.number as number)} · ${label('request_type', r.type as string)}`}
          secondaryText={(r) => `${label('request_status', r.status as string)} · ${formatDate(r.createdAt)}`}
        />
      </Box>
    </Box>
  );
}

function CompanyTitle() {
  const record = useRecordContext();
  const translate = useTranslate();
  return <>{(record?.name as string) ?? translate('ld.companies.company')}</>;
}

export const CompanyShow = () => (
  <Show title={<CompanyTitle />} actions={<CompanyShowActions />} component="div">
    <CompanyDetail />
  </Show>
);
