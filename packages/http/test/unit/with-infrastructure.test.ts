import { createStaticFeatureFlags, type PlanTier } from '@mentora/config';
import {
  ConflictError,
  DatabaseError,
  NotFoundError,
  PROBLEM_CONTENT_TYPE,
  ValidationError,
} from '@mentora/errors';
import { createMemoryStore, createRateLimiter, type RateLimiter } from '@mentora/ratelimit';
import { SignJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createLifecycle,
  createWithInfrastructure,
  type InfrastructureDeps,
  readJson,
  requireFeature,
  requirePlan,
} from '../../src/index.js';
import { pathnameOf } from '../../src/with-infrastructure.js';
import { countingReporter, memoryMetrics, recordingLogger } from '../support/recorders.js';

const JWT_SECRET = 'a-test-jwt-secret-that-is-long-enough-123456';
const USER = '6f1c1a52-61b1-4d0b-9d8e-0d6f3f3a1c11';
const PRO_USER = '0a6d7a1b-8e8f-4f55-9f53-4bd2b8f0e0a2';

async function token(
  claims: Record<string, unknown> & { sub?: string },
  options: { secret?: string; expiresIn?: string | number; notBefore?: string | number } = {},
): Promise<string> {
  const jwt = new SignJWT({ role: 'authenticated', ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '1h');
  if (claims.sub !== undefined) jwt.setSubject(claims.sub);
  if (options.notBefore !== undefined) jwt.setNotBefore(options.notBefore);
  return jwt.sign(new TextEncoder().encode(options.secret ?? JWT_SECRET));
}

const open: RateLimiter[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((l) => l.close()));
});

function setup(overrides: Partial<InfrastructureDeps> = {}, plans: Record<string, PlanTier> = {}) {
  const { logger, lines } = recordingLogger();
  const reporter = countingReporter();
  const { metrics, rows } = memoryMetrics();
  const flags = createStaticFeatureFlags({ plans: { [PRO_USER]: 'pro', ...plans } });
  const rateLimiter = createRateLimiter({ store: createMemoryStore(), flags, logger });
  open.push(rateLimiter);
  const deps: InfrastructureDeps = {
    logger,
    flags,
    rateLimiter,
    metrics,
    reporter,
    auth: { jwtSecret: JWT_SECRET },
    ...overrides,
  };
  return { withInfrastructure: createWithInfrastructure(deps), lines, reporter, metrics, rows, flags };
}

async function problemOf(response: Response): Promise<Record<string, unknown>> {
  expect(response.headers.get('content-type')).toBe(PROBLEM_CONTENT_TYPE);
  return (await response.json()) as Record<string, unknown>;
}

