import { InvalidArgumentError } from '@mentora/errors';
import type { RateLimitResult, RateLimitRule } from './types.ts';

export interface RateLimitHeaderOptions {
  /**
   * Policy name in the IETF fields (a Structured Field String). Default: the rule's endpoint when it has
   * one (getLimitConfig() results do), else "default".
   */
  policy?: string;
  /** Clock for the seconds-until-reset fields (default Date.now). */
  now?: number;
}

/** What the headers need from a rule: its window, and the endpoint as the default policy name. */
export type HeaderRule = Pick<RateLimitRule, 'windowSeconds'> & { endpoint?: string };

/** RFC 8941 String: printable ASCII with `"` and `\` escaped; anything else is dropped. */
function sfString(value: string): string {
  const printable = value.replace(/[^\x20-\x7e]/g, '');
  return `"${printable.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * Writes the rate-limit response headers for `result` into `headers`:
 *
 * - `X-RateLimit-Limit`, `X-RateLimit-Remaining`, `X-RateLimit-Reset` (Unix epoch **seconds**, rounded
 *   up: GitHub's convention, unlike the seeds' ISO string that clients can't compare cheaply);
 * - `Retry-After` (delay-seconds) on a denial;
 * - the IETF fields of draft-ietf-httpapi-ratelimit-headers-11:
 *   `RateLimit-Policy: "chat";q=10;w=60` and `RateLimit: "chat";r=3;t=42`
 *   (r = remaining quota, t = seconds until reset; both Structured Field lists).
 *
 * Unlimited results (enterprise) get no rate-limit headers: there is no quota to advertise.
 * `rule` defaults to `result.rule`, which checkRateLimit results carry.
 */
export function applyRateLimitHeaders(
  headers: Headers,
  result: Pick<RateLimitResult, 'allowed' | 'limit' | 'remaining' | 'reset' | 'retryAfter'> & {
    rule?: HeaderRule;
  },
  rule: HeaderRule | undefined = result.rule,
  options: RateLimitHeaderOptions = {},
): Headers {
  if (rule === undefined) {
    throw new InvalidArgumentError('rateLimitHeaders needs the rule: pass it, or a checkRateLimit result', {
      code: 'RATE_LIMIT_RULE_MISSING',
      argument: 'rule',
    });
  }
  if (!Number.isFinite(result.limit)) return headers;
  const now = options.now ?? Date.now();
  const resetMs = result.reset.getTime();
  const secondsToReset = Math.max(0, Math.ceil((resetMs - now) / 1000));
  const policy = sfString(options.policy ?? rule.endpoint ?? 'default');
  const remaining = Math.max(0, Math.floor(result.remaining));
  headers.set('X-RateLimit-Limit', String(result.limit));
  headers.set('X-RateLimit-Remaining', String(remaining));
  headers.set('X-RateLimit-Reset', String(Math.ceil(resetMs / 1000)));
  headers.set('RateLimit-Policy', `${policy};q=${result.limit};w=${rule.windowSeconds}`);
  headers.set('RateLimit', `${policy};r=${remaining};t=${secondsToReset}`);
  if (!result.allowed) headers.set('Retry-After', String(Math.max(1, result.retryAfter)));
  return headers;
}

/** The same headers in a new Fetch `Headers` object. */
export function rateLimitHeaders(
  result: Pick<RateLimitResult, 'allowed' | 'limit' | 'remaining' | 'reset' | 'retryAfter'> & {
    rule?: HeaderRule;
  },
  rule: HeaderRule | undefined = result.rule,
  options: RateLimitHeaderOptions = {},
): Headers {
  return applyRateLimitHeaders(new Headers(), result, rule, options);
}
