import { useState } from 'react';
import { Alert, Box, Button, Dialog, DialogActions, DialogContent, DialogTitle, Typography } from '@mui/material';
import SendIcon from '@mui/icons-material/Send';
import { useFormContext } from 'react-hook-form';
import { Toolbar, useGetOne, useSaveContext } from 'react-admin';
import { REQUEST_TYPE_LABELS, type RequestType } from '../../common/labels.ts';
import { toPayload } from './payload.ts';
import { unitOf, useStockOf } from './StockHint.tsx';

export const FORM_ID = 'new-request-form';

/** What the request does to the stock, in the words of the Mirasys "Stock Reduction" step. */
function StockEffect({ type, values }: { type: RequestType; values: Record<string, unknown> }) {
  const productId = (type === 'CHANNEL_EXPANSION' ? values.licenseProductId : values.productId) as string | undefined;
  const { available, product } = useStockOf(type === 'NEW_INSTALLATION' || type === 'CHANNEL_EXPANSION' || type === 'STOCK_ADDITION' ? productId : undefined);
  const channels = Number(values.channels ?? 0);
  const unit = unitOf(product);
  if (type === 'NEW_INSTALLATION' || type === 'CHANNEL_EXPANSION') {
    if (!productId || available === undefined) {
      return <Alert severity="info">{channels} channels will be deducted from your stock of this license's product when the desk approves.</Alert>;
    }
    const after = available - channels;
    return (
      <Alert severity={after < 0 ? 'error' : 'warning'} data-testid="stock-deduction">
        <strong>Stock reduction.</strong> The following will be deducted from your stock: {channels} {unit} of {product?.name as string}. You have {available}{' '}
        in stock; {after < 0 ? `that is ${-after} too few, so the desk cannot approve this request as it is.` : `${after} will remain.`} The channels are held
        now and deducted when the desk approves.
      </Alert>
    );
  }
  if (type === 'STOCK_ADDITION') {
    return (
      <Alert severity="info" data-testid="stock-deduction">
        {channels} {unit} of {(product?.name as string) ?? 'the product'} will be added to your stock once the desk has checked order{' '}
        {String(values.orderReference ?? '')}.
      </Alert>
    );
  }
  if (type === 'RETURN_CONFIRMATION') {
    return (
      <Alert severity="info" data-testid="stock-deduction">
        A reduced license is issued. {channels} channels are credited back to your stock only after you confirm the return.
      </Alert>
    );
  }
  return (
    <Alert severity="info" data-testid="stock-deduction">
      This request does not change your stock.
    </Alert>
  );
}

function Summary({ values }: { values: Record<string, unknown> }) {
  const payload = toPayload(values);
  const { data: product } = useGetOne(
    'products',
    { id: (payload.productId ?? payload.targetProductId) as string },
    { enabled: !!(payload.productId ?? payload.targetProductId) },
  );
  const rows: Array<[string, string]> = [];
  if (product) rows.push(['Product', product.name as string]);
  if (payload.serial) rows.push(['License', String(payload.serial)]);
  if (Array.isArray(payload.serials)) rows.push(['Licenses', payload.serials.join(', ')]);
  if (payload.channels !== undefined) rows.push(['Channels', String(payload.channels)]);
  if (payload.endUserCompany) rows.push(['End user', String(payload.endUserCompany)]);
  const lock = payload.lock as { type: string; value: string } | undefined;
  if (lock?.value) rows.push([lock.type === 'MAC' ? 'MAC address' : 'Hardware key', lock.value]);
  rows.push(['Delivery', (payload.deliveryEmails as string[]).join(', ')]);
  return (
    <Box component="dl" sx={{ display: 'grid', gridTemplateColumns: '140px 1fr', rowGap: 0.5, columnGap: 2, my: 2 }}>
      {rows.map(([k, v]) => (
        <Box key={k} sx={{ display: 'contents' }}>
          <Typography component="dt" variant="body2" color="text.secondary">
            {k}
          </Typography>
          <Typography component="dd" variant="body2" sx={{ m: 0, overflowWrap: 'anywhere' }}>
            {v}
          </Typography>
        </Box>
      ))}
    </Box>
  );
}

/**
 * "Review" validates the form inline, then a confirmation step states the stock deduction;
 * "Confirm and submit" submits the form (a submit button tied to it by its id).
 */
export function ReviewToolbar({ type }: { type: RequestType }) {
  const { trigger, getValues } = useFormContext();
  const { saving } = useSaveContext();
  const [open, setOpen] = useState(false);
  return (
    <Toolbar>
      <Button
        variant="contained"
        startIcon={<SendIcon />}
        disabled={saving}
        onClick={async () => {
          if (await trigger()) setOpen(true);
        }}
      >
        Review and submit
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} fullWidth maxWidth="sm" aria-labelledby="review-title">
        <DialogTitle id="review-title">Confirm the {REQUEST_TYPE_LABELS[type].toLowerCase()} request</DialogTitle>
        <DialogContent>
          {open ? (
            <>
              <StockEffect type={type} values={getValues()} />
              <Summary values={getValues()} />
              <Typography variant="body2" color="text.secondary">
                Press confirm to send the request to the license desk. You can follow it under My requests.
              </Typography>
            </>
          ) : null}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)}>Back to the form</Button>
          <Button type="submit" form={FORM_ID} variant="contained" onClick={() => setTimeout(() => setOpen(false))}>
            Confirm and submit
          </Button>
        </DialogActions>
      </Dialog>
    </Toolbar>
  );
}