describe('withInfrastructure: request id and context', () => {
  it('keeps a well-formed incoming x-request-id, replaces a malformed one, and echoes it', async () => {
    const { withInfrastructure, lines } = setup();
    const GET = withInfrastructure((_req, ctx) => {
      ctx.log.info('inside');
      return { id: ctx.requestId };
    });
    const kept = await GET(new Request('http://t/api/a', { headers: { 'x-request-id': 'lb-req.0001_abc' } }));
    expect(kept.headers.get('x-request-id')).toBe('lb-req.0001_abc');
    expect(await kept.json()).toEqual({ id: 'lb-req.0001_abc' });

    for (const bad of ['short', 'has space in it', 'x'.repeat(129), 'evil\u00e9value-1234']) {
      const r = await GET(new Request('http://t/api/a', { headers: { 'x-request-id': bad } }));
      const id = r.headers.get('x-request-id') ?? '';
      expect(id).not.toBe(bad);
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
    }
    const inside = lines.filter((l) => l.message === 'inside');
    expect(inside[0]?.fields).toMatchObject({ requestId: 'lb-req.0001_abc', route: '/api/a', method: 'GET' });
  });

  it('passes Next.js params through and turns plain objects into JSON, undefined into 204', async () => {
    const { withInfrastructure } = setup();
    const GET = withInfrastructure<Promise<{ id: string }>>(async (_req, ctx) => ({
      id: (await (ctx.params as Promise<{ id: string }>)).id,
    }));
    const r = await GET(new Request('http://t/api/videos/42'), { params: Promise.resolve({ id: '42' }) });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ id: '42' });
    const DELETE = withInfrastructure(() => undefined);
    expect((await DELETE(new Request('http://t/x', { method: 'DELETE' }))).status).toBe(204);
  });

  it('sets headers on responses whose headers are immutable', async () => {
    const { withInfrastructure } = setup();
    const GET = withInfrastructure(() => Response.redirect('http://t/elsewhere', 302), {
      rateLimit: { enabled: true, endpoint: 'api' },
    });
    const r = await GET(new Request('http://t/go'));
    expect(r.status).toBe(302);
    expect(r.headers.get('location')).toBe('http://t/elsewhere');
    expect(r.headers.get('x-request-id')).toBeTruthy();
    expect(r.headers.get('x-ratelimit-limit')).toBeTruthy();
  });

  it('writes one access log line and one api_request_logs row per request', async () => {
    const { withInfrastructure, lines, metrics, rows } = setup();
    const POST = withInfrastructure(() => ({ ok: true }), { route: '/api/videos/[id]' });
    await POST(
      new Request('http://t/api/videos/1?token=secret', {
        method: 'POST',
        headers: { 'user-agent': 'vitest', authorization: `Bearer ${await token({ sub: USER })}` },
      }),
    );
    const access = lines.filter((l) => l.message === 'request completed');
    expect(access).toHaveLength(1);
    expect(access[0]?.fields).toMatchObject({
      method: 'POST',
      route: '/api/videos/[id]',
      status: 200,
      userId: USER,
    });
    await metrics.flush();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      method: 'POST',
      path: '/api/videos/[id]',
      status_code: 200,
      user_id: USER,
      user_agent: 'vitest',
      client_ip: null,
      error_code: null,
    });
    await metrics.close();
  });
});

