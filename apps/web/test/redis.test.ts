// The built app with its cache and rate limits on a real Redis, and that Redis failing under it: the app
// must degrade (cache fails open to compute, health says degraded) and never crash or answer 500.
import { type LocalSupabase, startLocalSupabase } from '@mentora/db/testing';
import { type ManagedProcess, type RedisService, startRedis } from '@mentora/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWeb } from './web-server.ts';

let stack: LocalSupabase;
let redis: RedisService;
let web: ManagedProcess;
let baseUrl: string;

beforeAll(async () => {
  [stack, redis] = await Promise.all([startLocalSupabase({ mode: 'embedded' }), startRedis()]);
  ({ baseUrl, process: web } = await startWeb(stack, { CACHE_DRIVER: 'redis', REDIS_URL: redis.url }));
});

afterAll(async () => {
  await web?.stop();
  await Promise.all([stack?.stop(), redis?.stop()]);
});

async function health(): Promise<{
  code: number;
  body: { status: string; checks: Record<string, { status: string }> };
}> {
  const res = await fetch(`${baseUrl}/api/health`);
  return { code: res.status, body: await res.json() };
}

describe('web app on Redis', () => {
  it('caches through Redis', async () => {
    expect((await health()).body).toMatchObject({ status: 'healthy', checks: { cache: { status: 'ok' } } });
    expect((await fetch(`${baseUrl}/api/plans`)).status).toBe(200);
    // Keys land in the shared Redis, not in process memory.
    const { Redis } = await import('ioredis');
    const client = new Redis(redis.url);
    try {
      expect((await client.keys('*plans*')).length).toBeGreaterThan(0);
    } finally {
      client.disconnect();
    }
  });

  it('degrades while Redis is down (200 degraded, pages still served) and recovers after it returns', async () => {
    await redis.stopServer();
    try {
      const down = await health();
      expect(down.code).toBe(200);
      expect(down.body).toMatchObject({
        status: 'degraded',
        checks: { database: { status: 'ok' }, cache: { status: 'error' } },
      });
      const plans = await fetch(`${baseUrl}/api/plans`);
      expect(plans.status).toBe(200);
      expect((await plans.json()).plans).toHaveLength(3);
    } finally {
      await redis.startServer();
    }
    // Reconnection is ioredis's backoff plus the cache's breaker probe: poll (bounded) rather than guess a delay.
    let status = '';
    for (let i = 0; i < 200 && status !== 'healthy'; i++) {
      status = (await health()).body.status;
      if (status !== 'healthy') await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe('healthy');
    expect(web.isRunning()).toBe(true);
  });
});
