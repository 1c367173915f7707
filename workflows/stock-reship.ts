import { runRequest } from './request-flow.ts';
import { fulfilActs, type RequestWorkflowInput } from './request-steps.ts';

/**
 * Stock reship (NEC LMS "Reship Licenses", for distributors only): a distributor moves channels
 * of its stock to one of its dealers. The channels are held from the distributor's stock at once,
 * the desk approves (or the request is approved at once when the distributor's reships need no
 * approval), then the distributor's TRANSFER_OUT and the dealer's TRANSFER_IN are written in one
 * transaction and the admins of both companies are mailed.
 */
export function requestStockReship(input: RequestWorkflowInput) {
  return runRequest(input, ({ requestId, acts }) => ({
    async prepare() {
      const reship = await acts.prepareStockReship({ requestId });
      await acts.reserveStock({ requestId, stock: reship });
      return reship;
    },
    hold: (reship) => ({ channels: reship.channels, release: () => acts.settleStock({ requestId, stock: reship, outcome: 'RELEASE' }) }),
    pending: (reship) => ({
      step: 'reserved',
      action: 'stock_reserved',
      changes: `Reserved: ${reship.channels} channels of ${reship.productName} for ${reship.dealer.name}`,
    }),
    received: (reship) => ({ productName: reship.productName, channels: reship.channels }),
    autoApprove: (reship) =>
      reship.needsApproval
        ? undefined
        : `Auto-approved: ${reship.distributor.name} reships to its dealers without the desk's approval, and its stock covers the ${reship.channels} channels`,
    fulfil: (reship) => fulfilActs.transferStock({ requestId, reship }),
    failure: () => ({
      what: 'the stock reship',
      reason: 'The channels could not be moved to the dealer; the reserved channels are back in your stock. The desk has been told.',
    }),
    async complete(reship, balances) {
      const { distributor, dealer, productName, channels } = reship;
      await acts.recordStep({
        requestId,
        step: 'transferred',
        action: 'stock_transferred',
        changes: `Stock ${productName}: ${distributor.name} −${channels}, ${dealer.name} +${channels}`,
      });
      const reshipped = {
        kind: 'stock_reshipped',
        distributorName: distributor.name,
        dealerName: dealer.name,
        productName,
        channels,
        note: reship.note,
      } as const;
      await acts.notifyCompanyAdmins({
        requestId,
        companyId: distributor.id,
        key: 'stock_reshipped:distributor',
        mail: { ...reshipped, side: 'distributor', balance: balances.distributorAvailable },
        withDeliveryEmails: true,
      });
      await acts.notifyCompanyAdmins({
        requestId,
        companyId: dealer.id,
        key: 'stock_reshipped:dealer',
        mail: { ...reshipped, side: 'dealer', balance: balances.dealerAvailable },
      });
      await acts.recordStep({
        requestId,
        step: 'completed',
        action: 'request_completed',
        status: 'COMPLETED',
        changes: `Channels: ${channels} to ${dealer.name}`,
        completed: true,
      });
      return { outcome: 'completed' };
    },
  }));
}
