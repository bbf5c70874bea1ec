import { z } from 'zod';
import { jwtRole } from './jwt.js';
import { decodedViews, findJwts } from './wrapped-values.js';

export const PROFILES = ['development', 'test', 'production'] as const;
/** Which defaults apply: development and test run on embedded defaults, production has none. */
export type Profile = (typeof PROFILES)[number];

/** winston's npm levels. */
export const LOG_LEVELS = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const CACHE_DRIVERS = ['memory', 'redis'] as const;
export type CacheDriver = (typeof CACHE_DRIVERS)[number];

export type ConfigGroup = 'app' | 'database' | 'cache' | 'jobs' | 'monitoring' | 'ratelimit';

/** Well-known values used by the development and test profiles. Refused in production. */
export const DEV_DEFAULTS = {
  supabaseUrl: 'http://127.0.0.1:54321',
  jwtSecret: 'mentora-local-development-jwt-secret-not-for-production',
  /** HS256, role anon, signed with `jwtSecret`. */
  anonKey:
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJtZW50b3JhLWxvY2FsIiwicm9sZSI6ImFub24iLCJpYXQiOjE3MDAwMDAwMDAsImV4cCI6MjAwMDAwMDAwMH0.EGUx6aRd-Fgv56jlFHadlKIzCly6TKu_zDes-KnayS0',
  /** HS256, role service_role, signed with `jwtSecret`. */
  serviceRoleKey:
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJtZW50b3JhLWxvY2FsIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImlhdCI6MTcwMDAwMDAwMCwiZXhwIjoyMDAwMDAwMDAwfQ.wL8DQ2yC0OfwSRGPgk1z4uUxGGVONdgnm4nu2qwb8DM',
  inngestEventKey: 'local-development-event-key',
  inngestSigningKey: 'signkey-dev-00000000000000000000000000000000000000000000000000000000deadbeef',
  appUrl: 'http://localhost:3000',
} as const;

/** Documentation and policy for one environment variable. */
export interface EnvVarInfo {
  group: ConfigGroup;
  description: string;
  /** Wrapped in `Secret`; must never be logged or put under a NEXT_PUBLIC_ name. */
  secret: boolean;
  /** Inlined into browser bundles by Next.js (NEXT_PUBLIC_). */
  public: boolean;
  /** Profiles in which the variable must be set (after defaults). */
  requiredIn: readonly Profile[];
  /** Default per profile, used when the variable is unset or empty. */
  defaults: Partial<Record<Profile, string>>;
  /** Describes the default in .env.example instead of printing it (long or computed defaults). */
  defaultNote?: string;
  /** A placeholder shown in .env.example (never a real secret). */
  example?: string;
}

const dev = (value: string): Partial<Record<Profile, string>> => ({ development: value, test: value });

