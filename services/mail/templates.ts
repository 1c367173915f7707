import { REQUEST_TYPE_LABELS, requestReference } from '../../domain/request-forms.ts';
import type { Locale } from '../../domain/locale.ts';
import { canonicalMacsIn } from '../../domain/mac-address.ts';
import type { RequestType } from '../../prisma/client.ts';
import { FINNISH_FOOTER, finnishContent } from './finnish.ts';

/**
 * E-mail templates: pure functions from a typed model to `{ subject, text, html }`.
 *
 * Every kind is described once as a list of blocks (paragraphs, quotes, facts, tables, links);
 * one renderer turns the blocks into the text part and one into the HTML part, so every value
 * is escaped in exactly one place (`escapeHtml`). No I/O, no clock: the same model always
 * renders the same message, which is what lets the outbox record it before sending.
 */

export type MailKind =
  | 'request_received'
  | 'information_requested'
  | 'approved'
  | 'interim_license'
  | 'rejected'
  | 'reminder'
  | 'escalation'
  | 'return_waiting_confirm'
  | 'return_credited'
  | 'return_expired'
  | 'rma_reminder'
  | 'sma_expiry'
  | 'sma_renewed'
  | 'sma_renewal_cancelled'
  | 'stock_credited'
  | 'stock_reshipped'
  | 'ownership_consent_requested'
  | 'ownership_changed'
  | 'partial_transfer_consent_requested'
  | 'channels_transferred'
  | 'channels_received'
  | 'external_file_waiting'
  | 'cancelled'
  | 'invitation'
  | 'password_reset';

/** A Date, or its ISO 8601 string (what a Date becomes after crossing Temporal's JSON payloads). */
export type DateLike = Date | string;

/** What every mail about one request knows. */
export interface RequestMailBase {
  requestId: string;
  /** Request.number; rendered as LD-000123. */
  requestNumber: number;
  requestType: RequestType;
  /** The partner company the request belongs to. */
  companyName: string;
  /** Base URL of the admin UI, e.g. https://licenses.example.com (PUBLIC_URL). */
  publicUrl: string;
  /** IANA time zone for dates in the message (the recipient company's); UTC when absent. */
  timeZone?: string;
  /** The recipients' language (User.locale); English when absent. */
  locale?: Locale;
}

export interface RequestReceivedMail extends RequestMailBase {
  kind: 'request_received';
  productName?: string;
  serial?: string;
  channels?: number;
  /** When the desk should have decided (Request.dueAt). */
  dueAt?: DateLike;
}

export interface InformationRequestedMail extends RequestMailBase {
  kind: 'information_requested';
  /** The desk's question, shown verbatim. */
  question: string;
  respondBy?: DateLike;
}

export interface ApprovedMail extends RequestMailBase {
  kind: 'approved';
  serial: string;
  productName: string;
  channels: number;
  vcaChannels?: number;
  /** MAC address or hardware key the license is bound to. */
  lock?: string;
  revision?: number;
  /** Name of the attached file, e.g. license-V8WJNEE89Q6A.lic. */
  fileName: string;
  licenseId?: string;
  comment?: string;
}

/**
 * A hardware replacement's interim license: sent before the desk has decided, so it must not
 * read as an approval. It names the license that moves to the new hardware once approved.
 */
export interface InterimLicenseMail extends RequestMailBase {
  kind: 'interim_license';
  serial: string;
  productName: string;
  channels: number;
  /** The new hardware the interim license is locked to, e.g. "MAC: c8:d9:d2:9a:a3:1b". */
  lock: string;
  fileName: string;
  licenseId?: string;
  validUntil: DateLike;
  /** The license the request moves to the new hardware. */
  replacedSerial: string;
}

export interface RejectedMail extends RequestMailBase {
  kind: 'rejected';
  reason: string;
  /** Channels that had been reserved and went back to the partner's stock. */
  releasedChannels?: number;
}

export interface ReminderMail extends RequestMailBase {
  kind: 'reminder';
  waitingBusinessHours: number;
  /** What the request is waiting for; "a desk decision" when absent. */
  waitingFor?: string;
  dueAt?: DateLike;
  assigneeName?: string;
}

export interface EscalationMail extends RequestMailBase {
  kind: 'escalation';
  waitingBusinessHours: number;
  waitingFor?: string;
  dueAt?: DateLike;
  assigneeName?: string;
}

export interface ReturnWaitingConfirmMail extends RequestMailBase {
  kind: 'return_waiting_confirm';
  serial: string;
  productName: string;
  channelsReturned: number;
  remainingChannels: number;
  confirmBy: DateLike;
  /** The reduced license file, when it is attached. */
  fileName?: string;
}

export interface ReturnCreditedMail extends RequestMailBase {
  kind: 'return_credited';
  serial: string;
  productName: string;
  channelsReturned: number;
  /** Available balance of that stock after the credit. */
  balance?: number;
}

export interface ReturnExpiredMail extends RequestMailBase {
  kind: 'return_expired';
  serial: string;
  productName: string;
  channelsReturned: number;
}

export interface RmaReminderMail extends RequestMailBase {
  kind: 'rma_reminder';
  serial: string;
  productName: string;
  /** The replaced MAC address or hardware key whose part must come back. */
  oldHardware: string;
  returnBy?: DateLike;
  reminderNumber?: number;
}

