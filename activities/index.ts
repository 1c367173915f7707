import type { BusinessCalendar } from '../domain/business-calendar.ts';
import type { PrismaClient } from '../prisma/client.ts';
import { createLicenseOperations } from '../services/licenses.ts';
import { createMailTransport } from '../services/mail/transport.ts';
import { createOutbox } from '../services/mail/outbox.ts';
import { createOwnershipActivities } from './ownership-activities.ts';
import { createRequestActivities } from './request-activities.ts';
import { createSmaActivities } from './sma-activities.ts';
import { createKeyStore } from '../services/signing/key-store.ts';
import { signLicense } from '../services/signing/sign-license.ts';
import { createStockLedger } from '../services/stock-ledger.ts';
import { createUpgradeActivities } from './upgrade-activities.ts';
import { createHardwareReplacementActivities } from './hardware-replacement-activities.ts';

export interface ActivityDeps {
  prisma: PrismaClient;
  smtpUrl: string;
  mailFrom: string;
  signingKeySecret: string;
  publicUrl: string;
  /** The desk's decision SLA in business hours; the request list shows the due date it gives. */
  deskSlaBusinessHours?: number;
  /** The calendar that due date is counted on (BUSINESS_CALENDAR_FILE); DESK_CALENDAR when absent. */
  deskCalendar?: BusinessCalendar;
}

/**
 * Builds the activities the worker registers, closed over their dependencies
 * (`createActivities(deps)`, as in Temporal's dependency-injection sample).
 */
export function createActivities(deps: ActivityDeps) {
  const keyStore = createKeyStore({ prisma: deps.prisma, secret: deps.signingKeySecret });
  const outbox = createOutbox({ prisma: deps.prisma, transport: createMailTransport(deps.smtpUrl), from: deps.mailFrom });
  const licenses = createLicenseOperations(deps.prisma, (grants) => signLicense({ keyStore, grants }));
  return {
    ...createRequestActivities({
      prisma: deps.prisma,
      ledger: createStockLedger(deps.prisma),
      licenses,
      outbox,
      publicUrl: deps.publicUrl,
      deskSlaBusinessHours: deps.deskSlaBusinessHours,
      deskCalendar: deps.deskCalendar,
    }),
    ...createSmaActivities({ prisma: deps.prisma, outbox, publicUrl: deps.publicUrl }),
    ...createUpgradeActivities({ prisma: deps.prisma, licenses }),
    ...createHardwareReplacementActivities({ prisma: deps.prisma, licenses }),
    ...createOwnershipActivities({
      prisma: deps.prisma,
      licenses,
      outbox,
      publicUrl: deps.publicUrl,
      deskSlaBusinessHours: deps.deskSlaBusinessHours,
      deskCalendar: deps.deskCalendar,
    }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
