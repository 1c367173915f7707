import { useState } from 'react';
import { Alert, Box, Button, Card, CardContent, Chip, Divider, Stack, Typography, useMediaQuery, type Theme } from '@mui/material';
import RefreshIcon from '@mui/icons-material/Refresh';
import SendIcon from '@mui/icons-material/Send';
import { useMutation } from '@tanstack/react-query';
import {
  AutocompleteInput,
  CheckboxGroupInput,
  Create,
  DataTable,
  DeleteButton,
  List,
  Pagination,
  ReferenceInput,
  ReferenceManyField,
  Show,
  SimpleForm,
  SimpleList,
  TextInput,
  required,
  useDataProvider,
  useGetIdentity,
  useListContext,
  RecordContextProvider,
  useNotify,
  useRecordContext,
  useRefresh,
  useTranslate,
  useUpdate,
} from 'react-admin';
import { Link } from 'react-router-dom';
import { ActionDialog } from '../common/ActionDialog.tsx';
import { DateField } from '../common/DateField.tsx';
import { EmptyState } from '../common/EmptyState.tsx';
import { errorMessage, type LicenseDeskDataProvider } from '../dataProvider.ts';
import { isDeskRole, type Role } from '../access.ts';

export const WEBHOOK_EVENTS = ['request.status_changed', 'license.issued', 'license.revised', 'stock.changed'] as const;

interface Endpoint {
  id: string;
  url: string;
  companyName: string;
  events: string[];
  secretPrefix: string;
  disabled: boolean;
  description: string;
}

interface Delivery {
  id: string;
  eventId: string;
  eventType: string;
  status: 'PENDING' | 'DELIVERED' | 'FAILED';
  attempts: number;
  round: number;
  lastStatusCode: number | null;
  lastError: string | null;
}

const useIsDesk = () => isDeskRole((useGetIdentity().identity as { role?: Role } | undefined)?.role);

function EventChips() {
  const record = useRecordContext<Endpoint>();
  return (
    <Stack direction="row" sx={{ flexWrap: 'wrap', gap: 0.5 }}>
      {(record?.events ?? []).map((event) => (
        <Chip key={event} label={event} size="small" variant="outlined" />
      ))}
    </Stack>
  );
}

function EndpointState() {
  const record = useRecordContext<Endpoint>();
  const translate = useTranslate();
  if (!record) return null;
  return (
    <Chip
      size="small"
      color={record.disabled ? 'default' : 'success'}
      label={translate(record.disabled ? 'ld.webhooks.disabled' : 'ld.webhooks.active')}
      data-testid="endpoint-state"
    />
  );
}

function UrlText() {
  const record = useRecordContext<Endpoint>();
  return (
    <Typography variant="body2" sx={{ wordBreak: 'break-all' }}>
      {record?.url}
    </Typography>
  );
}

/** A partner admin's endpoints (a desk admin's: every company's), each opening its delivery log. */
export function WebhookEndpointList() {
  const translate = useTranslate();
  const desk = useIsDesk();
  const phone = useMediaQuery((theme: Theme) => theme.breakpoints.down('sm'));
  const empty = <EmptyState title={translate('ld.webhooks.none')} hint={translate('ld.webhooks.none_hint')} />;
  return (
    <List title={translate('ld.webhooks.title')} sort={{ field: 'createdAt', order: 'DESC' }} empty={false} exporter={false}>
      {phone ? (
        <SimpleList
          primaryText={(r) => <Box sx={{ wordBreak: 'break-all' }}>{String(r.url)}</Box>}
          secondaryText={(r) => [desk ? String(r.companyName) : '', (r.events as string[]).join(', ')].filter(Boolean).join(' · ')}
          tertiaryText={(r) => translate(r.disabled ? 'ld.webhooks.disabled' : 'ld.webhooks.active')}
          linkType="show"
          empty={empty}
        />
      ) : (
        <DataTable bulkActionButtons={false} rowClick="show" empty={empty}>
          <DataTable.Col source="url">
            <UrlText />
          </DataTable.Col>
          {desk ? <DataTable.Col source="companyName" disableSort /> : null}
          <DataTable.Col source="events" disableSort>
            <EventChips />
          </DataTable.Col>
          <DataTable.Col source="disabled" disableSort label="ld.common.status">
            <EndpointState />
          </DataTable.Col>
          <DataTable.Col source="createdAt">
            <DateField source="createdAt" showTime />
          </DataTable.Col>
        </DataTable>
      )}
    </List>
  );
}

/** The secret, once: after creation and after each rotation. */
function SecretOnce({ secret }: { secret: string }) {
  const translate = useTranslate();
  return (
    <Alert severity="success" sx={{ mb: 2 }}>
      <Typography sx={{ mb: 1 }}>{translate('ld.webhooks.copy_now')}</Typography>
      <Box component="code" sx={{ display: 'block', p: 1, bgcolor: '#fff', borderRadius: 1, wordBreak: 'break-all' }} data-testid="new-secret">
        {secret}
      </Box>
    </Alert>
  );
}

