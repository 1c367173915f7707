import type { BusinessCalendar } from '../domain/business-calendar.ts';
import type { PrismaClient } from '../prisma/client.ts';
import type { Clock } from '../services/clock.ts';
import { createLicenseOperations, type LicenseSigner } from '../services/licenses.ts';
import type { Mailer } from '../services/mail/outbox.ts';
import { createStockLedger } from '../services/stock-ledger.ts';
import { createOwnershipActivities } from './ownership-activities.ts';
import { createPartialTransferActivities } from './partial-transfer-activities.ts';
import { createRequestActivities } from './request-activities.ts';
import { createSmaActivities } from './sma-activities.ts';
import { createSmaRenewalActivities } from './sma-renewal-activities.ts';
import { createUpgradeActivities } from './upgrade-activities.ts';
import { createHardwareReplacementActivities } from './hardware-replacement-activities.ts';
import { createStockReshipActivities } from './stock-reship-activities.ts';
import { createWebhookActivities } from './webhook-activities.ts';
import type { WebhookSender } from '../services/webhooks/delivery.ts';

export interface ActivityDeps {
  prisma: PrismaClient;
  /** Sends the mails: the outbox (services/mail/outbox.ts), which records each one before it sends it, once per key. */
  mailer: Mailer;
  /** Signs each license revision's file: the key store's active key (createServices in services/index.ts). */
  signer: LicenseSigner;
  /** Dates what the activities write: decisions, due dates, activations, SMA terms, expiries, file issue times. */
  clock: Clock;
  publicUrl: string;
  /** The desk's decision SLA in business hours; the request list shows the due date it gives. */
  deskSlaBusinessHours?: number;
  /** The calendar that due date is counted on (BUSINESS_CALENDAR_FILE); DESK_CALENDAR when absent. */
  deskCalendar?: BusinessCalendar;
  /** POSTs the webhook deliveries (services/webhooks/delivery.ts); the webhook steps refuse without it. */
  webhooks?: WebhookSender;
}

/**
 * Builds the activities the worker registers, closed over the services they wrap
 * (`createActivities({ prisma, mailer, signer, clock })`, as in Temporal's dependency-injection
 * sample). The worker builds the services from its configuration (createServices); a test can
 * pass others, e.g. a fixed clock.
 */
export function createActivities(deps: ActivityDeps) {
  const { prisma, mailer, signer, clock } = deps;
  const licenses = createLicenseOperations(prisma, signer, clock);
  const desk = { deskSlaBusinessHours: deps.deskSlaBusinessHours, deskCalendar: deps.deskCalendar };
  const ledger = createStockLedger(prisma);
  return {
    ...createRequestActivities({ prisma, ledger, licenses, outbox: mailer, clock, publicUrl: deps.publicUrl, ...desk }),
    ...createSmaActivities({ prisma, outbox: mailer, publicUrl: deps.publicUrl }),
    ...createUpgradeActivities({ prisma, licenses, clock }),
    ...createHardwareReplacementActivities({ prisma, licenses, clock }),
    ...createSmaRenewalActivities({ prisma, licenses, outbox: mailer, publicUrl: deps.publicUrl }),
    ...createOwnershipActivities({ prisma, licenses, outbox: mailer, clock, publicUrl: deps.publicUrl, ...desk }),
    ...createPartialTransferActivities({ prisma, licenses }),
    ...createStockReshipActivities({ prisma, ledger }),
    ...createWebhookActivities({ webhooks: deps.webhooks }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
