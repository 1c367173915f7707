import { useState } from 'react';
import { Alert, Button, CircularProgress, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle, TextField } from '@mui/material';
import TuneIcon from '@mui/icons-material/Tune';
import { useMutation } from '@tanstack/react-query';
import { useDataProvider, useNotify, useRefresh, type RaRecord } from 'react-admin';
import { errorMessage, type LicenseDeskDataProvider } from '../dataProvider.ts';

/** A desk adjustment of one company's stock of one product: channels in or out, with a reason. */
export function AdjustStockDialog({ stock }: { stock: RaRecord }) {
  const dataProvider = useDataProvider<LicenseDeskDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const [open, setOpen] = useState(false);
  const [channels, setChannels] = useState('');
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const n = Number(channels);
  const channelsError =
    !Number.isInteger(n) || n === 0
      ? 'A whole number other than 0; negative takes channels out'
      : n < 0 && -n > (stock.available as number)
        ? `Only ${stock.available as number} channels are available to take out`
        : undefined;
  const reasonError = reason.trim() === '' ? 'Give the reason; it is kept in the ledger' : undefined;
  const mutation = useMutation({
    mutationFn: () =>
      dataProvider.adjustStock({ companyId: stock.companyId as string, productId: stock.productId as string, channels: n, reason: reason.trim() }),
    onSuccess: () => {
      notify(`Stock adjusted by ${n > 0 ? '+' : ''}${n} channels.`, { type: 'success' });
      setOpen(false);
      setChannels('');
      setReason('');
      setTouched(false);
      refresh();
    },
  });
  return (
    <>
      <Button
        size="small"
        startIcon={<TuneIcon />}
        onClick={(e) => {
          e.stopPropagation();
          setOpen(true);
        }}
      >
        Adjust
      </Button>
      <Dialog
        open={open}
        onClose={() => !mutation.isPending && setOpen(false)}
        fullWidth
        maxWidth="xs"
        onClick={(e) => e.stopPropagation()}
        aria-labelledby="adjust-title"
      >
        <DialogTitle id="adjust-title">Adjust the stock</DialogTitle>
        <DialogContent>
          <DialogContentText sx={{ mb: 1 }}>
            {stock.companyName as string} · {stock.productName as string}: {stock.available as number} available of {stock.total as number}.
          </DialogContentText>
          {mutation.isError ? (
            <Alert severity="error" role="alert" sx={{ mb: 1 }}>
              {errorMessage(mutation.error)}
            </Alert>
          ) : null}
          <TextField
            label="Channels"
            type="number"
            value={channels}
            onChange={(e) => setChannels(e.target.value)}
            error={touched && !!channelsError}
            helperText={touched ? (channelsError ?? ' ') : 'e.g. 10 to add, -5 to take out'}
            fullWidth
            margin="dense"
            autoFocus
          />
          <TextField
            label="Reason"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            error={touched && !!reasonError}
            helperText={touched ? (reasonError ?? ' ') : ' '}
            fullWidth
            margin="dense"
            multiline
            minRows={2}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)} disabled={mutation.isPending}>
            Cancel
          </Button>
          <Button
            variant="contained"
            disabled={mutation.isPending}
            startIcon={mutation.isPending ? <CircularProgress size={16} color="inherit" /> : undefined}
            onClick={() => {
              setTouched(true);
              if (!channelsError && !reasonError) mutation.mutate();
            }}
          >
            Adjust
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
