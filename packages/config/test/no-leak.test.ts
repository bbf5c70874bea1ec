/**
 * "No output anywhere contains a secret value": a config full of distinctive secrets is printed every way
 * a service might print it (inspect, console, JSON, String, util.format, redact), and invalid configs that
 * carry secrets are thrown and rendered every way an error travels (message, stack, JSON, inspect,
 * serializeError, RFC 9457 body).
 */
import { Console } from 'node:console';
import { Writable } from 'node:stream';
import { format, inspect } from 'node:util';
import { errorToAPIResponse, serializeError } from '@mentora/errors';
import { describe, expect, it } from 'vitest';
import { type Env, loadConfig, redact, safeLoadConfig } from '../src/index.js';

const jwt = (role: string, tag: string) =>
  `eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.${Buffer.from(JSON.stringify({ role, tag })).toString('base64url')}.c2lnbmF0dXJl${tag}`;

const SECRETS = {
  SUPABASE_SERVICE_ROLE_KEY: jwt('service_role', 'SRKUNIQUE1'),
  SUPABASE_JWT_SECRET: 'JWTSECRET-UNIQUE-0123456789-abcdefghijkl',
  DATABASE_URL: 'postgresql://app:DBPASSWORD-UNIQUE@db.internal:5432/app',
  REDIS_URL: 'rediss://default:REDISPASSWORD-UNIQUE@cache.internal:6380',
  INNGEST_EVENT_KEY: 'EVENTKEY-UNIQUE-42',
  INNGEST_SIGNING_KEY: 'signkey-prod-SIGNINGKEYUNIQUE42',
  SENTRY_AUTH_TOKEN: 'SENTRYTOKEN-UNIQUE-42',
};
/** Every substring that must never be printed. */
const NEEDLES = [
  ...Object.values(SECRETS),
  'SRKUNIQUE1',
  'DBPASSWORD-UNIQUE',
  'REDISPASSWORD-UNIQUE',
  'SIGNINGKEYUNIQUE42',
];

const ENV: Env = {
  ...SECRETS,
  NEXT_PUBLIC_SUPABASE_URL: 'https://abc.supabase.co',
  NEXT_PUBLIC_SUPABASE_ANON_KEY: jwt('anon', 'ANON'),
  NEXT_PUBLIC_APP_URL: 'https://app.example.com',
  SENTRY_DSN: 'https://pub@o1.ingest.sentry.io/1',
};

function expectClean(label: string, output: string): void {
  for (const needle of NEEDLES) {
    if (output.includes(needle)) throw new Error(`${label} leaks a secret (${needle.slice(0, 4)}…)`);
  }
}

function consoleOutput(...args: unknown[]): string {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, cb) {
      text += String(chunk);
      cb();
    },
  });
  const c = new Console({ stdout: stream, stderr: stream });
  c.log(...args);
  c.error(...args);
  c.dir(args[0], { depth: null, showHidden: true });
  return text;
}

describe('no output contains a secret value', () => {
  it('a loaded config, printed every way', () => {
    const config = loadConfig(ENV, { profile: 'production' });
    expect(config.database.serviceRoleKey.reveal()).toBe(SECRETS.SUPABASE_SERVICE_ROLE_KEY); // sanity
    const outputs: Record<string, string> = {
      inspect: inspect(config, { depth: Number.POSITIVE_INFINITY }),
      inspectHidden: inspect(config, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
      inspectNoCustom: inspect(config, {
        depth: Number.POSITIVE_INFINITY,
        customInspect: false,
        showHidden: true,
      }),
      json: JSON.stringify(config),
      jsonPretty: JSON.stringify(config, null, 2),
      string: String(config),
      template: `${config.database.serviceRoleKey} ${config.cache.redisUrl} ${config.jobs.inngestSigningKey}`,
      format: format('%s %o %O %j', config, config, config, config),
      console: consoleOutput('config', config, config.database),
      redact: JSON.stringify(redact(config)),
      entries: JSON.stringify(Object.entries(config.database)),
      structuredClone: inspect(structuredClone(config.jobs)),
    };
    for (const [label, out] of Object.entries(outputs)) expectClean(label, out);
  });

  it('an invalid config that holds secrets, rendered every way an error travels', () => {
    const cases: Env[] = [
      // short JWT secret, bad URL, server key under NEXT_PUBLIC_ (the issue's "Done when")
      {
        ...ENV,
        SUPABASE_JWT_SECRET: 'SHORTSECRET-UNIQUE',
        NEXT_PUBLIC_SUPABASE_URL: 'nope',
        NEXT_PUBLIC_SUPABASE_SERVICE_ROLE_KEY: SECRETS.SUPABASE_SERVICE_ROLE_KEY,
      },
      // malformed secrets of every kind
      {
        ...ENV,
        DATABASE_URL: 'mysql://root:DBPASSWORD-UNIQUE@db/app',
        REDIS_URL: 'http://:REDISPASSWORD-UNIQUE@cache',
        INNGEST_SIGNING_KEY: 'SIGNINGKEYUNIQUE42 with spaces',
        SUPABASE_SERVICE_ROLE_KEY: jwt('anon', 'SRKUNIQUE1'),
        NEXT_PUBLIC_LEAK: SECRETS.INNGEST_EVENT_KEY,
      },
    ];
    NEEDLES.push('SHORTSECRET-UNIQUE');
    for (const env of cases) {
      const r = safeLoadConfig(env, { profile: 'production' });
      expect(r.success).toBe(false);
      if (r.success) continue;
      const err = r.error;
      expect(err.issues.length).toBeGreaterThanOrEqual(3);
      const outputs: Record<string, string> = {
        message: err.message,
        stack: String(err.stack),
        string: String(err),
        json: JSON.stringify(err),
        issues: JSON.stringify(err.issues),
        inspect: inspect(err, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
        console: consoleOutput(err),
        serialized: JSON.stringify(serializeError(err)),
        problem: JSON.stringify(errorToAPIResponse(err)),
      };
      for (const [label, out] of Object.entries(outputs)) expectClean(label, out);
    }
  });
});
