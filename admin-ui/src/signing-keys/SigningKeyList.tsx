import { Box, Typography } from '@mui/material';
import RotateIcon from '@mui/icons-material/Autorenew';
import {
  DataTable,
  FunctionField,
  List,
  RecordContextProvider,
  TopToolbar,
  useCanAccess,
  useDataProvider,
  useListContext,
  useTranslate,
  type RaRecord,
} from 'react-admin';
import { DateField } from '../common/DateField.tsx';
import { ActionDialog } from '../common/ActionDialog.tsx';
import { EmptyState } from '../common/EmptyState.tsx';
import { StatusChip } from '../common/StatusChip.tsx';
import type { LicenseDeskDataProvider } from '../dataProvider.ts';
import { formatDateTime } from '../common/formats.ts';
import { useSmallScreen } from '../common/responsive.ts';

function RotateButton() {
  const translate = useTranslate();
  const dataProvider = useDataProvider<LicenseDeskDataProvider>();
  const { canAccess } = useCanAccess({ resource: 'signing-keys', action: 'rotate' });
  if (!canAccess) return null;
  return (
    <ActionDialog
      label={translate('ld.signing_keys.rotate')}
      title={translate('ld.signing_keys.rotate_title')}
      description={translate('ld.signing_keys.rotate_description')}
      variant="contained"
      icon={<RotateIcon />}
      successMessage={translate('ld.signing_keys.rotated')}
      run={() => dataProvider.rotateSigningKey()}
    />
  );
}

/** On a phone, one block a key: its id and status, its dates, and the public key wrapped to the width. */
function NoKeys() {
  const translate = useTranslate();
  return <EmptyState title={translate('ld.signing_keys.none')} hint={translate('ld.signing_keys.none_hint')} />;
}

function KeyCards() {
  const translate = useTranslate();
  const { data, isPending } = useListContext();
  if (!isPending && data?.length === 0) return <NoKeys />;
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
              {r.algorithm as string} · {translate('ld.signing_keys.created_at', { date: formatDateTime(r.createdAt) })}
              {r.retiredAt ? ` · ${translate('ld.signing_keys.retired_at', { date: formatDateTime(r.retiredAt) })}` : ''}
            </Typography>
            <Typography variant="caption" component="p" color="text.secondary" sx={{ mt: 1 }}>
              {translate('ld.signing_keys.public_key')}
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
  const translate = useTranslate();
  return (
    <List
      title={translate('ld.signing_keys.title')}
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
        <DataTable bulkActionButtons={false} rowClick={false} empty={<NoKeys />}>
          <DataTable.Col source="id" label="ld.signing_keys.key_id" disableSort>
            <FunctionField
              render={(r: RaRecord) => (
                <Box component="code" sx={{ fontSize: 13 }}>
                  {r.id as string}
                </Box>
              )}
            />
          </DataTable.Col>
          <DataTable.Col source="algorithm" label="ld.signing_keys.algorithm" disableSort />
          <DataTable.Col source="status" label="ld.signing_keys.status" disableSort>
            <StatusChip kind="plain" />
          </DataTable.Col>
          <DataTable.Col source="createdAt" label="ld.signing_keys.created" disableSort>
            <DateField source="createdAt" showTime />
          </DataTable.Col>
          <DataTable.Col source="retiredAt" label="ld.signing_keys.retired" disableSort>
            <DateField source="retiredAt" showTime emptyText="ld.common.none" />
          </DataTable.Col>
          <DataTable.Col source="publicKeyPem" label="ld.signing_keys.public_key" disableSort>
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