export function WebhookEndpointCreate() {
  const [created, setCreated] = useState<{ id: string; secret: string }>();
  const translate = useTranslate();
  const desk = useIsDesk();
  if (created) {
    return (
      <Box sx={{ mt: 2, maxWidth: 720 }}>
        <SecretOnce secret={created.secret} />
        <Button component={Link} to={`/webhook-endpoints/${created.id}/show`} variant="contained">
          {translate('ld.webhooks.open_log')}
        </Button>
      </Box>
    );
  }
  return (
    <Create
      title={translate('ld.webhooks.new')}
      redirect={false}
      mutationOptions={{ onSuccess: (data) => setCreated({ id: String(data.id), secret: String((data as { secret?: string }).secret ?? '') }) }}
    >
      <SimpleForm sx={{ maxWidth: 640 }} defaultValues={{ events: ['request.status_changed', 'license.issued', 'license.revised'] }}>
        {desk ? (
          <ReferenceInput source="companyId" reference="companies">
            <AutocompleteInput optionText="name" validate={required()} fullWidth />
          </ReferenceInput>
        ) : null}
        <TextInput source="url" validate={required()} helperText="ld.webhooks.url_helper" fullWidth type="url" />
        <TextInput source="description" helperText="ld.webhooks.description_helper" fullWidth />
        <CheckboxGroupInput
          source="events"
          row={false}
          validate={required()}
          choices={WEBHOOK_EVENTS.map((id) => ({ id, name: `ld.webhooks.events.${id.replace('.', '_')}` }))}
        />
      </SimpleForm>
    </Create>
  );
}

function RotateSecret({ onSecret }: { onSecret: (secret: string) => void }) {
  const record = useRecordContext<Endpoint>();
  const dataProvider = useDataProvider<LicenseDeskDataProvider>();
  const translate = useTranslate();
  if (!record) return null;
  return (
    <ActionDialog
      label={translate('ld.webhooks.rotate')}
      title={translate('ld.webhooks.rotate_title')}
      description={translate('ld.webhooks.rotate_description')}
      icon={<RefreshIcon />}
      variant="outlined"
      successMessage="ld.webhooks.rotated"
      run={async () => {
        const answer = await dataProvider.rotateWebhookSecret(record.id);
        onSecret(answer.secret);
        return answer;
      }}
    />
  );
}

function DisableOrEnable() {
  const record = useRecordContext<Endpoint>();
  const translate = useTranslate();
  const notify = useNotify();
  const [update, { isPending }] = useUpdate();
  if (!record) return null;
  const disabled = !record.disabled;
  return (
    <Button
      variant="outlined"
      disabled={isPending}
      onClick={() =>
        void update(
          'webhook-endpoints',
          { id: record.id, data: { disabled }, previousData: record },
          {
            mutationMode: 'pessimistic',
            onSuccess: () => notify(disabled ? 'ld.webhooks.disabled_now' : 'ld.webhooks.enabled_now', { type: 'success' }),
            onError: (error) => notify(errorMessage(error), { type: 'error' }),
          },
        )
      }
    >
      {translate(disabled ? 'ld.webhooks.disable' : 'ld.webhooks.enable')}
    </Button>
  );
}

function Redeliver() {
  const record = useRecordContext<Delivery>();
  const dataProvider = useDataProvider<LicenseDeskDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const translate = useTranslate();
  const mutation = useMutation({
    mutationFn: () => dataProvider.redeliverWebhook(record!.id),
    onSuccess: () => {
      notify('ld.webhooks.redelivered', { type: 'success' });
      refresh();
    },
    onError: (error) => notify(errorMessage(error), { type: 'error' }),
  });
  if (!record) return null;
  return (
    <Button size="small" startIcon={<SendIcon />} disabled={mutation.isPending} onClick={() => mutation.mutate()}>
      {translate('ld.webhooks.redeliver')}
    </Button>
  );
}

function DeliveryStatus() {
  const record = useRecordContext<Delivery>();
  const translate = useTranslate();
  if (!record) return null;
  const color = record.status === 'DELIVERED' ? 'success' : record.status === 'FAILED' ? 'error' : 'warning';
  return <Chip size="small" color={color} label={translate(`ld.webhooks.status.${record.status}`)} />;
}

function LastResponse() {
  const record = useRecordContext<Delivery>();
  const translate = useTranslate();
  if (!record) return null;
  if (record.attempts === 0) return <Typography variant="body2">{translate('ld.common.not_yet')}</Typography>;
  return (
    <Typography variant="body2" sx={{ wordBreak: 'break-word' }}>
      {record.lastStatusCode ?? '—'}
      {record.lastError ? ` · ${record.lastError}` : ''}
    </Typography>
  );
}

