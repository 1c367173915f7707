import { useState } from 'react';
import { Alert, Box, Button, Typography } from '@mui/material';
import { Create, DataTable, DeleteButton, List, SimpleForm, TextInput, required } from 'react-admin';
import { DateField } from '../common/DateField.tsx';
import { Link } from 'react-router-dom';
import { EmptyState } from '../common/EmptyState.tsx';

/** Tokens for the partner's own systems to call the API; each is shown once, at creation. */
export function ApiTokenList() {
  return (
    <List title="API tokens" sort={{ field: 'createdAt', order: 'DESC' }} empty={false}>
      <DataTable
        bulkActionButtons={false}
        rowClick={false}
        empty={<EmptyState title="No API tokens" hint="Create one to submit requests from your own systems." />}
      >
        <DataTable.Col source="name" label="Name" />
        <DataTable.Col source="createdAt" label="Created">
          <DateField source="createdAt" showTime />
        </DataTable.Col>
        <DataTable.Col source="lastUsedAt" label="Last used" disableSort>
          <DateField source="lastUsedAt" showTime emptyText="ld.common.never" />
        </DataTable.Col>
        <DataTable.Col label="" disableSort>
          <DeleteButton mutationMode="pessimistic" label="Revoke" confirmTitle="Revoke this token?" confirmContent="Systems using it stop working at once." />
        </DataTable.Col>
      </DataTable>
    </List>
  );
}

export function ApiTokenCreate() {
  const [token, setToken] = useState<string>();
  if (token) {
    return (
      <Box sx={{ mt: 2, maxWidth: 720 }}>
        <Alert severity="success">
          <Typography sx={{ mb: 1 }}>Copy the token now: it is not shown again.</Typography>
          <Box component="code" sx={{ display: 'block', p: 1, bgcolor: '#fff', borderRadius: 1, wordBreak: 'break-all' }} data-testid="new-token">
            {token}
          </Box>
        </Alert>
        <Button component={Link} to="/api-tokens" sx={{ mt: 2 }}>
          Back to the tokens
        </Button>
      </Box>
    );
  }
  return (
    <Create title="New API token" redirect={false} mutationOptions={{ onSuccess: (data) => setToken(String((data as { token?: string }).token ?? '')) }}>
      <SimpleForm sx={{ maxWidth: 560 }}>
        <TextInput source="name" label="Name" validate={required()} helperText="Which system uses it, e.g. ERP integration" fullWidth />
      </SimpleForm>
    </Create>
  );
}
