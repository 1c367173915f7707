import type { InvitationMail, PasswordResetMail } from '../../services/mail/templates.ts';
import { renderMail } from '../../services/mail/templates.ts';
import type { MailTransport } from '../../services/mail/transport.ts';

export interface AccountMailer {
  transport: MailTransport;
  from: string;
  publicUrl: string;
}

/** The link the UI's set-password page reads: `#/set-password?token=…&purpose=…`. */
export function setPasswordUrl(publicUrl: string, token: string, purpose: 'invitation' | 'reset') {
  return `${publicUrl.replace(/\/+$/, '')}/#/set-password?token=${encodeURIComponent(token)}&purpose=${purpose}`;
}

/**
 * Sends an invitation or reset mail straight through SMTP, not through the outbox: the outbox
 * keeps message bodies for the desk to read and resend, and a body holding a live password link
 * must not be readable by anyone but its recipient. A lost mail is fixed by asking again.
 */
export async function sendAccountMail(mailer: AccountMailer, to: string, model: InvitationMail | PasswordResetMail) {
  const rendered = renderMail(model);
  await mailer.transport.sendMail({ from: mailer.from, to, subject: rendered.subject, text: rendered.text, html: rendered.html });
}
