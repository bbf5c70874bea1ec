/**
 * The sliding window (reference: slidingWindowDecide in sliding.ts) as atomic Redis scripts on one key per
 * identity, so they are Redis Cluster safe without hash tags.
 *
 * Both take KEYS[1] = the identity's hash and ARGV = cost, windowMs, limit, nowMs ('' = the Redis server
 * clock, so all processes agree on window boundaries whatever their own clocks say).
 *
 * SLIDING_WINDOW_LUA is the one used for every limit up to SLIDING_PACKED_LIMIT_MAX. It runs on every check,
 * so its common case — an admitted request in a window that already has a count — is measured down to
 * two Redis calls (TIME, HINCRBY) and a plain integer reply (bench/reports/ratelimit.md: a Lua table reply
 * alone costs ≈ 0.4 µs, each redis.call ≈ 0.6 µs, against ≈ 2.5 µs for rate-limiter-flexible's whole
 * fixed-window script). Layout: the hash has one field, named by the window index w, whose value packs
 * both counts: p × 2^26 + c (p = the previous window's count, fixed when window w began; c = window w's
 * count). So one HINCRBY of field w both counts the request and returns c and p:
 *   - the field existed → decide; a denial takes its increment back (denied requests consume nothing);
 *   - the field was just created (reply = cost) → window w starts for this key: read the hash (its old
 *     field, at most one) for p, store p × 2^26 + cost, drop the old field and set the TTL to the end of
 *     the next window, after which the state is irrelevant (so later writes never extend it). If the old
 *     field is a *later* window the clock went back: as the reference does, stay in that window and
 *     assume it just started, which can only be stricter.
 * Packing is exact while c < 2^26 (else a carry lands in p) and p × 2^26 + c < 2^53 (Lua numbers are
 * doubles): c reaches 2 × limit (an admitted count ≤ limit plus a cost ≤ limit about to be taken back) and
 * p ≤ limit, so limits up to 2^25 − 1 — at exactly 2^25 a full window plus a cost of 2^25 would read as
 * p + 1, c = 0 and be admitted.
 * The reply of an admitted request is (D − e) × (limit + 1) + consumed when that fits in 2^53 (decoded by
 * decodeSlidingReply), else {consumed, D − e}; a denial replies {consumed, msBeforeNext, msBeforeAny, 0}.
 */
export const SLIDING_WINDOW_LUA = `
local cost = tonumber(ARGV[1])
local D = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
if now == nil then
  local t = redis.call('TIME')
  now = t[1] * 1000 + math.floor(t[2] / 1000)
end
local e = now % D
local w = (now - e) / D
local M = 67108864
local key = KEYS[1]
local c = 0
local p = 0
local created = false
if cost <= limit then
  local v = redis.call('HINCRBY', key, w, cost)
  if v ~= cost then
    p = math.floor(v / M)
    c = v - p * M
    local weighted = p * (D - e)
    if c * D + weighted <= limit * D then
      local consumed = math.ceil((c * D + weighted) / D)
      if D * (limit + 1) < 9007199254740992 then return (D - e) * (limit + 1) + consumed end
      return {consumed, D - e}
    end
    redis.call('HINCRBY', key, w, -cost)
    c = c - cost
  else
    created = true
  end
end
if created or cost > limit then
  local h = redis.call('HGETALL', key)
  local sw = nil
  local sv = 0
  local stale = {}
  for i = 1, #h, 2 do
    local f = tonumber(h[i])
    if f ~= w then stale[#stale + 1] = h[i] end
    if f ~= nil and not (created and f == w) and (sw == nil or f > sw) then
      sw = f
      sv = tonumber(h[i + 1])
    end
  end
  if sw ~= nil and sw >= w then
    if sw > w then
      if created then redis.call('HDEL', key, w) end
      w = sw
      e = 0
    end
    p = math.floor(sv / M)
    c = sv - p * M
    local weighted = p * (D - e)
    if (c + cost) * D + weighted <= limit * D then
      redis.call('HINCRBY', key, w, cost)
      return {math.ceil(((c + cost) * D + weighted) / D), D - e}
    end
  else
    if sw == w - 1 then p = sv % M end
    if created then
      if cost * D + p * (D - e) <= limit * D then
        redis.call('HSET', key, w, p * M + cost)
        if #stale > 0 then redis.call('HDEL', key, unpack(stale)) end
        redis.call('PEXPIRE', key, 2 * D - e)
        return {math.ceil((cost * D + p * (D - e)) / D), D - e}
      end
      redis.call('HDEL', key, w)
    end
  end
end
local weighted = p * (D - e)
local waits = {0, 0}
for i, k in ipairs({cost, 1}) do
  if k > limit then
    waits[i] = 2 * D - e
  elseif c + k <= limit then
    if p > 0 then waits[i] = math.max(0, D - math.floor(((limit - c - k) * D) / p) - e) end
  else
    waits[i] = D - e + D - math.floor(((limit - k) * D) / c)
  end
end
return {math.ceil(((c + cost) * D + weighted) / D), math.max(1, waits[1]), waits[2], 0}
`;

