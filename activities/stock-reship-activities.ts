import { stockReshipForm } from '../domain/request-forms.ts';
import { checkReshippable, checkReshipper, offeredProduct, reshipDealer } from '../domain/request-rules.ts';
import type { PrismaClient } from '../prisma/client.ts';
import type { StockLedger } from '../services/stock-ledger.ts';
import type { StockTarget } from './request-activities.ts';
import { fromDomain, loadRequestForm } from './request-checks.ts';

export interface StockReshipActivityDeps {
  prisma: PrismaClient;
  ledger: StockLedger;
}

/** A reship as the workflow carries it: the distributor's stock it draws on (`companyId`), and the dealer. */
export interface ReshipTarget extends StockTarget {
  distributor: { id: string; name: string };
  dealer: { id: string; name: string };
  note?: string;
  /** The distributor's `reshipNeedsApproval` when the request was checked: false lets the workflow approve it at once. */
  needsApproval: boolean;
}

/** The ledger keys of a reship: the reservation (settled by the transfer-out) and the dealer's transfer-in. */
const reserveKeyOf = (requestId: string) => `${requestId}:reserve`;
const transferInKeyOf = (requestId: string) => `${requestId}:transfer-in`;

/**
 * The activities of the stock-reship workflow (NEC LMS "Reship Licenses"): check that a
 * distributor sends channels of an offered, non-demo product to one of its own dealers, and move
 * the reserved channels to the dealer's stock in one transaction.
 */
export function createStockReshipActivities({ prisma, ledger }: StockReshipActivityDeps) {
  return {
    /**
     * Checks the form with the rules the API ran at submission (domain/request-rules.ts), again:
     * the company, its dealers or the catalogue may have changed since. The stock itself is
     * checked by the reservation that follows.
     */
    async prepareStockReship({ requestId }: { requestId: string }): Promise<ReshipTarget> {
      const { request, form } = await loadRequestForm(prisma, requestId, 'STOCK_RESHIP', stockReshipForm);
      const [distributor, found, foundProduct] = await Promise.all([
        prisma.company.findUniqueOrThrow({ where: { id: request.companyId } }),
        prisma.company.findUnique({ where: { id: form.dealerCompanyId } }),
        prisma.product.findUnique({ where: { id: form.productId } }),
      ]);
      fromDomain(() => checkReshipper(distributor));
      const dealer = fromDomain(() => reshipDealer(found, distributor.id));
      const product = fromDomain(() => offeredProduct(foundProduct));
      fromDomain(() => checkReshippable(product));
      return {
        companyId: distributor.id,
        productId: product.id,
        productName: product.name,
        channels: form.channels,
        distributor: { id: distributor.id, name: distributor.name },
        dealer: { id: dealer.id, name: dealer.name },
        ...(form.note ? { note: form.note } : {}),
        needsApproval: distributor.reshipNeedsApproval,
      };
    },

    /**
     * Moves the reserved channels: the distributor's TRANSFER_OUT and the dealer's TRANSFER_IN, in
     * one transaction, once per request (a retry finds the pair). Answers both available balances.
     */
    async transferStock({ requestId, reship }: { requestId: string; reship: ReshipTarget }) {
      const note = reship.note
        ? `Reship ${reship.distributor.name} → ${reship.dealer.name}: ${reship.note}`
        : `Reship ${reship.distributor.name} → ${reship.dealer.name}`;
      const dealerStock = { companyId: reship.dealer.id, productId: reship.productId };
      await ledger.transfer(reship, dealerStock, reserveKeyOf(requestId), transferInKeyOf(requestId), { requestId, note });
      const [distributor, dealer] = await Promise.all([ledger.balance(reship), ledger.balance(dealerStock)]);
      return { distributorAvailable: distributor.available, dealerAvailable: dealer.available };
    },
  };
}

export type StockReshipActivities = ReturnType<typeof createStockReshipActivities>;