export interface SmaExpiryLicense {
  serial: string;
  productName: string;
  channels: number;
  endUserCompany?: string;
  smaEnd: DateLike;
}

/** Not tied to one request: a digest for one company. */
export interface SmaExpiryMail {
  kind: 'sma_expiry';
  locale?: Locale;
  companyName: string;
  publicUrl: string;
  timeZone?: string;
  /** The look-ahead window; 30 when absent. */
  withinDays?: number;
  licenses: SmaExpiryLicense[];
}

/** One license of an SMA renewal: its SMA end before and after. */
export interface SmaRenewalLicense {
  serial: string;
  productName: string;
  previousEnd: DateLike;
  newEnd: DateLike;
  fileName: string;
}

/** The renewal is issued (files attached); the partner may cancel it until `coolingOffEndsAt`. */
export interface SmaRenewedMail extends RequestMailBase {
  kind: 'sma_renewed';
  licenses: SmaRenewalLicense[];
  coolingOffEndsAt: DateLike;
  comment?: string;
}

/** The renewal was cancelled in its cooling-off period: each license is back at its previous end (files attached). */
export interface SmaRenewalCancelledMail extends RequestMailBase {
  kind: 'sma_renewal_cancelled';
  /** previousEnd: the renewed end; newEnd: the end restored. */
  licenses: SmaRenewalLicense[];
  reason?: string;
}

export interface StockCreditedMail extends RequestMailBase {
  kind: 'stock_credited';
  productName: string;
  channels: number;
  orderReference?: string;
  balance?: number;
}

/** A distributor's reship to a dealer is done; each company gets its side (`side`), with its own balance. */
export interface StockReshippedMail extends RequestMailBase {
  kind: 'stock_reshipped';
  side: 'distributor' | 'dealer';
  distributorName: string;
  dealerName: string;
  productName: string;
  channels: number;
  note?: string;
  /** The recipient company's available channels of the product after the reship. */
  balance?: number;
}

export interface OwnershipConsentRequestedMail extends RequestMailBase {
  kind: 'ownership_consent_requested';
  currentOwnerName: string;
  newOwnerName: string;
  serials: string[];
  respondBy?: DateLike;
}

export interface OwnershipChangedMail extends RequestMailBase {
  kind: 'ownership_changed';
  previousOwnerName: string;
  newOwnerName: string;
  serials: string[];
}

/** A partial transfer asks the current owner's admins for their consent. */
export interface PartialTransferConsentRequestedMail extends RequestMailBase {
  kind: 'partial_transfer_consent_requested';
  currentOwnerName: string;
  targetName: string;
  serial: string;
  productName: string;
  channels: number;
  remainingChannels: number;
}

/** To the owner of a partial transfer's source: its reduced license, and where the channels went. */
export interface ChannelsTransferredMail extends RequestMailBase {
  kind: 'channels_transferred';
  serial: string;
  productName: string;
  channels: number;
  remainingChannels: number;
  targetName: string;
  newSerial: string;
  /** The reduced license's file, attached. */
  fileName: string;
  licenseId?: string;
}

/** To the company that receives a partial transfer's channels: its new license. */
export interface ChannelsReceivedMail extends RequestMailBase {
  kind: 'channels_received';
  serial: string;
  productName: string;
  channels: number;
  fromName: string;
  sourceSerial: string;
  /** The new license's file, attached. */
  fileName: string;
  licenseId?: string;
}

export interface ExternalFileWaitingMail extends RequestMailBase {
  kind: 'external_file_waiting';
  productName: string;
  serial?: string;
  waitingBusinessHours: number;
}

export interface CancelledMail extends RequestMailBase {
  kind: 'cancelled';
  reason?: string;
  releasedChannels?: number;
}

/** A new user of a company is invited to set a password (Mirasys company administration). */
export interface InvitationMail {
  kind: 'invitation';
  locale?: Locale;
  userName: string;
  companyName: string;
  invitedBy: string;
  url: string;
  expiresAt: DateLike;
}

export interface PasswordResetMail {
  kind: 'password_reset';
  locale?: Locale;
  userName: string;
  url: string;
  expiresAt: DateLike;
}

export type MailModel =
  | RequestReceivedMail
  | InformationRequestedMail
  | ApprovedMail
  | InterimLicenseMail
  | RejectedMail
  | ReminderMail
  | EscalationMail
  | ReturnWaitingConfirmMail
  | ReturnCreditedMail
  | ReturnExpiredMail
  | RmaReminderMail
  | SmaExpiryMail
  | SmaRenewedMail
  | SmaRenewalCancelledMail
  | StockCreditedMail
  | StockReshippedMail
  | OwnershipConsentRequestedMail
  | OwnershipChangedMail
  | PartialTransferConsentRequestedMail
  | ChannelsTransferredMail
  | ChannelsReceivedMail
  | ExternalFileWaitingMail
  | CancelledMail
  | InvitationMail
  | PasswordResetMail;

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

// ---------------------------------------------------------------------------------------------
// Formatting helpers

// One place for the type names and the request reference: the request forms.
export { REQUEST_TYPE_LABELS };

/** 42 → "LD-000042". */
export const formatRequestNumber = requestReference;

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes a value for HTML text and double- or single-quoted attributes. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

