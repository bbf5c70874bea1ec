import { ServiceUnavailableError } from '@mentora/errors';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Cache, createCache, createCborCodec, type InvalidationEvent } from '../../src/index.js';
import { createRedisStore } from '../../src/redis/index.js';
import { captureLogger, deferred, uniqueNamespace, waitUntil } from '../support/helpers.js';
import { type RedisService, startRedis } from '../support/services.js';

/** Writes values behind the caches' backs, as the cache itself encodes them. */
const codec = createCborCodec();

describe('Redis faults', () => {
  let redis: RedisService;
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    redis = await startRedis();
  });

  afterEach(() => {
    // A rejection nobody handled is a crash in production (Node's default): fail the test that caused it.
    expect(rejections).toEqual([]);
  });

  afterAll(async () => {
    process.off('unhandledRejection', onRejection);
    await redis?.stop();
  });

  it('fails open while Redis is down, opens the breaker, and recovers after a restart', async () => {
    const storeLogger = captureLogger();
    const cacheLogger = captureLogger();
    // A long cool-down: while down, the circuit stays open (no probe) unless a health check sees recovery.
    const store = createRedisStore({
      url: redis.url,
      commandTimeoutMs: 500,
      breaker: { failureThreshold: 3, coolDownMs: 600_000 },
      logger: storeLogger,
    });
    const cache = createCache({ store, namespace: uniqueNamespace('outage'), logger: cacheLogger });
    await cache.ready();
    await cache.set('k', 'cached', 300);
    expect(await cache.getOrCompute('k', () => 'computed', 300)).toBe('cached');

    await redis.stopServer();

    let computes = 0;
    const compute = async () => {
      computes++;
      return 'computed';
    };
    for (let i = 0; i < 5; i++) expect(await cache.getOrCompute('k', compute, 300)).toBe('computed');
    expect(await cache.getOrCompute('k', compute, 300, { lease: true })).toBe('computed');
    expect(computes).toBe(6);
    expect(store.connection.breakerState).toBe('open');
    expect(cache.stats().errors).toBeGreaterThanOrEqual(6);
    expect(storeLogger.logs.some((l) => l.level === 'error' && /circuit opened/.test(l.message))).toBe(true);
    expect(cacheLogger.logs.some((l) => l.level === 'warn' && l.meta?.op === 'get')).toBe(true);

    // An open circuit answers at once, with a typed error, without sending anything.
    const open = await store.get('anything').catch((e: unknown) => e);
    expect(open).toBeInstanceOf(ServiceUnavailableError);
    expect((open as ServiceUnavailableError).code).toBe('REDIS_CIRCUIT_OPEN');

    // Reads fail open, sets report false, invalidations and counters throw typed errors.
    expect(await cache.get('k')).toBeNull();
    expect(await cache.set('k2', 1, 60)).toBe(false);
    await expect(cache.delete('k')).rejects.toBeInstanceOf(ServiceUnavailableError);
    await expect(cache.invalidateTags(['student:1'])).rejects.toBeInstanceOf(ServiceUnavailableError);
    await expect(cache.deletePattern('*')).rejects.toBeInstanceOf(ServiceUnavailableError);
    await expect(cache.increment('c', 60)).rejects.toBeInstanceOf(ServiceUnavailableError);
    const down = await cache.healthCheck();
    expect(down.healthy).toBe(false);
    expect(down.error).toBeTypeOf('string');

    await redis.startServer();
    // The health check probes through an open circuit; its success closes it.
    await waitUntil('cache healthy again', async () => (await cache.healthCheck()).healthy);
    expect(store.connection.breakerState).toBe('closed');
    expect(await cache.getOrCompute('k', async () => 'fresh', 300)).toBe('fresh');
    expect(await cache.get('k')).toBe('fresh'); // stored again

    await cache.close();
    await store.close();
  });

  it.each([
    ['a given client without commandTimeout', 'given'],
    ['a client the store created', 'owned'],
  ] as const)('bounds commands of %s on a hung server, then short-circuits', async (_label, kind) => {
    // A Redis frozen by CLIENT PAUSE: connected, "ready", and answering nothing (a stalled server).
    // Its own instance, killed afterwards, because nothing can unpause it early.
    const frozen = await startRedis();
    const given = new Redis(frozen.url, { maxRetriesPerRequest: null }); // no commandTimeout of its own
    given.on('error', () => {});
    const admin = new Redis(frozen.url);
    admin.on('error', () => {});
    const options = { commandTimeoutMs: 200, breaker: { failureThreshold: 2, coolDownMs: 600_000 } };
    const store =
      kind === 'given'
        ? createRedisStore({ client: given, ...options, logger: captureLogger() })
        : createRedisStore({ url: frozen.url, ...options, logger: captureLogger() });
    const cache = createCache({ store, namespace: uniqueNamespace('hung'), logger: captureLogger() });
    try {
      await store.ready();
      await cache.set('warm', 1, 60); // the scripts and connection are up
      await admin.client('PAUSE', 600_000, 'ALL');
      expect(await cache.getOrCompute('k', () => 'computed', 60)).toBe('computed');
      const timedOut = await store.get('k').catch((e: unknown) => e);
      expect((timedOut as ServiceUnavailableError).code).toBe('REDIS_TIMEOUT');
      expect(store.connection.breakerState).toBe('open');
      expect(await cache.getOrCompute('k', () => 'computed again', 60)).toBe('computed again');
      const open = await store.get('k').catch((e: unknown) => e);
      expect((open as ServiceUnavailableError).code).toBe('REDIS_CIRCUIT_OPEN');
      expect(cache.stats().errors).toBe(2);
      await cache.close();
      if (kind === 'given') {
        await store.close();
        expect(given.status).toBe('ready'); // given, so not closed by the store
      }
    } finally {
      await frozen.stop();
      if (kind === 'owned') await store.close();
      given.disconnect();
      admin.disconnect();
    }
  });

  it('queues nothing in a given client’s offline queue while it is disconnected (no replay of stale writes)', async () => {
    // ioredis defaults: an offline queue, replayed in full on reconnect.
    const given = new Redis(redis.url);
    given.on('error', () => {});
    const offlineQueue = (given as unknown as { offlineQueue: { length: number } }).offlineQueue;
    const store = createRedisStore({
      client: given,
      commandTimeoutMs: 200,
      breaker: { failureThreshold: 1_000, coolDownMs: 600_000 }, // every call reaches the client
      logger: captureLogger(),
    });
    const cache = createCache({ store, namespace: uniqueNamespace('offline'), logger: captureLogger() });
    let stopped = false;
    try {
      await cache.ready();
      await cache.set('k', 'before', 300);
      await redis.stopServer();
      stopped = true;
      await waitUntil('the client to notice', () => given.status !== 'ready');

      const reads = await Promise.all(Array.from({ length: 20 }, () => cache.get('k')));
      expect(reads.every((r) => r === null)).toBe(true); // fail open
      expect(await cache.set('k', 'written during the outage', 300)).toBe(false);
      expect(await cache.getOrCompute('k', () => 'computed', 300)).toBe('computed');
      expect(offlineQueue.length).toBe(0);

      await redis.startServer();
      stopped = false;
      await waitUntil('the client to reconnect', () => given.status === 'ready');
      await given.ping(); // after anything the client had queued
      // The restarted server is empty (no persistence). A set that reported false must not land later:
      // replayed on reconnect, it would overwrite whatever had been written since.
      expect(await given.get(`${cache.namespace}|k`)).toBeNull();
    } finally {
      if (stopped) await redis.startServer(); // the next tests need it
      await cache.close();
      await store.close();
      given.disconnect();
    }
  });

  it('stays bounded when the server process is frozen (SIGSTOP): old connections and new ones', async () => {
    // Unlike CLIENT PAUSE, a stopped process also leaves a *new* connection hanging after the TCP
    // handshake (the kernel accepts it; nobody answers the ready check).
    const frozen = await startRedis();
    const admin = new Redis(frozen.url);
    const pid = Number(/process_id:(\d+)/.exec(await admin.info('server'))?.[1]);
    admin.disconnect();
    expect(pid).toBeGreaterThan(0);
    const options = { commandTimeoutMs: 200, breaker: { failureThreshold: 2, coolDownMs: 100 } };
    const before = createRedisStore({ url: frozen.url, ...options, logger: captureLogger() });
    const c1 = createCache({ store: before, namespace: uniqueNamespace('sigstop'), logger: captureLogger() });
    let after: ReturnType<typeof createRedisStore> | undefined;
    let c2: Cache | undefined;
    let stopped = false;
    try {
      await c1.ready();
      await c1.set('k', 'cached', 60);
      process.kill(pid, 'SIGSTOP');
      stopped = true;
      for (let i = 0; i < 3; i++) expect(await c1.getOrCompute('k', () => 'computed', 60)).toBe('computed');
      expect((await c1.healthCheck()).healthy).toBe(false);

      after = createRedisStore({ url: frozen.url, ...options, logger: captureLogger() });
      c2 = createCache({ store: after, namespace: uniqueNamespace('sigstop'), logger: captureLogger() });
      await expect(c2.ready()).rejects.toBeInstanceOf(ServiceUnavailableError);
      expect(await c2.getOrCompute('k', () => 'computed', 60)).toBe('computed');
      expect(await c2.get('k')).toBeNull();

      process.kill(pid, 'SIGCONT');
      stopped = false;
      await waitUntil('c1 healthy again', async () => (await c1.healthCheck()).healthy);
      await waitUntil('c2 healthy again', async () => (await c2?.healthCheck())?.healthy === true);
      expect(await c1.get('k')).toBe('cached');
      await c2.set('k2', 'fresh', 60);
      expect(await c2.get('k2')).toBe('fresh');
    } finally {
      if (stopped) process.kill(pid, 'SIGCONT');
      await c1.close();
      await c2?.close();
      await before.close();
      await after?.close();
      await frozen.stop();
    }
  });

  it('an L1 cache created while Redis is down becomes coherent once Redis is back (it keeps trying to subscribe)', async () => {
    const ns = uniqueNamespace('l1late');
    const heard: string[] = [];
    await redis.stopServer();
    let stopped = true;
    const storeA = createRedisStore({ url: redis.url, commandTimeoutMs: 200, logger: captureLogger() });
    const storeB = createRedisStore({ url: redis.url, logger: captureLogger() });
    const a = createCache({
      store: storeA,
      namespace: ns,
      l1: { maxEntries: 100, ttlMs: 600_000 },
      logger: captureLogger(),
      onInvalidation: (e) => {
        if (e.kind === 'key') heard.push(e.key);
      },
    });
    const b = createCache({ store: storeB, namespace: ns, broadcastSets: true, logger: captureLogger() });
    try {
      await expect(a.ready()).rejects.toBeInstanceOf(ServiceUnavailableError);
      await redis.startServer();
      stopped = false;
      await b.ready();
      // Until a hears b's announcements, nothing it holds in L1 could be invalidated.
      let probe = 0;
      await waitUntil('a to hear invalidations', async () => {
        await b.set(`probe-${++probe}`, probe, 60);
        return heard.some((k) => k.startsWith('probe-'));
      });
      await b.set('k', 'v1', 300);
      await waitUntil('a to hear the first set of k', () => heard.includes('k'));
      heard.length = 0;
      expect(await a.get('k')).toBe('v1');
      expect(await a.get('k')).toBe('v1');
      expect(a.stats().l1Hits).toBe(1); // served from a's L1 now
      await b.set('k', 'v2', 300);
      await waitUntil('a to hear the set of k', () => heard.includes('k'));
      expect(await a.get('k')).toBe('v2');
    } finally {
      if (stopped) await redis.startServer();
      await Promise.all([a.close(), b.close()]);
      await Promise.all([storeA.close(), storeB.close()]);
    }
  });

  it('clears L1 when the invalidation subscriber loses its connection (messages may be lost)', async () => {
    const ns = uniqueNamespace('l1reset');
    const resets: Array<() => void> = [];
    const nextReset = () => {
      const d = deferred();
      resets.push(d.resolve);
      return d.promise;
    };
    const onInvalidation = (e: InvalidationEvent) => {
      if (e.kind === 'reset') resets.shift()?.();
    };
    const storeA = createRedisStore({ url: redis.url, logger: captureLogger() });
    const storeB = createRedisStore({ url: redis.url, logger: captureLogger() });
    const l1 = { maxEntries: 100, ttlMs: 600_000 };
    const a: Cache = createCache({ store: storeA, namespace: ns, l1, logger: captureLogger() });
    const b: Cache = createCache({
      store: storeB,
      namespace: ns,
      l1,
      onInvalidation,
      logger: captureLogger(),
    });
    const raw = new Redis(redis.url);
    raw.on('error', () => {}); // it lives through the outage below
    try {
      await Promise.all([a.ready(), b.ready()]);
      await raw.set(`${ns}|k`, Buffer.from(codec.encode('before')));
      expect(await b.get('k')).toBe('before');
      expect(await b.get('k')).toBe('before');
      expect(b.stats().l1Hits).toBe(1); // held in b's L1

      const dropped = nextReset();
      await redis.stopServer();
      await dropped;
      const back = nextReset();
      await redis.startServer();
      await back;

      await waitUntil('b connected again', async () => (await b.healthCheck()).healthy);
      raw.disconnect();
      const raw2 = new Redis(redis.url);
      // Written behind the caches' backs (no invalidation message): only a cleared L1 can see it.
      await raw2.set(`${ns}|k`, Buffer.from(codec.encode('after')));
      raw2.disconnect();
      const errorsBefore = b.stats().errors;
      expect(await b.get('k')).toBe('after');
      expect(b.stats().errors).toBe(errorsBefore);
    } finally {
      raw.disconnect();
      await Promise.all([a.close(), b.close()]);
      await Promise.all([storeA.close(), storeB.close()]);
    }
  });
});
