// A NEXT_PUBLIC_ value is inlined into browser bundles: it must not carry a server secret or a JWT
// other than an anon key, whether the value is the secret itself or wraps it (quotes, JSON, a
// sentence, base64, percent-encoding). Messages name the problem, never the secret.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type Env, loadConfig, publicLeakReason, safeLoadConfig } from '../src/index.js';

function sign(
  payload: object,
  secret = 'test-secret',
  header: object = { alg: 'HS256', typ: 'JWT' },
): string {
  const b = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const head = `${b(header)}.${b(payload)}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

function problems(env: Env): Record<string, string> {
  const r = safeLoadConfig(env, { profile: 'development' });
  if (r.success) return {};
  return Object.fromEntries(r.error.issues.map((i) => [i.variable, i.message]));
}

const serviceRole = sign({ role: 'service_role', iss: 'supabase' });
const anon = sign({ role: 'anon', iss: 'supabase' });
const b64 = (s: string) => Buffer.from(s).toString('base64');
const b64url = (s: string) => Buffer.from(s).toString('base64url');

/** The ways a value gets wrapped on its way into an env file or a deployment UI. */
const wrappings: [string, (secret: string) => string][] = [
  ['bare', (s) => s],
  ['double-quoted', (s) => `"${s}"`],
  ['single-quoted', (s) => `'${s}'`],
  ['padded with whitespace', (s) => `  ${s}\n`],
  ['embedded in JSON', (s) => JSON.stringify({ supabase: { key: s } })],
  ['in a sentence', (s) => `apikey=${s}; region=eu`],
  ['base64', (s) => b64(s)],
  ['base64url of JSON', (s) => b64url(JSON.stringify({ key: s }))],
  ['percent-encoded JSON', (s) => encodeURIComponent(JSON.stringify({ key: s }))],
];

describe('NEXT_PUBLIC_ values that carry a JWT whose role is not anon', () => {
  describe.each(['NEXT_PUBLIC_SUPABASE_ANON_KEY', 'NEXT_PUBLIC_WIDGET_CONFIG'])('under %s', (name) => {
    it.each(wrappings)('a service_role JWT, %s, is refused', (_, wrap) => {
      const message = problems({ [name]: wrap(serviceRole) })[name];
      expect(message).toMatch(/service_role JWT/);
      expect(message).not.toContain(serviceRole);
    });
  });

  it.each([
    ['a signed-in user token', sign({ role: 'authenticated', sub: 'u1' })],
    ['supabase_admin', sign({ role: 'supabase_admin' })],
    ['a JWT without a role claim', sign({ sub: 'worker' })],
    ['an unsigned JWT', sign({ role: 'service_role' }, 'x', { alg: 'none' }).replace(/\.[^.]+$/, '.')],
  ])('%s, quoted or embedded, is refused', (_, token) => {
    const p = problems({ NEXT_PUBLIC_A: `"${token}"`, NEXT_PUBLIC_B: JSON.stringify({ token }) });
    expect(p.NEXT_PUBLIC_A).toMatch(/JWT/);
    expect(p.NEXT_PUBLIC_B).toMatch(/JWT/);
  });

  it.each(wrappings)('an anon key, %s, is fine', (_, wrap) => {
    expect(problems({ NEXT_PUBLIC_WIDGET_CONFIG: wrap(anon) })).toEqual({});
  });
});

describe('NEXT_PUBLIC_ values that contain a server secret', () => {
  const serverEnv = {
    INNGEST_EVENT_KEY: 'evt-live-3f9a8c2d1b',
    SUPABASE_JWT_SECRET: 'jwt-secret-of-the-app-0123456789-abcdefghij',
  };

  it.each(wrappings)('the value of a server secret variable, %s, is refused', (_, wrap) => {
    const p = problems({ ...serverEnv, NEXT_PUBLIC_ANALYTICS: wrap(serverEnv.INNGEST_EVENT_KEY) });
    expect(p.NEXT_PUBLIC_ANALYTICS).toMatch(/server secret INNGEST_EVENT_KEY/);
    expect(p.NEXT_PUBLIC_ANALYTICS).not.toContain(serverEnv.INNGEST_EVENT_KEY);
  });

  it.each([
    ['a Supabase secret key', 'sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz', /Supabase secret key/],
    ['an Inngest signing key', 'signkey-prod-0123456789abcdef0123456789abcdef', /signing key/],
    ['a private key', '-----BEGIN PRIVATE KEY-----\nMIIEv...\n-----END PRIVATE KEY-----', /private key/],
  ])('%s, quoted, in JSON or base64, is refused', (_, secret, message) => {
    const p = problems({
      NEXT_PUBLIC_A: `'${secret}'`,
      NEXT_PUBLIC_B: JSON.stringify({ nested: [secret] }),
      NEXT_PUBLIC_C: b64(secret),
    });
    expect(p.NEXT_PUBLIC_A).toMatch(message);
    expect(p.NEXT_PUBLIC_B).toMatch(message);
    expect(p.NEXT_PUBLIC_C).toMatch(message);
  });

  it('a URL with a password inside a JSON value is refused, without repeating it', () => {
    const p = problems({
      NEXT_PUBLIC_ENDPOINTS: JSON.stringify({ api: 'https://admin:S3CRETPASS@api.example.com' }),
    });
    expect(p.NEXT_PUBLIC_ENDPOINTS).toMatch(/password/);
    expect(JSON.stringify(p)).not.toContain('S3CRETPASS');
  });

  it('ordinary public values stay fine (tokens that only look like JWTs, public keys, plain base64)', () => {
    const env = {
      // A Mapbox public token: three dot-separated parts, but no JWT header.
      NEXT_PUBLIC_MAPBOX_TOKEN: `pk.${b64url(JSON.stringify({ u: 'mentora', a: 'ck0' }))}.c2lnbmF0dXJl`,
      NEXT_PUBLIC_SENTRY_DSN: 'https://publickey@o1.ingest.sentry.io/1',
      NEXT_PUBLIC_FLAGS: b64(JSON.stringify({ newPlayer: true, chat: 'beta' })),
      NEXT_PUBLIC_SUPABASE_ANON_KEY: anon,
      NEXT_PUBLIC_VERSION: '1.2.3',
    };
    expect(problems(env)).toEqual({});
    expect(() => loadConfig(env, { profile: 'development' })).not.toThrow();
  });

  it('publicLeakReason checks only NEXT_PUBLIC_ names', () => {
    expect(publicLeakReason('SUPABASE_SERVICE_ROLE_KEY', serviceRole)).toBeUndefined();
    expect(publicLeakReason('NEXT_PUBLIC_X', `"${serviceRole}"`)).toMatch(/service_role JWT/);
  });
});