export function requestUrl(publicUrl: string, requestId: string): string {
  return `${trimSlash(publicUrl)}/#/requests/${encodeURIComponent(requestId)}/show`;
}

export function licenseUrl(publicUrl: string, licenseId: string): string {
  return `${trimSlash(publicUrl)}/#/licenses/${encodeURIComponent(licenseId)}/show`;
}

/** The SMA renewal form, filled in with these serials (the SMA reminders link to it). */
export function smaRenewalUrl(publicUrl: string, serials: string[]): string {
  return `${trimSlash(publicUrl)}/#/requests/create?type=SMA_RENEWAL&serials=${serials.map(encodeURIComponent).join(',')}`;
}

/** The partner's license list in the portal. */
export function licensesUrl(publicUrl: string): string {
  return `${trimSlash(publicUrl)}/#/licenses`;
}

/** The partner's stock in the portal. */
export function stocksUrl(publicUrl: string): string {
  return `${trimSlash(publicUrl)}/#/stocks`;
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');

function toDate(value: DateLike): Date {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new Error(`Mail date must be a Date or an ISO 8601 string, got "${String(value)}"`);
  return date;
}

function dateParts(value: DateLike, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(toDate(value));
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return { date: `${get('year')}-${get('month')}-${get('day')}`, time: `${get('hour')}:${get('minute')}` };
}

/** "2026-11-24 16:00 Europe/Helsinki". */
export function formatDateTime(value: DateLike, timeZone = 'UTC'): string {
  const { date, time } = dateParts(value, timeZone);
  return `${date} ${time} ${timeZone}`;
}

/** "2026-11-24" in the given time zone. */
export function formatDate(value: DateLike, timeZone = 'UTC'): string {
  return dateParts(value, timeZone).date;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Subjects are one line: no control characters or runs of white space from interpolated values. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point: a header line must not carry them
const oneLine = (value: string) => value.replace(/[\s\u0000-\u001f\u007f]+/g, ' ').trim();

// ---------------------------------------------------------------------------------------------
// Blocks and their two renderers

export type Fact = readonly [label: string, value: string | number | undefined | null];

export type Block =
  | { p: string }
  | { quote: string; label: string }
  | { facts: Fact[] }
  | { table: { columns: string[]; rows: string[][] } }
  | { link: { label: string; url: string } };

export interface MailContent {
  subject: string;
  heading: string;
  blocks: Block[];
  /** Who the message is for, for the footer line. */
  audience: 'partner' | 'desk' | 'account';
}

const FOOTER = {
  partner: 'This is an automated message from the License Desk. For questions, comment on the request in the portal.',
  desk: 'This is an automated message from the License Desk.',
  account: 'This is an automated message from the License Desk. Nobody at the desk will ever ask you for your password.',
} as const;

function renderText(content: MailContent, locale: Locale = 'en'): string {
  const sections: string[] = [content.heading];
  for (const block of content.blocks) {
    if ('p' in block) sections.push(block.p);
    else if ('quote' in block)
      sections.push(
        `${block.label}:\n${block.quote
          .split(/\r?\n/)
          .map((line) => `  ${line}`)
          .join('\n')}`,
      );
    else if ('facts' in block) {
      const facts = block.facts.filter(([, value]) => value !== undefined && value !== null && value !== '');
      const width = Math.max(...facts.map(([label]) => label.length)) + 2;
      sections.push(facts.map(([label, value]) => `${`${label}:`.padEnd(width)}${value}`).join('\n'));
    } else if ('table' in block) {
      const line = (row: string[]) => row.flatMap((cell, i) => (cell === '' ? [] : [`${block.table.columns[i]}: ${cell}`])).join(', ');
      sections.push(block.table.rows.map((row) => `- ${line(row)}`).join('\n'));
    } else sections.push(`${block.link.label}: ${block.link.url}`);
  }
  sections.push(`--\nLicense Desk\n${(locale === 'fi' ? FINNISH_FOOTER : FOOTER)[content.audience]}`);
  return `${sections.join('\n\n')}\n`;
}

const S = {
  body: 'margin:0;padding:0;background-color:#f3f4f6;',
  card: 'max-width:600px;margin:0 auto;padding:24px;background-color:#ffffff;font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:1.5;color:#1f2937;',
  h1: 'margin:0 0 16px;font-size:18px;line-height:1.3;color:#111827;',
  p: 'margin:0 0 12px;',
  quoteLabel: 'margin:0 0 4px;font-weight:bold;',
  quote: 'margin:0 0 12px;padding:8px 12px;border-left:3px solid #9ca3af;background-color:#f9fafb;',
  table: 'border-collapse:collapse;margin:0 0 16px;',
  th: 'padding:4px 16px 4px 0;text-align:left;vertical-align:top;font-weight:normal;color:#4b5563;white-space:nowrap;',
  td: 'padding:4px 0;text-align:left;vertical-align:top;',
  gridTh: 'padding:6px 8px;text-align:left;border-bottom:1px solid #d1d5db;background-color:#f9fafb;',
  gridTd: 'padding:6px 8px;text-align:left;border-bottom:1px solid #e5e7eb;',
  button: 'display:inline-block;padding:8px 16px;background-color:#1d4ed8;color:#ffffff;text-decoration:none;border-radius:4px;',
  footer: 'margin:24px 0 0;padding-top:12px;border-top:1px solid #e5e7eb;font-size:12px;color:#6b7280;',
} as const;

const multiline = (value: string) => escapeHtml(value).replace(/\r?\n/g, '<br>');

function renderHtml(content: MailContent, locale: Locale = 'en'): string {
  const parts: string[] = [`<h1 style="${S.h1}">${escapeHtml(content.heading)}</h1>`];
  for (const block of content.blocks) {
    if ('p' in block) parts.push(`<p style="${S.p}">${multiline(block.p)}</p>`);
    else if ('quote' in block) {
      parts.push(`<p style="${S.quoteLabel}">${escapeHtml(block.label)}</p>`, `<div style="${S.quote}">${multiline(block.quote)}</div>`);
    } else if ('facts' in block) {
      const rows = block.facts
        .filter(([, value]) => value !== undefined && value !== null && value !== '')
        .map(([label, value]) => `<tr><th scope="row" style="${S.th}">${escapeHtml(label)}</th><td style="${S.td}">${escapeHtml(value)}</td></tr>`);
      parts.push(`<table role="presentation" style="${S.table}">${rows.join('')}</table>`);
    } else if ('table' in block) {
      const head = block.table.columns.map((c) => `<th style="${S.gridTh}">${escapeHtml(c)}</th>`).join('');
      const rows = block.table.rows.map((row) => `<tr>${row.map((cell) => `<td style="${S.gridTd}">${escapeHtml(cell)}</td>`).join('')}</tr>`);
      parts.push(`<table style="${S.table}"><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`);
    } else {
      parts.push(`<p style="${S.p}"><a href="${escapeHtml(block.link.url)}" style="${S.button}">${escapeHtml(block.link.label)}</a></p>`);
    }
  }
  parts.push(`<p style="${S.footer}">License Desk<br>${escapeHtml((locale === 'fi' ? FINNISH_FOOTER : FOOTER)[content.audience])}</p>`);
  return [
    '<!DOCTYPE html>',
    `<html lang="${locale}">`,
    `<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(content.subject)}</title></head>`,
    `<body style="${S.body}"><div style="${S.card}">`,
    ...parts,
    '</div></body>',
    '</html>',
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// The kinds

function requestFacts(m: RequestMailBase): Fact[] {
  return [
    ['Request', formatRequestNumber(m.requestNumber)],
    ['Type', REQUEST_TYPE_LABELS[m.requestType]],
    ['Company', m.companyName],
  ];
}

const openRequest = (m: RequestMailBase): Block => ({ link: { label: 'Open the request', url: requestUrl(m.publicUrl, m.requestId) } });

/** "new installation request LD-000042" */
const requestPhrase = (m: RequestMailBase) => `${REQUEST_TYPE_LABELS[m.requestType].toLowerCase()} request ${formatRequestNumber(m.requestNumber)}`;

function content(model: MailModel): MailContent {
  const tz = ('timeZone' in model && model.timeZone) || 'UTC';
  const at = (value: DateLike | undefined) => (value === undefined ? undefined : formatDateTime(value, tz));

  switch (model.kind) {
    case 'request_received': {
      const n = formatRequestNumber(model.requestNumber);
      return {
        audience: 'partner',
        subject: `${n} received: ${REQUEST_TYPE_LABELS[model.requestType]} for ${model.companyName}`,
        heading: `We have received your request ${n}`,
        blocks: [
          { p: `Thank you. Your ${requestPhrase(model)} is now in the license desk's queue.${model.dueAt ? ` We aim to decide by ${at(model.dueAt)}.` : ''}` },
          { facts: [...requestFacts(model), ['Product', model.productName], ['Serial', model.serial], ['Channels', model.channels]] },
          { p: 'We will e-mail you when the request is decided or if we need more information.' },
          openRequest(model),
        ],
      };
    }
    case 'information_requested': {
      const n = formatRequestNumber(model.requestNumber);
      return {
        audience: 'partner',
        subject: `${n} needs information: ${REQUEST_TYPE_LABELS[model.requestType]}`,
        heading: `More information is needed for ${n}`,
        blocks: [
          { p: `The license desk needs more information before it can decide on your ${requestPhrase(model)}.` },
          { quote: model.question, label: 'Question from the desk' },
          { p: `Please answer in the portal${model.respondBy ? ` by ${at(model.respondBy)}` : ''}. The request waits until you reply.` },
          { facts: requestFacts(model) },
          openRequest(model),
        ],
      };
    }
    case 'approved': {
      const n = formatRequestNumber(model.requestNumber);
      const blocks: Block[] = [
        { p: `Your ${requestPhrase(model)} has been approved. The license file ${model.fileName} is attached to this e-mail.` },
        {
          facts: [
            ...requestFacts(model),
            ['Serial', model.serial],
            ['Product', model.productName],
            ['Channels', model.channels],
            ['VCA channels', model.vcaChannels],
            ['Locked to', model.lock],
            ['Revision', model.revision],
          ],
        },
      ];
      if (model.comment) blocks.push({ quote: model.comment, label: 'Comment from the desk' });
      blocks.push(openRequest(model));
      if (model.licenseId) blocks.push({ link: { label: 'Open the license', url: licenseUrl(model.publicUrl, model.licenseId) } });
      return { audience: 'partner', subject: `${n} approved: license ${model.serial}`, heading: `${n} approved: license ${model.serial}`, blocks };
    }
    case 'interim_license': {
      const n = formatRequestNumber(model.requestNumber);
      const blocks: Block[] = [
        {
          p:
            `This is an interim license for your new hardware, valid until ${at(model.validUntil)}: install ${model.fileName} (attached) now to keep working. ` +
            `Your ${requestPhrase(model)} is not approved yet. When the desk approves it, in office hours, license ${model.replacedSerial} moves to the new hardware and you receive its file.`,
        },
        {
          facts: [
            ...requestFacts(model),
            ['Interim serial', model.serial],
            ['Product', model.productName],
            ['Channels', model.channels],
            ['Locked to', model.lock],
            ['Valid until', at(model.validUntil)],
            ['Replaces for now', model.replacedSerial],
          ],
        },
        openRequest(model),
      ];
      if (model.licenseId) blocks.push({ link: { label: 'Open the interim license', url: licenseUrl(model.publicUrl, model.licenseId) } });
      return {
        audience: 'partner',
        subject: `${n} interim license ${model.serial}, valid until ${formatDate(model.validUntil, tz)} (request not yet approved)`,
        heading: `${n}: interim license ${model.serial}`,
        blocks,
      };
    }
    case 'rejected': {
      const n = formatRequestNumber(model.requestNumber);
      const blocks: Block[] = [{ p: `Your ${requestPhrase(model)} has been rejected.` }, { quote: model.reason, label: 'Reason' }];
      if (model.releasedChannels) blocks.push({ p: `The ${plural(model.releasedChannels, 'channel')} reserved for this request were returned to your stock.` });
      blocks.push({ p: 'You can submit a new request once the reason above has been addressed.' }, { facts: requestFacts(model) }, openRequest(model));
      return { audience: 'partner', subject: `${n} rejected: ${REQUEST_TYPE_LABELS[model.requestType]}`, heading: `${n} was rejected`, blocks };
    }
    case 'reminder':
    case 'escalation': {
      const n = formatRequestNumber(model.requestNumber);
      const waiting = plural(model.waitingBusinessHours, 'business hour');
      const waitingFor = model.waitingFor ?? 'a desk decision';
      const escalated = model.kind === 'escalation';
      return {
        audience: 'desk',
        subject: escalated
          ? `${n} escalated: ${REQUEST_TYPE_LABELS[model.requestType]} for ${model.companyName} waiting ${waiting}`
          : `${n} reminder: ${REQUEST_TYPE_LABELS[model.requestType]} for ${model.companyName} waiting ${waiting}`,
        heading: escalated ? `Escalation: ${n} has waited ${waiting}` : `Reminder: ${n} has waited ${waiting}`,
        blocks: [
          {
            p: escalated
              ? `The ${requestPhrase(model)} from ${model.companyName} has waited ${waiting} for ${waitingFor} and is past its reminders. Please assign it or decide it now.`
              : `The ${requestPhrase(model)} from ${model.companyName} has waited ${waiting} for ${waitingFor}.`,
          },
          { facts: [...requestFacts(model), ['Assignee', model.assigneeName ?? 'Unassigned'], ['Due', at(model.dueAt)]] },
          openRequest(model),
        ],
      };
    }
    case 'return_waiting_confirm': {
      const n = formatRequestNumber(model.requestNumber);
      const channels = plural(model.channelsReturned, 'channel');
      return {
        audience: 'partner',
        subject: `${n} return waiting for confirmation: ${channels} of license ${model.serial}`,
        heading: `Confirm the return of ${channels} (${n})`,
        blocks: [
          {
            p: `A reduced license for ${model.serial} with ${plural(model.remainingChannels, 'channel')} has been issued${model.fileName ? ` and ${model.fileName} is attached` : ''}. Install it in place of the current license.`,
          },
          {
            p: `The ${channels} will be credited back to your stock only after you confirm the return: upload the request file of the reduced installation, or press Confirm on the request, by ${at(model.confirmBy)}. If the return is not confirmed by then, it expires and no channels are credited.`,
          },
          {
            facts: [
              ...requestFacts(model),
              ['Serial', model.serial],
              ['Product', model.productName],
              ['Channels returned', model.channelsReturned],
              ['Channels remaining', model.remainingChannels],
            ],
          },
          openRequest(model),
        ],
      };
    }
    case 'return_credited': {
      const n = formatRequestNumber(model.requestNumber);
      const channels = plural(model.channelsReturned, 'channel');
      return {
        audience: 'partner',
        subject: `${n} return confirmed: ${channels} credited to stock`,
        heading: `Return confirmed: ${channels} credited (${n})`,
        blocks: [
          { p: `The return for license ${model.serial} is confirmed, and ${channels} of ${model.productName} have been credited back to your stock.` },
          {
            facts: [
              ...requestFacts(model),
              ['Serial', model.serial],
              ['Product', model.productName],
              ['Channels credited', model.channelsReturned],
              ['Available in stock', model.balance],
            ],
          },
          openRequest(model),
        ],
      };
    }
    case 'return_expired': {
      const n = formatRequestNumber(model.requestNumber);
      return {
        audience: 'partner',
        subject: `${n} return expired: no channels credited`,
        heading: `The return ${n} has expired`,
        blocks: [
          {
            p: `The return of ${plural(model.channelsReturned, 'channel')} from license ${model.serial} was not confirmed in time, so it has expired and no channels were credited to your stock. Submit a new return request if you still want to return them.`,
          },
          { facts: [...requestFacts(model), ['Serial', model.serial], ['Product', model.productName], ['Channels', model.channelsReturned]] },
          openRequest(model),
        ],
      };
    }
    case 'rma_reminder': {
      const n = formatRequestNumber(model.requestNumber);
      return {
        audience: 'partner',
        subject: `${n} RMA reminder: return the replaced hardware of license ${model.serial}`,
        heading: `Please return the replaced hardware (${n})`,
        blocks: [
          {
            p: `License ${model.serial} has been moved to new hardware. We have not yet received the replaced part (${model.oldHardware}). Please send it back${model.returnBy ? ` by ${at(model.returnBy)}` : ''}; the request stays open until it arrives.`,
          },
          {
            facts: [
              ...requestFacts(model),
              ['Serial', model.serial],
              ['Product', model.productName],
              ['Replaced hardware', model.oldHardware],
              ['Reminder', model.reminderNumber],
            ],
          },
          openRequest(model),
        ],
      };
    }
    case 'sma_expiry': {
      if (model.licenses.length === 0) throw new Error('An sma_expiry mail needs at least one license; send none when no SMA is ending.');
      const days = model.withinDays ?? 30;
      const count = plural(model.licenses.length, 'license');
      const sorted = [...model.licenses].sort((a, b) => toDate(a.smaEnd).getTime() - toDate(b.smaEnd).getTime() || a.serial.localeCompare(b.serial));
      return {
        audience: 'partner',
        subject: `SMA ending within ${days} days: ${count} of ${model.companyName}`,
        heading: `SMA ending within ${days} days for ${count}`,
        blocks: [
          {
            p: `The software maintenance agreement (SMA) of the following ${count} of ${model.companyName} ends within ${days} days. Renew it with an SMA renewal request: the link below fills in the serials. A renewal runs on from the SMA's end.`,
          },
          {
            table: {
              columns: ['Serial', 'Product', 'Channels', 'End user', 'SMA ends'],
              rows: sorted.map((l) => [l.serial, l.productName, String(l.channels), l.endUserCompany ?? '', formatDate(l.smaEnd, tz)]),
            },
          },
          {
            link: {
              label: 'Renew the SMA',
              url: smaRenewalUrl(
                model.publicUrl,
                sorted.map((l) => l.serial),
              ),
            },
          },
          { link: { label: 'Open your licenses', url: licensesUrl(model.publicUrl) } },
        ],
      };
    }
    case 'sma_renewed': {
      const n = formatRequestNumber(model.requestNumber);
      const count = plural(model.licenses.length, 'license');
      const blocks: Block[] = [
        {
          p: `Your ${requestPhrase(model)} has been approved: the SMA of ${count} is renewed, and the re-issued license ${model.licenses.length === 1 ? 'file is' : 'files are'} attached. Install ${model.licenses.length === 1 ? 'it' : 'them'} in place of the current ones.`,
        },
        {
          table: {
            columns: ['Serial', 'Product', 'SMA ended', 'SMA ends', 'File'],
            rows: model.licenses.map((l) => [l.serial, l.productName, formatDate(l.previousEnd, tz), formatDate(l.newEnd, tz), l.fileName]),
          },
        },
        {
          p: `You can cancel this renewal until ${at(model.coolingOffEndsAt)} (its cooling-off period) with "Cancel renewal" on the request; each license then goes back to its previous SMA end. After that the renewal is final.`,
        },
        { facts: requestFacts(model) },
      ];
      if (model.comment) blocks.push({ quote: model.comment, label: 'Comment from the desk' });
      blocks.push(openRequest(model));
      return { audience: 'partner', subject: `${n} SMA renewed: ${count}`, heading: `${n}: SMA renewed for ${count}`, blocks };
    }
    case 'sma_renewal_cancelled': {
      const n = formatRequestNumber(model.requestNumber);
      const count = plural(model.licenses.length, 'license');
      const blocks: Block[] = [
        {
          p: `The SMA renewal ${n} was cancelled in its cooling-off period. The SMA of ${count} is back at its previous end, and the re-issued license ${model.licenses.length === 1 ? 'file is' : 'files are'} attached: install ${model.licenses.length === 1 ? 'it' : 'them'} in place of the renewed ones.`,
        },
        {
          table: {
            columns: ['Serial', 'Product', 'SMA end was', 'SMA ends', 'File'],
            rows: model.licenses.map((l) => [l.serial, l.productName, formatDate(l.previousEnd, tz), formatDate(l.newEnd, tz), l.fileName]),
          },
        },
      ];
      if (model.reason) blocks.push({ quote: model.reason, label: 'Reason' });
      blocks.push({ facts: requestFacts(model) }, openRequest(model));
      return { audience: 'partner', subject: `${n} SMA renewal cancelled: ${count}`, heading: `${n}: SMA renewal cancelled`, blocks };
    }
    case 'stock_credited': {
      const n = formatRequestNumber(model.requestNumber);
      const channels = plural(model.channels, 'channel');
      return {
        audience: 'partner',
        subject: `${n} stock credited: ${channels} of ${model.productName}`,
        heading: `Stock credited: ${channels} of ${model.productName}`,
        blocks: [
          { p: `Your ${requestPhrase(model)} has been approved, and ${channels} of ${model.productName} have been added to your stock.` },
          {
            facts: [
              ...requestFacts(model),
              ['Product', model.productName],
              ['Channels credited', model.channels],
              ['Order reference', model.orderReference],
              ['Available in stock', model.balance],
            ],
          },
          openRequest(model),
        ],
      };
    }
    case 'stock_reshipped': {
      const n = formatRequestNumber(model.requestNumber);
      const channels = plural(model.channels, 'channel');
      const sent = model.side === 'distributor';
      return {
        audience: 'partner',
        subject: sent
          ? `${n} reshipped: ${channels} of ${model.productName} to ${model.dealerName}`
          : `${n} stock received: ${channels} of ${model.productName} from ${model.distributorName}`,
        heading: sent ? `Reshipped to ${model.dealerName}: ${channels} of ${model.productName}` : `Stock received from ${model.distributorName}`,
        blocks: [
          {
            p: sent
              ? `Your ${requestPhrase(model)} is done: ${channels} of ${model.productName} moved from your stock to the stock of ${model.dealerName}.`
              : `${model.distributorName} has reshipped ${channels} of ${model.productName} to your stock. You can use them in your requests now.`,
          },
          {
            facts: [
              ...requestFacts(model),
              ['Product', model.productName],
              [sent ? 'Channels reshipped' : 'Channels received', model.channels],
              [sent ? 'Dealer' : 'Distributor', sent ? model.dealerName : model.distributorName],
              ['Note', model.note],
              ['Available in stock', model.balance],
            ],
          },
          sent ? openRequest(model) : { link: { label: 'Open your stock', url: stocksUrl(model.publicUrl) } },
        ],
      };
    }
    case 'ownership_consent_requested': {
      const n = formatRequestNumber(model.requestNumber);
      const count = plural(model.serials.length, 'license');
      return {
        audience: 'partner',
        subject: `${n} consent needed: transfer of ${count} to ${model.newOwnerName}`,
        heading: `Your consent is needed for ${n}`,
        blocks: [
          {
            p: `A request asks to transfer ${count} owned by ${model.currentOwnerName} to ${model.newOwnerName}. As an administrator of ${model.currentOwnerName}, please give or refuse your consent${model.respondBy ? ` by ${at(model.respondBy)}` : ''}. Nothing moves without it.`,
          },
          {
            facts: [
              ...requestFacts(model),
              ['Current owner', model.currentOwnerName],
              ['New owner', model.newOwnerName],
              ['Licenses', model.serials.join(', ')],
            ],
          },
          { link: { label: 'Review the request', url: requestUrl(model.publicUrl, model.requestId) } },
        ],
      };
    }
    case 'ownership_changed': {
      const n = formatRequestNumber(model.requestNumber);
      const count = plural(model.serials.length, 'license');
      return {
        audience: 'partner',
        subject: `${n} ownership changed: ${count} moved to ${model.newOwnerName}`,
        heading: `Ownership changed (${n})`,
        blocks: [
          {
            p: `${count[0]!.toUpperCase()}${count.slice(1)} and their history moved from ${model.previousOwnerName} to ${model.newOwnerName}. ${model.newOwnerName} receives the re-issued license files.`,
          },
          {
            facts: [
              ...requestFacts(model),
              ['Previous owner', model.previousOwnerName],
              ['New owner', model.newOwnerName],
              ['Licenses', model.serials.join(', ')],
            ],
          },
          openRequest(model),
        ],
      };
    }
    case 'partial_transfer_consent_requested': {
      const n = formatRequestNumber(model.requestNumber);
      const channels = plural(model.channels, 'channel');
      return {
        audience: 'partner',
        subject: `${n} consent needed: ${channels} of license ${model.serial} to ${model.targetName}`,
        heading: `Your consent is needed for ${n}`,
        blocks: [
          {
            p: `A request asks to move ${channels} of license ${model.serial}, owned by ${model.currentOwnerName}, to ${model.targetName} as a new license; ${model.serial} would keep ${plural(model.remainingChannels, 'channel')}. As an administrator of ${model.currentOwnerName}, please give or refuse your consent. Nothing moves without it.`,
          },
          {
            facts: [
              ...requestFacts(model),
              ['Serial', model.serial],
              ['Product', model.productName],
              ['Channels to move', model.channels],
              ['Channels kept', model.remainingChannels],
              ['Receiving company', model.targetName],
            ],
          },
          { link: { label: 'Review the request', url: requestUrl(model.publicUrl, model.requestId) } },
        ],
      };
    }
    case 'channels_transferred': {
      const n = formatRequestNumber(model.requestNumber);
      const channels = plural(model.channels, 'channel');
      const blocks: Block[] = [
        {
          p: `${channels[0]!.toUpperCase()}${channels.slice(1)} of license ${model.serial} moved to ${model.targetName} as license ${model.newSerial}. The reduced license file ${model.fileName}, with ${plural(model.remainingChannels, 'channel')}, is attached: install it in place of the current one.`,
        },
        {
          facts: [
            ...requestFacts(model),
            ['Serial', model.serial],
            ['Product', model.productName],
            ['Channels moved', model.channels],
            ['Channels remaining', model.remainingChannels],
            ['Moved to', `${model.targetName} (${model.newSerial})`],
          ],
        },
        openRequest(model),
      ];
      if (model.licenseId) blocks.push({ link: { label: 'Open the license', url: licenseUrl(model.publicUrl, model.licenseId) } });
      return {
        audience: 'partner',
        subject: `${n} ${channels} of license ${model.serial} moved to ${model.targetName}`,
        heading: `Channels moved (${n})`,
        blocks,
      };
    }
    case 'channels_received': {
      const n = formatRequestNumber(model.requestNumber);
      const channels = plural(model.channels, 'channel');
      const blocks: Block[] = [
        {
          p: `${model.fromName} has transferred ${channels} of ${model.productName} to your company from license ${model.sourceSerial}. Your new license ${model.serial} is attached as ${model.fileName}.`,
        },
        {
          facts: [
            ...requestFacts(model),
            ['Serial', model.serial],
            ['Product', model.productName],
            ['Channels', model.channels],
            ['From', `${model.fromName} (${model.sourceSerial})`],
          ],
        },
      ];
      if (model.licenseId) blocks.push({ link: { label: 'Open the license', url: licenseUrl(model.publicUrl, model.licenseId) } });
      return {
        audience: 'partner',
        subject: `${n} new license ${model.serial}: ${channels} from ${model.fromName}`,
        heading: `New license ${model.serial} (${n})`,
        blocks,
      };
    }
    case 'external_file_waiting': {
      const n = formatRequestNumber(model.requestNumber);
      const waiting = plural(model.waitingBusinessHours, 'business hour');
      return {
        audience: 'desk',
        subject: `${n} waiting for license file: ${model.productName} (${waiting})`,
        heading: `Upload the license file for ${n}`,
        blocks: [
          {
            p: `${model.productName} is an external product. The approved ${requestPhrase(model)} from ${model.companyName} has waited ${waiting} for its license file. Generate the file in the external generator and upload it on the request.`,
          },
          { facts: [...requestFacts(model), ['Product', model.productName], ['Serial', model.serial]] },
          openRequest(model),
        ],
      };
    }
    case 'cancelled': {
      const n = formatRequestNumber(model.requestNumber);
      const blocks: Block[] = [{ p: `The ${requestPhrase(model)} has been cancelled.` }];
      if (model.reason) blocks.push({ quote: model.reason, label: 'Reason' });
      if (model.releasedChannels) blocks.push({ p: `The ${plural(model.releasedChannels, 'channel')} reserved for this request were returned to your stock.` });
      blocks.push({ facts: requestFacts(model) }, openRequest(model));
      return { audience: 'partner', subject: `${n} cancelled: ${REQUEST_TYPE_LABELS[model.requestType]}`, heading: `${n} was cancelled`, blocks };
    }
    case 'invitation':
      return {
        audience: 'account',
        subject: `You are invited to the License Desk of ${model.companyName}`,
        heading: `Welcome, ${model.userName}`,
        blocks: [
          {
            p: `${model.invitedBy} has given you an account for ${model.companyName} on the License Desk. Choose your password with the link below; it works once, until ${formatDateTime(model.expiresAt)}.`,
          },
          { link: { label: 'Set your password', url: model.url } },
          { p: 'If you did not expect this invitation, ignore this message; no account is usable without the password.' },
        ],
      };
    case 'password_reset':
      return {
        audience: 'account',
        subject: 'Reset your License Desk password',
        heading: `Password reset for ${model.userName}`,
        blocks: [
          { p: `Someone asked to reset the password of this account. The link below works once, until ${formatDateTime(model.expiresAt)}.` },
          { link: { label: 'Choose a new password', url: model.url } },
          { p: 'If you did not ask for this, ignore this message: your password stays as it is.' },
        ],
      };
  }
}

/** A lock named in a mail ("MAC: C8D9D29AA31B", however the caller wrote it) shows its MAC in the one canonical form. */
function withCanonicalMacs(model: MailModel): MailModel {
  if ('lock' in model && model.lock) return { ...model, lock: canonicalMacsIn(model.lock) };
  if ('oldHardware' in model && model.oldHardware) return { ...model, oldHardware: canonicalMacsIn(model.oldHardware) };
  return model;
}

/**
 * Renders the subject, the text part and the HTML part of one mail, in the model's language: the
 * recipients' choice (User.locale), English when they have none.
 */
export function renderMail(given: MailModel): RenderedMail {
  const model = withCanonicalMacs(given);
  const locale: Locale = model.locale === 'fi' ? 'fi' : 'en';
  const c =
    locale === 'fi' ? finnishContent(model, { reference: formatRequestNumber, requestUrl, licenseUrl, licensesUrl, stocksUrl, smaRenewalUrl }) : content(model);
  const subject = oneLine(c.subject);
  const normalised = { ...c, subject };
  return { subject, text: renderText(normalised, locale), html: renderHtml(normalised, locale) };
}
