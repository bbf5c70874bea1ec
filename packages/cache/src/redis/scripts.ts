import { createHash } from 'node:crypto';

export interface LuaScript {
  readonly source: string;
  readonly sha: string;
  readonly numberOfKeys: number;
}

function lua(numberOfKeys: number, source: string): LuaScript {
  return { source, sha: createHash('sha1').update(source).digest('hex'), numberOfKeys };
}

/**
 * KEYS: value key, version key (same hash tag). ARGV: payload, ttl ms (0 = no expiry), expected
 * version ('' = any). Stores `version:payload`, reading the version in the same atomic step.
 */
export const SET_VERSIONED = lua(
  2,
  `local v = redis.call('GET', KEYS[2]) or '0'
if ARGV[3] ~= '' and ARGV[3] ~= v then return 0 end
if ARGV[2] == '0' then
  redis.call('SET', KEYS[1], v .. ':' .. ARGV[1])
else
  redis.call('SET', KEYS[1], v .. ':' .. ARGV[1], 'PX', ARGV[2])
end
return 1`,
);

/**
 * KEYS: counter. ARGV: window ms. The expiry is set by the first increment only (a key that somehow
 * has none gets one), so later increments never extend the window.
 */
export const INCREMENT = lua(
  1,
  `local n = redis.call('INCR', KEYS[1])
if n == 1 or redis.call('PTTL', KEYS[1]) == -1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return n`,
);

/** KEYS: lock. ARGV: token. Deletes the lock only if this token still holds it. */
export const RELEASE_LOCK = lua(
  1,
  `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`,
);

export function isNoScript(err: unknown): boolean {
  return err instanceof Error && err.message.startsWith('NOSCRIPT');
}
