import { Box, Typography } from '@mui/material';
import RotateIcon from '@mui/icons-material/Autorenew';
import { DataTable, FunctionField, List, RecordContextProvider, TopToolbar, useCanAccess, useDataProvider, useListContext, type RaRecord } from 'react-admin';
import { DateField } from '../common/DateField.tsx';
import { ActionDialog } from '../common/ActionDialog.tsx';
import { EmptyState } from '../common/EmptyState.tsx';
import { StatusChip } from '../common/StatusChip.tsx';
import type { LicenseDeskDataProvider } from '../dataProvider.ts';
import { formatDateTime } from '../common/dates';
import { useSmallScreen } from '../common/responsive.ts';

function RotateButton() {
  const dataProvider = useDataProvider<LicenseDeskDataProvider>();
  const { canAccess } = useCanAccess({ resource: 'signing-keys', action: 'rotate' });
  if (!canAccess) return null;
  return (
    <ActionDialog
      label="Rotate key"
      title="Rotate the signing key"
      description="A new Ed25519 key signs every new license file. The current key is retired but stays published, so files it signed keep verifying."
      variant="contained"
      icon={<RotateIcon />}
      successMessage="A new signing key is active."
      run={() => dataProvider.rotateSigningKey()}
    />
  );
}

/** On a phone, one block a key: its id and status, its dates, and the public key wrapped to the width. */
function KeyCards() {
  const { data, isPending } = useListContext();
  if (!isPending && data?.length === 0) return <EmptyState title="No signing key yet" hint="The first key is created when the first license is signed." />;
  return (
    <Box component="ul" sx={{ listStyle: 'none', m: 0, p: 0 }}>
      {(data ?? []).map((r: RaRecord) => (
        <Box component="li" key={r.id} sx={{ px: 2, py: 1.5, borderBottom: 1, borderColor: 'divider' }}>
          <RecordContextProvider value={r}>
            <Box sx={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: 1 }}>
              <Box component="code" sx={{ fontSize: 13, wordBreak: 'break-all' }}>
                {r.id as string}
              </Box>
              <StatusChip kind="plain" />
            </Box>
            <Typography variant="body2" color="text.secondary">
              {r.algorithm as string} · created {formatDateTime(r.createdAt)}
              {r.retiredAt ? ` · retired ${formatDateTime(r.retiredAt)}` : ''}
            </Typography>
            <Typography variant="caption" component="p" color="text.secondary" sx={{ mt: 1 }}>
              Public key
            </Typography>
            <Typography component="pre" sx={{ fontSize: 11, m: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
              {r.publicKeyPem as string}
            </Typography>
          </RecordContextProvider>
        </Box>
      ))}
    </Box>
  );
}

/** Signing keys: which one signs now, and the public keys that verify old files. */
export function SigningKeyList() {
  const small = useSmallScreen();
  return (
    <List
      title="Signing keys"
      sort={{ field: 'createdAt', order: 'DESC' }}
      actions={
        <TopToolbar>
          <RotateButton />
        </TopToolbar>
      }
      pagination={false}
      empty={false}
    >
      {small ? (
        <KeyCards />
      ) : (
        <DataTable
          bulkActionButtons={false}
          rowClick={false}
          empty={<EmptyState title="No signing key yet" hint="The first key is created when the first license is signed." />}
        >
          <DataTable.Col source="id" label="Key id" disableSort>
            <FunctionField
              render={(r: RaRecord) => (
                <Box component="code" sx={{ fontSize: 13 }}>
                  {r.id as string}
                </Box>
              )}
            />
          </DataTable.Col>
          <DataTable.Col source="algorithm" label="Algorithm" disableSort />
          <DataTable.Col source="status" label="Status" disableSort>
            <StatusChip kind="plain" />
          </DataTable.Col>
          <DataTable.Col source="createdAt" label="Created" disableSort>
            <DateField source="createdAt" showTime />
          </DataTable.Col>
          <DataTable.Col source="retiredAt" label="Retired" disableSort>
            <DateField source="retiredAt" showTime emptyText="—" />
          </DataTable.Col>
          <DataTable.Col source="publicKeyPem" label="Public key" disableSort>
            <FunctionField
              render={(r: RaRecord) => (
                <Typography component="pre" sx={{ fontSize: 11, m: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-all', maxWidth: 360 }}>
                  {r.publicKeyPem as string}
                </Typography>
              )}
            />
          </DataTable.Col>
        </DataTable>
      )}
    </List>
  );
}
