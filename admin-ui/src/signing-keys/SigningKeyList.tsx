import { Box, Typography } from '@mui/material';
import RotateIcon from '@mui/icons-material/Autorenew';
import { DataTable, DateField, FunctionField, List, TopToolbar, useCanAccess, useDataProvider, type RaRecord } from 'react-admin';
import { ActionDialog } from '../common/ActionDialog.tsx';
import { EmptyState } from '../common/EmptyState.tsx';
import { StatusChip } from '../common/StatusChip.tsx';
import type { LicenseDeskDataProvider } from '../dataProvider.ts';

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

/** Signing keys: which one signs now, and the public keys that verify old files. */
export function SigningKeyList() {
  return (
    <List title="Signing keys" sort={{ field: 'createdAt', order: 'DESC' }} actions={<TopToolbar><RotateButton /></TopToolbar>} pagination={false} empty={false}>
      <DataTable bulkActionButtons={false} rowClick={false} empty={<EmptyState title="No signing key yet" hint="The first key is created when the first license is signed." />}>
        <DataTable.Col source="id" label="Key id" disableSort>
          <FunctionField render={(r: RaRecord) => <Box component="code" sx={{ fontSize: 13 }}>{r.id as string}</Box>} />
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
    </List>
  );
}
