// The Redis scripts and the reference implementation take the same decisions on the same inputs.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SlidingState, slidingWindowDecide } from '../../src/sliding.ts';
import {
  decodeSlidingReply,
  SLIDING_PACKED_LIMIT_MAX,
  SLIDING_WINDOW_LUA,
  SLIDING_WINDOW_WIDE_LUA,
} from '../../src/sliding-lua.ts';
import { startRedis } from '../support/services.ts';

let server: Awaited<ReturnType<typeof startRedis>>;
let redis: Redis;
beforeAll(async () => {
  server = await startRedis();
  redis = new Redis(server.url);
});
afterAll(async () => {
  redis?.disconnect();
  await server?.stop();
});

/**
 * Packed script: admitted = integer or pair, denied = {…, 0}. Wide script: always {…, allowed 1/0}.
 * (The limiter itself decides by consumed ≤ limit; the shape must agree with it.)
 */
function outcome(reply: unknown): 'admitted' | 'denied' {
  if (typeof reply === 'number') return 'admitted';
  const r = reply as unknown[];
  return r.length === 2 || r[3] === 1 ? 'admitted' : 'denied';
}

const scripts = [
  ['packed (SLIDING_WINDOW_LUA)', SLIDING_WINDOW_LUA],
  ['wide (SLIDING_WINDOW_WIDE_LUA)', SLIDING_WINDOW_WIDE_LUA],
] as const;

describe.each(scripts)('sliding window Lua script: %s', (name, lua) => {
  it('matches slidingWindowDecide step by step on pseudo-random traffic, clock going back included', async () => {
    let seed = 7;
    const rand = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const cases: [number, number][] = [
      [60_000, 10],
      [3_600_000, 3],
      [300_000, 100],
      [1_000, 1],
      [60_000, SLIDING_PACKED_LIMIT_MAX],
    ];
    if (lua === SLIDING_WINDOW_WIDE_LUA) cases.push([60_000, 1_000_000_000]);
    let denied = 0;
    let wentBack = 0;
    for (const [windowMs, limit] of cases) {
      const key = `lua:${name}:${windowMs}:${limit}`;
      let state: SlidingState | undefined;
      let expiresAt = 0;
      let now = Math.floor(Date.now() / windowMs) * windowMs;
      // Big limits are approached with big costs so that denials and rolls happen within 400 steps.
      const unit = Math.max(1, Math.floor(limit / 10));
      for (let i = 0; i < 400; i++) {
        const r = rand();
        if (r < 0.05) now += Math.floor(rand() * 2 * windowMs);
        else if (r < 0.08) {
          now -= Math.floor(rand() * 1.5 * windowMs); // a clock going back, up to a window and a half
          wentBack++;
        } else now += Math.floor(rand() * (windowMs / Math.min(limit, 10)));
        const x = rand();
        const cost =
          x < 0.05
            ? limit + 1 + Math.floor(rand() * 3)
            : x < 0.25
              ? unit * (1 + Math.floor(rand() * 5))
              : unit;
        // The script's key expires on Redis's clock, not on `now`: model that expiry as the reference's
        // memory store does, and let Redis forget the key at the same step.
        if (state !== undefined && now >= expiresAt && now >= state.w * windowMs) {
          state = undefined;
          await redis.del(key);
        }
        const expected = slidingWindowDecide(state, now, windowMs, limit, cost);
        if (expected.next) {
          if (expected.next.w !== state?.w) expiresAt = now + expected.ttlMs;
          state = expected.next;
        }
        const reply = await redis.eval(lua, 1, key, cost, windowMs, limit, now);
        const got = decodeSlidingReply(reply, limit);
        expect({ ...got, outcome: outcome(reply) }, `${name} ${windowMs}/${limit} step ${i}`).toEqual({
          consumed: expected.consumed,
          msBeforeNext: expected.msBeforeNext,
          msBeforeAny: expected.msBeforeAny,
          outcome: expected.allowed ? 'admitted' : 'denied',
        });
        if (!expected.allowed) denied++;
      }
    }
    // The traffic really exercised denials and clocks going back (a test that cannot fail is a defect).
    expect(denied).toBeGreaterThan(50);
    expect(wentBack).toBeGreaterThan(20);
  });

  it('uses the server clock when no time is passed', async () => {
    const reply = await redis.eval(lua, 1, `lua:${name}:server-time`, 1, 60_000, 10, '');
    const got = decodeSlidingReply(reply, 10);
    expect(outcome(reply)).toBe('admitted');
    expect(got.consumed).toBe(1);
    expect(got.msBeforeNext).toBeGreaterThan(0);
    expect(got.msBeforeNext).toBeLessThanOrEqual(60_000);
  });
});

describe('packed sliding window layout', () => {
  it('keeps one field per key, packs the previous count and expires at the end of the next window', async () => {
    const D = 60_000;
    const key = 'lua:layout';
    const w = Math.floor(Date.now() / D) + 1;
    const start = w * D;
    for (let i = 0; i < 7; i++) await redis.eval(SLIDING_WINDOW_LUA, 1, key, 1, D, 10, start + i);
    expect(await redis.hgetall(key)).toEqual({ [String(w)]: '7' });
    // Next window: 7 of the previous window are packed as p; a denial leaves the state untouched.
    await redis.eval(SLIDING_WINDOW_LUA, 1, key, 1, D, 10, start + D + 10);
    expect(await redis.hgetall(key)).toEqual({ [String(w + 1)]: String(7 * 2 ** 26 + 1) });
    const denied = await redis.eval(SLIDING_WINDOW_LUA, 1, key, 5, D, 10, start + D + 20);
    expect(outcome(denied)).toBe('denied');
    expect(await redis.hgetall(key)).toEqual({ [String(w + 1)]: String(7 * 2 ** 26 + 1) });
    // The TTL was set from the script's clock: to the end of window w + 2, 2D − 10 ms after the roll.
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(2 * D - 10);
  });

  it('holds 2 × SLIDING_PACKED_LIMIT_MAX in one field: a full window plus a cost of limit is denied', async () => {
    const key = 'lua:packed-max';
    const D = 60_000;
    const limit = SLIDING_PACKED_LIMIT_MAX;
    const start = (Math.floor(Date.now() / D) + 1) * D;
    expect(outcome(await redis.eval(SLIDING_WINDOW_LUA, 1, key, limit, D, limit, start))).toBe('admitted');
    const denied = await redis.eval(SLIDING_WINDOW_LUA, 1, key, limit, D, limit, start + 1);
    expect(outcome(denied)).toBe('denied');
    expect(decodeSlidingReply(denied, limit).consumed).toBe(2 * limit);
    // The count is intact: the previous window's count (p) did not absorb a carry out of c.
    expect(await redis.hgetall(key)).toEqual({ [String(start / D)]: String(limit) });
    expect(outcome(await redis.eval(SLIDING_WINDOW_LUA, 1, key, 1, D, limit, start + 2))).toBe('denied');
  });

  it('replaces the fields an older version of the script left in the same key', async () => {
    const key = 'lua:legacy';
    await redis.hset(key, 'w', 1, 'c', 3, 'p', 0);
    const reply = await redis.eval(SLIDING_WINDOW_LUA, 1, key, 1, 60_000, 10, 120_000);
    expect(decodeSlidingReply(reply, 10).consumed).toBe(1);
    expect(await redis.hgetall(key)).toEqual({ '2': '1' });
  });
});
