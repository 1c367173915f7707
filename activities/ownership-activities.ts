import { ownershipChangeForm } from '../domain/request-forms.ts';
import { checkOwners, checkTransferable, ownerCompanies } from '../domain/request-rules.ts';
import { checkUnchangedForTransfer } from '../domain/fulfilment-rules.ts';
import { distinctSerials } from '../domain/serial.ts';
import type { BusinessCalendar } from '../domain/business-calendar.ts';
import type { PrismaClient } from '../prisma/client.ts';
import type { IssuedRevision, LicenseOperations } from '../services/licenses.ts';
import type { Clock } from '../services/clock.ts';
import type { Mailer } from '../services/mail/outbox.ts';
import { deliverRequestMail, type MailSpec } from './request-mail.ts';
import { fromDomain, loadRequestForm, refuse } from './request-checks.ts';
import { recordStep } from './request-timeline.ts';
import { checkNoCoolingOffRenewal } from '../domain/sma-renewal.ts';
import { coolingOffRenewals } from '../services/sma-cooling-off.ts';

export interface OwnershipActivityDeps {
  prisma: PrismaClient;
  licenses: LicenseOperations;
  outbox: Mailer;
  clock: Clock;
  publicUrl: string;
  /** The desk's decision SLA: the due date starts when the owner consents. */
  deskSlaBusinessHours?: number;
  deskCalendar?: BusinessCalendar;
}

export interface OwnershipTransfer {
  currentOwner: { id: string; name: string };
  newOwner: { id: string; name: string };
  licenses: Array<{ licenseId: string; serial: string }>;
}

type Actor = { userId: string; name: string };

// Signing up to 50 files in one transaction takes longer than Prisma's 5-second default.
const TRANSFER_TRANSACTION = { maxWait: 10_000, timeout: 120_000 };

/**
 * The activities of the ownership-change workflow (Mirasys §3.5): check the licenses and the
 * two companies, accept the current owner's consent from one of its admins only, move the
 * licenses with a re-issued file each, and mail the admins of a company.
 */
