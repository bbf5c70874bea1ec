import { format, inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isSecret, REDACTED, redact, redactUrl, Secret } from '../src/index.js';

const VALUE = 'sk-live-9f8e7d6c5b4a';

describe('Secret', () => {
  const s = new Secret(VALUE, 'API_KEY');

  it('reveals only through reveal()', () => {
    expect(s.reveal()).toBe(VALUE);
    expect(s.label).toBe('API_KEY');
  });

  it('masks every way of printing it', () => {
    const outputs = [
      String(s),
      `${s}`,
      `x${s}`,
      s.toString(),
      JSON.stringify(s),
      JSON.stringify({ s }),
      inspect(s),
      inspect({ nested: { s } }, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
      inspect(s, { customInspect: false, showHidden: true }),
      format('%s %o %O %j', s, s, s, s),
      Object.prototype.toString.call(s),
      Object.keys(s).join(','),
      JSON.stringify(Object.entries(s)),
      JSON.stringify(structuredClone({ a: 1 })),
    ];
    for (const out of outputs) expect(out).not.toContain(VALUE);
    expect(String(s)).toBe(REDACTED);
    expect(JSON.stringify(s)).toBe(`"${REDACTED}"`);
    expect(inspect(s)).toBe('Secret<API_KEY>([redacted])');
  });

  it('is frozen and recognised', () => {
    expect(Object.isFrozen(s)).toBe(true);
    expect(isSecret(s)).toBe(true);
    expect(isSecret({ reveal: () => 1 })).toBe(false);
    expect(isSecret(VALUE)).toBe(false);
  });
});

describe('redactUrl', () => {
  it('masks passwords and lone usernames, leaves clean URLs alone', () => {
    expect(redactUrl('redis://default:hunter2@cache:6379/0')).toBe('redis://default:redacted@cache:6379/0');
    expect(redactUrl('postgres://token@db:5432/app')).toBe('postgres://redacted@db:5432/app');
    expect(redactUrl('https://example.com/a')).toBe('https://example.com/a');
    expect(redactUrl('::::')).toBe(REDACTED);
  });
});

describe('redact', () => {
  it('masks Secrets, sensitive keys and URL passwords, without touching the input', () => {
    const input = {
      user: 'ana',
      password: 'p4ss',
      headers: { authorization: 'Bearer abc', 'set-cookie': 'sid=1', accept: 'json' },
      accessToken: 'tok',
      promptTokens: 120,
      apiKey: 'k',
      db: { url: 'postgres://app:pw@db/app', serviceRoleKey: new Secret('srk') },
      note: 'connect to rediss://default:pa55@cache:6380 then postgres://x:y@db/z',
      list: [{ secret: 'x' }, new Secret('y')],
      when: new Date(0),
    };
    const out = redact(input);
    expect(out).toEqual({
      user: 'ana',
      password: REDACTED,
      headers: { authorization: REDACTED, 'set-cookie': REDACTED, accept: 'json' },
      accessToken: REDACTED,
      promptTokens: 120,
      apiKey: REDACTED,
      db: { url: 'postgres://app:redacted@db/app', serviceRoleKey: REDACTED },
      note: 'connect to rediss://default:redacted@cache:6380 then postgres://x:redacted@db/z',
      list: [{ secret: REDACTED }, REDACTED],
      when: new Date(0),
    });
    expect(input.password).toBe('p4ss');
  });

  it('masks everything under a sensitive key, whatever its shape (arrays, objects)', () => {
    const out = redact({
      // Node's IncomingHttpHeaders: set-cookie is always an array.
      headers: { 'set-cookie': ['sid=SESSION-1', 'csrf=CSRF-2'], authorization: ['Bearer TOKEN-3'] },
      token: { access: 'ACCESS-4', refresh: 'REFRESH-5' },
      credentials: { user: 'ana', key: 'KEY-6' },
      apiKey: { value: 'APIKEY-7' },
    });
    expect(out).toEqual({
      headers: { 'set-cookie': REDACTED, authorization: REDACTED },
      token: REDACTED,
      credentials: REDACTED,
      apiKey: REDACTED,
    });
  });

  it('looks inside Maps, Fetch Headers and URL objects', () => {
    const text = JSON.stringify(
      redact({
        request: {
          headers: new Headers({ authorization: 'Bearer TOKEN-8', accept: 'json' }),
          url: new URL('https://u:URLPASSWORD-9@api.example.com/x'),
        },
        sessions: new Map([['sid', { cookie: 'COOKIE-10' }]]),
      }),
    );
    for (const needle of ['TOKEN-8', 'URLPASSWORD-9', 'COOKIE-10']) expect(text).not.toContain(needle);
    expect(text).toContain('"accept":"json"');
    expect(text).toContain('api.example.com');
    const loop = new Map<string, unknown>();
    loop.set('self', loop);
    expect(redact({ loop })).toEqual({ loop: { self: '[Circular]' } });
  });

  it('masks explicit key paths with * and **', () => {
    const out = redact(
      {
        profile: { ssn: '1', name: 'n' },
        orders: [{ card: '4242' }, { card: '1881' }],
        deep: { a: { b: { pin: 1 } } },
      },
      { paths: ['profile.ssn', 'orders.*.card', '**.pin'] },
    );
    expect(out).toEqual({
      profile: { ssn: REDACTED, name: 'n' },
      orders: [{ card: REDACTED }, { card: REDACTED }],
      deep: { a: { b: { pin: REDACTED } } },
    });
  });

  it('can turn the key heuristics off, use another mask, and survives cycles and errors', () => {
    expect(redact({ password: 'x' }, { keys: false })).toEqual({ password: 'x' });
    expect(redact({ password: 'x' }, { mask: '***' })).toEqual({ password: '***' });
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    expect(redact(a)).toEqual({ name: 'a', self: '[Circular]' });
    expect(redact({ err: new Error('redis://u:pw@h failed') })).toEqual({
      err: { name: 'Error', message: 'redis://u:redacted@h failed' },
    });
    expect(redact({ err: new Error('x') }, { keys: /^never$/ }).err).toEqual({ name: 'Error', message: 'x' });
  });
});