/** Every variable the schema knows, in .env.example order. */
export const ENV_VARS = {
  MENTORA_ENV: {
    group: 'app',
    description:
      'Configuration profile: development | test | production. Defaults from NODE_ENV (production/test), else development.',
    secret: false,
    public: false,
    requiredIn: [],
    defaults: {},
  },
  APP_NAME: {
    group: 'app',
    description: 'Application name used in logs, metrics and job ids.',
    secret: false,
    public: false,
    requiredIn: [],
    defaults: { development: 'mentora', test: 'mentora', production: 'mentora' },
  },
  NEXT_PUBLIC_APP_URL: {
    group: 'app',
    description: 'Public base URL of the web app (shipped to the browser).',
    secret: false,
    public: true,
    requiredIn: ['production'],
    defaults: dev(DEV_DEFAULTS.appUrl),
    example: 'https://app.example.com',
  },
  TRUST_PROXY: {
    group: 'app',
    description:
      'Which reverse proxies to believe about the client address (rate limits): false (none; X-Forwarded-For is ignored), true (one proxy), a hop count, or a comma-separated list of proxy addresses / CIDR ranges. Only enable behind proxies that append to or overwrite X-Forwarded-For.',
    secret: false,
    public: false,
    requiredIn: [],
    defaults: { development: 'false', test: 'false', production: 'false' },
  },
  WHOP_WEBHOOK_SECRET: {
    group: 'app',
    description:
      'Signing secret of Whop webhooks (Standard Webhooks: HMAC-SHA256 of the raw body). Without it, webhooks are refused.',
    secret: true,
    public: false,
    requiredIn: [],
    defaults: {},
  },
  NEXT_PUBLIC_SUPABASE_URL: {
    group: 'database',
    description: 'Supabase project URL (shipped to the browser).',
    secret: false,
    public: true,
    requiredIn: ['production'],
    defaults: dev(DEV_DEFAULTS.supabaseUrl),
    example: 'https://your-project.supabase.co',
  },
  NEXT_PUBLIC_SUPABASE_ANON_KEY: {
    group: 'database',
    description: 'Supabase anon (publishable) key; RLS applies. Shipped to the browser.',
    secret: false,
    public: true,
    requiredIn: ['production'],
    defaults: dev(DEV_DEFAULTS.anonKey),
    defaultNote: 'Default in development/test: a local anon JWT signed with the development JWT secret.',
    example: 'eyJ...',
  },
  SUPABASE_SERVICE_ROLE_KEY: {
    group: 'database',
    description:
      'Supabase service-role key: bypasses RLS. Server-side only, never under a NEXT_PUBLIC_ name.',
    secret: true,
    public: false,
    requiredIn: ['production'],
    defaults: dev(DEV_DEFAULTS.serviceRoleKey),
    defaultNote:
      'Default in development/test: a local service_role JWT signed with the development JWT secret.',
    example: 'eyJ...',
  },
  SUPABASE_JWT_SECRET: {
    group: 'database',
    description:
      'Secret that signs Supabase JWTs (at least 32 characters). Needed to verify user tokens locally.',
    secret: true,
    public: false,
    requiredIn: [],
    defaults: dev(DEV_DEFAULTS.jwtSecret),
    defaultNote: 'Default in development/test: a fixed local development secret (refused in production).',
  },
  DATABASE_URL: {
    group: 'database',
    description: 'Direct Postgres connection string (migrations, COPY). postgres:// or postgresql://.',
    secret: true,
    public: false,
    requiredIn: [],
    defaults: {},
    example: 'postgresql://postgres:password@127.0.0.1:5432/postgres',
  },
  CACHE_ENABLED: {
    group: 'cache',
    description: 'Turn caching on or off.',
    secret: false,
    public: false,
    requiredIn: [],
    defaults: { development: 'true', test: 'true', production: 'true' },
  },
  CACHE_DRIVER: {
    group: 'cache',
    description:
      'memory | redis. The memory store is per process (not shared across instances). Default: redis when REDIS_URL is set, otherwise memory in development/test and redis (so REDIS_URL is required) in production.',
    secret: false,
    public: false,
    requiredIn: [],
    defaults: {},
  },
  REDIS_URL: {
    group: 'cache',
    description:
      'Redis connection URL (redis:// or rediss://) for cache and rate limits. May hold a password.',
    secret: true,
    public: false,
    requiredIn: [],
    defaults: {},
    example: 'redis://default:password@127.0.0.1:6379',
  },
  CACHE_KEY_PREFIX: {
    group: 'cache',
    description: 'Prefix of every cache and rate-limit key (letters, digits, : _ - .; at most 64).',
    secret: false,
    public: false,
    requiredIn: [],
    defaults: { development: 'mentora:', test: 'mentora:', production: 'mentora:' },
  },
  INNGEST_EVENT_KEY: {
    group: 'jobs',
    description: 'Inngest event key used to send events.',
    secret: true,
    public: false,
    requiredIn: ['production'],
    defaults: dev(DEV_DEFAULTS.inngestEventKey),
    defaultNote: 'Default in development/test: a local placeholder (refused in production).',
    example: 'your-inngest-event-key',
  },
  INNGEST_SIGNING_KEY: {
    group: 'jobs',
    description: 'Inngest signing key (signkey-<env>-<hex>) that authenticates calls to the worker.',
    secret: true,
    public: false,
    requiredIn: ['production'],
    defaults: dev(DEV_DEFAULTS.inngestSigningKey),
    defaultNote: 'Default in development/test: a local placeholder (refused in production).',
    example: 'signkey-prod-0123abcd...',
  },
  INNGEST_BASE_URL: {
    group: 'jobs',
    description: 'Inngest API base URL for a self-hosted server or the dev server (unset: Inngest Cloud).',
    secret: false,
    public: false,
    requiredIn: [],
    defaults: {},
    example: 'http://127.0.0.1:8288',
  },
  LOG_LEVEL: {
    group: 'monitoring',
    description: 'error | warn | info | http | verbose | debug | silly.',
    secret: false,
    public: false,
    requiredIn: [],
    defaults: { development: 'debug', test: 'warn', production: 'info' },
  },
  SENTRY_DSN: {
    group: 'monitoring',
    description: 'Sentry DSN; unset disables error reporting.',
    secret: false,
    public: false,
    requiredIn: [],
    defaults: {},
    example: 'https://publickey@o0.ingest.sentry.io/0',
  },
  SENTRY_AUTH_TOKEN: {
    group: 'monitoring',
    description: 'Sentry auth token (source-map upload at build time).',
    secret: true,
    public: false,
    requiredIn: [],
    defaults: {},
  },
  SENTRY_ENVIRONMENT: {
    group: 'monitoring',
    description: 'Environment name reported to Sentry and in logs.',
    secret: false,
    public: false,
    requiredIn: [],
    defaults: {},
    defaultNote: 'Default: the profile name.',
  },
  RATE_LIMIT_ENABLED: {
    group: 'ratelimit',
    description: 'Turn rate limiting on or off.',
    secret: false,
    public: false,
    requiredIn: [],
    defaults: { development: 'true', test: 'true', production: 'true' },
  },
} as const satisfies Record<string, EnvVarInfo>;

