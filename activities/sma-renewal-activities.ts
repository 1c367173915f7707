import type { Actor } from '../domain/actor.ts';
import { smaRenewalForm } from '../domain/request-forms.ts';
import { ownLicense } from '../domain/request-rules.ts';
import { distinctSerials } from '../domain/serial.ts';
import { addMonthsClamped, checkRenewable, renewalChanges } from '../domain/sma-renewal.ts';
import type { PrismaClient } from '../prisma/client.ts';
import type { IssuedRevision, LicenseOperations } from '../services/licenses.ts';
import type { Mailer } from '../services/mail/outbox.ts';
import { deliverRequestMail, type MailSpec } from './request-mail.ts';
import { fromDomain, loadRequestForm, refuse } from './request-checks.ts';

export interface SmaRenewalActivityDeps {
  prisma: PrismaClient;
  licenses: LicenseOperations;
  outbox: Mailer;
  publicUrl: string;
}

/** One license of a renewal as the desk approves it; the dates are ISO 8601 (they cross Temporal's JSON). */
export interface RenewalLicense {
  licenseId: string;
  serial: string;
  productName: string;
  months: number;
  previousEnd: string;
  newEnd: string;
  backdated: boolean;
}

export interface SmaRenewalPlan {
  licenses: RenewalLicense[];
}

/** A license as renewed (or reverted): its new revision and its SMA end before and after. */
export type RenewedLicense = IssuedRevision & { productName: string; months: number; previousEnd: string; newEnd: string };

/** A renewed license a cancel did not put back, and why ("now belongs to another company", "is revoked"). */
export interface KeptRenewal {
  serial: string;
  licenseId: string;
  why: string;
}

/** What a cancel did: the licenses put back (new revisions, this company's) and those it could not. */
export interface RevertedRenewal {
  reverted: RenewedLicense[];
  kept: KeptRenewal[];
}

/** Why a renewed license can no longer be put back by the renewal's request, or undefined when it can. */
function keptBecause(license: { companyId: string; status: string }, companyId: string): string | undefined {
  if (license.companyId !== companyId) return 'now belongs to another company';
  if (license.status !== 'ACTIVE') return `is ${license.status.toLowerCase().replace('_', ' ')}`;
  return undefined;
}

// Signing up to 50 files in one transaction takes longer than Prisma's 5-second default.
const RENEWAL_TRANSACTION = { maxWait: 10_000, timeout: 120_000 };

const renewStep = (serial: string) => `sma_renewal:${serial}`;
const revertStep = (serial: string) => `sma_renewal_cancelled:${serial}`;

/**
 * The activities of the SMA renewal workflow (NEC LMS "SWA Renewal"; Milestone Care): check each
 * license may be renewed, extend each SMA end by its product's term as a new signed revision (all
 * in one transaction), and, when the partner cancels in the cooling-off period, put each back.
 */
