import { useState } from 'react';
import { Alert, Box, Button, Dialog, DialogActions, DialogContent, DialogTitle, Typography } from '@mui/material';
import SendIcon from '@mui/icons-material/Send';
import { useFormContext } from 'react-hook-form';
import { Toolbar, useGetOne, useLocaleState, useSaveContext, useTranslate } from 'react-admin';
import { formatNumber } from '../../common/formats.ts';
import { formatMac, useLabel, type RequestType } from '../../common/labels.ts';
import { toPayload } from './payload.ts';
import { unitOf, useStockOf } from './StockHint.tsx';

export const FORM_ID = 'new-request-form';

/** What the request does to the stock, in the words of the Mirasys "Stock Reduction" step. */
function StockEffect({ type, values }: { type: RequestType; values: Record<string, unknown> }) {
  const productId = (type === 'CHANNEL_EXPANSION' ? values.licenseProductId : values.productId) as string | undefined;
  const { available, product } = useStockOf(
    type === 'NEW_INSTALLATION' || type === 'CHANNEL_EXPANSION' || type === 'STOCK_ADDITION' || type === 'STOCK_RESHIP' ? productId : undefined,
  );
  const { data: dealer } = useGetOne('companies', { id: values.dealerCompanyId as string }, { enabled: type === 'STOCK_RESHIP' && !!values.dealerCompanyId });
  const translate = useTranslate();
  const channels = Number(values.channels ?? 0);
  const unit = translate(`ld.form.unit_${unitOf(product).replace(' ', '_')}`);
  const n = formatNumber;
  if (type === 'NEW_INSTALLATION' || type === 'CHANNEL_EXPANSION') {
    if (!productId || available === undefined) {
      return <Alert severity="info">{translate('ld.review.deducted_later', { channels: n(channels) })}</Alert>;
    }
    const after = available - channels;
    return (
      <Alert severity={after < 0 ? 'error' : 'warning'} data-testid="stock-deduction">
        <strong>{translate('ld.review.reduction')}</strong>{' '}
        {translate('ld.review.reduction_text', { channels: n(channels), unit, product: product?.name as string, available: n(available) })}{' '}
        {after < 0 ? translate('ld.review.too_few', { missing: n(-after) }) : translate('ld.review.remain', { after: n(after) })} {translate('ld.review.held')}
      </Alert>
    );
  }
  if (type === 'STOCK_ADDITION') {
    return (
      <Alert severity="info" data-testid="stock-deduction">
        {translate('ld.review.added', {
          channels: n(channels),
          unit,
          product: (product?.name as string) ?? translate('ld.review.the_product'),
          order: String(values.orderReference ?? ''),
        })}
      </Alert>
    );
  }
  if (type === 'STOCK_RESHIP' && available !== undefined) {
    const after = available - channels;
    const args = { channels: n(channels), unit, product: product?.name as string, available: n(available), dealer: (dealer?.name as string) ?? '' };
    return (
      <Alert severity={after < 0 ? 'error' : 'warning'} data-testid="stock-deduction">
        {after < 0 ? translate('ld.review.reship_too_few', { ...args, missing: n(-after) }) : translate('ld.review.reship', { ...args, after: n(after) })}
      </Alert>
    );
  }
  if (type === 'RETURN_CONFIRMATION') {
    return (
      <Alert severity="info" data-testid="stock-deduction">
        {translate('ld.review.returned', { channels: n(channels) })}
      </Alert>
    );
  }
  return (
    <Alert severity="info" data-testid="stock-deduction">
      {translate('ld.review.no_change')}
    </Alert>
  );
}

function Summary({ values }: { values: Record<string, unknown> }) {
  const payload = toPayload(values);
  const translate = useTranslate();
  const { data: product } = useGetOne(
    'products',
    { id: (payload.productId ?? payload.targetProductId) as string },
    { enabled: !!(payload.productId ?? payload.targetProductId) },
  );
  const { data: dealer } = useGetOne('companies', { id: payload.dealerCompanyId as string }, { enabled: !!payload.dealerCompanyId });
  const { data: target } = useGetOne('companies', { id: payload.targetCompanyId as string }, { enabled: !!payload.targetCompanyId });
  const rows: Array<[string, string]> = [];
  if (product) rows.push([translate('ld.review.product'), product.name as string]);
  if (payload.serial) rows.push([translate('ld.review.license'), String(payload.serial)]);
  if (Array.isArray(payload.serials)) rows.push([translate('ld.review.licenses'), payload.serials.join(', ')]);
  if (dealer) rows.push([translate('ld.review.dealer'), dealer.name as string]);
  if (payload.channels !== undefined) rows.push([translate('ld.review.channels'), formatNumber(payload.channels)]);
  if (target) rows.push([translate('ld.review.receiving_company'), target.name as string]);
  if (payload.endUserCompany) rows.push([translate('ld.review.end_user'), String(payload.endUserCompany)]);
  const lock = payload.lock as { type: string; value: string } | undefined;
  if (lock?.value)
    rows.push([translate(lock.type === 'MAC' ? 'ld.review.mac' : 'ld.review.hardware_key'), lock.type === 'MAC' ? formatMac(lock.value) : lock.value]);
  rows.push([translate('ld.review.delivery'), (payload.deliveryEmails as string[]).join(', ')]);
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
  const translate = useTranslate();
  const label = useLabel();
  const [locale] = useLocaleState();
  // "the new installation request" in English; Finnish keeps the type's capital.
  const typeName = locale === 'en' ? label('request_type', type).toLowerCase() : label('request_type', type);
  return (
    <Toolbar>
      <Button
        variant="contained"
        startIcon={<SendIcon />}
        disabled={saving}
        // trigger() validates and shows its own errors in the form; it does not reject.
        onClick={() => void trigger().then((valid) => valid && setOpen(true))}
      >
        {translate('ld.review.review')}
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} fullWidth maxWidth="sm" aria-labelledby="review-title">
        <DialogTitle id="review-title">{translate('ld.review.title', { type: typeName })}</DialogTitle>
        <DialogContent>
          {open ? (
            <>
              <StockEffect type={type} values={getValues()} />
              <Summary values={getValues()} />
              <Typography variant="body2" color="text.secondary">
                {translate('ld.review.press_confirm')}
              </Typography>
            </>
          ) : null}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)}>{translate('ld.review.back')}</Button>
          <Button type="submit" form={FORM_ID} variant="contained" onClick={() => setTimeout(() => setOpen(false))}>
            {translate('ld.review.confirm')}
          </Button>
        </DialogActions>
      </Dialog>
    </Toolbar>
  );
}
