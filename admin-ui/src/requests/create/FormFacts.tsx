import { useEffect, type MutableRefObject } from 'react';
import { useFormContext, useWatch } from 'react-hook-form';
import { useGetOne } from 'react-admin';
import type { RequestFormFacts } from '../../../../domain/request-form-facts.ts';
import type { RuleLicense, RuleProduct } from '../../../../domain/request-rules.ts';
import type { RequestType } from '../../common/labels.ts';
import { useStockOf } from './StockHint.tsx';

/** The fields whose rules need the facts, by request type: validated again when the facts arrive. */
const DEPENDENT: Record<RequestType, string[]> = {
  NEW_INSTALLATION: ['channels', 'lock'],
  CHANNEL_EXPANSION: ['channels'],
  RETURN_CONFIRMATION: ['channels'],
  UPGRADE: ['targetProductId'],
  HARDWARE_REPLACEMENT: ['oldLock', 'newLock'],
  STOCK_ADDITION: [],
  OWNERSHIP_CHANGE: [],
  PARTIAL_TRANSFER: ['channels', 'lock'],
  STOCK_RESHIP: ['channels', 'productId'],
  SMA_RENEWAL: [],
};

/** A value the partner has given: a number, text, or a lock with its value typed. */
const filledIn = (value: unknown): boolean =>
  typeof value === 'number' ||
  (typeof value === 'string' && value.trim() !== '') ||
  (!!value && typeof value === 'object' && filledIn((value as { value?: unknown }).value));

const sameSerial = (a: unknown, b: unknown) => typeof a === 'string' && typeof b === 'string' && a.trim().toUpperCase() === b.trim().toUpperCase();

/**
 * Loads what the form's rules need besides the typed values (the chosen product, the partner's
 * stock of it, the chosen license) into `into`, which the resolver reads (payload.ts), and
 * validates the dependent fields again once they arrive, if the partner has filled them in.
 * Renders nothing.
 */
export function FormFacts({ type, into }: { type: RequestType; into: MutableRefObject<RequestFormFacts> }) {
  const { trigger, getFieldState, getValues } = useFormContext();
  const [productId, targetProductId, licenseId, licenseProductId, serial] = useWatch({
    name: ['productId', 'targetProductId', 'licenseId', 'licenseProductId', 'serial'],
  }) as Array<string | undefined>;
  const usesLicense =
    type === 'CHANNEL_EXPANSION' || type === 'RETURN_CONFIRMATION' || type === 'UPGRADE' || type === 'HARDWARE_REPLACEMENT' || type === 'PARTIAL_TRANSFER';
  const { data: licenseRecord } = useGetOne('licenses', { id: licenseId ?? '' }, { enabled: usesLicense && !!licenseId });
  // A license picked, then its serial typed over, is no longer the request's license.
  const license = licenseRecord && sameSerial(licenseRecord.serial, serial) ? (licenseRecord as unknown as RuleLicense) : undefined;
  const stockProductId =
    type === 'NEW_INSTALLATION' || type === 'STOCK_RESHIP'
      ? productId
      : type === 'CHANNEL_EXPANSION'
        ? license?.product
          ? licenseProductId
          : undefined
        : undefined;
  const stock = useStockOf(stockProductId);
  const { data: target } = useGetOne('products', { id: targetProductId ?? '' }, { enabled: type === 'UPGRADE' && !!targetProductId });
  const product =
    type === 'NEW_INSTALLATION' || type === 'STOCK_RESHIP'
      ? (stock.product as RuleProduct | undefined)
      : type === 'UPGRADE'
        ? (target as RuleProduct | undefined)
        : undefined;
  const available = stockProductId && !stock.isPending ? stock.available : undefined;

  useEffect(() => {
    into.current = { product, available, license };
    const stale = DEPENDENT[type].filter((field) => filledIn(getValues(field)) || !!getFieldState(field).error);
    if (stale.length > 0) void trigger(stale);
  }, [into, type, product, available, license, trigger, getFieldState, getValues]);
  return null;
}
