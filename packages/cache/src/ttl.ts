import { InvalidArgumentError } from '@mentora/errors';

/**
 * TTLs in seconds. `PERMANENT` is `Infinity`: the entry is stored with no expiry at all (plain `SET`
 * without `PX`), unlike the seeds' `-1`, which Redis rejects in `SETEX` ("invalid expire time").
 */
export const CacheTTL = {
  SHORT: 60,
  MEDIUM: 300,
  LONG: 3600,
  DAY: 86_400,
  PERMANENT: Number.POSITIVE_INFINITY,
} as const;

export type CacheTTLName = keyof typeof CacheTTL;

/**
 * Converts a TTL in seconds to the stores' milliseconds, where 0 means "no expiry".
 * Fractions are allowed (0.5 → 500 ms); anything not positive is rejected rather than guessed at.
 */
export function ttlSecondsToMs(ttlSeconds: number, what = 'ttlSeconds'): number {
  if (ttlSeconds === Number.POSITIVE_INFINITY) return 0;
  if (typeof ttlSeconds !== 'number' || !Number.isFinite(ttlSeconds) || ttlSeconds <= 0) {
    throw new InvalidArgumentError(
      `${what} must be a positive number of seconds, or CacheTTL.PERMANENT for no expiry (got ${String(ttlSeconds)})`,
      { code: 'CACHE_INVALID_TTL', argument: what, context: { value: ttlSeconds } },
    );
  }
  return Math.max(1, Math.ceil(ttlSeconds * 1000));
}
