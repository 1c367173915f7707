/**
 * A stock's balance is derived from its append-only ledger, never stored. This is the same
 * arithmetic as the "StockBalance" view (migrations 20261122000100_append_only_and_stock_balance,
 * 20261122000500_stock_balance_debit and 20261208000100_stock_reship),
 * so a workflow or a test can reason about a balance the way the database computes it.
 */
export type StockEntryKind = 'CREDIT' | 'RESERVE' | 'CONSUME' | 'RELEASE' | 'RETURN' | 'DEBIT' | 'TRANSFER_OUT' | 'TRANSFER_IN';

export interface StockEntry {
  kind: StockEntryKind;
  /** Always positive; the kind says which way the channels move. */
  channels: number;
}

export interface StockBalance {
  available: number;
  reserved: number;
  consumed: number;
}

/**
 * available = credited + returned + released + transferred in - reserved - debited
 * reserved  = reserved - released - consumed - transferred out
 * consumed  = consumed - returned
 *
 * A reship's TRANSFER_OUT settles the distributor's reservation (as a CONSUME would), and the
 * dealer's TRANSFER_IN adds to its available channels (as a CREDIT would).
 */
export function stockBalance(entries: readonly StockEntry[]): StockBalance {
  const total: Record<StockEntryKind, number> = { CREDIT: 0, RESERVE: 0, CONSUME: 0, RELEASE: 0, RETURN: 0, DEBIT: 0, TRANSFER_OUT: 0, TRANSFER_IN: 0 };
  for (const { kind, channels } of entries) {
    if (!(kind in total)) throw new RangeError(`Unknown stock ledger entry kind "${String(kind)}"`);
    // Mirrors the table's CHECK ("channels" > 0).
    if (!Number.isInteger(channels) || channels <= 0) {
      throw new RangeError(`A stock ledger entry moves a positive whole number of channels (got ${channels})`);
    }
    total[kind] += channels;
  }
  return {
    available: total.CREDIT + total.RETURN + total.RELEASE + total.TRANSFER_IN - total.RESERVE - total.DEBIT,
    reserved: total.RESERVE - total.RELEASE - total.CONSUME - total.TRANSFER_OUT,
    consumed: total.CONSUME - total.RETURN,
  };
}

export type ReserveCheck = { ok: true } | { ok: false; reason: string };

/** Whether `channels` can be held from this balance, with a reason a partner can read if not. */
export function checkReserve(balance: StockBalance, channels: number): ReserveCheck {
  if (!Number.isInteger(channels) || channels <= 0) {
    return { ok: false, reason: `The number of channels must be a whole number of at least 1 (got ${channels}).` };
  }
  if (channels > balance.available) {
    const has = `${balance.available} channel${balance.available === 1 ? '' : 's'}`;
    return { ok: false, reason: `The stock has ${has} available; this request needs ${channels}.` };
  }
  return { ok: true };
}

export function canReserve(balance: StockBalance, channels: number): boolean {
  return checkReserve(balance, channels).ok;
}

/**
 * The idempotency key of a ledger entry or history event written by an activity:
 * "<requestId>:<step>". A retried activity finds its own earlier row by it.
 */
export function ledgerKey(requestId: string, step: string): string {
  if (requestId === '' || requestId.includes(':')) {
    throw new RangeError(`ledgerKey needs a request id without ":" (got "${requestId}")`);
  }
  if (step === '') throw new RangeError('ledgerKey needs a step name');
  return `${requestId}:${step}`;
}