export function createSmaRenewalActivities({ prisma, licenses, outbox, publicUrl }: SmaRenewalActivityDeps) {
  return {
    /**
     * Checks the form: every serial is an active license of the company whose product has an SMA
     * term and whose SMA ended no longer ago than the product's grace period, counted at the
     * submission (the partner asked in time, however long the desk then takes).
     */
    async prepareSmaRenewal({ requestId }: { requestId: string }): Promise<SmaRenewalPlan> {
      const { request, form } = await loadRequestForm(prisma, requestId, 'SMA_RENEWAL', smaRenewalForm);
      // One order for every renewal, so two renewals of the same licenses lock them alike.
      const serials = fromDomain(() => distinctSerials(form.serials)).sort();
      const plan: RenewalLicense[] = [];
      for (const serial of serials) {
        const found = await prisma.license.findUnique({ where: { serial }, include: { product: true } });
        const license = fromDomain(() => ownLicense(found, request.companyId, serial, 'serials'));
        const term = fromDomain(() => checkRenewable(license, request.submittedAt));
        plan.push({
          licenseId: license.id,
          serial,
          productName: license.product.name,
          months: term.months,
          previousEnd: term.previousEnd.toISOString(),
          newEnd: term.newEnd.toISOString(),
          backdated: term.backdated,
        });
      }
      if (plan.length === 1) await prisma.request.update({ where: { id: requestId }, data: { serial: plan[0]!.serial, licenseId: plan[0]!.licenseId } });
      return { licenses: plan };
    },

    /**
     * Extends the SMA end of every license by its product's term, from its end under the row lock
     * (a renewal inside the grace period is backdated to that end), each as a new revision signed
     * with the new end and a `sma_renewed` history event. One transaction: all or none. Once per
     * (request, serial): a retry finds the revisions it wrote.
     */
    async renewSmaTerms({ requestId, plan, actor }: { requestId: string; plan: SmaRenewalPlan; actor?: Actor }): Promise<RenewedLicense[]> {
      const request = await prisma.request.findUniqueOrThrow({ where: { id: requestId }, select: { submittedAt: true } });
      const issued = await prisma.$transaction(async (tx) => {
        const out: Array<{ revision: IssuedRevision; item: RenewalLicense; previousEnd: Date; newEnd: Date }> = [];
        for (const item of plan.licenses) {
          const done = await licenses.existingRevision(requestId, renewStep(item.serial));
          if (done) {
            const ends = await revisionEnds(tx, done);
            out.push({ revision: done, item, ...ends });
            continue;
          }
          // Locked and read first, so that the history's words are the dates this revision writes.
          await tx.$executeRaw`SELECT 1 FROM "License" WHERE id = ${item.licenseId}::uuid FOR UPDATE`;
          const before = await tx.license.findUniqueOrThrow({ where: { id: item.licenseId }, include: { product: true } });
          // Checked again under the row lock: the license may have changed while the desk decided.
          const term = fromDomain(() => checkRenewable(before, request.submittedAt));
          const ends = { previousEnd: term.previousEnd, newEnd: term.newEnd };
          const revision = await licenses.reviseIn(tx, requestId, item.licenseId, () => ({ smaEnd: ends.newEnd }), {
            step: renewStep(item.serial),
            action: 'sma_renewed',
            changes: renewalChanges(item.serial, term),
            actor,
          });
          out.push({ revision, item, ...ends });
        }
        return out;
      }, RENEWAL_TRANSACTION);
      return issued.map(({ revision, item, previousEnd, newEnd }) => ({
        ...revision,
        productName: item.productName,
        months: item.months,
        previousEnd: previousEnd.toISOString(),
        newEnd: newEnd.toISOString(),
      }));
    },

    /**
     * Puts each renewed license back to its SMA end before the renewal, as a new signed revision
     * with a `sma_renewal_cancelled` history event, in one transaction, once per (request, serial).
     * A license renewed again since (its end is no longer this renewal's) loses this renewal's
     * term only. A license that has since moved to another company, or is no longer active
     * (returned, revoked), is not touched: it is answered in `kept` with why, for the workflow to
     * record and escalate (its file is never mailed to this request's company).
     */
    async revertSmaRenewal({ requestId, renewed, actor }: { requestId: string; renewed: RenewedLicense[]; actor?: Actor }): Promise<RevertedRenewal> {
      const request = await prisma.request.findUniqueOrThrow({ where: { id: requestId }, select: { companyId: true } });
      return prisma.$transaction(async (tx) => {
        const reverted: RenewedLicense[] = [];
        const kept: KeptRenewal[] = [];
        for (const item of renewed) {
          const done = await licenses.existingRevision(requestId, revertStep(item.serial));
          const after = (revision: IssuedRevision, newEnd: string): RenewedLicense => ({
            ...revision,
            productName: item.productName,
            months: item.months,
            previousEnd: item.newEnd,
            newEnd,
          });
          if (done) {
            reverted.push(after(done, (await revisionEnds(tx, done)).newEnd.toISOString()));
            continue;
          }
          // Locked and read first: whose the license is now, and whether it is still active.
          await tx.$executeRaw`SELECT 1 FROM "License" WHERE id = ${item.licenseId}::uuid FOR UPDATE`;
          const now = await tx.license.findUniqueOrThrow({ where: { id: item.licenseId }, select: { companyId: true, status: true } });
          const why = keptBecause(now, request.companyId);
          if (why) {
            kept.push({ serial: item.serial, licenseId: item.licenseId, why });
            continue;
          }
          let restored = new Date(item.previousEnd);
          const revision = await licenses.reviseIn(
            tx,
            requestId,
            item.licenseId,
            (before) => {
              const changed = keptBecause(before, request.companyId);
              if (changed) refuse(`License ${item.serial} ${changed}; its SMA renewal can no longer be undone.`);
              const current = before.smaEnd ?? new Date(item.newEnd);
              restored = current.getTime() === new Date(item.newEnd).getTime() ? new Date(item.previousEnd) : addMonthsClamped(current, -item.months);
              return { smaEnd: restored };
            },
            {
              step: revertStep(item.serial),
              action: 'sma_renewal_cancelled',
              changes: `${renewalChanges(item.serial, { previousEnd: new Date(item.newEnd), newEnd: new Date(item.previousEnd) })} (renewal cancelled in its cooling-off period)`,
              actor,
            },
          );
          reverted.push(after(revision, restored.toISOString()));
        }
        return { reverted, kept };
      }, RENEWAL_TRANSACTION);
    },

    /** Writes when the request's cooling-off period ends, before its status says COOLING_OFF (the request page shows it). */
    async setCoolingOffEnd({ requestId, endsAt }: { requestId: string; endsAt: string }) {
      await prisma.request.update({ where: { id: requestId }, data: { coolingOffEndsAt: new Date(endsAt) } });
    },

    /** Mails the request's delivery addresses about the renewal, with every license's file attached, once per key. */
    async mailSmaRenewal({ requestId, key, mail, attachRevisionIds }: { requestId: string; key: string; mail: MailSpec; attachRevisionIds: string[] }) {
      const request = await prisma.request.findUniqueOrThrow({ where: { id: requestId }, select: { deliveryEmails: true } });
      return deliverRequestMail({ prisma, outbox, publicUrl }, { requestId, key, mail, to: request.deliveryEmails, attachRevisionIds });
    },
  };
}

type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/** The SMA end before and after a revision, read from the signed grants of it and of the one before. */
async function revisionEnds(tx: Tx, issued: IssuedRevision): Promise<{ previousEnd: Date; newEnd: Date }> {
  const rows = await tx.licenseRevision.findMany({
    where: { licenseId: issued.licenseId, revision: { in: [issued.revision - 1, issued.revision] } },
    select: { revision: true, grants: true },
  });
  const endOf = (revision: number) => {
    const grants = rows.find((r) => r.revision === revision)?.grants as { sma?: { end?: string } } | undefined;
    return grants?.sma?.end ? new Date(grants.sma.end) : new Date(0);
  };
  return { previousEnd: endOf(issued.revision - 1), newEnd: endOf(issued.revision) };
}

export type SmaRenewalActivities = ReturnType<typeof createSmaRenewalActivities>;
