// Redis stopped mid-run and restarted, SCRIPT FLUSH, client ownership: real server, real outages.
import { createStaticFeatureFlags } from '@mentora/config';
import { RateLimitError, ServiceUnavailableError } from '@mentora/errors';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRateLimiter, type PlanCatalogOverride } from '../../src/index.ts';
import { createRedisStore, type RedisRateLimitStore } from '../../src/redis.ts';
import { until } from '../support/contract.ts';
import { recordingLogger } from '../support/logger.ts';
import { startRedis } from '../support/services.ts';

const flags = createStaticFeatureFlags();
/** Outages are the point here: their log lines go nowhere. */
const quiet = recordingLogger().logger;
const plans: PlanCatalogOverride = {
  basic: { rateLimits: { chat: { limit: 5 }, videoUpload: { limit: 5 } } },
};

let server: Awaited<ReturnType<typeof startRedis>>;
let admin: Redis;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  server = await startRedis();
  admin = new Redis(server.url, { maxRetriesPerRequest: 1, lazyConnect: true });
  admin.on('error', () => {}); // it lives through the outages below
  process.on('unhandledRejection', onUnhandled);
});

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  admin?.disconnect();
  await server?.stop();
});

// Every test ends with the server up and nothing unhandled.
afterEach(async () => {
  await server.startServer();
  expect(unhandled).toEqual([]);
});

async function adminCall<T>(fn: (r: Redis) => Promise<T>): Promise<T> {
  if (admin.status === 'wait' || admin.status === 'end') await admin.connect().catch(() => {});
  await until('admin connection', async () => admin.status === 'ready');
  return fn(admin);
}

describe('Redis down with the insurance limiter', () => {
  let store: RedisRateLimitStore;
  beforeEach(async () => {
    store = createRedisStore({ url: server.url, logger: quiet });
    await store.ready();
  });
  afterEach(async () => {
    await store.close();
  });

  it('keeps answering through a stop and a restart mid-run, then goes back to Redis', async () => {
    const { logger, lines } = recordingLogger();
    const rl = createRateLimiter({ store, flags, plans, logger, namespace: 'fault1' });
    let running = true;
    let checks = 0;
    const failures: unknown[] = [];
    // Traffic from many identities while the server dies and comes back.
    const worker = async (w: number) => {
      for (let i = 0; running; i++) {
        try {
          // Fresh identities, so checks reach the store instead of the in-memory block.
          await rl.checkRateLimit(`w${w}-${i}`, i % 2 === 0 ? 'chat' : 'videoUpload');
          checks++;
        } catch (error) {
          failures.push(error);
        }
        await new Promise((r) => setImmediate(r));
      }
    };
    const workers = Array.from({ length: 8 }, (_, w) => worker(w));
    await until('traffic through Redis', async () => checks > 200);
    await server.stopServer();
    await until('the insurance limiter to take over', async () => rl.stats().storeErrors > 0);
    const during = checks;
    await until('checks answered while Redis is down', async () => checks > during + 200);

    // While down, a fresh identity is admitted up to its (insurance) limit, then denied — not a 429 for all.
    const outage = await Promise.all(
      Array.from({ length: 8 }, () => rl.checkRateLimit('fresh-during-outage', 'chat')),
    );
    expect(outage.filter((r) => r.allowed)).toHaveLength(5);
    expect(lines.some((l) => l.level === 'warn' && l.message.includes('insurance'))).toBe(true);

    await server.startServer();
    await until('recovery logged', async () => lines.some((l) => l.message === 'rate-limit store recovered'));
    running = false;
    await Promise.all(workers);
    expect(failures).toEqual([]);

    // Back on Redis: a check lands in Redis again.
    await rl.checkRateLimit('after-recovery', 'chat');
    expect(await adminCall((r) => r.exists('fault1:chat:basic:u:after-recovery'))).toBe(1);
    await rl.close();
  }, 60_000);
});

describe('insurance limit per process', () => {
  it('splits the limit across the declared number of processes while Redis is unreachable', async () => {
    // A real client pointed at a port nobody listens on: Redis never becomes ready.
    const dead = createRedisStore({
      url: 'redis://127.0.0.1:1',
      logger: quiet,
      redisOptions: { retryStrategy: () => 1000 },
    });
    const rl = createRateLimiter({
      store: dead,
      flags,
      logger: quiet,
      insurance: { processes: 2 },
      namespace: 'dead',
    });
    const results = await Promise.all(Array.from({ length: 12 }, () => rl.checkRateLimit('u', 'chat')));
    expect(results.filter((r) => r.allowed)).toHaveLength(5); // ceil(10 / 2)
    expect(rl.stats().storeErrors).toBeGreaterThan(0);
    await rl.close();
    await dead.close();
  });
});