describe('withInfrastructure: identity', () => {
  it('identifies the user from a valid token and resolves the plan', async () => {
    const { withInfrastructure } = setup();
    const GET = withInfrastructure((_req, ctx) => ({
      user: ctx.user?.id,
      role: ctx.user?.role,
      plan: ctx.plan,
    }));
    const r = await GET(
      new Request('http://t/me', {
        headers: { authorization: `Bearer ${await token({ sub: PRO_USER, email: 'p@x.io' })}` },
      }),
    );
    expect(await r.json()).toEqual({ user: PRO_USER, role: 'authenticated', plan: 'pro' });
    const anon = await GET(new Request('http://t/me'));
    expect(await anon.json()).toEqual({ plan: 'basic' });
  });

  it('answers 401 problem+json for invalid, expired, not-yet-valid and wrongly signed tokens — never anonymous', async () => {
    const { withInfrastructure, reporter } = setup();
    let reached = 0;
    const GET = withInfrastructure(() => {
      reached++;
      return { ok: true };
    });
    const cases: Array<[string, string]> = [
      [
        `Bearer ${await token({ sub: USER }, { secret: 'another-secret-that-is-also-long-enough-xyz' })}`,
        'INVALID_TOKEN',
      ],
      [
        `Bearer ${await token({ sub: USER }, { expiresIn: Math.floor(Date.now() / 1000) - 3600 })}`,
        'TOKEN_EXPIRED',
      ],
      [`Bearer ${await token({ sub: USER }, { notBefore: '1h' })}`, 'INVALID_TOKEN'],
      ['Bearer not.a.jwt', 'INVALID_TOKEN'],
      ['Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', 'INVALID_TOKEN'],
      ['Bearer two tokens', 'INVALID_AUTHORIZATION'],
      ['Bearer', 'INVALID_AUTHORIZATION'],
    ];
    for (const [authorization, code] of cases) {
      const r = await GET(new Request('http://t/me', { headers: { authorization } }));
      expect(r.status, authorization).toBe(401);
      expect(r.headers.get('www-authenticate')).toBe('Bearer');
      expect(await problemOf(r)).toMatchObject({ status: 401, code });
    }
    expect(reached).toBe(0);
    expect(reporter.captured).toHaveLength(0);
  });

  it('ignores other Authorization schemes (a staging proxy’s Basic credentials): anonymous', async () => {
    const { withInfrastructure } = setup();
    const GET = withInfrastructure((_req, ctx) => ({ user: ctx.user }));
    const r = await GET(new Request('http://t/me', { headers: { authorization: 'Basic dXNlcjpwYXNz' } }));
    expect(await r.json()).toEqual({ user: null });
    const required = withInfrastructure(() => ({}), { auth: 'required' });
    const denied = await required(
      new Request('http://t/me', { headers: { authorization: 'Basic dXNlcjpwYXNz' } }),
    );
    expect(await problemOf(denied)).toMatchObject({ status: 401, code: 'AUTH_REQUIRED' });
  });

  it('checks issuer and audience when configured', async () => {
    const { withInfrastructure } = setup({
      auth: { jwtSecret: JWT_SECRET, issuer: 'https://proj.supabase.co/auth/v1', audience: 'authenticated' },
    });
    const GET = withInfrastructure((_req, ctx) => ({ user: ctx.user?.id }));
    const good = await token({ sub: USER, iss: 'https://proj.supabase.co/auth/v1', aud: 'authenticated' });
    expect(
      await (await GET(new Request('http://t/me', { headers: { authorization: `Bearer ${good}` } }))).json(),
    ).toEqual({
      user: USER,
    });
    for (const claims of [
      { sub: USER, iss: 'https://evil.example/auth/v1', aud: 'authenticated' },
      { sub: USER, iss: 'https://proj.supabase.co/auth/v1', aud: 'other' },
      { sub: USER },
    ]) {
      const r = await GET(
        new Request('http://t/me', { headers: { authorization: `Bearer ${await token(claims)}` } }),
      );
      expect(r.status).toBe(401);
    }
  });

  it('auth: required refuses anonymous callers; a token when no verifier is configured is refused', async () => {
    const { withInfrastructure } = setup();
    const GET = withInfrastructure(() => ({ ok: true }), { auth: 'required' });
    expect(await problemOf(await GET(new Request('http://t/x')))).toMatchObject({
      status: 401,
      code: 'AUTH_REQUIRED',
    });
    // The anon key is a valid token without a subject: still anonymous.
    const anonKey = await token({ role: 'anon' });
    expect(
      (await GET(new Request('http://t/x', { headers: { authorization: `Bearer ${anonKey}` } }))).status,
    ).toBe(401);

    const noAuth = setup({ auth: undefined }).withInfrastructure(() => ({ ok: true }));
    const r = await noAuth(
      new Request('http://t/x', { headers: { authorization: `Bearer ${await token({ sub: USER })}` } }),
    );
    expect(await problemOf(r)).toMatchObject({ status: 401, code: 'AUTH_NOT_CONFIGURED' });
  });

  it('ignores x-user-id and x-forwarded-for without a trusted proxy: one shared anonymous bucket', async () => {
    const { withInfrastructure } = setup();
    const POST = withInfrastructure((_req, ctx) => ({ user: ctx.user, ip: ctx.clientIp }), {
      rateLimit: { enabled: true, endpoint: 'auth' },
    });
    const statuses: number[] = [];
    let body: unknown;
    for (let i = 0; i < 8; i++) {
      const r = await POST(
        new Request('http://t/login', {
          method: 'POST',
          headers: { 'x-user-id': `user-${i}`, 'x-forwarded-for': `198.51.100.${i}` },
        }),
      );
      statuses.push(r.status);
      if (i === 0) body = await r.json();
    }
    expect(body).toEqual({ user: null, ip: null });
    // basic auth limit is 5 per window: the spoofed headers bought no extra attempts.
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(3);
  });

  it('with a trusted proxy, limits per client (IPv6 by /64)', async () => {
    const { withInfrastructure } = setup({ trustProxy: 1 });
    const POST = withInfrastructure((_req, ctx) => ({ ip: ctx.clientIp }), {
      rateLimit: { enabled: true, endpoint: 'auth' },
    });
    const send = (xff: string) =>
      POST(new Request('http://t/login', { method: 'POST', headers: { 'x-forwarded-for': xff } }));
    for (let i = 0; i < 5; i++) expect((await send(`2001:db8:1:2::${i + 1}`)).status).toBe(200);
    expect((await send('2001:db8:1:2:ffff::9')).status).toBe(429);
    const other = await send('2001:db8:1:3::1');
    expect(other.status).toBe(200);
    expect(await other.json()).toEqual({ ip: '2001:db8:1:3::1' });
  });
});

