// The request workflows, one file per request type; the worker bundles this module. Workflow
// files import only @temporalio/workflow, message definitions, pure helpers and `import type`
// of activities. Their exported names are the workflow types: a public contract.
export { requestNewInstallation } from './new-installation.ts';
export { requestChannelExpansion } from './channel-expansion.ts';
export { requestStockAddition } from './stock-addition.ts';
export { requestReturnConfirmation } from './return-confirmation.ts';
export { requestUpgrade } from './upgrade.ts';
export { requestOwnershipChange } from './ownership-change.ts';
export { requestHardwareReplacement } from './hardware-replacement.ts';
export { requestPartialTransfer } from './partial-transfer.ts';
export { requestStockReship } from './stock-reship.ts';
export { requestSmaRenewal } from './sma-renewal.ts';
export { remindSmaRenewals } from './sma-reminders.ts';
export { deliverWebhook } from './webhook-delivery.ts';
