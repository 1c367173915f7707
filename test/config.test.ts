import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, requireServices } from '../config/env.ts';
import { DESK_CALENDAR } from '../domain/business-calendar.ts';
import { exactly } from './support/answers.ts';

describe('configuration', () => {
  it('runs on embedded defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.database).toEqual({ url: undefined, embeddedPort: 5433, poolSize: 10 });
    expect(config.temporal).toMatchObject({ address: undefined, namespace: 'license-desk', embeddedPort: 7233, embeddedUiPort: 8233 });
    expect(config.smtp).toMatchObject({ url: undefined, embeddedPort: 2525 });
    expect(config.api).toEqual({ host: '127.0.0.1', port: 3000, publicUrl: 'http://localhost:3000' });
  });

  it('points each part at an existing service', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgresql://desk:secret@db.example.com:5432/license_desk',
      TEMPORAL_ADDRESS: 'temporal.example.com:7233',
      TEMPORAL_NAMESPACE: 'desk-prod',
      SMTP_URL: 'smtps://relay:secret@mail.example.com:465',
      SIGNING_KEY_SECRET: 'k'.repeat(44),
    });
    expect(requireServices(config)).toEqual({
      databaseUrl: 'postgresql://desk:secret@db.example.com:5432/license_desk',
      temporalAddress: 'temporal.example.com:7233',
      temporalNamespace: 'desk-prod',
      smtpUrl: 'smtps://relay:secret@mail.example.com:465',
      signingKeySecret: 'k'.repeat(44),
    });
  });

  it('refuses bad values with a message that names each variable and the expected form', () => {
    let error: unknown;
    try {
      loadConfig({
        DATABASE_URL: 'mysql://x@y/z',
        TEMPORAL_ADDRESS: 'http://localhost',
        SMTP_URL: 'mail.example.com',
        API_PORT: '99999',
        TEMPORAL_NAMESPACE: 'bad namespace!',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('DATABASE_URL must be a URL such as postgresql://');
    expect(message).toContain('TEMPORAL_ADDRESS must be host:port, e.g. localhost:7233');
    expect(message).toContain('SMTP_URL must be a URL such as smtp://');
    expect(message).toContain('API_PORT');
    expect(message).toContain('TEMPORAL_NAMESPACE must be a Temporal namespace name');
    expect(() => loadConfig({ SIGNING_KEY_SECRET: 'short' })).toThrow(/SIGNING_KEY_SECRET must be at least 32 characters/);
    expect(() => loadConfig({ SIGNING_KEY_SECRET: 'short' })).toThrow(
      exactly('Invalid configuration:\n  - SIGNING_KEY_SECRET must be at least 32 characters; generate one with: openssl rand -base64 32'),
    );
  });

  it('checks the worker health port and the pool size, and treats empty variables as unset', () => {
    expect(() => loadConfig({ WORKER_HEALTH_PORT: 'abc' })).toThrow(/WORKER_HEALTH_PORT/);
    // zod's own words after the variable's name (reported as unhelpful to an operator in issue 13).
    expect(() => loadConfig({ WORKER_HEALTH_PORT: 'abc' })).toThrow(
      exactly('Invalid configuration:\n  - WORKER_HEALTH_PORT Invalid input: expected number, received NaN'),
    );
    expect(() => loadConfig({ DATABASE_POOL_SIZE: '0' })).toThrow(/DATABASE_POOL_SIZE/);
    expect(() => loadConfig({ DATABASE_POOL_SIZE: '0' })).toThrow(
      exactly('Invalid configuration:\n  - DATABASE_POOL_SIZE Too small: expected number to be >=1'),
    );
    const config = loadConfig({ WORKER_HEALTH_PORT: '3001', DATABASE_POOL_SIZE: '25', DATABASE_URL: '' });
    expect(config.worker.healthPort).toBe(3001);
    expect(config.database).toEqual({ url: undefined, embeddedPort: 5433, poolSize: 25 });
  });

  it('tells a worker or API started alone which services it still needs', () => {
    expect(() => requireServices(loadConfig({ DATABASE_URL: 'postgresql://a@b/c' }))).toThrow(
      /TEMPORAL_ADDRESS is required[\s\S]*SMTP_URL is required[\s\S]*SIGNING_KEY_SECRET is required/,
    );
    expect(() => requireServices(loadConfig({ DATABASE_URL: 'postgresql://a@b/c' }))).toThrow(
      exactly(
        'Invalid configuration:\n  - TEMPORAL_ADDRESS is required (npm start sets it for the embedded stack)\n' +
          '  - SMTP_URL is required (npm start sets it for the embedded stack)\n' +
          '  - SIGNING_KEY_SECRET is required (npm start sets it for the embedded stack)',
      ),
    );
  });
});

describe('CORS origins', () => {
  it('reads none, *, or a list of origins, and names a value that is not an origin', () => {
    expect(loadConfig({}).api.corsOrigins).toBeUndefined();
    expect(loadConfig({ CORS_ORIGINS: '*' }).api.corsOrigins).toBe('*');
    expect(loadConfig({ CORS_ORIGINS: ' https://erp.example.com, http://localhost:5173 ' }).api.corsOrigins).toEqual([
      'https://erp.example.com',
      'http://localhost:5173',
    ]);
    expect(() => loadConfig({ CORS_ORIGINS: 'https://erp.example.com/app' })).toThrow(/CORS_ORIGINS "https:\/\/erp.example.com\/app" is not an origin/);
    expect(() => loadConfig({ CORS_ORIGINS: 'erp.example.com' })).toThrow(/CORS_ORIGINS .*comma-separated list/);
    const notAnOrigin = (value: string) =>
      exactly(
        `Invalid configuration:\n  - CORS_ORIGINS "${value}" is not an origin: use * or a comma-separated list such as https://portal.example.com,https://erp.example.com`,
      );
    expect(() => loadConfig({ CORS_ORIGINS: 'https://erp.example.com/app' })).toThrow(notAnOrigin('https://erp.example.com/app'));
    expect(() => loadConfig({ CORS_ORIGINS: 'erp.example.com' })).toThrow(notAnOrigin('erp.example.com'));
  });
});

describe('desk policy', () => {
  it('defaults to reminders after 8 and escalation after 24 business hours, auto-approval off, a 24-hour SMA renewal cooling-off, on the Helsinki calendar', () => {
    expect(loadConfig({}).deskPolicy).toEqual({
      remindAfterBusinessHours: 8,
      escalateAfterBusinessHours: 24,
      autoApproveExpansionUpTo: 0,
      smaRenewalCoolingOffHours: 24,
      calendar: DESK_CALENDAR,
    });
    expect(loadConfig({ SMA_RENEWAL_COOLING_OFF_HOURS: '48' }).deskPolicy.smaRenewalCoolingOffHours).toBe(48);
    expect(() => loadConfig({ SMA_RENEWAL_COOLING_OFF_HOURS: '0' })).toThrow(/SMA_RENEWAL_COOLING_OFF_HOURS/);
    expect(loadConfig({ AUTO_APPROVE_EXPANSION_MAX_CHANNELS: '8' }).deskPolicy.autoApproveExpansionUpTo).toBe(8);
    expect(() => loadConfig({ AUTO_APPROVE_EXPANSION_MAX_CHANNELS: '-1' })).toThrow(/AUTO_APPROVE_EXPANSION_MAX_CHANNELS/);
    expect(() => loadConfig({ AUTO_APPROVE_EXPANSION_MAX_CHANNELS: '-1' })).toThrow(
      exactly('Invalid configuration:\n  - AUTO_APPROVE_EXPANSION_MAX_CHANNELS Too small: expected number to be >=0'),
    );
  });
});

describe('health', () => {
  it('counts a worker seen polling within 90 s by default, or HEALTH_WORKER_SEEN_WITHIN_SECONDS', () => {
    expect(loadConfig({}).health).toEqual({ workerSeenWithinMs: 90_000 });
    expect(loadConfig({ HEALTH_WORKER_SEEN_WITHIN_SECONDS: '3' }).health).toEqual({ workerSeenWithinMs: 3_000 });
    expect(() => loadConfig({ HEALTH_WORKER_SEEN_WITHIN_SECONDS: '0' })).toThrow(/HEALTH_WORKER_SEEN_WITHIN_SECONDS/);
    expect(() => loadConfig({ HEALTH_WORKER_SEEN_WITHIN_SECONDS: '0' })).toThrow(
      exactly('Invalid configuration:\n  - HEALTH_WORKER_SEEN_WITHIN_SECONDS Too small: expected number to be >=1'),
    );
  });
});

describe('webhooks', () => {
  it('accepts https endpoints only, and retries for 24 h from 10 s up to 1 h apart, by default', () => {
    expect(loadConfig({}).webhooks).toEqual({
      allowHttp: false,
      allowPrivate: false,
      retry: { initialIntervalMs: 10_000, maximumIntervalMs: 3_600_000, giveUpAfterMs: 86_400_000 },
      sweepEveryMs: 10_000,
    });
    const tuned = loadConfig({
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_RETRY_INITIAL_SECONDS: '0.5',
      WEBHOOK_RETRY_MAX_INTERVAL_SECONDS: '0.2',
      WEBHOOK_RETRY_FOR_HOURS: '1',
    });
    // The longest interval is never shorter than the first.
    expect(tuned.webhooks).toMatchObject({ allowHttp: true, retry: { initialIntervalMs: 500, maximumIntervalMs: 500, giveUpAfterMs: 3_600_000 } });
    expect(() => loadConfig({ WEBHOOK_ALLOW_HTTP: 'yes' })).toThrow(exactly('Invalid configuration:\n  - WEBHOOK_ALLOW_HTTP must be true or false'));
    // Loopback and private-network receivers: only when WEBHOOK_ALLOW_PRIVATE says so (development, tests).
    expect(loadConfig({ WEBHOOK_ALLOW_PRIVATE: 'true' }).webhooks).toMatchObject({ allowHttp: false, allowPrivate: true });
    expect(() => loadConfig({ WEBHOOK_ALLOW_PRIVATE: 'yes' })).toThrow(exactly('Invalid configuration:\n  - WEBHOOK_ALLOW_PRIVATE must be true or false'));
    expect(() => loadConfig({ WEBHOOK_RETRY_FOR_HOURS: '0' })).toThrow(/WEBHOOK_RETRY_FOR_HOURS/);
  });
});
