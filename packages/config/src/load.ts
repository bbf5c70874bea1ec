import { ConfigError, type ConfigIssue } from '@mentora/errors';
import {
  type CacheDriver,
  createEnvSchema,
  ENV_VARS,
  effectiveCacheDriver,
  type LogLevel,
  PROFILES,
  type Profile,
  type TrustProxySetting,
} from './schema.js';
import { REDACTED, Secret } from './secret.js';

/** A `process.env`-like record. */
export type Env = Readonly<Record<string, string | undefined>>;

export interface LoadConfigOptions {
  /**
   * Which defaults apply. Default: `MENTORA_ENV`, else `NODE_ENV` (production / test), else development.
   */
  profile?: Profile;
}

export interface DatabaseConfig {
  /** NEXT_PUBLIC_SUPABASE_URL */
  readonly supabaseUrl: string;
  /** NEXT_PUBLIC_SUPABASE_ANON_KEY (public by design; RLS applies) */
  readonly anonKey: string;
  /** SUPABASE_SERVICE_ROLE_KEY (bypasses RLS; server only) */
  readonly serviceRoleKey: Secret;
  /** SUPABASE_JWT_SECRET */
  readonly jwtSecret?: Secret;
  /** DATABASE_URL (may hold a password) */
  readonly databaseUrl?: Secret;
}

export interface CacheConfig {
  readonly enabled: boolean;
  readonly driver: CacheDriver;
  /** REDIS_URL (may hold a password) */
  readonly redisUrl?: Secret;
  readonly keyPrefix: string;
}

export interface JobsConfig {
  readonly inngestEventKey: Secret;
  readonly inngestSigningKey: Secret;
  readonly inngestBaseUrl?: string;
}

export interface MonitoringConfig {
  readonly sentryDsn?: string;
  readonly sentryAuthToken?: Secret;
  readonly logLevel: LogLevel;
  /** SENTRY_ENVIRONMENT, else the profile name. */
  readonly environment: string;
}

export interface AppConfig {
  readonly name: string;
  /** NEXT_PUBLIC_APP_URL */
  readonly url: string;
  /** The profile the config was loaded with. */
  readonly env: Profile;
  /**
   * TRUST_PROXY: `false` (trust no proxy), `true` (one), a hop count, or proxy addresses / CIDR ranges —
   * what `clientIp` of `@mentora/http` takes as `trustProxy`.
   */
  readonly trustProxy: TrustProxySetting;
  /** WHOP_WEBHOOK_SECRET */
  readonly whopWebhookSecret?: Secret;
}

export interface RateLimitConfig {
  readonly enabled: boolean;
}

/** The validated, frozen configuration, grouped like the seeds. Secrets are `Secret`s. */
export interface Config {
  readonly profile: Profile;
  readonly database: DatabaseConfig;
  readonly cache: CacheConfig;
  readonly jobs: JobsConfig;
  readonly monitoring: MonitoringConfig;
  readonly app: AppConfig;
  readonly ratelimit: RateLimitConfig;
}

const NODE_ENV_PROFILES: Record<string, Profile> = { production: 'production', test: 'test' };

/** The profile for `env`, and an issue when MENTORA_ENV holds something else. */
export function resolveProfile(
  env: Env,
  options: LoadConfigOptions = {},
): { profile: Profile; issue?: ConfigIssue } {
  if (options.profile !== undefined) {
    if ((PROFILES as readonly string[]).includes(options.profile)) return { profile: options.profile };
    return {
      profile: 'production',
      issue: { variable: 'profile', message: `must be one of: ${PROFILES.join(', ')}` },
    };
  }
  const explicit = env.MENTORA_ENV?.trim();
  if (explicit) {
    if ((PROFILES as readonly string[]).includes(explicit)) return { profile: explicit as Profile };
    // Unknown profile: validate strictly (no defaults) and report it.
    return {
      profile: 'production',
      issue: { variable: 'MENTORA_ENV', message: `must be one of: ${PROFILES.join(', ')}` },
    };
  }
  return { profile: NODE_ENV_PROFILES[env.NODE_ENV?.trim() ?? ''] ?? 'development' };
}

const SENSITIVE_NAME = /SECRET|KEY|TOKEN|PASSW|PRIVATE|CREDENTIAL|URL|DSN|NEXT_PUBLIC_/;

/** Belt and braces: mask any sensitive env value (8+ chars) that a message might ever echo. */
function scrub(message: string, env: Env): string {
  let out = message;
  for (const [name, value] of Object.entries(env)) {
    if (typeof value !== 'string' || !SENSITIVE_NAME.test(name)) continue;
    const v = value.trim();
    if (v.length >= 8 && out.includes(v)) out = out.split(v).join(REDACTED);
  }
  return out;
}