export type EnvVarName = keyof typeof ENV_VARS;

const VAR_NAMES = Object.keys(ENV_VARS) as EnvVarName[];
const SECRET_VARS = VAR_NAMES.filter((n) => ENV_VARS[n].secret);

// ---------------------------------------------------------------------------------------------------------
// Field schemas. Messages never include the input.
// ---------------------------------------------------------------------------------------------------------

function parsesAsUrl(value: string, protocols: readonly string[]): boolean {
  try {
    const u = new URL(value);
    return protocols.includes(u.protocol) && u.hostname.length > 0;
  } catch {
    return false;
  }
}

const nonEmpty = () => z.string().trim().min(1, 'must not be empty');
const urlOf = (protocols: readonly string[], what: string) =>
  z
    .string()
    .trim()
    .refine((v) => parsesAsUrl(v, protocols), `must be a valid ${what} URL`);
/** The user-info part of a URL, when it parses. */
function urlCredentials(value: string): { username: string; password: string } | undefined {
  try {
    const u = new URL(value.trim());
    return { username: u.username, password: u.password };
  } catch {
    return undefined;
  }
}
const NOT_SECRET =
  'this variable is not kept secret (it is printed with the config, and NEXT_PUBLIC_ values reach browsers)';
/** An http(s) URL without credentials: these variables are plain strings in the config, never masked. */
const httpUrl = () =>
  urlOf(['http:', 'https:'], 'http(s)').refine((v) => {
    const c = urlCredentials(v);
    return !c || (c.username === '' && c.password === '');
  }, `must not contain credentials (user:password@): ${NOT_SECRET}`);
/** A Sentry DSN: the user part is the public key; a password (the legacy secret key) is refused. */
const sentryDsn = () =>
  urlOf(['http:', 'https:'], 'http(s)').refine(
    (v) => !urlCredentials(v)?.password,
    `must not contain the legacy secret key (public:secret@): Sentry needs only the public key, and ${NOT_SECRET}`,
  );

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);
const bool = () =>
  z
    .string()
    .trim()
    .toLowerCase()
    .refine((v) => TRUE.has(v) || FALSE.has(v), 'must be true or false (or 1/0, yes/no, on/off)')
    .transform((v) => TRUE.has(v));
