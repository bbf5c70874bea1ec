// Rate limits and the webhook replay guard on a real Redis, shared by two pipelines as two app processes
// would share it.
import { createStaticFeatureFlags } from '@mentora/config';
import { createRateLimiter, type RateLimiter } from '@mentora/ratelimit';
import { createRedisStore } from '@mentora/ratelimit/redis';
import { createRedisConnection, type RedisConnection } from '@mentora/redis';
import { useRedis } from '@mentora/testing/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReplayGuard, createWithInfrastructure, signWebhook, verifyWebhook } from '../../src/index.js';
import { createRedisReplayStore } from '../../src/redis.js';
import { recordingLogger } from '../support/recorders.js';

const redis = useRedis();
let connection: RedisConnection;
const limiters: RateLimiter[] = [];

beforeAll(async () => {
  connection = createRedisConnection({ url: redis.url, logger: recordingLogger().logger });
  await connection.ready();
});

afterAll(async () => {
  await Promise.all(limiters.map((l) => l.close()));
  await connection?.close();
});

function appProcess(name: string) {
  const { logger } = recordingLogger();
  const flags = createStaticFeatureFlags();
  const rateLimiter = createRateLimiter({
    store: createRedisStore({ connection }),
    flags,
    logger,
    namespace: `rl-${name}`,
  });
  limiters.push(rateLimiter);
  return { logger, flags, rateLimiter };
}

describe('withInfrastructure on a Redis rate limiter', () => {
  it('shares one limit between processes, with headers on every response and 429 beyond', async () => {
    const run = crypto.randomUUID().slice(0, 8);
    const a = appProcess(run);
    const b = appProcess(run);
    const routes = [a, b].map((deps) =>
      createWithInfrastructure({ ...deps, trustProxy: 1 })(() => ({ ok: true }), {
        rateLimit: { enabled: true, endpoint: 'auth' },
      }),
    );
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 8; i++) {
      const route = routes[i % 2] as (typeof routes)[number];
      last = await route(
        new Request('http://t/login', { method: 'POST', headers: { 'x-forwarded-for': '203.0.113.50' } }),
      );
      statuses.push(last.status);
      expect(last.headers.get('x-ratelimit-limit')).toBe('5');
      expect(last.headers.get('ratelimit-policy')).toBe('"auth";q=5;w=300');
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another client is not affected.
    const other = await (routes[0] as (typeof routes)[number])(
      new Request('http://t/login', { method: 'POST', headers: { 'x-forwarded-for': '203.0.113.51' } }),
    );
    expect(other.status).toBe(200);
  });
});

describe('createRedisReplayStore', () => {
  it('rejects a delivery replayed to another process (409) and accepts it only once under a race', async () => {
    const store = createRedisReplayStore({ connection, prefix: `replay-${crypto.randomUUID()}:` });
    const guards = [
      createReplayGuard({ windowMs: 60_000, store }),
      createReplayGuard({ windowMs: 60_000, store }),
    ];
    const secret = 'whop-webhook-secret-for-redis-tests';
    const body = '{"action":"membership.went_valid"}';
    const headers = signWebhook(secret, {
      id: 'msg_redis_1',
      timestamp: Math.floor(Date.now() / 1000),
      body,
    });

    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, async (_, i) => {
        const request = new Request('http://t/wh', { method: 'POST', body, headers });
        const { id } = await verifyWebhook(request, { secret });
        await (guards[i % 2] as (typeof guards)[number]).check(id);
      }),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(rejected.every((o) => (o.reason as { status?: number }).status === 409)).toBe(true);
  });

  it('a delivery whose processing failed in one process is taken by the retry in another', async () => {
    const store = createRedisReplayStore({ connection, prefix: `replay-${crypto.randomUUID()}:` });
    const [first, second] = [
      createReplayGuard({ windowMs: 60_000, store }),
      createReplayGuard({ windowMs: 60_000, store }),
    ];
    const failure = new Error('database down');
    await expect(first.once('msg_redis_2', () => Promise.reject(failure))).rejects.toBe(failure);
    await expect(second.once('msg_redis_2', async () => 'applied')).resolves.toBe('applied');
    await expect(first.once('msg_redis_2', async () => 'again')).rejects.toMatchObject({ status: 409 });
  });
});

describe('Redis outage', () => {
  it('rate-limited routes keep answering (insurance limiter), never 5xx, with headers', async () => {
    const deps = appProcess(crypto.randomUUID().slice(0, 8));
    const GET = createWithInfrastructure({ ...deps, trustProxy: 1 })(() => ({ ok: true }), {
      rateLimit: { enabled: true, endpoint: 'auth' },
    });
    const send = () => GET(new Request('http://t/login', { headers: { 'x-forwarded-for': '203.0.113.77' } }));
    expect((await send()).status).toBe(200);
    await redis.stopServer();
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) {
        const r = await send();
        statuses.push(r.status);
        expect(r.headers.get('x-ratelimit-limit')).toBe('5');
      }
      expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
      // The in-process insurance limiter still enforces the limit.
      expect(statuses).toContain(429);
    } finally {
      await redis.startServer();
    }
  });
});