describe('resetLimit while Redis is down', () => {
  it('throws ServiceUnavailableError instead of pretending the shared counter was cleared', async () => {
    const store = createRedisStore({ url: server.url, logger: quiet });
    await store.ready();
    const rl = createRateLimiter({ store, flags, logger: quiet, plans, namespace: 'fault-reset' });
    for (let i = 0; i < 6; i++) await rl.checkRateLimit('r', 'chat');
    for (let i = 0; i < 6; i++) await rl.checkRateLimit('r', 'videoUpload');
    await server.stopServer();
    for (const endpoint of ['chat', 'videoUpload'] as const) {
      const error = await rl.resetLimit('r', endpoint).then(
        () => 'resolved',
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(error).toMatchObject({ status: 503, retryable: true });
    }
    expect(rl.stats().storeErrors).toBeGreaterThan(0);
    await server.startServer();
    await rl.close();
    await store.close();
  }, 30_000);

  it('clears the insurance copy too, so a later outage does not bring the old count back', async () => {
    const store = createRedisStore({ url: server.url, logger: quiet });
    await store.ready();
    const rl = createRateLimiter({
      store,
      flags,
      logger: quiet,
      plans,
      namespace: 'fault-reset2',
      blockInMemory: false,
    });
    // Counted by the insurance limiter during an outage...
    await server.stopServer();
    const during = await Promise.all(Array.from({ length: 6 }, () => rl.checkRateLimit('s', 'chat')));
    expect(during.filter((r) => r.allowed)).toHaveLength(5);
    await server.startServer();
    await until('Redis ready again', async () => store.connection.client.status === 'ready');
    // ...then reset while Redis answers: the next outage starts from zero for this identity.
    await rl.resetLimit('s', 'chat');
    await server.stopServer();
    expect((await rl.checkRateLimit('s', 'chat')).allowed).toBe(true);
    await server.startServer();
    await rl.close();
    await store.close();
  }, 30_000);
});

describe('Redis down without insurance', () => {
  it('throws ServiceUnavailableError (503), never a denial or RateLimitError, and recovers', async () => {
    const store = createRedisStore({ url: server.url, logger: quiet });
    await store.ready();
    const rl = createRateLimiter({
      store,
      flags,
      logger: quiet,
      plans,
      insurance: false,
      namespace: 'fault2',
    });
    expect((await rl.checkRateLimit('u', 'chat')).allowed).toBe(true);
    await server.stopServer();
    for (const check of [
      () => rl.checkRateLimit('u', 'chat'),
      () => rl.enforceRateLimit('u', 'videoUpload'),
    ]) {
      const error = await check().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(error).not.toBeInstanceOf(RateLimitError);
      expect(error).toMatchObject({ status: 503, retryable: true });
      expect((error as Error).cause).toBeInstanceOf(Error);
    }
    await server.startServer();
    await until('checks to succeed again', async () =>
      rl.checkRateLimit('v', 'chat').then(
        () => true,
        () => false,
      ),
    );
    // The restarted server is empty: the counter starts over, and the scripts were reloaded.
    expect(await rl.checkRateLimit('u', 'chat')).toMatchObject({ allowed: true, remaining: 4 });
    expect(await rl.checkRateLimit('u', 'videoUpload')).toMatchObject({ allowed: true, remaining: 4 });
    await rl.close();
    await store.close();
  }, 60_000);
});

describe('scripts', () => {
  it('survive SCRIPT FLUSH (NOSCRIPT → EVAL), keeping the counts', async () => {
    const client = new Redis(server.url, { maxRetriesPerRequest: 1 });
    const store = createRedisStore({ client, logger: quiet });
    await store.ready();
    const rl = createRateLimiter({
      store,
      flags,
      logger: quiet,
      plans,
      insurance: false,
      namespace: 'flush',
    });
    for (const endpoint of ['chat', 'videoUpload'] as const) {
      expect(await rl.checkRateLimit('u', endpoint)).toMatchObject({ remaining: 4 });
      expect(await rl.checkRateLimit('u', endpoint)).toMatchObject({ remaining: 3 });
    }
    const noscriptBefore = await adminCall((r) => r.info('errorstats'));
    await adminCall((r) => r.script('FLUSH'));
    for (const endpoint of ['chat', 'videoUpload'] as const) {
      expect(await rl.checkRateLimit('u', endpoint)).toMatchObject({ allowed: true, remaining: 2 });
    }
    const noscriptAfter = await adminCall((r) => r.info('errorstats'));
    const count = (info: string) => Number(/errorstat_NOSCRIPT:count=(\d+)/.exec(info)?.[1] ?? 0);
    // Both scripts really were missing and were reloaded (not served from somewhere else).
    expect(count(noscriptAfter) - count(noscriptBefore)).toBe(2);
    expect(rl.stats().storeErrors).toBe(0);
    await rl.close();
    await store.close();
    // A client we were given stays open.
    expect(client.status).toBe('ready');
    client.disconnect();
  });

  it('closes a client it created, never one it was given', async () => {
    const owned = createRedisStore({ url: server.url, logger: quiet });
    await owned.ready();
    await owned.close();
    expect(owned.connection.client.status).toBe('end');
    const given = new Redis(server.url);
    const store = createRedisStore({ client: given, logger: quiet });
    await store.ready();
    await store.close();
    expect(given.status).toBe('ready');
    given.disconnect();
  });
});

describe('a Redis that accepts connections but never answers (CLIENT PAUSE)', () => {
  it('bounds each check on a client without its own commandTimeout: insurance answers, or a 503', async () => {
    const client = new Redis(server.url); // no commandTimeout: as many shared clients are configured
    const store = createRedisStore({ client, commandTimeoutMs: 100, logger: quiet });
    await store.ready();
    const insured = createRateLimiter({ store, flags, logger: quiet, plans, namespace: 'paused' });
    const bare = createRateLimiter({
      store,
      flags,
      logger: quiet,
      plans,
      namespace: 'paused-bare',
      insurance: false,
    });
    expect((await insured.checkRateLimit('p', 'chat')).allowed).toBe(true);
    // Writes (and so every script) block until UNPAUSE; without a bound the checks wait for the pause.
    await adminCall((r) => r.client('PAUSE', 60_000, 'WRITE'));
    try {
      for (const endpoint of ['chat', 'videoUpload'] as const) {
        expect((await insured.checkRateLimit('p', endpoint)).allowed).toBe(true);
        const error = await bare.checkRateLimit('p', endpoint).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ServiceUnavailableError);
      }
      await expect(insured.resetLimit('p', 'chat')).rejects.toBeInstanceOf(ServiceUnavailableError);
      expect(insured.stats().storeErrors).toBeGreaterThan(0);
    } finally {
      await adminCall((r) => r.client('UNPAUSE'));
    }
    await insured.close();
    await bare.close();
    await store.close();
    client.disconnect();
  }, 20_000);
});