function formatMessage(profile: Profile, issues: readonly ConfigIssue[]): string {
  const n = issues.length;
  const lines = issues.map((i) => `  - ${i.variable}: ${i.message}`);
  return [
    `Invalid configuration (profile: ${profile}): ${n} problem${n === 1 ? '' : 's'}`,
    ...lines,
    'Values are never shown. See .env.example for every variable.',
  ].join('\n');
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function secret(value: unknown, label: string): Secret | undefined {
  return typeof value === 'string' && value !== '' ? new Secret(value, label) : undefined;
}

export type SafeLoadResult = { success: true; config: Config } | { success: false; error: ConfigError };

/** Like `loadConfig`, but returns the ConfigError instead of throwing it. */
export function safeLoadConfig(env: Env, options: LoadConfigOptions = {}): SafeLoadResult {
  if (typeof env !== 'object' || env === null) {
    // The seeds call validateConfig() with no argument; this package never reads process.env itself.
    throw new TypeError(
      'loadConfig/validateConfig(env) needs the environment: pass process.env from the composition root',
    );
  }
  const { profile, issue: profileIssue } = resolveProfile(env, options);
  const schema = createEnvSchema(profile);
  const result = schema['~standard'].validate(env);
  if (result instanceof Promise) throw new TypeError('the env schema must validate synchronously');

  const issues: ConfigIssue[] = profileIssue ? [profileIssue] : [];
  const seen = new Set<string>();
  for (const i of result.issues ?? []) {
    const first = i.path?.[0];
    const key = typeof first === 'object' && first !== null ? first.key : first;
    const variable = key === undefined ? '(environment)' : String(key);
    const message = scrub(i.message, env);
    const id = `${variable}\u0000${message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    issues.push({ variable, message });
  }
  if (issues.length > 0 || !('value' in result)) {
    return {
      success: false,
      error: new ConfigError(formatMessage(profile, issues), { issues, context: { profile } }),
    };
  }

  const e = result.value;
  const optional = (v: string | undefined) => (v === undefined || v === '' ? undefined : v);
  const config: Config = {
    profile,
    database: {
      supabaseUrl: e.NEXT_PUBLIC_SUPABASE_URL as string,
      anonKey: e.NEXT_PUBLIC_SUPABASE_ANON_KEY as string,
      serviceRoleKey: secret(e.SUPABASE_SERVICE_ROLE_KEY, 'SUPABASE_SERVICE_ROLE_KEY') as Secret,
      jwtSecret: secret(e.SUPABASE_JWT_SECRET, 'SUPABASE_JWT_SECRET'),
      databaseUrl: secret(e.DATABASE_URL, 'DATABASE_URL'),
    },
    cache: {
      enabled: e.CACHE_ENABLED ?? true,
      driver: effectiveCacheDriver(e.CACHE_DRIVER, e.REDIS_URL, profile),
      redisUrl: secret(e.REDIS_URL, 'REDIS_URL'),
      keyPrefix: e.CACHE_KEY_PREFIX ?? ENV_VARS.CACHE_KEY_PREFIX.defaults.production,
    },
    jobs: {
      inngestEventKey: secret(e.INNGEST_EVENT_KEY, 'INNGEST_EVENT_KEY') as Secret,
      inngestSigningKey: secret(e.INNGEST_SIGNING_KEY, 'INNGEST_SIGNING_KEY') as Secret,
      inngestBaseUrl: optional(e.INNGEST_BASE_URL),
    },
    monitoring: {
      sentryDsn: optional(e.SENTRY_DSN),
      sentryAuthToken: secret(e.SENTRY_AUTH_TOKEN, 'SENTRY_AUTH_TOKEN'),
      logLevel: e.LOG_LEVEL ?? 'info',
      environment: e.SENTRY_ENVIRONMENT ?? profile,
    },
    app: {
      name: e.APP_NAME ?? 'mentora',
      url: e.NEXT_PUBLIC_APP_URL as string,
      env: profile,
      trustProxy: e.TRUST_PROXY ?? false,
      whopWebhookSecret: secret(e.WHOP_WEBHOOK_SECRET, 'WHOP_WEBHOOK_SECRET'),
    },
    ratelimit: {
      enabled: e.RATE_LIMIT_ENABLED ?? true,
    },
  };
  return { success: true, config: deepFreeze(config) };
}

/**
 * Validate `env` and return the typed, frozen configuration. Throws ONE `ConfigError` that lists every
 * missing or invalid variable by name (never its value). Call it once, in the composition root, with
 * `process.env`; nothing in this package reads `process.env` by itself.
 */
export function loadConfig(env: Env, options: LoadConfigOptions = {}): Config {
  const r = safeLoadConfig(env, options);
  if (!r.success) throw r.error;
  return r.config;
}

/** Same as `loadConfig`: validates at startup and throws one ConfigError listing every problem. */
export function validateConfig(env: Env, options: LoadConfigOptions = {}): Config {
  return loadConfig(env, options);
}