/** A proxy address or CIDR range, IPv4 or IPv6. */
const proxyRange = z.union([z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6()]);
/** `TRUST_PROXY`: a boolean word, a hop count (2–64; 1/0 are true/false), or a list of addresses / CIDR ranges. */
export type TrustProxySetting = boolean | number | readonly string[];
const trustProxy = () =>
  z
    .string()
    .trim()
    .transform((raw, ctx): TrustProxySetting => {
      const v = raw.toLowerCase();
      if (TRUE.has(v)) return true;
      if (FALSE.has(v)) return false;
      if (/^\d+$/.test(v) && Number(v) <= 64) return Number(v);
      const entries = v
        .split(',')
        .map((e) => e.trim())
        .filter((e) => e !== '');
      if (entries.length > 0 && entries.every((e) => proxyRange.safeParse(e).success)) {
        return Object.freeze(entries);
      }
      ctx.addIssue({
        code: 'custom',
        message:
          'must be true or false (or 1/0, yes/no, on/off), a hop count up to 64, or a comma-separated list of IP addresses / CIDR ranges',
      });
      return z.NEVER;
    });
const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: () => `must be one of: ${values.join(', ')}` });

const FIELDS = {
  MENTORA_ENV: oneOf(PROFILES),
  APP_NAME: nonEmpty().regex(
    /^[A-Za-z0-9._-]{1,64}$/,
    'must be 1–64 letters, digits, dots, dashes or underscores',
  ),
  NEXT_PUBLIC_APP_URL: httpUrl(),
  TRUST_PROXY: trustProxy(),
  WHOP_WEBHOOK_SECRET: nonEmpty().refine((v) => !/\s/.test(v), 'must not contain whitespace'),
  NEXT_PUBLIC_SUPABASE_URL: httpUrl(),
  NEXT_PUBLIC_SUPABASE_ANON_KEY: nonEmpty()
    .refine((v) => !/\s/.test(v), 'must not contain whitespace')
    .refine((v) => {
      const role = jwtRole(v);
      // service_role / supabase_admin are reported by the NEXT_PUBLIC_ leak rule, with a clearer message.
      return role === undefined || role === 'anon' || role === 'service_role' || role === 'supabase_admin';
    }, 'must be an anon key (its JWT role is not anon)'),
  SUPABASE_SERVICE_ROLE_KEY: nonEmpty()
    .refine((v) => !/\s/.test(v), 'must not contain whitespace')
    .refine((v) => !v.startsWith('sb_publishable_'), 'is a publishable key, not a service-role key')
    .refine((v) => {
      const role = jwtRole(v);
      return role === undefined || role === 'service_role';
    }, 'must be a service_role key (its JWT role is not service_role)'),
  SUPABASE_JWT_SECRET: z.string().trim().min(32, 'must be at least 32 characters long'),
  DATABASE_URL: urlOf(['postgres:', 'postgresql:'], 'postgres://'),
  CACHE_ENABLED: bool(),
  CACHE_DRIVER: oneOf(CACHE_DRIVERS),
  REDIS_URL: urlOf(['redis:', 'rediss:'], 'redis:// or rediss://'),
  CACHE_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_.-]{0,64}$/, 'must be at most 64 letters, digits, : _ - .'),
  INNGEST_EVENT_KEY: nonEmpty().refine((v) => !/\s/.test(v), 'must not contain whitespace'),
  INNGEST_SIGNING_KEY: nonEmpty().regex(
    /^signkey-[A-Za-z0-9]+-[A-Za-z0-9]+$/,
    'must look like signkey-<env>-<key>',
  ),
  INNGEST_BASE_URL: httpUrl(),
  LOG_LEVEL: oneOf(LOG_LEVELS),
  SENTRY_DSN: sentryDsn(),
  SENTRY_AUTH_TOKEN: nonEmpty(),
  SENTRY_ENVIRONMENT: nonEmpty().max(64, 'must be at most 64 characters'),
  RATE_LIMIT_ENABLED: bool(),
} satisfies Record<EnvVarName, z.ZodType>;

