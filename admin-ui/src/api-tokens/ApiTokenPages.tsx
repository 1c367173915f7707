import { useState } from 'react';
import { Alert, Box, Button, Typography, type SxProps } from '@mui/material';
import { Create, DataTable, DeleteButton, List, SimpleForm, TextInput, required, useRecordContext, useTranslate } from 'react-admin';
import { DateField } from '../common/DateField.tsx';
import { Link } from 'react-router-dom';
import { EmptyState } from '../common/EmptyState.tsx';
import { formatDateTime } from '../common/formats.ts';

interface ApiToken {
  id: string;
  revokedAt?: string | null;
  expiresAt?: string | null;
}

/** A token that no longer works: revoked, or past its expiry. */
function ended(token: ApiToken | undefined, now = Date.now()): 'revoked' | 'expired' | undefined {
  if (token?.revokedAt) return 'revoked';
  if (token?.expiresAt && new Date(token.expiresAt).getTime() <= now) return 'expired';
  return undefined;
}

/** Ended tokens stay listed (which integration had one, and when it stopped), greyed. */
const endedRowSx = (token: ApiToken): SxProps => (ended(token) ? { '& .MuiTableCell-root': { color: 'text.secondary' } } : {});

/** A working token's revoke button; an ended one says when it stopped working, and has no button. */
function RevokeOrEnded() {
  const token = useRecordContext<ApiToken>();
  const translate = useTranslate();
  const state = ended(token);
  if (state === 'revoked') return <Typography variant="body2">{translate('ld.api_tokens.revoked_on', { date: formatDateTime(token?.revokedAt) })}</Typography>;
  if (state === 'expired') return <Typography variant="body2">{translate('ld.api_tokens.expired_on', { date: formatDateTime(token?.expiresAt) })}</Typography>;
  return (
    <DeleteButton
      mutationMode="pessimistic"
      label="ld.api_tokens.revoke"
      confirmTitle="ld.api_tokens.revoke_title"
      confirmContent="ld.api_tokens.revoke_content"
      successMessage="ld.api_tokens.revoked"
    />
  );
}

/** Tokens for the partner's own systems to call the API; each is shown once, at creation. */
export function ApiTokenList() {
  const translate = useTranslate();
  return (
    <List title={translate('ld.api_tokens.title')} sort={{ field: 'createdAt', order: 'DESC' }} empty={false}>
      <DataTable
        bulkActionButtons={false}
        rowClick={false}
        rowSx={endedRowSx}
        empty={<EmptyState title={translate('ld.api_tokens.none')} hint={translate('ld.api_tokens.none_hint')} />}
      >
        <DataTable.Col source="name" />
        <DataTable.Col source="createdAt">
          <DateField source="createdAt" showTime />
        </DataTable.Col>
        <DataTable.Col source="lastUsedAt" disableSort>
          <DateField source="lastUsedAt" showTime emptyText="ld.common.never" />
        </DataTable.Col>
        <DataTable.Col label="" disableSort>
          <RevokeOrEnded />
        </DataTable.Col>
      </DataTable>
    </List>
  );
}

export function ApiTokenCreate() {
  const [token, setToken] = useState<string>();
  const translate = useTranslate();
  if (token) {
    return (
      <Box sx={{ mt: 2, maxWidth: 720 }}>
        <Alert severity="success">
          <Typography sx={{ mb: 1 }}>{translate('ld.api_tokens.copy_now')}</Typography>
          <Box component="code" sx={{ display: 'block', p: 1, bgcolor: '#fff', borderRadius: 1, wordBreak: 'break-all' }} data-testid="new-token">
            {token}
          </Box>
        </Alert>
        <Button component={Link} to="/api-tokens" sx={{ mt: 2 }}>
          {translate('ld.api_tokens.back')}
        </Button>
      </Box>
    );
  }
  return (
    <Create
      title={translate('ld.api_tokens.new')}
      redirect={false}
      mutationOptions={{ onSuccess: (data) => setToken(String((data as { token?: string }).token ?? '')) }}
    >
      <SimpleForm sx={{ maxWidth: 560 }}>
        <TextInput source="name" validate={required()} helperText="ld.api_tokens.name_helper" fullWidth />
      </SimpleForm>
    </Create>
  );
}