/** On a phone: one block per delivery (event, status, time, attempts, last response, redeliver), no table to scroll. */
function DeliveryCards() {
  const { data, isPending } = useListContext<Delivery & { createdAt: string }>();
  const translate = useTranslate();
  if (isPending) return null;
  if (!data?.length) return <EmptyState title={translate('ld.webhooks.no_deliveries')} />;
  return (
    <Stack divider={<Divider flexItem />} spacing={1}>
      {data.map((delivery) => (
        <RecordContextProvider key={delivery.id} value={delivery}>
          <Box data-testid="delivery-card">
            <Stack direction="row" sx={{ alignItems: 'center', justifyContent: 'space-between', gap: 1 }}>
              <Typography variant="body2" sx={{ fontWeight: 500 }}>
                {delivery.eventType}
              </Typography>
              <DeliveryStatus />
            </Stack>
            <DateField source="createdAt" showTime />
            <Typography variant="body2" color="text.secondary">
              {translate('resources.webhook-deliveries.fields.attempts')}: {delivery.attempts}
            </Typography>
            <Stack direction="row" sx={{ gap: 0.5 }}>
              <Typography variant="body2" color="text.secondary">
                {translate('ld.webhooks.last_response')}:
              </Typography>
              <LastResponse />
            </Stack>
            <Redeliver />
          </Box>
        </RecordContextProvider>
      ))}
    </Stack>
  );
}

function DeliveryLog() {
  const translate = useTranslate();
  const phone = useMediaQuery((theme: Theme) => theme.breakpoints.down('sm'));
  return (
    <Card variant="outlined" sx={{ mt: 2 }}>
      <CardContent>
        <Typography variant="h6" component="h2" sx={{ mb: 1 }}>
          {translate('ld.webhooks.log')}
        </Typography>
        <ReferenceManyField
          reference="webhook-deliveries"
          target="endpointId"
          sort={{ field: 'createdAt', order: 'DESC' }}
          perPage={25}
          pagination={<Pagination />}
        >
          {phone ? (
            <DeliveryCards />
          ) : (
            <DataTable bulkActionButtons={false} rowClick={false} empty={<EmptyState title={translate('ld.webhooks.no_deliveries')} />}>
              <DataTable.Col source="createdAt">
                <DateField source="createdAt" showTime />
              </DataTable.Col>
              <DataTable.Col source="eventType" />
              <DataTable.Col source="status">
                <DeliveryStatus />
              </DataTable.Col>
              <DataTable.NumberCol source="attempts" />
              <DataTable.Col source="lastStatusCode" label="ld.webhooks.last_response" disableSort>
                <LastResponse />
              </DataTable.Col>
              <DataTable.Col label="" disableSort>
                <Redeliver />
              </DataTable.Col>
            </DataTable>
          )}
        </ReferenceManyField>
      </CardContent>
    </Card>
  );
}

function EndpointDetail() {
  const record = useRecordContext<Endpoint>();
  const translate = useTranslate();
  const desk = useIsDesk();
  const [secret, setSecret] = useState<string>();
  if (!record) return null;
  return (
    <Box sx={{ mt: 2 }}>
      {secret ? <SecretOnce secret={secret} /> : null}
      <Card variant="outlined">
        <CardContent>
          <Stack spacing={1.5}>
            <Box>
              <Typography variant="caption" color="text.secondary">
                {translate('resources.webhook-endpoints.fields.url')}
              </Typography>
              <UrlText />
            </Box>
            {desk ? (
              <Box>
                <Typography variant="caption" color="text.secondary">
                  {translate('resources.webhook-endpoints.fields.companyName')}
                </Typography>
                <Typography variant="body2">{record.companyName}</Typography>
              </Box>
            ) : null}
            {record.description ? <Typography variant="body2">{record.description}</Typography> : null}
            <EventChips />
            <Stack direction="row" sx={{ alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
              <EndpointState />
              <Typography variant="body2" color="text.secondary">
                {translate('ld.webhooks.secret_starts', { prefix: record.secretPrefix })}
              </Typography>
            </Stack>
            <Stack direction="row" sx={{ gap: 1, flexWrap: 'wrap' }}>
              <RotateSecret onSecret={setSecret} />
              <DisableOrEnable />
              <DeleteButton
                mutationMode="pessimistic"
                redirect="list"
                confirmTitle="ld.webhooks.delete_title"
                confirmContent="ld.webhooks.delete_content"
                successMessage="ld.webhooks.deleted"
              />
            </Stack>
          </Stack>
        </CardContent>
      </Card>
      <DeliveryLog />
    </Box>
  );
}

function EndpointTitle() {
  const translate = useTranslate();
  return <>{translate('ld.webhooks.endpoint')}</>;
}

export const WebhookEndpointShow = () => (
  <Show title={<EndpointTitle />} actions={false} component="div">
    <EndpointDetail />
  </Show>
);