describe('withInfrastructure: rate limits', () => {
  it('sets the rate-limit headers on every response, and 429 with Retry-After once exhausted', async () => {
    const { withInfrastructure, reporter } = setup();
    const POST = withInfrastructure(() => ({ ok: true }), {
      rateLimit: { enabled: true, endpoint: 'chat', cost: 4 },
    });
    const auth = { authorization: `Bearer ${await token({ sub: USER })}` };
    const first = await POST(new Request('http://t/chat', { method: 'POST', headers: auth }));
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-limit')).toBe('10');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('6');
    expect(first.headers.get('x-ratelimit-reset')).toMatch(/^\d+$/);
    expect(first.headers.get('ratelimit-policy')).toBe('"chat";q=10;w=60');
    expect(first.headers.get('ratelimit')).toMatch(/^"chat";r=6;t=\d+$/);
    expect((await POST(new Request('http://t/chat', { method: 'POST', headers: auth }))).status).toBe(200);
    const denied = await POST(new Request('http://t/chat', { method: 'POST', headers: auth }));
    expect(denied.status).toBe(429);
    expect(Number(denied.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(denied.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(denied.headers.get('ratelimit')).toMatch(/^"chat";r=0;t=\d+$/);
    expect(await problemOf(denied)).toMatchObject({
      status: 429,
      code: 'RATE_LIMITED',
      limit: 10,
      window: '1 m',
    });
    expect(reporter.captured).toHaveLength(0);
  });

  it('limits by the plan from the flags', async () => {
    const { withInfrastructure } = setup();
    const POST = withInfrastructure(() => ({ ok: true }), { rateLimit: { enabled: true, endpoint: 'chat' } });
    const r = await POST(
      new Request('http://t/chat', {
        method: 'POST',
        headers: { authorization: `Bearer ${await token({ sub: PRO_USER })}` },
      }),
    );
    expect(r.headers.get('x-ratelimit-limit')).toBe('50');
  });

  it('without rateLimit (or enabled: false) sets no rate-limit headers', async () => {
    const { withInfrastructure } = setup();
    for (const options of [{}, { rateLimit: { enabled: false, endpoint: 'chat' as const } }]) {
      const r = await withInfrastructure(() => ({ ok: true }), options)(new Request('http://t/x'));
      expect(r.headers.get('x-ratelimit-limit')).toBeNull();
      expect(r.headers.get('ratelimit')).toBeNull();
    }
  });
});

describe('withInfrastructure: errors', () => {
  it('renders every thrown error as problem+json with its status; only 5xx are reported', async () => {
    const { withInfrastructure, reporter, lines } = setup();
    const cases: Array<[() => never, number, string]> = [
      [
        () => {
          throw new ValidationError('bad input', { issues: [{ path: 'title', message: 'required' }] });
        },
        400,
        'VALIDATION_FAILED',
      ],
      [
        () => {
          throw new NotFoundError('no such video');
        },
        404,
        'NOT_FOUND',
      ],
      [
        () => {
          throw new ConflictError();
        },
        409,
        'CONFLICT',
      ],
      [
        () => {
          throw new DatabaseError('relation "secret_table" does not exist');
        },
        500,
        'DATABASE_ERROR',
      ],
      [
        () => {
          throw new Error('boom with internal detail');
        },
        500,
        'INTERNAL_ERROR',
      ],
    ];
    for (const [fn, status, code] of cases) {
      const r = await withInfrastructure(fn)(
        new Request('http://t/x', { headers: { 'x-request-id': 'req-errors-1' } }),
      );
      expect(r.status).toBe(status);
      const body = await problemOf(r);
      expect(body).toMatchObject({ status, code, instance: 'req-errors-1' });
      if (status >= 500) {
        expect(JSON.stringify(body)).not.toMatch(/secret_table|internal detail/);
      }
    }
    expect(reporter.captured).toHaveLength(2);
    expect(reporter.captured[0]?.context).toMatchObject({
      requestId: 'req-errors-1',
      tags: { route: '/x', method: 'GET' },
    });
    expect(lines.filter((l) => l.level === 'error' && l.message === 'request failed')).toHaveLength(2);
  });

  it('errorTracking: false reports nothing', async () => {
    const { withInfrastructure, reporter } = setup();
    const r = await withInfrastructure(
      () => {
        throw new Error('x');
      },
      { errorTracking: false },
    )(new Request('http://t/x'));
    expect(r.status).toBe(500);
    expect(reporter.captured).toHaveLength(0);
  });

  it('a failing plan lookup is a 503, not a wrong plan', async () => {
    const { withInfrastructure } = setup({
      flags: {
        getUserPlan: async () => {
          throw new Error('connection refused');
        },
      },
    });
    const r = await withInfrastructure(() => ({ ok: true }))(
      new Request('http://t/x', { headers: { authorization: `Bearer ${await token({ sub: USER })}` } }),
    );
    expect(await problemOf(r)).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
  });

  it('feature gates answer 403 naming the required plan', async () => {
    const { withInfrastructure } = setup();
    const POST = withInfrastructure((_req, ctx) => {
      requireFeature(ctx, 'quiz_generation');
      return { ok: true };
    });
    const basic = await POST(
      new Request('http://t/q', {
        method: 'POST',
        headers: { authorization: `Bearer ${await token({ sub: USER })}` },
      }),
    );
    expect(await problemOf(basic)).toMatchObject({
      status: 403,
      code: 'FEATURE_NOT_AVAILABLE',
      feature: 'quiz_generation',
      requiredPlan: 'pro',
      currentPlan: 'basic',
    });
    const pro = await POST(
      new Request('http://t/q', {
        method: 'POST',
        headers: { authorization: `Bearer ${await token({ sub: PRO_USER })}` },
      }),
    );
    expect(pro.status).toBe(200);
    const ENT = withInfrastructure((_req, ctx) => {
      requirePlan(ctx, 'enterprise');
      return {};
    });
    const denied = await ENT(
      new Request('http://t/e', { headers: { authorization: `Bearer ${await token({ sub: PRO_USER })}` } }),
    );
    expect(await problemOf(denied)).toMatchObject({
      status: 403,
      requiredPlan: 'enterprise',
      currentPlan: 'pro',
    });
  });

  it('bad bodies are 4xx through the wrapper, never 500', async () => {
    const { withInfrastructure, reporter } = setup();
    const schema = z.object({ title: z.string().min(1), tags: z.array(z.string()).max(3) });
    const POST = withInfrastructure(async (req) => readJson(req, schema, { maxBytes: 128 }));
    const send = (body: BodyInit, type = 'application/json') =>
      POST(new Request('http://t/v', { method: 'POST', body, headers: { 'content-type': type } }));
    expect((await send('{"title":')).status).toBe(400);
    expect((await send(JSON.stringify({ title: 'x'.repeat(200), tags: [] }))).status).toBe(413);
    expect((await send('title=x', 'application/x-www-form-urlencoded')).status).toBe(415);
    const missing = await send(JSON.stringify({ tags: ['a', 'b', 'c', 'd'] }));
    expect(await problemOf(missing)).toMatchObject({
      status: 400,
      errors: [
        expect.objectContaining({ pointer: '#/title' }),
        expect.objectContaining({ pointer: '#/tags' }),
      ],
    });
    const ok = await send(JSON.stringify({ title: 'Intro', tags: ['a'] }));
    expect(await ok.json()).toEqual({ title: 'Intro', tags: ['a'] });
    expect(reporter.captured).toHaveLength(0);
  });

  it('deps built lazily once; a failing factory answers 500 and is retried', async () => {
    const { logger } = recordingLogger();
    let calls = 0;
    const withInfrastructure = createWithInfrastructure(() => {
      calls++;
      if (calls === 1) throw new Error('not yet');
      return { logger };
    });
    const GET = withInfrastructure(() => ({ ok: true }));
    expect((await GET(new Request('http://t/x'))).status).toBe(500);
    expect((await GET(new Request('http://t/x'))).status).toBe(200);
    expect((await GET(new Request('http://t/x'))).status).toBe(200);
    expect(calls).toBe(2);
  });
});

describe('withInfrastructure: lifecycle', () => {
  it('counts in-flight requests and answers 503 while draining', async () => {
    const lifecycle = createLifecycle();
    const { withInfrastructure } = setup({ lifecycle });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const slow = withInfrastructure(async () => {
      entered();
      await gate;
      return { done: true };
    });
    const pending = slow(new Request('http://t/slow'));
    await inside;
    expect(lifecycle.inFlight).toBe(1);
    const shutdown = lifecycle.shutdown({ timeoutMs: 60_000 });
    expect(lifecycle.draining).toBe(true);
    const refused = await slow(new Request('http://t/slow'));
    expect(await problemOf(refused)).toMatchObject({ status: 503, code: 'SHUTTING_DOWN' });
    expect(refused.headers.get('retry-after')).toBe('5');
    release();
    expect((await pending).status).toBe(200);
    expect((await shutdown).abandonedRequests).toBe(0);
    expect(lifecycle.inFlight).toBe(0);
  });
});

describe('createWithInfrastructure: configuration mistakes fail at startup', () => {
  it('refuses a short JWT secret, an auth block without a key, a bad trustProxy and a missing logger', () => {
    const { logger } = recordingLogger();
    expect(() => createWithInfrastructure({ logger, auth: { jwtSecret: 'short' } })).toThrow(/32 characters/);
    expect(() => createWithInfrastructure({ logger, auth: {} })).toThrow(/JWT secret or a JWKS URL/);
    expect(() => createWithInfrastructure({ logger, auth: { jwksUrl: 'not a url' } })).toThrow(/JWKS URL/);
    expect(() => createWithInfrastructure({ logger, trustProxy: ['10.0.0.0/99'] })).toThrow(/prefix length/);
    expect(() => createWithInfrastructure({} as InfrastructureDeps)).toThrow(/logger/);
  });
});

describe('the route name from the request URL', () => {
  it('is the pathname the URL parser gives, for serialized and unusual URLs alike', () => {
    const urls = [
      'http://127.0.0.1:3000/wrapped',
      'https://example.com/api/videos/42?x=1#top',
      'http://example.com',
      'http://example.com?q=/not/the/path',
      'https://user:pw@example.com:8443/a/b/#/frag',
      'http://example.com/%7Euser/a%20b?',
      'http://example.com/a/../b/./c',
      'http://example.com/a\\b',
      'http://[::1]:3000/x/y',
      'http://example.com/caf\u00e9',
      'file:///etc/hosts',
      'not a url',
    ];
    for (const url of urls) {
      let expected: string;
      try {
        expected = new URL(url).pathname;
      } catch {
        expected = '/';
      }
      expect(pathnameOf(url), url).toBe(expected);
      // What a handler actually receives: the URL as a Request serializes it (no credentials allowed).
      if (url.startsWith('http') && !url.includes('@'))
        expect(pathnameOf(new Request(url).url), url).toBe(expected);
    }
  });
});
