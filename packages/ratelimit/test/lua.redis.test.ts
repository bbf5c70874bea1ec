// The Redis script and the reference implementation take the same decisions on the same inputs.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLIDING_WINDOW_LUA, type SlidingState, slidingWindowDecide } from '../src/sliding.ts';
import { startRedis } from './services.ts';

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

describe('sliding window Lua script', () => {
  it('matches slidingWindowDecide step by step on pseudo-random traffic', async () => {
    let seed = 7;
    const rand = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (const [windowMs, limit] of [
      [60_000, 10],
      [3_600_000, 3],
      [300_000, 100],
    ] as const) {
      const key = `lua:${windowMs}:${limit}`;
      let state: SlidingState | undefined;
      let now = Math.floor(Date.now() / windowMs) * windowMs;
      for (let i = 0; i < 400; i++) {
        now += rand() < 0.05 ? Math.floor(rand() * 2 * windowMs) : Math.floor(rand() * (windowMs / limit));
        const cost = rand() < 0.2 ? 1 + Math.floor(rand() * Math.min(limit, 5)) : 1;
        const expected = slidingWindowDecide(state, now, windowMs, limit, cost);
        if (expected.next) state = expected.next;
        const got = (await redis.eval(SLIDING_WINDOW_LUA, 1, key, cost, windowMs, limit, now)) as number[];
        expect(got, `step ${i}`).toEqual([
          expected.consumed,
          expected.msBeforeNext,
          expected.msBeforeAny,
          expected.allowed ? 1 : 0,
        ]);
      }
    }
  });

  it('uses the server clock when no time is passed', async () => {
    const got = (await redis.eval(SLIDING_WINDOW_LUA, 1, 'lua:server-time', 1, 60_000, 10, '')) as number[];
    const [consumed, msBeforeNext, , allowed] = got;
    expect([consumed, allowed]).toEqual([1, 1]);
    expect(msBeforeNext).toBeGreaterThan(0);
    expect(msBeforeNext).toBeLessThanOrEqual(60_000);
  });
});
