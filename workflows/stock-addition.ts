import { runRequest } from './request-flow.ts';
import type { RequestWorkflowInput } from './request-steps.ts';

/**
 * Stock addition (Mirasys §3.3): the desk checks the order (PO) and approves; the channels are
 * credited to the partner's stock and a confirmation goes out. No license file is involved.
 */
export function requestStockAddition(input: RequestWorkflowInput) {
  return runRequest(input, ({ requestId, acts, mail }) => ({
    prepare() {
      return acts.prepareStockAddition({ requestId });
    },
    pending: (stock) => ({
      step: 'pending',
      action: 'awaiting_decision',
      changes: `Order ${stock.orderReference}: ${stock.channels} channels of ${stock.productName}`,
    }),
    received: (stock) => ({ productName: stock.productName, channels: stock.channels }),
    fulfil: (stock) => acts.creditStock({ requestId, stock, note: `Order ${stock.orderReference}` }),
    failure: () => ({ what: 'the stock addition', reason: 'The channels could not be credited to your stock. The desk has been told.' }),
    async complete(stock, balance) {
      await acts.recordStep({ requestId, step: 'credited', action: 'stock_credited', changes: `Stock ${stock.productName}: +${stock.channels}` });
      await mail('stock_credited', {
        kind: 'stock_credited',
        productName: stock.productName,
        channels: stock.channels,
        orderReference: stock.orderReference,
        balance,
      });
      await acts.recordStep({ requestId, step: 'completed', action: 'request_completed', status: 'COMPLETED', completed: true });
      return { outcome: 'completed' };
    },
  }));
}
