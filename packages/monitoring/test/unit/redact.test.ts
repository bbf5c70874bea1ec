import { Secret } from '@mentora/config';
import { ServiceUnavailableError, ValidationError } from '@mentora/errors';
import { describe, expect, it } from 'vitest';
import { createLogger, createRedactor } from '../../src/index.js';
import { captureStream } from '../support/capture.js';

const SERVICE_KEY = 'eyJhbGciOiJIUzI1NiJ9.service-role-payload.signature';
const API_SECRET = 'sk_live_0123456789abcdef';

describe('createRedactor', () => {
  const redact = createRedactor({
    secrets: [new Secret(SERVICE_KEY, 'SUPABASE_SERVICE_ROLE_KEY'), API_SECRET],
  });

  it('masks sensitive keys at any depth, whatever the value is (objects and arrays included)', () => {
    const input = {
      user: { id: 'u1', password: 'hunter2', profile: { apiKey: 'k', api_key: 'k', nested: { token: 't' } } },
      list: [{ secret: 's', ok: 1 }, [{ authorization: 'Bearer x' }]],
      'set-cookie': ['a=1', 'b=2'],
      tokens: { accessToken: 'a', refreshToken: 'r' },
      serviceRoleKey: { any: 'shape' },
      dsn: 'https://key@o0.ingest.sentry.io/1',
      sessionId: 'abc',
    };
    const out = redact(input) as typeof input;
    expect(out.user.id).toBe('u1');
    expect(out.user.password).toBe('[redacted]');
    expect(out.user.profile.apiKey).toBe('[redacted]');
    expect(out.user.profile.api_key).toBe('[redacted]');
    expect(out.user.profile.nested.token).toBe('[redacted]');
    expect(out.list[0]).toEqual({ secret: '[redacted]', ok: 1 });
    expect(out.list[1]).toEqual([{ authorization: '[redacted]' }]);
    expect(out['set-cookie']).toBe('[redacted]');
    expect(out.tokens).toEqual({ accessToken: '[redacted]', refreshToken: '[redacted]' });
    expect(out.serviceRoleKey).toBe('[redacted]');
    expect(out.dsn).toBe('[redacted]');
    expect(out.sessionId).toBe('[redacted]');
    // The input is not modified.
    expect(input.user.password).toBe('hunter2');
  });

  it('looks into Maps, Sets, fetch Headers and URLSearchParams', () => {
    const headers = new Headers({
      Authorization: 'Bearer abc',
      Cookie: 'sid=1',
      'content-type': 'text/plain',
    });
    const out = redact({
      map: new Map<string, unknown>([
        ['password', 'p'],
        ['name', 'n'],
      ]),
      set: new Set(['a', `key ${API_SECRET}`]),
      headers,
      query: new URLSearchParams('token=abc&page=2'),
    }) as Record<string, unknown>;
    expect(out.map).toEqual({ password: '[redacted]', name: 'n' });
    expect(out.set).toEqual(['a', 'key [redacted]']);
    expect(out.headers).toEqual({
      authorization: '[redacted]',
      cookie: '[redacted]',
      'content-type': 'text/plain',
    });
    expect(out.query).toEqual({ token: '[redacted]', page: '2' });
  });

  it('masks configured secret values inside any string: messages, stacks, URLs, causes, Secret objects', () => {
    const upstream = new Error(`PostgREST said: invalid key ${SERVICE_KEY} (HTTP 401)`);
    const wrapped = new ServiceUnavailableError(`calling with ${API_SECRET} failed`, {
      service: 'ai',
      context: { url: `https://api.example.com/v1?key=${API_SECRET}`, note: `prefix-${SERVICE_KEY}-suffix` },
      cause: upstream,
    });
    const text = JSON.stringify(redact({ error: wrapped, raw: new Secret('plain-secret-value') }));
    expect(text).not.toContain(SERVICE_KEY);
    expect(text).not.toContain(API_SECRET);
    expect(text).not.toContain('plain-secret-value');
    const out = JSON.parse(text);
    expect(out.raw).toBe('[redacted]');
    expect(out.error.message).toBe('calling with [redacted] failed');
    expect(out.error.context.note).toBe('prefix-[redacted]-suffix');
    expect(out.error.cause.message).toBe('PostgREST said: invalid key [redacted] (HTTP 401)');
    expect(out.error.cause.stack).toContain('[redacted]');
    // MentoraError facts survive.
    expect(out.error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503, retryable: true });
    expect(out.error.context.service).toBe('ai');
  });

  it('ignores configured secrets too short to mask without garbling text', () => {
    const r = createRedactor({ secrets: ['abc', undefined, '   '] });
    expect(r('abc abc')).toBe('abc abc');
  });

  it('masks URL passwords and sensitive name=value pairs (URL queries, connection strings) inside strings', () => {
    const out = redact({
      db: 'postgresql://app:s3cr3t@db.internal:5432/app',
      link: 'see https://x.test/cb?code=1&access_token=abc&apikey=zzz&page=2#frag',
      libpq: 'host=db.internal user=app password=s3cr3t dbname=app',
      plain: 'retry=3 page=2 base64=YWJj==',
    }) as Record<string, string>;
    expect(out.db).toBe('postgresql://app:redacted@db.internal:5432/app');
    expect(out.link).toBe(
      'see https://x.test/cb?code=1&access_token=[redacted]&apikey=[redacted]&page=2#frag',
    );
    expect(out.libpq).toBe('host=db.internal user=app password=[redacted] dbname=app');
    expect(out.plain).toBe('retry=3 page=2 base64=YWJj==');
  });

  it('walks the whole cause chain, AggregateError members, and cycles between errors', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as Error & { cause?: unknown }).cause = b; // a cycle
    const agg = new AggregateError([new ValidationError('bad input'), b], 'many');
    const out = createRedactor()({ agg }) as { agg: Record<string, unknown> };
    expect(out.agg.message).toBe('many');
    const errors = out.agg.errors as Record<string, unknown>[];
    expect(errors[0]).toMatchObject({ name: 'ValidationError', status: 400, code: 'VALIDATION_FAILED' });
    expect(errors[1]).toMatchObject({ message: 'b', cause: { message: 'a', cause: '[Circular]' } });
  });

  it('masks values at configured paths (* one segment, ** any number)', () => {
    const r = createRedactor({ paths: ['req.headers.x-forwarded-for', 'users.*.email', '**.ssn'] });
    const out = r({
      req: { headers: { 'x-forwarded-for': '1.2.3.4', host: 'h' } },
      users: [{ email: 'a@b', name: 'a' }],
      deep: { a: { b: { ssn: '123' } } },
    });
    expect(out).toEqual({
      req: { headers: { 'x-forwarded-for': '[redacted]', host: 'h' } },
      users: [{ email: '[redacted]', name: 'a' }],
      deep: { a: { b: { ssn: '[redacted]' } } },
    });
  });

  it('never throws: throwing getters, throwing toJSON, revoked proxies, deep nesting', () => {
    const getter = Object.defineProperty({}, 'boom', {
      enumerable: true,
      get() {
        throw new Error('no');
      },
    });
    const badJson = {
      toJSON: () => {
        throw new Error('no');
      },
    };
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 50; i++) deep = { next: deep };
    const r = createRedactor();
    expect(r({ getter, badJson, proxy, deep })).toMatchObject({
      getter: { boom: '[unreadable]' },
      badJson: '[unserializable]',
      proxy: '[unserializable]',
    });
    expect(JSON.stringify(r(deep))).toContain('[MaxDepth]');
  });

  it('supports a custom mask and custom key pattern, or none', () => {
    expect(createRedactor({ mask: '***', keys: /^pin$/ })({ pin: 1, password: 'p' })).toEqual({
      pin: '***',
      password: 'p',
    });
    expect(createRedactor({ keys: false })({ password: 'p' })).toEqual({ password: 'p' });
  });
});

describe('the logger applies the same rules', () => {
  it('masks sensitive fields, secret values in the message and fields, in bound and context fields too', async () => {
    const out = captureStream();
    const logger = createLogger({
      service: 's',
      destination: out.stream,
      redact: { secrets: [new Secret(SERVICE_KEY)] },
    });
    logger
      .child({ headers: { authorization: 'Bearer abc', accept: '*/*' } })
      .warn(`upstream rejected ${SERVICE_KEY}`, {
        password: 'hunter2',
        detail: `key=${SERVICE_KEY}`,
        error: new Error(`bad ${SERVICE_KEY}`, { cause: new Error(SERVICE_KEY) }),
      });
    await logger.flush();
    const [line] = out.lines();
    expect(line).not.toContain(SERVICE_KEY);
    expect(line).not.toContain('hunter2');
    expect(line).not.toContain('Bearer abc');
    expect(JSON.parse(String(line))).toMatchObject({
      message: 'upstream rejected [redacted]',
      password: '[redacted]',
      detail: 'key=[redacted]',
      headers: { authorization: '[redacted]', accept: '*/*' },
      error: { message: 'bad [redacted]', cause: { message: '[redacted]' } },
    });
  });
});
