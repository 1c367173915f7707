import type { PrismaClient } from '../prisma/client.ts';
import type { Mailer } from '../services/mail/outbox.ts';
import { recipientLocale } from '../services/mail/recipient-locale.ts';
import type { MailModel, RequestMailBase } from '../services/mail/templates.ts';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** What a workflow says about a mail; the request's own facts are added here. */
export type MailSpec = DistributiveOmit<Exclude<MailModel, { kind: 'sma_expiry' }>, keyof RequestMailBase>;

/**
 * Sends one mail about a request through the outbox, once per (request, key): adds the
 * request's number, type, company and links to the workflow's spec and attaches the given
 * license revisions. Callers choose the recipients.
 */
export async function deliverRequestMail(
  deps: { prisma: PrismaClient; outbox: Mailer; publicUrl: string },
  input: { requestId: string; key: string; mail: MailSpec; to: string[]; timeZone?: string; attachRevisionIds?: string[] },
): Promise<string | null> {
  const to = [...new Set(input.to)];
  if (to.length === 0) return null;
  const request = await deps.prisma.request.findUniqueOrThrow({ where: { id: input.requestId }, include: { company: true } });
  const model = {
    ...input.mail,
    requestId: input.requestId,
    requestNumber: request.number,
    requestType: request.type,
    companyName: request.company.name,
    publicUrl: deps.publicUrl,
    // Dates read in the recipient company's time zone.
    timeZone: input.timeZone ?? request.company.timeZone,
    // In the language the recipients chose (English when they did not, or disagree).
    locale: await recipientLocale(deps.prisma, to),
  } as MailModel;
  const revisions = input.attachRevisionIds?.length
    ? await deps.prisma.licenseRevision.findMany({ where: { id: { in: input.attachRevisionIds } }, select: { id: true, fileName: true } })
    : [];
  const attachments = revisions.map((r) => ({ fileName: r.fileName, contentType: 'application/json', revisionId: r.id }));
  const row = await deps.outbox.deliver({
    key: `${input.requestId}:${input.key}`,
    requestId: input.requestId,
    to,
    model,
    attachments: attachments.length ? attachments : undefined,
  });
  return row.id;
}
