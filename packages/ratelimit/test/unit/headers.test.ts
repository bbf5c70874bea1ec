import { describe, expect, it } from 'vitest';
import { applyRateLimitHeaders, rateLimitHeaders } from '../../src/index.ts';

const now = Date.UTC(2026, 0, 1, 12, 0, 0);
const rule = { windowSeconds: 60, endpoint: 'chat' };

describe('rateLimitHeaders', () => {
  it('writes the X-RateLimit trio (reset in epoch seconds) and the IETF draft-11 fields', () => {
    const h = rateLimitHeaders(
      { allowed: true, limit: 10, remaining: 7, reset: new Date(now + 41_200), retryAfter: 0 },
      rule,
      { now },
    );
    expect(Object.fromEntries(h)).toEqual({
      'x-ratelimit-limit': '10',
      'x-ratelimit-remaining': '7',
      'x-ratelimit-reset': String(Math.ceil((now + 41_200) / 1000)),
      'ratelimit-policy': '"chat";q=10;w=60',
      ratelimit: '"chat";r=7;t=42',
    });
  });

  it('adds Retry-After on a denial', () => {
    const h = rateLimitHeaders(
      { allowed: false, limit: 10, remaining: 0, reset: new Date(now + 5_000), retryAfter: 5 },
      rule,
      { now },
    );
    expect(h.get('Retry-After')).toBe('5');
    expect(h.get('RateLimit')).toBe('"chat";r=0;t=5');
  });

  it('quotes the policy name as a Structured Field string and defaults it', () => {
    const result = { allowed: true, limit: 1, remaining: 0, reset: new Date(now), retryAfter: 0 };
    expect(rateLimitHeaders(result, { windowSeconds: 1 }, { now }).get('RateLimit-Policy')).toBe(
      '"default";q=1;w=1',
    );
    expect(rateLimitHeaders(result, rule, { now, policy: 'a"b\\c\n' }).get('RateLimit-Policy')).toBe(
      '"a\\"b\\\\c";q=1;w=60',
    );
  });

  it('writes nothing for an unlimited result and sets into existing headers', () => {
    const unlimited = {
      allowed: true,
      limit: Number.POSITIVE_INFINITY,
      remaining: Number.POSITIVE_INFINITY,
      reset: new Date(now),
      retryAfter: 0,
    };
    expect([...rateLimitHeaders(unlimited, rule).keys()]).toEqual([]);
    const existing = new Headers({ 'content-type': 'application/json' });
    applyRateLimitHeaders(
      existing,
      { allowed: true, limit: 2, remaining: 1, reset: new Date(now), retryAfter: 0 },
      rule,
      {
        now,
      },
    );
    expect(existing.get('content-type')).toBe('application/json');
    expect(existing.get('X-RateLimit-Remaining')).toBe('1');
  });
});
