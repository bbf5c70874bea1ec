import { loadConfig, Secret } from '@mentora/config';
import { NotFoundError, ServiceUnavailableError } from '@mentora/errors';
import type { Breadcrumb, ErrorEvent } from '@sentry/node';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DATA_COLLECTION,
  initSentry,
  sentryNodeOptions,
  sentryOptionsFromConfig,
} from '../../src/sentry/index.js';

const DSN = 'http://public@127.0.0.1:9/1';

function beforeSend(
  options: Parameters<typeof sentryNodeOptions>[0],
  event: Partial<ErrorEvent>,
  original?: unknown,
) {
  const send = sentryNodeOptions(options).beforeSend as (e: ErrorEvent, h: object) => ErrorEvent | null;
  return send({ type: undefined, ...event } as ErrorEvent, { originalException: original });
}

describe('sentryNodeOptions', () => {
  it('samples traces at 0.1 in production and 1.0 elsewhere, unless told; every error by default', () => {
    expect(sentryNodeOptions({ dsn: DSN, environment: 'production' })).toMatchObject({
      tracesSampleRate: 0.1,
      sampleRate: 1,
    });
    expect(sentryNodeOptions({ dsn: DSN, environment: 'staging' }).tracesSampleRate).toBe(1);
    expect(sentryNodeOptions({ dsn: DSN }).environment).toBe('development');
    expect(
      sentryNodeOptions({ dsn: DSN, environment: 'production', tracesSampleRate: 0.5, sampleRate: 0.9 }),
    ).toMatchObject({
      tracesSampleRate: 0.5,
      sampleRate: 0.9,
    });
  });

  it('sets dataCollection explicitly: no PII, cookies, bodies or local variables unless asked', () => {
    const options = sentryNodeOptions({ dsn: DSN, dataCollection: { frameContextLines: 0 } });
    expect(options.dataCollection).toEqual({ ...DEFAULT_DATA_COLLECTION, frameContextLines: 0 });
    expect(DEFAULT_DATA_COLLECTION).toMatchObject({
      userInfo: false,
      cookies: false,
      httpBodies: [],
      stackFrameVariables: false,
      databaseQueryData: false,
    });
    expect(options).not.toHaveProperty('sendDefaultPii');
  });

  it('beforeSend drops bots (any header case) and 4xx MentoraErrors, keeps 5xx', () => {
    const ua = (agent: string) => ({ request: { headers: { 'User-Agent': agent } } });
    expect(beforeSend({ dsn: DSN }, ua('Mozilla/5.0 (compatible; Googlebot/2.1)'))).toBeNull();
    expect(beforeSend({ dsn: DSN }, ua('AhrefsBot/7.0'))).toBeNull();
    expect(beforeSend({ dsn: DSN }, ua('Mozilla/5.0 Firefox/140.0'))).not.toBeNull();
    expect(beforeSend({ dsn: DSN, botUserAgents: false }, ua('Googlebot'))).not.toBeNull();
    expect(beforeSend({ dsn: DSN }, {}, new NotFoundError())).toBeNull();
    expect(beforeSend({ dsn: DSN }, {}, new ServiceUnavailableError())).not.toBeNull();
  });

  it('beforeSend scrubs request URL, query string (string or object), headers, cookies and body', () => {
    const secret = 'configured-secret-value-42';
    const out = beforeSend(
      { dsn: DSN, redact: { secrets: [new Secret(secret)] } },
      {
        message: `failed with ${secret}`,
        request: {
          url: `https://app.test/cb?code=1&token=abc&q=${secret}`,
          query_string: `code=1&token=abc&q=${secret}`,
          headers: { Authorization: 'Bearer x', 'X-Trace': secret, accept: 'text/html' },
          cookies: { sid: 'abc' },
          data: { password: 'p', title: 'ok' },
        },
      },
    );
    expect(JSON.stringify(out)).not.toContain(secret);
    expect(out?.message).toBe('failed with [redacted]');
    expect(out?.request).toEqual({
      url: 'https://app.test/cb?code=1&token=[redacted]&q=[redacted]',
      query_string: 'code=1&token=[redacted]&q=[redacted]',
      headers: { Authorization: '[redacted]', 'X-Trace': '[redacted]', accept: 'text/html' },
      cookies: { cookies: '[redacted]' },
      data: { password: '[redacted]', title: 'ok' },
    });
  });

  it('beforeBreadcrumb drops console.log breadcrumbs and scrubs the others', () => {
    const crumb = sentryNodeOptions({ dsn: DSN }).beforeBreadcrumb as (b: Breadcrumb) => Breadcrumb | null;
    expect(crumb({ category: 'console', level: 'log', message: 'x' })).toBeNull();
    expect(crumb({ category: 'http', data: { url: 'https://x.test/?apikey=1', token: 't' } })).toEqual({
      category: 'http',
      data: { url: 'https://x.test/?apikey=[redacted]', token: '[redacted]' },
    });
  });
});

describe('initSentry', () => {
  it('without a DSN returns a reporter that does nothing', async () => {
    const reporter = initSentry({});
    expect(reporter.captureException(new Error('x'))).toBeUndefined();
    await expect(reporter.flush()).resolves.toBe(true);
    await expect(reporter.close()).resolves.toBe(true);
  });

  it('from the configuration: SENTRY_DSN, SENTRY_ENVIRONMENT, trace rate per profile, secrets masked', () => {
    const config = loadConfig({ MENTORA_ENV: 'test', SENTRY_ENVIRONMENT: 'ci' });
    expect(config.monitoring.sentryDsn).toBeUndefined();
    const options = sentryOptionsFromConfig(config, { release: 'r1' });
    expect(options).toMatchObject({ environment: 'ci', tracesSampleRate: 1, release: 'r1' });
    expect(sentryOptionsFromConfig({ ...config, profile: 'production' }).tracesSampleRate).toBe(0.1);
    // The service-role key (a Secret in the config) is among the values masked in events.
    const key = config.database.serviceRoleKey?.reveal() as string;
    const out = beforeSend(options, { message: `bad key ${key}` });
    expect(out?.message).toBe('bad key [redacted]');
    expect(initSentry(config).captureException(new Error('x'))).toBeUndefined();
  });

  it('refuses a DSN that is not a URL (ConfigError) and a sample rate outside 0..1 (InvalidArgumentError)', () => {
    expect(() => initSentry({ dsn: 'not a dsn' })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
    expect(() => initSentry({ dsn: DSN, tracesSampleRate: 2 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});