export function createOwnershipActivities({ prisma, licenses, outbox, clock, publicUrl, deskSlaBusinessHours, deskCalendar }: OwnershipActivityDeps) {
  return {
    /**
     * Checks the form: the requester is the current or the new owner, the two differ, and every
     * serial is an active license of the current owner. Refusals name what was wrong.
     */
    async prepareOwnershipChange({ requestId }: { requestId: string }): Promise<OwnershipTransfer> {
      const { request, form } = await loadRequestForm(prisma, requestId, 'OWNERSHIP_CHANGE', ownershipChangeForm);
      fromDomain(() => checkOwners(request.companyId, form));
      const companies = await prisma.company.findMany({
        where: { id: { in: [form.currentOwnerCompanyId, form.newOwnerCompanyId] } },
        select: { id: true, name: true },
      });
      const { currentOwner, newOwner } = fromDomain(() => ownerCompanies(companies, form));

      // One order for every transfer, so two transfers of the same licenses lock them alike.
      const serials = fromDomain(() => distinctSerials(form.serials)).sort();
      const found = await prisma.license.findMany({ where: { serial: { in: serials } }, select: { id: true, serial: true, companyId: true, status: true } });
      fromDomain(() => checkTransferable(serials, found, currentOwner));
      const renewals = await coolingOffRenewals(prisma);
      fromDomain(() => checkNoCoolingOffRenewal(serials, renewals, 'serials'));
      if (serials.length === 1) await prisma.request.update({ where: { id: requestId }, data: { serial: serials[0], licenseId: found[0]!.id } });
      return {
        currentOwner,
        newOwner,
        licenses: serials.map((serial) => ({ serial, licenseId: found.find((l) => l.serial === serial)!.id })),
      };
    },

    /**
     * Records the current owner's answer, once per request and `step`. Only an active partner
     * admin of the current owner may answer: from anyone else the answer is refused (the workflow
     * ignores it and keeps waiting) and a desk-only timeline note says so.
     */
    async recordOwnerConsent(input: { requestId: string; step: string; currentOwnerCompanyId: string; actor: Actor; consent: boolean; comment?: string }) {
      const { requestId, step, currentOwnerCompanyId, actor, consent, comment } = input;
      const user = await prisma.user.findUnique({ where: { id: actor.userId }, select: { companyId: true, role: true, active: true } });
      if (!user || !user.active || user.role !== 'PARTNER_ADMIN' || user.companyId !== currentOwnerCompanyId) {
        await recordStep(
          prisma,
          {
            requestId,
            step: `${step}:ignored`,
            action: 'owner_consent_ignored',
            partnerVisible: false,
            actor,
            comment: 'Only an admin of the current owner can answer; this answer was ignored.',
          },
          { clock },
        );
        refuse(`${actor.name} is not an admin of the current owner and cannot give or refuse consent.`);
      }
      const status = consent ? ('PENDING_APPROVAL' as const) : undefined;
      await recordStep(
        prisma,
        {
          requestId,
          step,
          action: consent ? 'owner_consented' : 'owner_consent_refused',
          status,
          comment,
          actor,
        },
        { deskSlaBusinessHours, deskCalendar, clock },
      );
      // The status it wrote, which the workflow mirrors into its search attribute.
      return { status };
    },

    /**
     * Moves every license to the new owner, each as a new revision signed for it (its history
     * rows stay: they follow the license id), with an `ownership_changed` history event. All
     * licenses move in one transaction, or none does; once per (request, serial).
     */
    async transferLicenses({ requestId, transfer, actor }: { requestId: string; transfer: OwnershipTransfer; actor?: Actor }): Promise<IssuedRevision[]> {
      const step = (serial: string) => `ownership:${serial}`;
      const done = await Promise.all(transfer.licenses.map((l) => licenses.existingRevision(requestId, step(l.serial))));
      if (done.every((d) => d !== undefined)) return done as IssuedRevision[];
      const { currentOwner, newOwner } = transfer;
      return prisma.$transaction(async (tx) => {
        const issued: IssuedRevision[] = [];
        for (const [i, license] of transfer.licenses.entries()) {
          if (done[i]) {
            issued.push(done[i]);
            continue;
          }
          issued.push(
            await licenses.reviseIn(
              tx,
              requestId,
              license.licenseId,
              (before) => {
                // Checked again under the row lock: the license may have moved while the desk decided.
                fromDomain(() => checkUnchangedForTransfer(before, currentOwner));
                return { company: { connect: { id: newOwner.id } } };
              },
              { step: step(license.serial), action: 'ownership_changed', changes: `Owner: ${currentOwner.name} → ${newOwner.name}`, actor },
            ),
          );
        }
        return issued;
      }, TRANSFER_TRANSACTION);
    },

    /**
     * Mails one company about a request, exactly once per `key`: to its active partner admins
     * (its contact address when it has none), plus the request's delivery addresses when asked,
     * with license revisions attached. Returns the outbox row id, or null with no recipient.
     */
    async notifyCompanyAdmins(input: {
      requestId: string;
      companyId: string;
      key: string;
      mail: MailSpec;
      withDeliveryEmails?: boolean;
      attachRevisionIds?: string[];
    }) {
      const { requestId, companyId, key, mail, withDeliveryEmails, attachRevisionIds } = input;
      const request = await prisma.request.findUniqueOrThrow({ where: { id: requestId }, select: { deliveryEmails: true } });
      const company = await prisma.company.findUniqueOrThrow({ where: { id: companyId } });
      const admins = await prisma.user.findMany({
        where: { companyId, role: 'PARTNER_ADMIN', active: true },
        select: { email: true },
        orderBy: { email: 'asc' },
      });
      const companyAddresses = admins.length > 0 ? admins.map((u) => u.email) : company.contactEmail ? [company.contactEmail] : [];
      const to = [...new Set([...companyAddresses, ...(withDeliveryEmails ? request.deliveryEmails : [])])];
      return deliverRequestMail({ prisma, outbox, publicUrl }, { requestId, key, mail, to, timeZone: company.timeZone, attachRevisionIds });
    },
  };
}

export type OwnershipActivities = ReturnType<typeof createOwnershipActivities>;
