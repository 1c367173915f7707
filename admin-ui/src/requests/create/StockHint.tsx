import { Box, Typography } from '@mui/material';
import { formatNumber } from '../../common/formats.ts';
import { useGetList, useGetOne, useTranslate } from 'react-admin';
import { isDomainError } from '../../../../domain/errors.ts';
import { checkChannelsInStock, type RuleProduct } from '../../../../domain/request-rules.ts';
import { useMe } from '../../common/useMe.ts';

/** "ports" for PBX licences, "camera channels" for video (the Mirasys wording). */
export function unitOf(product?: { family?: string; lockType?: string } | null) {
  return product?.family?.startsWith('NEC') ? 'ports' : 'camera channels';
}

/** The caller's stock of one product: what the channels field may take. */
export function useStockOf(productId: string | undefined) {
  const { me } = useMe();
  const { data, isPending, error } = useGetList(
    'stocks',
    { filter: { productId, companyId: me?.companyId }, pagination: { page: 1, perPage: 1 } },
    { enabled: !!productId && !!me },
  );
  const { data: product } = useGetOne('products', { id: productId ?? '' }, { enabled: !!productId });
  const row = data?.[0];
  return {
    available: row ? (row.available as number) : productId && !isPending && !error ? 0 : undefined,
    product,
    isPending: !!productId && isPending,
    error,
  };
}

/**
 * Whether `channels` fit: within the product's range (when `inRange`) and the stock held, by the
 * domain's own rule (the form's message for the field comes from the same one).
 */
function fits(product: RuleProduct | undefined, channels: number, available: number, inRange: boolean) {
  try {
    checkChannelsInStock(inRange && product ? product : null, channels, available);
    return true;
  } catch (error) {
    if (isDomainError(error)) return false;
    throw error;
  }
}

/**
 * "45 camera channels in stock", beside the channels field, as the Mirasys portal shows it: green
 * while the channels asked for fit, red when they exceed the stock or (`inRange`) the product's range.
 * `channels` is the field's value when the request takes channels from the stock, else undefined.
 */
export function StockHint({ productId, channels, inRange = false }: { productId?: string; channels?: unknown; inRange?: boolean }) {
  const { available, product, isPending, error } = useStockOf(productId);
  const translate = useTranslate();
  if (!productId) {
    return (
      <Typography variant="body2" color="text.secondary">
        {translate('ld.form.choose_product')}
      </Typography>
    );
  }
  if (error)
    return (
      <Typography variant="body2" color="error">
        {translate('ld.form.stock_unreadable')}
      </Typography>
    );
  if (isPending || available === undefined)
    return (
      <Typography variant="body2" color="text.secondary">
        {translate('ld.form.reading_stock')}
      </Typography>
    );
  const asked = typeof channels === 'number' && Number.isFinite(channels) ? channels : undefined;
  const ok = asked === undefined ? available > 0 : fits(product as RuleProduct | undefined, asked, available, inRange);
  return (
    <Box data-testid="stock-hint" data-fits={ok ? 'yes' : 'no'} aria-live="polite">
      <Typography variant="body2" sx={{ fontWeight: 600, color: ok ? 'success.main' : 'error.main' }}>
        {translate('ld.form.in_stock', { count: formatNumber(available), unit: translate(`ld.form.unit_${unitOf(product).replace(' ', '_')}`) })}
      </Typography>
      {product ? (
        <Typography variant="caption" color="text.secondary">
          {product.name as string}
          {product.maxChannels ? translate('ld.form.range', { min: formatNumber(product.minChannels ?? 1), max: formatNumber(product.maxChannels) }) : ''}
        </Typography>
      ) : null}
    </Box>
  );
}
