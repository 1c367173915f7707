import { Box, Typography } from '@mui/material';
import { useGetList, useGetOne } from 'react-admin';
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

/** "45 camera channels in stock", beside the channels field, as the Mirasys portal shows it. */
export function StockHint({ productId }: { productId?: string }) {
  const { available, product, isPending, error } = useStockOf(productId);
  if (!productId) {
    return (
      <Typography variant="body2" color="text.secondary">
        Choose the product to see your stock.
      </Typography>
    );
  }
  if (error)
    return (
      <Typography variant="body2" color="error">
        The stock could not be read.
      </Typography>
    );
  if (isPending || available === undefined)
    return (
      <Typography variant="body2" color="text.secondary">
        Reading your stock…
      </Typography>
    );
  return (
    <Box data-testid="stock-hint" aria-live="polite">
      <Typography variant="body2" sx={{ fontWeight: 600, color: available > 0 ? 'success.main' : 'error.main' }}>
        {available} {unitOf(product)} in stock
      </Typography>
      {product ? (
        <Typography variant="caption" color="text.secondary">
          {product.name as string}
          {product.maxChannels ? ` · range ${product.minChannels ?? 1}–${product.maxChannels}` : ''}
        </Typography>
      ) : null}
    </Box>
  );
}