describe('a frozen Redis process (SIGSTOP)', () => {
  it('bounds checks on old and new connections (insurance answers, a 503 without it), and goes back to Redis after SIGCONT', async () => {
    // Unlike CLIENT PAUSE, a stopped process also leaves a *new* connection hanging after the TCP handshake
    // (the kernel accepts it; nobody answers the ready check). Its own instance: nothing else may wait on it.
    const frozen = await startRedis();
    const probe = new Redis(frozen.url);
    const pid = Number(/process_id:(\d+)/.exec(await probe.info('server'))?.[1]);
    probe.disconnect();
    expect(pid).toBeGreaterThan(0);
    const settings = { commandTimeoutMs: 100, connectTimeoutMs: 300, logger: quiet };
    const before = createRedisStore({ url: frozen.url, ...settings });
    await before.ready();
    const insured = createRateLimiter({ store: before, flags, plans, logger: quiet, namespace: 'frozen' });
    const bare = createRateLimiter({
      store: before,
      flags,
      plans,
      logger: quiet,
      namespace: 'frozen-bare',
      insurance: false,
    });
    expect((await insured.checkRateLimit('f', 'chat')).allowed).toBe(true);
    let after: RedisRateLimitStore | undefined;
    let stopped = false;
    try {
      process.kill(pid, 'SIGSTOP');
      stopped = true;
      for (const endpoint of ['chat', 'videoUpload'] as const) {
        expect((await insured.checkRateLimit('f', endpoint)).allowed).toBe(true);
        await expect(bare.checkRateLimit('f', endpoint)).rejects.toBeInstanceOf(ServiceUnavailableError);
      }
      expect(insured.stats().storeErrors).toBeGreaterThan(0);

      // A process started while Redis is frozen: its first connection never becomes ready. Its checks wait
      // for it at most connectTimeoutMs, then insurance decides.
      after = createRedisStore({ url: frozen.url, ...settings });
      const late = createRateLimiter({ store: after, flags, plans, logger: quiet, namespace: 'frozen-late' });
      expect((await late.checkRateLimit('g', 'chat')).allowed).toBe(true);
      expect(late.stats().storeErrors).toBeGreaterThan(0);

      process.kill(pid, 'SIGCONT');
      stopped = false;
      // Both connections answer again, and checks are decided by Redis (no insurance to fall back on).
      for (const store of [before, after]) {
        await until('the connection to answer', async () => (await store.connection.health()).healthy);
      }
      const back = createRateLimiter({
        store: after,
        flags,
        plans,
        logger: quiet,
        namespace: 'frozen-back',
        insurance: false,
      });
      expect(await back.checkRateLimit('h', 'chat')).toMatchObject({ allowed: true, remaining: 4 });
      expect(await bare.checkRateLimit('h', 'chat')).toMatchObject({ allowed: true, remaining: 4 });
      await Promise.all([late.close(), back.close()]);
    } finally {
      if (stopped) process.kill(pid, 'SIGCONT');
      await Promise.all([insured.close(), bare.close()]);
      await before.close();
      await after?.close();
      await frozen.stop();
    }
  }, 30_000);
});
