import { useState } from 'react';
import { Alert, Button, CircularProgress, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle, TextField } from '@mui/material';
import TuneIcon from '@mui/icons-material/Tune';
import { useMutation } from '@tanstack/react-query';
import { useDataProvider, useNotify, useRefresh, useTranslate, type RaRecord } from 'react-admin';
import { formatNumber } from '../common/formats.ts';
import { errorMessage, type LicenseDeskDataProvider } from '../dataProvider.ts';

/** A desk adjustment of one company's stock of one product: channels in or out, with a reason. */
export function AdjustStockDialog({ stock }: { stock: RaRecord }) {
  const dataProvider = useDataProvider<LicenseDeskDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const translate = useTranslate();
  const [open, setOpen] = useState(false);
  const [channels, setChannels] = useState('');
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const n = Number(channels);
  const channelsError =
    !Number.isInteger(n) || n === 0
      ? translate('ld.stocks.channels_invalid')
      : n < 0 && -n > (stock.available as number)
        ? translate('ld.stocks.channels_too_many', { smart_count: stock.available as number, count: formatNumber(stock.available) })
        : undefined;
  const reasonError = reason.trim() === '' ? translate('ld.stocks.reason_required') : undefined;
  const mutation = useMutation({
    mutationFn: () =>
      dataProvider.adjustStock({ companyId: stock.companyId as string, productId: stock.productId as string, channels: n, reason: reason.trim() }),
    onSuccess: () => {
      notify('ld.stocks.adjusted', {
        type: 'success',
        messageArgs: { smart_count: Math.abs(n), channels: `${n > 0 ? '+' : n < 0 ? '−' : ''}${formatNumber(Math.abs(n))}` },
      });
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
        {translate('ld.stocks.adjust')}
      </Button>
      <Dialog
        open={open}
        onClose={() => !mutation.isPending && setOpen(false)}
        fullWidth
        maxWidth="xs"
        onClick={(e) => e.stopPropagation()}
        aria-labelledby="adjust-title"
      >
        <DialogTitle id="adjust-title">{translate('ld.stocks.adjust_title')}</DialogTitle>
        <DialogContent>
          <DialogContentText sx={{ mb: 1 }}>
            {translate('ld.stocks.adjust_summary', {
              company: stock.companyName as string,
              product: stock.productName as string,
              available: formatNumber(stock.available),
              total: formatNumber(stock.total),
            })}
          </DialogContentText>
          {mutation.isError ? (
            <Alert severity="error" role="alert" sx={{ mb: 1 }}>
              {errorMessage(mutation.error)}
            </Alert>
          ) : null}
          <TextField
            label={translate('ld.stocks.channels')}
            type="number"
            value={channels}
            onChange={(e) => setChannels(e.target.value)}
            error={touched && !!channelsError}
            helperText={touched ? (channelsError ?? ' ') : translate('ld.stocks.channels_helper')}
            fullWidth
            margin="dense"
            autoFocus
          />
          <TextField
            label={translate('ld.stocks.reason')}
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
            {translate('ld.common.cancel')}
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
            {translate('ld.stocks.adjust')}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
