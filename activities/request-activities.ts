import { channelExpansionForm, newInstallationForm, returnConfirmationForm, stockAdditionForm } from '../domain/request-forms.ts';
import { checkExternalLicenseFile } from '../domain/fulfilment-rules.ts';
import { checkChannelRange, checkExpansion, checkLockType, checkReturn, normalizeLock, offeredProduct } from '../domain/request-rules.ts';
import type { BusinessCalendar } from '../domain/business-calendar.ts';
import type { PrismaClient } from '../prisma/client.ts';
import type { LicenseOperations } from '../services/licenses.ts';
import type { Clock } from '../services/clock.ts';
import type { Mailer } from '../services/mail/outbox.ts';
import { deliverRequestMail, type MailSpec } from './request-mail.ts';
import { companyLicense, fromDomain, loadRequestForm, refuse } from './request-checks.ts';
import { recordStep, type StepRecord } from './request-timeline.ts';
import { InsufficientStockError, type StockLedger } from '../services/stock-ledger.ts';
import { checkNoCoolingOffRenewal } from '../domain/sma-renewal.ts';
import { coolingOffRenewals } from '../services/sma-cooling-off.ts';

export interface RequestActivityDeps {
  prisma: PrismaClient;
  ledger: StockLedger;
  licenses: LicenseOperations;
  outbox: Mailer;
  clock: Clock;
  publicUrl: string;
  /** The desk's decision SLA in business hours (the policy's escalateAfterBusinessHours). */
  deskSlaBusinessHours?: number;
  /** The calendar it is counted on (BUSINESS_CALENDAR_FILE); DESK_CALENDAR when absent. */
  deskCalendar?: BusinessCalendar;
}

const DESK_KINDS = new Set(['reminder', 'escalation', 'external_file_waiting']);

export interface StockTarget {
  companyId: string;
  productId: string;
  productName: string;
  channels: number;
}

/**
 * The activities of the request workflows: thin, idempotent wrappers over the stock ledger,
 * the license operations, the outbox and the timeline, each keyed by request and step.
 */