/** Largest limit SLIDING_WINDOW_LUA's packed counts hold exactly (2 × limit < 2^26); larger ones use the wide script. */
export const SLIDING_PACKED_LIMIT_MAX = 2 ** 25 - 1;

/** One decoded reply of either script. */
export interface SlidingReply {
  consumed: number;
  msBeforeNext: number;
  /** 0 when admitted. */
  msBeforeAny: number;
}

/**
 * Decodes a script reply for `limit`: a plain integer (admitted, packed), {consumed, msBeforeNext}
 * (admitted) or {consumed, msBeforeNext, msBeforeAny, 0} (denied). Admission itself is consumed ≤ limit.
 */
export function decodeSlidingReply(reply: unknown, limit: number): SlidingReply {
  if (typeof reply === 'number') {
    const consumed = reply % (limit + 1);
    return { consumed, msBeforeNext: (reply - consumed) / (limit + 1), msBeforeAny: 0 };
  }
  const [consumed, msBeforeNext, msBeforeAny] = reply as [number, number, number?];
  return {
    consumed: Number(consumed),
    msBeforeNext: Number(msBeforeNext),
    msBeforeAny: Number(msBeforeAny ?? 0),
  };
}

/**
 * The same decision as one atomic Redis script over one hash key {w, c, p}.
 * KEYS[1] = hash; ARGV = cost, windowMs, limit, nowMs ('' = use the Redis server clock, so all
 * processes agree on window boundaries whatever their own clocks say).
 * Returns {consumed, msBeforeNext, msBeforeAny, allowed (1/0)}.
 *
 * Kept lean because it runs on every check: within a window an admitted request is one HINCRBY; only
 * the first write of a window rewrites the three fields and sets the TTL (to the end of the next window,
 * after which the state is irrelevant — so later writes never need to extend it).
 */
export const SLIDING_WINDOW_WIDE_LUA = `
local cost = tonumber(ARGV[1])
local D = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
if now == nil then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local w = math.floor(now / D)
local e = now - w * D
local c = 0
local p = 0
local roll = true
local s = redis.call('HMGET', KEYS[1], 'w', 'c', 'p')
local sw = tonumber(s[1])
if sw ~= nil then
  if sw == w then
    c = tonumber(s[2]) or 0
    p = tonumber(s[3]) or 0
    roll = false
  elseif sw == w - 1 then
    p = tonumber(s[2]) or 0
  elseif sw > w then
    w = sw
    e = 0
    c = tonumber(s[2]) or 0
    p = tonumber(s[3]) or 0
    roll = false
  end
end
local weighted = p * (D - e)
if (c + cost) * D + weighted <= limit * D then
  c = c + cost
  if roll then
    redis.call('HSET', KEYS[1], 'w', w, 'c', c, 'p', p)
    redis.call('PEXPIRE', KEYS[1], 2 * D - e)
  else
    redis.call('HINCRBY', KEYS[1], 'c', cost)
  end
  return {math.ceil((c * D + weighted) / D), D - e, 0, 1}
end
local waits = {0, 0}
for i, k in ipairs({cost, 1}) do
  if k > limit then
    waits[i] = 2 * D - e
  elseif c + k <= limit then
    if p > 0 then waits[i] = math.max(0, D - math.floor(((limit - c - k) * D) / p) - e) end
  else
    waits[i] = D - e + D - math.floor(((limit - k) * D) / c)
  end
end
return {math.ceil(((c + cost) * D + weighted) / D), math.max(1, waits[1]), waits[2], 0}
`;
