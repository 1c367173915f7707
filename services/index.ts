import type { PrismaClient } from '../prisma/client.ts';
import { systemClock, type Clock } from './clock.ts';
import type { LicenseSigner } from './licenses.ts';
import { createOutbox } from './mail/outbox.ts';
import { createMailTransport } from './mail/transport.ts';
import { createKeyStore } from './signing/key-store.ts';
import { signLicense } from './signing/sign-license.ts';
import { createWebhookSender } from './webhooks/delivery.ts';

export interface ServiceConfig {
  prisma: PrismaClient;
  /** SMTP_URL. */
  smtpUrl: string;
  /** MAIL_FROM, the From header of every mail. */
  mailFrom: string;
  /** SIGNING_KEY_SECRET, which encrypts the signing keys at rest. */
  signingKeySecret: string;
  /** The system clock when absent. */
  clock?: Clock;
  /** WEBHOOK_ALLOW_PRIVATE: webhooks may go to loopback and private addresses (development, tests). */
  webhookAllowPrivate?: boolean;
}

/**
 * The services a process builds once from its configuration: the mail transport and the outbox
 * on it, the key store and the license signer on it, and the clock they all read. The worker
 * passes them to createActivities (activities/index.ts); the API to createApp.
 */
export function createServices({ prisma, smtpUrl, mailFrom, signingKeySecret, clock = systemClock, webhookAllowPrivate = false }: ServiceConfig) {
  const transport = createMailTransport(smtpUrl);
  const keyStore = createKeyStore({ prisma, secret: signingKeySecret, clock: () => clock.now() });
  const outbox = createOutbox({ prisma, transport, from: mailFrom, clock });
  const signer: LicenseSigner = (grants) => signLicense({ keyStore, grants });
  // Webhook secrets are encrypted with the same secret as the signing keys.
  const webhooks = createWebhookSender({ prisma, masterSecret: signingKeySecret, clock, allowPrivate: webhookAllowPrivate });
  return { clock, transport, keyStore, outbox, signer, webhooks };
}

export type Services = ReturnType<typeof createServices>;
