import path from 'node:path';
import { z } from 'zod';
import type { BusinessCalendar } from '../domain/business-calendar.ts';
import { CalendarFileError, DEFAULT_CALENDAR_FILE, readCalendarFile } from './business-calendar.ts';

/**
 * Configuration, parsed once at boot. Each of DATABASE_URL, TEMPORAL_ADDRESS and SMTP_URL
 * points a part at an existing service; when one is absent, `npm start` runs the embedded
 * part on the matching *_PORT instead.
 */
const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);

const optionalUrl = (protocols: string[], example: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value) => (value === '' ? undefined : value))
    .refine(
      (value) => {
        if (value === undefined) return true;
        try {
          return protocols.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      },
      { message: `must be a URL such as ${example}` },
    );

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  DATA_DIR: z.string().trim().min(1).default('data'),

  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  DATABASE_URL: optionalUrl(['postgres:', 'postgresql:'], 'postgresql://user:password@localhost:5432/license_desk'),
  EMBEDDED_PG_PORT: port(5433),

  TEMPORAL_ADDRESS: z
    .string()
    .trim()
    .optional()
    .transform((value) => (value === '' ? undefined : value))
    .refine((value) => value === undefined || /^[A-Za-z0-9.-]+:\d{1,5}$/.test(value), {
      message: 'must be host:port, e.g. localhost:7233',
    }),
  TEMPORAL_NAMESPACE: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/, 'must be a Temporal namespace name, e.g. license-desk')
    .default('license-desk'),
  TEMPORAL_TASK_QUEUE: z.string().trim().min(1).default('license-desk'),
  EMBEDDED_TEMPORAL_PORT: port(7233),
  EMBEDDED_TEMPORAL_UI_PORT: port(8233),

  SMTP_URL: optionalUrl(['smtp:', 'smtps:'], 'smtp://user:password@mail.example.com:587'),
  EMBEDDED_SMTP_PORT: port(2525),
  MAIL_FROM: z.string().trim().min(3).default('License Desk <license-desk@localhost>'),

  WORKER_HEALTH_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  // A prebuilt workflow bundle (npm run build:workflows); unset, the worker bundles workflows/ at boot.
  WORKFLOW_BUNDLE_PATH: z.string().trim().min(1).optional(),
  // /api/health: how recently a worker must have polled the task queue to count (see api/health/checks.ts).
  HEALTH_WORKER_SEEN_WITHIN_SECONDS: z.coerce.number().int().min(1).max(3600).default(90),
  // Encrypts the Ed25519 signing keys at rest. npm start keeps a generated one in DATA_DIR.
  SIGNING_KEY_SECRET: z.string().min(32, 'must be at least 32 characters; generate one with: openssl rand -base64 32').optional(),
  // Desk policy: reminders and escalation (business hours), and auto-approval of small expansions.
  DESK_REMIND_AFTER_HOURS: z.coerce.number().positive().max(1000).default(8),
  DESK_ESCALATE_AFTER_HOURS: z.coerce.number().positive().max(1000).default(24),
  AUTO_APPROVE_EXPANSION_MAX_CHANNELS: z.coerce.number().int().min(0).max(10_000).default(0),
  // SMA renewals: hours after issue in which the partner may cancel the renewal (NEC's cooling-off period).
  SMA_RENEWAL_COOLING_OFF_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 90)
    .default(24),
  // The desk's time zone, working days, office hours and holidays (a JSON file, checked at boot).
  BUSINESS_CALENDAR_FILE: z.string().trim().min(1).optional(),
  // Webhooks (docs/webhooks.md): plain-http endpoints (otherwise https only), loopback and private
  // addresses (otherwise public internet addresses only), and the retry policy of each delivery.
  WEBHOOK_ALLOW_HTTP: z
    .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
    .default('false')
    .transform((value) => value === 'true' || value === '1'),
  WEBHOOK_ALLOW_PRIVATE: z
    .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
    .default('false')
    .transform((value) => value === 'true' || value === '1'),
  WEBHOOK_RETRY_INITIAL_SECONDS: z.coerce.number().positive().max(3600).default(10),
  WEBHOOK_RETRY_MAX_INTERVAL_SECONDS: z.coerce.number().positive().max(86_400).default(3600),
  WEBHOOK_RETRY_FOR_HOURS: z.coerce.number().positive().max(720).default(24),
  WEBHOOK_SWEEP_SECONDS: z.coerce.number().positive().max(3600).default(10),
  API_HOST: z.string().trim().min(1).default('127.0.0.1'),
  API_PORT: port(3000),
  PUBLIC_URL: optionalUrl(['http:', 'https:'], 'https://licenses.example.com'),
  // Web pages on other origins that may call the API with a partner API token (never cookies).
  CORS_ORIGINS: z
    .string()
    .trim()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return undefined;
      if (value === '*') return '*' as const;
      const origins = value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean);
      for (const origin of origins) {
        if (!isOrigin(origin)) {
          ctx.addIssue({
            code: 'custom',
            message: `${JSON.stringify(origin)} is not an origin: use * or a comma-separated list such as https://portal.example.com,https://erp.example.com`,
          });
          return z.NEVER;
        }
      }
      return origins;
    }),
});

/** scheme://host[:port] with nothing after it, as a browser sends in the Origin header. */
function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}

