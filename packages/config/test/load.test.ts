import { createHmac } from 'node:crypto';
import { ConfigError, isMentoraError } from '@mentora/errors';
import { describe, expect, it } from 'vitest';
import {
  createEnvSchema,
  DEV_DEFAULTS,
  decodeJwtPayload,
  type Env,
  isSecret,
  loadConfig,
  resolveProfile,
  Secret,
  safeLoadConfig,
  validateConfig,
} from '../src/index.js';

function sign(payload: object, secret: string): string {
  const b = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const head = `${b({ alg: 'HS256', typ: 'JWT' })}.${b(payload)}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

const PROD_SECRET = 'prod-jwt-secret-0123456789abcdefghijklmnopqrstuvwxyz';
const PROD_ENV: Env = {
  NEXT_PUBLIC_SUPABASE_URL: 'https://abc.supabase.co',
  NEXT_PUBLIC_SUPABASE_ANON_KEY: sign({ role: 'anon' }, PROD_SECRET),
  SUPABASE_SERVICE_ROLE_KEY: sign({ role: 'service_role' }, PROD_SECRET),
  SUPABASE_JWT_SECRET: PROD_SECRET,
  REDIS_URL: 'rediss://default:r3d1s-pa55word@cache.internal:6380',
  INNGEST_EVENT_KEY: 'evt-prod-key-123',
  INNGEST_SIGNING_KEY: 'signkey-prod-abcdef0123456789',
  NEXT_PUBLIC_APP_URL: 'https://app.mentora.example',
};

function problems(env: Env, profile?: 'development' | 'test' | 'production'): Record<string, string> {
  const r = safeLoadConfig(env, profile ? { profile } : {});
  if (r.success) throw new Error('expected a ConfigError');
  return Object.fromEntries(r.error.issues.map((i) => [i.variable, i.message]));
}

describe('profiles and defaults', () => {
  it('development needs no env at all (embedded stack, memory cache)', () => {
    const config = loadConfig({});
    expect(config.profile).toBe('development');
    expect(config.database.supabaseUrl).toBe('http://127.0.0.1:54321');
    expect(config.database.anonKey).toBe(DEV_DEFAULTS.anonKey);
    expect(config.database.serviceRoleKey.reveal()).toBe(DEV_DEFAULTS.serviceRoleKey);
    expect(config.database.jwtSecret?.reveal()).toBe(DEV_DEFAULTS.jwtSecret);
    expect(config.database.databaseUrl).toBeUndefined();
    expect(config.cache).toMatchObject({ enabled: true, driver: 'memory', keyPrefix: 'mentora:' });
    expect(config.cache.redisUrl).toBeUndefined();
    expect(config.monitoring).toMatchObject({ logLevel: 'debug', environment: 'development' });
    expect(config.app).toEqual({
      name: 'mentora',
      url: 'http://localhost:3000',
      env: 'development',
      trustProxy: false,
    });
    expect(config.ratelimit).toEqual({ enabled: true });
  });

  it('test profile: quieter logs, same embedded defaults', () => {
    const config = loadConfig({}, { profile: 'test' });
    expect(config.app.env).toBe('test');
    expect(config.monitoring.logLevel).toBe('warn');
    expect(config.cache.driver).toBe('memory');
  });

  it('the development keys are JWTs signed with the development secret, with the right roles', () => {
    for (const [key, role] of [
      [DEV_DEFAULTS.anonKey, 'anon'],
      [DEV_DEFAULTS.serviceRoleKey, 'service_role'],
    ] as const) {
      const [h, p, s] = key.split('.');
      expect(createHmac('sha256', DEV_DEFAULTS.jwtSecret).update(`${h}.${p}`).digest('base64url')).toBe(s);
      expect(decodeJwtPayload(key)?.role).toBe(role);
    }
  });

  it('resolves the profile from options, MENTORA_ENV, then NODE_ENV', () => {
    expect(resolveProfile({ NODE_ENV: 'production' }).profile).toBe('production');
    expect(resolveProfile({ NODE_ENV: 'test' }).profile).toBe('test');
    expect(resolveProfile({ NODE_ENV: 'staging' }).profile).toBe('development');
    expect(resolveProfile({ NODE_ENV: 'production', MENTORA_ENV: 'test' }).profile).toBe('test');
    expect(resolveProfile({ MENTORA_ENV: 'test' }, { profile: 'development' }).profile).toBe('development');
    const bad = resolveProfile({ MENTORA_ENV: 'prod' });
    expect(bad.profile).toBe('production');
    expect(bad.issue?.variable).toBe('MENTORA_ENV');
  });

  it('an unknown MENTORA_ENV is reported and validated strictly', () => {
    const p = problems({ MENTORA_ENV: 'staging' });
    expect(p.MENTORA_ENV).toMatch(/must be one of: development, test, production/);
    expect(p.SUPABASE_SERVICE_ROLE_KEY).toBe('is required in production');
  });

  it('empty strings count as unset', () => {
    expect(loadConfig({ LOG_LEVEL: '', NEXT_PUBLIC_SUPABASE_URL: '  ' }).monitoring.logLevel).toBe('debug');
  });

  it("called without the environment (the seeds' validateConfig()), says what to pass", () => {
    const call = validateConfig as unknown as () => unknown;
    expect(call).toThrow(TypeError);
    expect(call).toThrow(/process\.env/);
  });
});

describe('production', () => {
  it('loads a complete production env, typed, grouped and frozen', () => {
    const config = loadConfig(PROD_ENV, { profile: 'production' });
    expect(config.profile).toBe('production');
    expect(config.cache.driver).toBe('redis');
    expect(config.cache.redisUrl?.reveal()).toBe(PROD_ENV.REDIS_URL);
    expect(config.monitoring).toMatchObject({ logLevel: 'info', environment: 'production' });
    expect(config.jobs.inngestSigningKey.reveal()).toBe(PROD_ENV.INNGEST_SIGNING_KEY);
    expect(isSecret(config.jobs.inngestEventKey)).toBe(true);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.database)).toBe(true);
    expect(() => {
      (config.app as { name: string }).name = 'x';
    }).toThrow(TypeError);
  });

  it('NODE_ENV=production selects production without options', () => {
    expect(loadConfig({ ...PROD_ENV, NODE_ENV: 'production' }).profile).toBe('production');
  });

  it('reports every missing variable in one ConfigError', () => {
    const r = safeLoadConfig({}, { profile: 'production' });
    expect(r.success).toBe(false);
    if (r.success) return;
    expect(r.error).toBeInstanceOf(ConfigError);
    expect(isMentoraError(r.error)).toBe(true);
    expect(r.error.status).toBe(500);
    expect(r.error.code).toBe('CONFIG_INVALID');
    expect(r.error.issues.map((i) => i.variable).sort()).toEqual(
      [
        'INNGEST_EVENT_KEY',
        'INNGEST_SIGNING_KEY',
        'NEXT_PUBLIC_APP_URL',
        'NEXT_PUBLIC_SUPABASE_ANON_KEY',
        'NEXT_PUBLIC_SUPABASE_URL',
        'REDIS_URL',
        'SUPABASE_SERVICE_ROLE_KEY',
      ].sort(),
    );
    expect(r.error.message).toMatch(/^Invalid configuration \(profile: production\): 7 problems\n/);
  });

  it('CACHE_DRIVER=memory (or a disabled cache) lifts the REDIS_URL requirement', () => {
    const { REDIS_URL: _, ...noRedis } = PROD_ENV;
    expect(loadConfig({ ...noRedis, CACHE_DRIVER: 'memory' }, { profile: 'production' }).cache.driver).toBe(
      'memory',
    );
    expect(loadConfig({ ...noRedis, CACHE_ENABLED: 'false' }, { profile: 'production' }).cache.enabled).toBe(
      false,
    );
    expect(problems({ ...noRedis, CACHE_DRIVER: 'redis' }, 'development').REDIS_URL).toMatch(
      /cache driver is redis/,
    );
  });

  it('refuses the built-in development values', () => {
    const p = problems(
      {
        ...PROD_ENV,
        SUPABASE_JWT_SECRET: DEV_DEFAULTS.jwtSecret,
        SUPABASE_SERVICE_ROLE_KEY: DEV_DEFAULTS.serviceRoleKey,
        INNGEST_SIGNING_KEY: DEV_DEFAULTS.inngestSigningKey,
      },
      'production',
    );
    expect(Object.keys(p).sort()).toEqual([
      'INNGEST_SIGNING_KEY',
      'SUPABASE_JWT_SECRET',
      'SUPABASE_SERVICE_ROLE_KEY',
    ]);
    expect(p.SUPABASE_JWT_SECRET).toMatch(/built-in development value/);
  });
});

describe('invalid values', () => {
  it('Done when: bad URL, short JWT secret and a server key under NEXT_PUBLIC_ give one readable error listing every problem', () => {
    const env: Env = {
      ...PROD_ENV,
      NEXT_PUBLIC_SUPABASE_URL: 'not-a-url',
      SUPABASE_JWT_SECRET: 'too-short-secret',
      NEXT_PUBLIC_SUPABASE_SERVICE_ROLE_KEY: PROD_ENV.SUPABASE_SERVICE_ROLE_KEY,
    };
    let caught: unknown;
    try {
      validateConfig(env, { profile: 'production' });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const err = caught as ConfigError;
    expect(err.message).toBe(
      [
        'Invalid configuration (profile: production): 3 problems',
        '  - NEXT_PUBLIC_SUPABASE_URL: must be a valid http(s) URL',
        '  - SUPABASE_JWT_SECRET: must be at least 32 characters long',
        '  - NEXT_PUBLIC_SUPABASE_SERVICE_ROLE_KEY: is a server secret under a NEXT_PUBLIC_ name, which Next.js inlines into browser bundles; rename it to SUPABASE_SERVICE_ROLE_KEY and read it only on the server',
        'Values are never shown. See .env.example for every variable.',
      ].join('\n'),
    );
    for (const value of [env.SUPABASE_JWT_SECRET, env.SUPABASE_SERVICE_ROLE_KEY, 'not-a-url']) {
      expect(err.message).not.toContain(value);
      expect(JSON.stringify(err.issues)).not.toContain(value);
    }
  });

  it('validates every kind of variable', () => {
    const p = problems(
      {
        APP_NAME: 'has spaces',
        NEXT_PUBLIC_APP_URL: 'ftp://x.example',
        TRUST_PROXY: 'sometimes',
        DATABASE_URL: 'mysql://u:p@h/db',
        CACHE_DRIVER: 'memcached',
        REDIS_URL: 'http://cache:6379',
        CACHE_KEY_PREFIX: 'bad prefix!',
        INNGEST_SIGNING_KEY: 'sig_xxx',
        INNGEST_BASE_URL: 'localhost:8288',
        LOG_LEVEL: 'loud',
        SENTRY_DSN: 'nope',
        RATE_LIMIT_ENABLED: 'maybe',
      },
      'development',
    );
    expect(p).toEqual({
      APP_NAME: 'must be 1–64 letters, digits, dots, dashes or underscores',
      NEXT_PUBLIC_APP_URL: 'must be a valid http(s) URL',
      TRUST_PROXY:
        'must be true or false (or 1/0, yes/no, on/off), a hop count up to 64, or a comma-separated list of IP addresses / CIDR ranges',
      DATABASE_URL: 'must be a valid postgres:// URL',
      CACHE_DRIVER: 'must be one of: memory, redis',
      REDIS_URL: 'must be a valid redis:// or rediss:// URL',
      CACHE_KEY_PREFIX: 'must be at most 64 letters, digits, : _ - .',
      INNGEST_SIGNING_KEY: 'must look like signkey-<env>-<key>',
      INNGEST_BASE_URL: 'must be a valid http(s) URL',
      LOG_LEVEL: 'must be one of: error, warn, info, http, verbose, debug, silly',
      SENTRY_DSN: 'must be a valid http(s) URL',
      RATE_LIMIT_ENABLED: 'must be true or false (or 1/0, yes/no, on/off)',
    });
  });

  it('refuses credentials inside URLs that are not kept secret (they would be printed with the config)', () => {
    const p = problems(
      {
        INNGEST_BASE_URL: 'http://ops:INNGESTPASSWORD@inngest.internal:8288',
        SENTRY_DSN: 'https://publickey:SENTRYSECRET@o1.ingest.sentry.io/1',
      },
      'development',
    );
    expect(Object.keys(p).sort()).toEqual(['INNGEST_BASE_URL', 'SENTRY_DSN']);
    expect(JSON.stringify(p)).not.toMatch(/INNGESTPASSWORD|SENTRYSECRET/);
    const ok = loadConfig({ SENTRY_DSN: 'https://publickey@o1.ingest.sentry.io/1' });
    expect(ok.monitoring.sentryDsn).toBe('https://publickey@o1.ingest.sentry.io/1');
  });

  it('parses booleans leniently', () => {
    for (const [v, b] of [
      ['TRUE', true],
      ['1', true],
      ['yes', true],
      ['on', true],
      ['False', false],
      ['0', false],
      ['no', false],
      [' off ', false],
    ] as const) {
      expect(loadConfig({ TRUST_PROXY: v }).app.trustProxy).toBe(b);
    }
  });

  it('reads TRUST_PROXY as a hop count or a list of proxy addresses / CIDR ranges', () => {
    expect(loadConfig({ TRUST_PROXY: '2' }).app.trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: ' 10.0.0.0/8, 192.168.1.7 ,fd00::/8' }).app.trustProxy).toEqual([
      '10.0.0.0/8',
      '192.168.1.7',
      'fd00::/8',
    ]);
    for (const bad of ['65', '10.0.0.0/33', '10.0.0.0/8, not-an-ip', '::1/129']) {
      expect(problems({ TRUST_PROXY: bad }, 'development').TRUST_PROXY).toMatch(/hop count/);
    }
  });

  it('keeps WHOP_WEBHOOK_SECRET as a Secret', () => {
    const c = loadConfig({ WHOP_WEBHOOK_SECRET: 'whop-signing-secret-value' });
    expect(c.app.whopWebhookSecret?.reveal()).toBe('whop-signing-secret-value');
    expect(JSON.stringify(c)).not.toContain('whop-signing-secret-value');
    expect(loadConfig({}).app.whopWebhookSecret).toBeUndefined();
  });

  it('checks key roles: the anon key must be anon, the service key service_role', () => {
    const p = problems(
      {
        NEXT_PUBLIC_SUPABASE_ANON_KEY: sign({ role: 'authenticated' }, 'x'),
        SUPABASE_SERVICE_ROLE_KEY: sign({ role: 'anon' }, 'x'),
      },
      'development',
    );
    expect(p.NEXT_PUBLIC_SUPABASE_ANON_KEY).toMatch(/must be an anon key/);
    expect(p.SUPABASE_SERVICE_ROLE_KEY).toMatch(/must be a service_role key/);
    expect(
      problems({ SUPABASE_SERVICE_ROLE_KEY: 'sb_publishable_abc' }, 'test').SUPABASE_SERVICE_ROLE_KEY,
    ).toMatch(/publishable/);
    // New-style opaque keys are accepted.
    expect(
      loadConfig({
        NEXT_PUBLIC_SUPABASE_ANON_KEY: 'sb_publishable_abc',
        SUPABASE_SERVICE_ROLE_KEY: 'sb_secret_abc',
      }).database.anonKey,
    ).toBe('sb_publishable_abc');
  });
});

describe('server secrets under NEXT_PUBLIC_ names are refused', () => {
  it.each([
    'NEXT_PUBLIC_SUPABASE_SERVICE_ROLE_KEY',
    'NEXT_PUBLIC_SUPABASE_JWT_SECRET',
    'NEXT_PUBLIC_INNGEST_SIGNING_KEY',
    'NEXT_PUBLIC_INNGEST_EVENT_KEY',
    'NEXT_PUBLIC_SENTRY_AUTH_TOKEN',
    'NEXT_PUBLIC_REDIS_URL',
    'NEXT_PUBLIC_DATABASE_URL',
    'NEXT_PUBLIC_STRIPE_SECRET_KEY',
    'NEXT_PUBLIC_ADMIN_PASSWORD',
    'NEXT_PUBLIC_GITHUB_APP_PRIVATE_KEY',
  ])('%s (by name)', (name) => {
    expect(problems({ [name]: 'whatever-value' }, 'development')[name]).toMatch(
      /server secret under a NEXT_PUBLIC_ name/,
    );
  });

  it('a NEXT_PUBLIC_ value that is a service_role JWT (whatever the name)', () => {
    const p = problems(
      {
        NEXT_PUBLIC_SUPABASE_ANON_KEY: sign({ role: 'service_role' }, 's'),
        NEXT_PUBLIC_SOMETHING: sign({ role: 'supabase_admin' }, 's'),
      },
      'development',
    );
    expect(Object.keys(p).sort()).toEqual(['NEXT_PUBLIC_SOMETHING', 'NEXT_PUBLIC_SUPABASE_ANON_KEY']);
    expect(p.NEXT_PUBLIC_SUPABASE_ANON_KEY).toMatch(/holds a service_role JWT/);
    expect(p.NEXT_PUBLIC_SOMETHING).toMatch(/holds a supabase_admin JWT/);
  });

  it('a NEXT_PUBLIC_ value that is a Supabase secret key or equals a server secret', () => {
    const p = problems(
      {
        NEXT_PUBLIC_A: 'sb_secret_abcdef',
        NEXT_PUBLIC_B: 'evt-prod-key-123',
        INNGEST_EVENT_KEY: 'evt-prod-key-123',
      },
      'development',
    );
    expect(p.NEXT_PUBLIC_A).toMatch(/Supabase secret key/);
    expect(p.NEXT_PUBLIC_B).toMatch(/same value as the server secret INNGEST_EVENT_KEY/);
  });

  it('a NEXT_PUBLIC_ value that is a URL with a password', () => {
    const p = problems(
      {
        NEXT_PUBLIC_API_URL: 'https://admin:APIPASSWORD@api.example.com',
        NEXT_PUBLIC_APP_URL: 'https://admin:APPPASSWORD@app.example.com',
        NEXT_PUBLIC_SUPABASE_URL: 'https://TOKENUSER@abc.supabase.co',
        // A DSN's user part is Sentry's public key: fine.
        NEXT_PUBLIC_SENTRY_DSN: 'https://publickey@o1.ingest.sentry.io/1',
      },
      'development',
    );
    expect(Object.keys(p).sort()).toEqual([
      'NEXT_PUBLIC_API_URL',
      'NEXT_PUBLIC_APP_URL',
      'NEXT_PUBLIC_SUPABASE_URL',
    ]);
    expect(p.NEXT_PUBLIC_API_URL).toMatch(/password/);
    expect(JSON.stringify(p)).not.toMatch(/APIPASSWORD|APPPASSWORD|TOKENUSER/);
  });

  it('ordinary public variables are fine', () => {
    expect(() =>
      loadConfig({
        NEXT_PUBLIC_MAPBOX_TOKEN: 'pk.public',
        NEXT_PUBLIC_FEATURE_X: 'on',
        NEXT_PUBLIC_EMPTY: '',
      }),
    ).not.toThrow();
  });
});

describe('the Standard Schema', () => {
  it('is a Standard Schema (zod) whose issues name the variables', async () => {
    const schema = createEnvSchema('production');
    expect(schema['~standard'].version).toBe(1);
    expect(schema['~standard'].vendor).toBe('zod');
    const result = await schema['~standard'].validate({ ...PROD_ENV, LOG_LEVEL: 'loud' });
    expect(result.issues?.map((i) => i.path?.[0])).toEqual(['LOG_LEVEL']);
    const ok = await schema['~standard'].validate(PROD_ENV);
    expect(ok.issues).toBeUndefined();
    if (!ok.issues) expect((ok.value as { CACHE_ENABLED: boolean }).CACHE_ENABLED).toBe(true);
  });

  it('Secret survives in typed config positions', () => {
    const c = loadConfig({});
    expect(c.database.serviceRoleKey).toBeInstanceOf(Secret);
  });
});
