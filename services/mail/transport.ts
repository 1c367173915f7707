import nodemailer, { type Transporter } from 'nodemailer';

export type MailTransport = Transporter;

/**
 * A nodemailer transport for SMTP_URL (smtp:// or smtps://, credentials and query options such
 * as `?pool=true` included). The timeouts are much shorter than nodemailer's defaults (2 min to
 * connect, 10 min of socket inactivity) because the outbox holds a row lock while it sends:
 * a dead server should fail the attempt quickly and let the activity retry.
 */
export function createMailTransport(smtpUrl: string): MailTransport {
  return nodemailer.createTransport({
    url: smtpUrl,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
  });
}