export type Env = z.infer<typeof EnvSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export interface Config {
  env: Env['NODE_ENV'];
  logLevel: Env['LOG_LEVEL'];
  dataDir: string;
  database: { url?: string; embeddedPort: number; poolSize: number };
  temporal: { address?: string; namespace: string; taskQueue: string; embeddedPort: number; embeddedUiPort: number };
  worker: { healthPort?: number; bundlePath?: string };
  /** workerSeenWithinMs: /api/health counts a worker that polled the task queue this recently. */
  health: { workerSeenWithinMs: number };
  signing: { secret?: string };
  /**
   * The decision policy every new request workflow is started with; its calendar (from
   * `calendarFile`) reaches the workflow in its input, so the workflow never reads a file.
   */
  deskPolicy: {
    remindAfterBusinessHours: number;
    escalateAfterBusinessHours: number;
    autoApproveExpansionUpTo: number;
    smaRenewalCoolingOffHours: number;
    calendar: BusinessCalendar;
  };
  calendarFile: string;
  /**
   * Webhooks: whether endpoints may use plain http, whether they may be (or resolve to) loopback,
   * private-network or other non-public addresses, each delivery's retry policy (exponential
   * backoff for `retry.giveUpAfterMs` in all), and how often the dispatcher sweeps for deliveries
   * whose workflow was not started.
   */
  webhooks: {
    allowHttp: boolean;
    allowPrivate: boolean;
    retry: { initialIntervalMs: number; maximumIntervalMs: number; giveUpAfterMs: number };
    sweepEveryMs: number;
  };
  smtp: { url?: string; embeddedPort: number; from: string };
  /** corsOrigins: the origins allowed to read API answers across origins (token clients). */
  api: { host: string; port: number; publicUrl: string; corsOrigins?: string[] | '*' };
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set", as in most shells' `VAR= command`.
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`));
  }
  const e = parsed.data;
  const calendarFile = e.BUSINESS_CALENDAR_FILE ? path.resolve(e.BUSINESS_CALENDAR_FILE) : DEFAULT_CALENDAR_FILE;
  let calendar: BusinessCalendar;
  try {
    calendar = readCalendarFile(calendarFile);
  } catch (error) {
    if (error instanceof CalendarFileError) throw new ConfigError(error.problems.map((p) => `BUSINESS_CALENDAR_FILE ${calendarFile}: ${p}`));
    throw error;
  }
  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    dataDir: path.resolve(e.DATA_DIR),
    database: { url: e.DATABASE_URL, embeddedPort: e.EMBEDDED_PG_PORT, poolSize: e.DATABASE_POOL_SIZE },
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      embeddedPort: e.EMBEDDED_TEMPORAL_PORT,
      embeddedUiPort: e.EMBEDDED_TEMPORAL_UI_PORT,
    },
    worker: { healthPort: e.WORKER_HEALTH_PORT, bundlePath: e.WORKFLOW_BUNDLE_PATH },
    health: { workerSeenWithinMs: e.HEALTH_WORKER_SEEN_WITHIN_SECONDS * 1000 },
    signing: { secret: e.SIGNING_KEY_SECRET },
    deskPolicy: {
      remindAfterBusinessHours: e.DESK_REMIND_AFTER_HOURS,
      escalateAfterBusinessHours: e.DESK_ESCALATE_AFTER_HOURS,
      autoApproveExpansionUpTo: e.AUTO_APPROVE_EXPANSION_MAX_CHANNELS,
      smaRenewalCoolingOffHours: e.SMA_RENEWAL_COOLING_OFF_HOURS,
      calendar,
    },
    calendarFile,
    webhooks: {
      allowHttp: e.WEBHOOK_ALLOW_HTTP,
      allowPrivate: e.WEBHOOK_ALLOW_PRIVATE,
      retry: {
        initialIntervalMs: e.WEBHOOK_RETRY_INITIAL_SECONDS * 1000,
        maximumIntervalMs: Math.max(e.WEBHOOK_RETRY_MAX_INTERVAL_SECONDS, e.WEBHOOK_RETRY_INITIAL_SECONDS) * 1000,
        giveUpAfterMs: e.WEBHOOK_RETRY_FOR_HOURS * 3_600_000,
      },
      sweepEveryMs: e.WEBHOOK_SWEEP_SECONDS * 1000,
    },
    smtp: { url: e.SMTP_URL, embeddedPort: e.EMBEDDED_SMTP_PORT, from: e.MAIL_FROM },
    api: { host: e.API_HOST, port: e.API_PORT, publicUrl: e.PUBLIC_URL ?? `http://localhost:${e.API_PORT}`, corsOrigins: e.CORS_ORIGINS },
  };
}

/** The variables a running worker or API needs once every service address is known. */
export interface ServiceAddresses {
  databaseUrl: string;
  temporalAddress: string;
  temporalNamespace: string;
  smtpUrl: string;
  signingKeySecret: string;
}

/** Config for a process whose three services must already be set (worker, API). */
export function requireServices(config: Config): ServiceAddresses {
  const missing = [
    !config.database.url && 'DATABASE_URL',
    !config.temporal.address && 'TEMPORAL_ADDRESS',
    !config.smtp.url && 'SMTP_URL',
    !config.signing.secret && 'SIGNING_KEY_SECRET',
  ].filter(Boolean) as string[];
  if (missing.length) {
    throw new ConfigError(missing.map((name) => `${name} is required (npm start sets it for the embedded stack)`));
  }
  return {
    databaseUrl: config.database.url!,
    temporalAddress: config.temporal.address!,
    temporalNamespace: config.temporal.namespace,
    smtpUrl: config.smtp.url!,
    signingKeySecret: config.signing.secret!,
  };
}