export function createRequestActivities(deps: RequestActivityDeps) {
  const { prisma, ledger, licenses } = deps;

  return {
    recordStep: (record: StepRecord) =>
      recordStep(prisma, record, { deskSlaBusinessHours: deps.deskSlaBusinessHours, deskCalendar: deps.deskCalendar, clock: deps.clock }),

    /** Checks a new-installation form against the catalogue and normalises its lock. */
    async prepareNewInstallation({ requestId }: { requestId: string }): Promise<StockTarget & { external: boolean }> {
      const { request, form } = await loadRequestForm(prisma, requestId, 'NEW_INSTALLATION', newInstallationForm);
      // The rules the API ran at submission (domain/request-rules.ts), again: the catalogue may have changed since.
      const found = await prisma.product.findUnique({ where: { id: form.productId } });
      const product = fromDomain(() => offeredProduct(found));
      fromDomain(() => checkChannelRange(product, form.channels));
      fromDomain(() => checkLockType(product, form.lock.type));
      const lock = fromDomain(() => normalizeLock(product, form.lock.value));
      await prisma.request.update({
        where: { id: requestId },
        data: form.lock.type === 'MAC' ? { macAddress: lock } : { hardwareKey: lock },
      });
      return { companyId: request.companyId, productId: product.id, productName: product.name, channels: form.channels, external: product.external };
    },

    async prepareChannelExpansion({ requestId }: { requestId: string }): Promise<StockTarget & { licenseId: string; serial: string }> {
      const { request, form } = await loadRequestForm(prisma, requestId, 'CHANNEL_EXPANSION', channelExpansionForm);
      const license = await companyLicense(prisma, { companyId: request.companyId, serial: form.serial, macAddress: form.macAddress });
      fromDomain(() => checkExpansion(license, form.channels));
      await prisma.request.update({ where: { id: requestId }, data: { serial: license.serial, macAddress: license.macAddress, licenseId: license.id } });
      return {
        companyId: request.companyId,
        productId: license.productId,
        productName: license.product.name,
        channels: form.channels,
        licenseId: license.id,
        serial: license.serial,
      };
    },

    async prepareStockAddition({ requestId }: { requestId: string }): Promise<StockTarget & { orderReference: string }> {
      const { request, form } = await loadRequestForm(prisma, requestId, 'STOCK_ADDITION', stockAdditionForm);
      const found = await prisma.product.findUnique({ where: { id: form.productId } });
      const product = fromDomain(() => offeredProduct(found));
      return { companyId: request.companyId, productId: product.id, productName: product.name, channels: form.channels, orderReference: form.orderReference };
    },

    async prepareReturn({ requestId }: { requestId: string }): Promise<StockTarget & { licenseId: string; serial: string; remainingChannels: number }> {
      const { request, form } = await loadRequestForm(prisma, requestId, 'RETURN_CONFIRMATION', returnConfirmationForm);
      const license = await companyLicense(prisma, { companyId: request.companyId, serial: form.serial });
      const remainingChannels = fromDomain(() => checkReturn(license, form.channels));
      const renewals = await coolingOffRenewals(prisma);
      fromDomain(() => checkNoCoolingOffRenewal([license.serial], renewals));
      await prisma.request.update({ where: { id: requestId }, data: { serial: license.serial, macAddress: license.macAddress, licenseId: license.id } });
      return {
        companyId: request.companyId,
        productId: license.productId,
        productName: license.product.name,
        channels: form.channels,
        licenseId: license.id,
        serial: license.serial,
        remainingChannels,
      };
    },

    async reserveStock({ requestId, stock }: { requestId: string; stock: StockTarget }) {
      try {
        await ledger.reserve(stock, stock.channels, `${requestId}:reserve`, { requestId, productName: stock.productName });
      } catch (error) {
        if (error instanceof InsufficientStockError) refuse(error.message, 'InsufficientStock');
        throw error;
      }
    },

    /** Consumes the request's reservation, or releases it (compensation). Safe to repeat. */
    async settleStock({ requestId, stock, outcome }: { requestId: string; stock: StockTarget; outcome: 'CONSUME' | 'RELEASE' }) {
      await ledger.settle(stock, `${requestId}:reserve`, outcome, { requestId });
    },

    async creditStock({ requestId, stock, note }: { requestId: string; stock: StockTarget; note: string }) {
      await ledger.credit(stock, stock.channels, `${requestId}:credit`, { requestId, note });
      return (await ledger.balance(stock)).available;
    },

    async returnStock({ requestId, stock }: { requestId: string; stock: StockTarget }) {
      await ledger.returnChannels(stock, stock.channels, `${requestId}:return`, { requestId, note: 'Confirmed return' });
      return (await ledger.balance(stock)).available;
    },

    /** Issues the license; for an external product, with the file the desk uploaded. */
    async createLicense({ requestId, externalAttachmentId }: { requestId: string; externalAttachmentId?: string }) {
      const { request, form } = await loadRequestForm(prisma, requestId, 'NEW_INSTALLATION', newInstallationForm);
      let externalFile;
      if (externalAttachmentId) {
        const found = await prisma.requestAttachment.findUnique({ where: { id: externalAttachmentId } });
        const attachment = fromDomain(() => checkExternalLicenseFile(found, requestId));
        externalFile = { fileName: attachment.fileName, content: Buffer.from(attachment.content).toString('utf8') };
      }
      const lockValue = request.macAddress ?? request.hardwareKey;
      if (!lockValue) throw new Error(`Request ${requestId} was not prepared: its lock is not normalised`);
      const issued = await licenses.createAndActivate({
        requestId,
        companyId: request.companyId,
        productId: form.productId,
        channels: form.channels,
        vcaChannels: form.vcaChannels,
        lock: { type: form.lock.type, value: lockValue },
        hardwareSerial: form.hardwareSerial,
        endUserCompany: form.endUserCompany,
        endUserContact: form.endUserContact,
        orderType: form.orderType,
        vendorRef: form.vendorRef,
        ordererRef: form.ordererRef,
        externalFile,
      });
      await prisma.request.update({ where: { id: requestId }, data: { serial: issued.serial, licenseId: issued.licenseId } });
      return issued;
    },

    /**
     * After a failed fulfilment: the license this request created, if its transaction committed,
     * is revoked (it was never mailed). Idempotent; nothing to do when no license was written.
     */
    async revokeUndeliveredLicense({ requestId }: { requestId: string }) {
      const first = await prisma.licenseRevision.findFirst({ where: { requestId, revision: 1 }, select: { licenseId: true } });
      if (!first) return;
      await licenses.revoke({
        requestId,
        step: 'revoke-undelivered',
        licenseId: first.licenseId,
        reason: 'The request failed after this license was written; it was never delivered.',
      });
    },

    /**
     * After a failed fulfilment: the channels this request added (revision written at `step`, if
     * its transaction committed) are taken off again as a new revision, since their stock goes
     * back to the partner. Idempotent; nothing to do when the revision was never written.
     */
    async revertUndeliveredChannels({ requestId, step, licenseId, delta }: { requestId: string; step: string; licenseId: string; delta: number }) {
      if (!(await licenses.existingRevision(requestId, step))) return;
      await licenses.changeChannels({ requestId, step: `${step}-reverted`, licenseId, delta: -delta, action: 'channels_changed' });
    },

    changeLicenseChannels(input: { requestId: string; step: string; licenseId: string; delta: number; action: string; status?: 'ACTIVE' | 'WAITING_CONFIRM' }) {
      return licenses.changeChannels(input);
    },

    async setLicenseStatus({ licenseId, status }: { licenseId: string; status: 'ACTIVE' | 'WAITING_CONFIRM' }) {
      await prisma.license.update({ where: { id: licenseId }, data: { status } });
    },

    /**
     * Sends one mail about a request, exactly once per `key` (the outbox row is written before
     * the send). Partner mails go to the request's delivery addresses; reminders and
     * escalations go to the desk.
     */
    async notify({ requestId, key, mail, attachRevisionId }: { requestId: string; key: string; mail: MailSpec; attachRevisionId?: string }) {
      let to: string[];
      if (DESK_KINDS.has(mail.kind)) {
        const roles = mail.kind === 'escalation' ? (['DESK_ADMIN'] as const) : (['DESK_AGENT', 'DESK_ADMIN'] as const);
        const desk = await prisma.user.findMany({ where: { role: { in: [...roles] }, active: true }, select: { email: true } });
        to = desk.map((u) => u.email);
      } else {
        to = (await prisma.request.findUniqueOrThrow({ where: { id: requestId }, select: { deliveryEmails: true } })).deliveryEmails;
      }
      return deliverRequestMail(deps, { requestId, key, mail, to, attachRevisionIds: attachRevisionId ? [attachRevisionId] : undefined });
    },
  };
}

export type RequestActivities = ReturnType<typeof createRequestActivities>;