const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

// ---------------------------------------------------------------------------------------------------------
// Cross-variable rules
// ---------------------------------------------------------------------------------------------------------

const SECRET_NAME_PATTERN =
  /SERVICE_ROLE|SECRET|PASSWORD|PASSWD|PRIVATE_KEY|SIGNING_KEY|EVENT_KEY|AUTH_TOKEN|DATABASE_URL|REDIS_URL|CREDENTIAL/;

const DEV_ONLY_VALUES: Partial<Record<EnvVarName, string>> = {
  SUPABASE_JWT_SECRET: DEV_DEFAULTS.jwtSecret,
  SUPABASE_SERVICE_ROLE_KEY: DEV_DEFAULTS.serviceRoleKey,
  NEXT_PUBLIC_SUPABASE_ANON_KEY: DEV_DEFAULTS.anonKey,
  INNGEST_EVENT_KEY: DEV_DEFAULTS.inngestEventKey,
  INNGEST_SIGNING_KEY: DEV_DEFAULTS.inngestSigningKey,
};

/** Secrets recognisable by their format wherever they appear, with what to call them in a message. */
const SECRET_FORMATS: readonly (readonly [RegExp, string])[] = [
  [/sb_secret_[A-Za-z0-9_-]+/, 'a Supabase secret key'],
  [/signkey-[A-Za-z0-9]+-[A-Za-z0-9]{16,}/, 'an Inngest signing key'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
];

/** scheme://user:password@ anywhere in a text. */
const URL_WITH_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^\s/?#@:'"]*:[^\s/?#@'"]+@/i;

const SHIPPED = 'NEXT_PUBLIC_ values are shipped to browsers';

/**
 * Why a NEXT_PUBLIC_ variable would leak a server secret, or undefined when it is fine. The value is
 * searched, not just compared: a secret or a JWT quoted, embedded in JSON or a sentence, base64- or
 * percent-encoded is inlined into browser bundles all the same. Messages never repeat the secret.
 */
export function publicLeakReason(
  name: string,
  value: unknown,
  secretValues: ReadonlyMap<string, string> = new Map(),
): string | undefined {
  if (!name.startsWith('NEXT_PUBLIC_')) return undefined;
  const bare = name.slice('NEXT_PUBLIC_'.length);
  const known = SECRET_VARS.find((s) => s === bare);
  if (known || SECRET_NAME_PATTERN.test(bare)) {
    return `is a server secret under a NEXT_PUBLIC_ name, which Next.js inlines into browser bundles; ${
      known ? `rename it to ${known}` : 'drop the NEXT_PUBLIC_ prefix'
    } and read it only on the server`;
  }
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const v = value.trim();
  const views = decodedViews(v);

  // Only anon keys are public. The anon key's own field reports a bare token of another role
  // ("must be an anon key"); everything wrapped, and every other variable, is reported here.
  for (const { token, role } of views.flatMap(findJwts)) {
    if (role === 'anon') continue;
    if (role === 'service_role' || role === 'supabase_admin') {
      return `holds a ${role} JWT, which bypasses RLS; ${SHIPPED}. Use the anon key here and keep the service-role key in SUPABASE_SERVICE_ROLE_KEY`;
    }
    if (name === 'NEXT_PUBLIC_SUPABASE_ANON_KEY' && token === v) continue;
    return `holds a JWT whose role is ${role === undefined ? 'missing' : `"${role}"`}, not anon; ${SHIPPED}, so only the anon key may be public`;
  }
  for (const [pattern, what] of SECRET_FORMATS) {
    if (views.some((view) => pattern.test(view))) {
      return what === 'a Supabase secret key'
        ? `holds a Supabase secret key; ${SHIPPED}. Use the publishable key here`
        : `holds ${what}; ${SHIPPED}. Keep it on the server`;
    }
  }
  // Known URL variables say it themselves (their field refuses any credentials).
  if (!Object.hasOwn(ENV_VARS, name) && views.some((view) => URL_WITH_PASSWORD.test(view))) {
    return `holds a URL with a password; ${SHIPPED}. Keep the credentials on the server`;
  }
  for (const [secretName, secretValue] of secretValues) {
    if (secretValue.length < 8) continue;
    if (v === secretValue) return `holds the same value as the server secret ${secretName}; ${SHIPPED}`;
    if (views.some((view) => view.includes(secretValue))) {
      return `contains the value of the server secret ${secretName}; ${SHIPPED}`;
    }
  }
  return undefined;
}

/** The cache driver actually used, after defaults. */
export function effectiveCacheDriver(
  driver: CacheDriver | undefined,
  redisUrl: string | undefined,
  profile: Profile,
): CacheDriver {
  if (driver) return driver;
  if (redisUrl) return 'redis';
  return profile === 'production' ? 'redis' : 'memory';
}

/**
 * The Standard Schema (zod 4) of the environment for one profile. Input: a `process.env`-like record.
 * Output: the known variables, parsed (booleans as booleans) with the profile's defaults applied; unknown
 * keys pass through untouched. Every problem is reported in one pass, keyed by the variable name.
 */
export function createEnvSchema(profile: Profile) {
  const shape = {} as { [K in EnvVarName]: z.ZodOptional<(typeof FIELDS)[K]> };
  for (const name of VAR_NAMES) (shape as Record<string, z.ZodType>)[name] = FIELDS[name].optional();

  /** Blank values count as unset; unset values take the profile's default. */
  const applyDefaults = (input: unknown): unknown => {
    if (typeof input !== 'object' || input === null) return input;
    const out: Record<string, unknown> = { ...(input as Record<string, unknown>) };
    for (const name of VAR_NAMES) {
      if (!blank(out[name])) continue;
      const fallback = (ENV_VARS[name] as EnvVarInfo).defaults[profile];
      if (fallback === undefined) delete out[name];
      else out[name] = fallback;
    }
    return out;
  };

  const object = z.looseObject(shape).superRefine(
    (env, ctx) => {
      const raw = env as Record<string, unknown>;
      const str = (n: string) => (typeof raw[n] === 'string' ? (raw[n] as string) : undefined);

      for (const name of VAR_NAMES) {
        if ((ENV_VARS[name].requiredIn as readonly Profile[]).includes(profile) && raw[name] === undefined) {
          ctx.addIssue({ code: 'custom', path: [name], message: `is required in ${profile}` });
        }
      }

      const driver = effectiveCacheDriver(
        (CACHE_DRIVERS as readonly string[]).includes(raw.CACHE_DRIVER as string)
          ? (raw.CACHE_DRIVER as CacheDriver)
          : undefined,
        str('REDIS_URL'),
        profile,
      );
      if (raw.CACHE_ENABLED !== false && driver === 'redis' && raw.REDIS_URL === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['REDIS_URL'],
          message: `is required when the cache driver is redis${
            raw.CACHE_DRIVER === undefined
              ? ` (the ${profile} default; set CACHE_DRIVER=memory for a per-process cache)`
              : ''
          }`,
        });
      }

      if (profile === 'production') {
        for (const [name, devValue] of Object.entries(DEV_ONLY_VALUES)) {
          if (str(name)?.trim() === devValue) {
            ctx.addIssue({
              code: 'custom',
              path: [name],
              message: 'is the built-in development value; set a real one in production',
            });
          }
        }
      }

      const secretValues = new Map<string, string>();
      for (const name of SECRET_VARS) {
        const v = str(name)?.trim();
        if (v) secretValues.set(name, v);
      }
      for (const [name, value] of Object.entries(raw)) {
        const reason = publicLeakReason(name, value, secretValues);
        if (reason) ctx.addIssue({ code: 'custom', path: [name], message: reason });
      }
    },
    { when: () => true },
  );
  return z.preprocess(applyDefaults, object);
}

export type EnvSchema = ReturnType<typeof createEnvSchema>;
export type ParsedEnv = z.output<EnvSchema>;
