import { loadConfig } from '@mentora/config';
import { ConfigError } from '@mentora/errors';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CacheTTL, createCache, createCborCodec } from '../../src/index.js';
import { CacheKeys } from '../../src/mentora/index.js';
import { createRedisStore, type RedisCacheStore } from '../../src/redis/index.js';
import { captureLogger, uniqueNamespace } from '../support/helpers.js';
import { type RedisService, startRedis } from '../support/services.js';

/** Calls per command since the last CONFIG RESETSTAT, from INFO commandstats. */
async function commandCalls(raw: Redis): Promise<Record<string, number>> {
  const info = await raw.info('commandstats');
  const out: Record<string, number> = {};
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) out[m[1] as string] = Number(m[2]);
  return out;
}

describe('Redis store specifics', () => {
  let redis: RedisService;
  let raw: Redis;
  let store: RedisCacheStore;

  beforeAll(async () => {
    redis = await startRedis();
    raw = new Redis(redis.url);
    store = createRedisStore({ url: redis.url, logger: captureLogger() });
    await store.ready();
  });

  afterAll(async () => {
    await store?.close();
    raw?.disconnect();
    await redis?.stop();
  });

  it('answers a hit with exactly one GET (unscoped) or one MGET (scoped), and nothing else', async () => {
    const cache = createCache({ store, namespace: uniqueNamespace(), logger: captureLogger() });
    await cache.set('plain', { a: 1 }, 60);
    await cache.set(CacheKeys.video('v1'), { b: 2 }, 60);
    await raw.config('RESETSTAT');
    for (let i = 0; i < 10; i++) {
      expect(await cache.get('plain')).toEqual({ a: 1 });
      expect(await cache.getOrCompute('plain', () => ({ a: 0 }), 60)).toEqual({ a: 1 });
      expect(await cache.get(CacheKeys.video('v1'))).toEqual({ b: 2 });
    }
    const calls = await commandCalls(raw);
    delete calls.info;
    delete calls['config|resetstat'];
    expect(calls).toEqual({ get: 20, mget: 10 });
    await cache.close();
  });

  it('stores PERMANENT without any expiry and TTLs as PX', async () => {
    const ns = uniqueNamespace();
    const cache = createCache({ store, namespace: ns, logger: captureLogger() });
    await cache.set('forever', 'x', CacheTTL.PERMANENT);
    await cache.set('minute', 'x', CacheTTL.SHORT);
    expect(await raw.pttl(`${ns}|forever`)).toBe(-1);
    const pttl = await raw.pttl(`${ns}|minute`);
    expect(pttl).toBeGreaterThan(50_000);
    expect(pttl).toBeLessThanOrEqual(60_000);
    await cache.close();
  });

  it('deletePattern uses SCAN and UNLINK, never KEYS', async () => {
    const cache = createCache({ store, namespace: uniqueNamespace(), logger: captureLogger() });
    await Promise.all(Array.from({ length: 50 }, (_, i) => cache.set(`k:${i}`, i, 60)));
    await raw.config('RESETSTAT');
    expect(await cache.deletePattern('k:*')).toBe(50);
    const calls = await commandCalls(raw);
    expect(calls.keys).toBeUndefined();
    expect(calls.scan).toBeGreaterThan(0);
    expect(calls.unlink).toBeGreaterThan(0);
    await cache.close();
  });

  it('keeps its scripts working after SCRIPT FLUSH', async () => {
    const cache = createCache({ store, namespace: uniqueNamespace(), logger: captureLogger() });
    expect(await cache.increment('n', 60)).toBe(1);
    await cache.set(CacheKeys.membership('u1'), 'basic', 60);
    await raw.script('FLUSH');
    expect(await cache.increment('n', 60)).toBe(2);
    await cache.set(CacheKeys.membership('u1'), 'pro', 60);
    expect(await cache.get(CacheKeys.membership('u1'))).toBe('pro');
    await cache.close();
  });

  it('takes the URL as @mentora/config hands it out (a Secret) and writes into that Redis, under its keyPrefix', async () => {
    const config = loadConfig({ MENTORA_ENV: 'test', REDIS_URL: redis.url });
    const quickStart = createRedisStore({
      url: config.cache.redisUrl,
      keyPrefix: config.cache.keyPrefix,
      logger: captureLogger(),
    });
    const ns = uniqueNamespace();
    const cache = createCache({ store: quickStart, namespace: ns, logger: captureLogger() });
    await cache.set('k', 'v', 60);
    const stored = await raw.getBuffer(`${config.cache.keyPrefix}${ns}|k`);
    expect(stored === null ? null : createCborCodec().decode(stored)).toBe('v');
    await cache.close();
    await quickStart.close();
    // An unset REDIS_URL is a ConfigError now, not a client silently pointed at localhost:6379.
    const unset = loadConfig({ MENTORA_ENV: 'test' });
    expect(() => createRedisStore({ url: unset.cache.redisUrl })).toThrow(ConfigError);
  });

  it('never closes a client it was given; closes the one it created', async () => {
    const given = new Redis(redis.url);
    const borrowed = createRedisStore({ client: given, logger: captureLogger() });
    expect(borrowed.connection.ownsClient).toBe(false);
    await borrowed.ready();
    await borrowed.set('x', Buffer.from('1'), 1000);
    await borrowed.close();
    expect(await given.ping()).toBe('PONG');
    given.disconnect();

    const owned = createRedisStore({ url: redis.url, logger: captureLogger() });
    expect(owned.connection.ownsClient).toBe(true);
    await owned.ready();
    await owned.close();
    expect(owned.connection.client.status).toBe('end');
  });

  it('creates clients that fail fast instead of queueing, and reconnect with backoff', () => {
    const s = createRedisStore({ url: redis.url, commandTimeoutMs: 750, logger: captureLogger() });
    const options = (s.connection.client as Redis).options;
    expect(options.enableOfflineQueue).toBe(false);
    expect(options.maxRetriesPerRequest).toBe(1);
    expect(typeof options.retryStrategy).toBe('function');
    // Deadlines come from the store's watchdog (see faults.test.ts), not a timer per command.
    expect(options.commandTimeout).toBeUndefined();
    return s.close();
  });
});
