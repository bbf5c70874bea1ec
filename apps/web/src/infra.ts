// The web app's composition root: the one place that reads process.env, validates it once and builds
// every client. Route handlers call getInfra(); nothing else constructs clients.
import {
  type Cache,
  type CacheStore,
  createCache,
  createMemoryStore as createMemoryCacheStore,
} from '@mentora/cache';
import { createRedisStore as createRedisCacheStore } from '@mentora/cache/redis';
import { type Config, createStaticFeatureFlags, type FeatureFlags, loadConfig } from '@mentora/config';
import {
  createInfrastructureSinks,
  createInfrastructureWriters,
  createSupabaseClients,
  type SupabaseClients,
} from '@mentora/db';
import {
  createMemoryStore as createMemoryRateLimitStore,
  createRateLimiter,
  type RateLimiter,
  type RateLimitStore,
} from '@mentora/ratelimit';
import { createRedisStore as createRedisRateLimitStore } from '@mentora/ratelimit/redis';
import { Redis } from 'ioredis';

export interface Infra {
  config: Config;
  db: SupabaseClients;
  cache: Cache;
  flags: FeatureFlags;
  rateLimiter: RateLimiter;
  /** Resolves once shared connections are up, or after `timeoutMs` (the app then starts degraded). */
  ready(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Cache statistics and rate-limit violations go to their tables through the batching writer: buffered,
 * written in multi-row calls, bounded while the database is down. Closed after the cache and the limiter.
 */
function infrastructureSinks(db: SupabaseClients) {
  return createInfrastructureSinks({ writers: createInfrastructureWriters(db) });
}

function buildInfra(env: Record<string, string | undefined>): Infra {
  const config = loadConfig(env);
  const db = createSupabaseClients({
    url: config.database.supabaseUrl,
    anonKey: config.database.anonKey,
    serviceRoleKey: config.database.serviceRoleKey,
    headers: { 'x-application-name': config.app.name },
  });
  const sinks = infrastructureSinks(db);
  // One Redis connection serves the cache and the rate limits; in memory mode the log says the state is per process.
  const redis =
    config.cache.driver === 'redis' && config.cache.redisUrl
      ? new Redis(config.cache.redisUrl.reveal(), {
          enableOfflineQueue: false,
          maxRetriesPerRequest: 1,
          commandTimeout: 500,
          lazyConnect: false,
        })
      : undefined;
  if (!redis) console.info('[infra] cache and rate limits in process memory: not shared across processes');
  redis?.on('error', (err) => console.warn('[infra] redis:', err.message));
  const cacheStore: CacheStore = redis ? createRedisCacheStore({ client: redis }) : createMemoryCacheStore();
  const cache = createCache({
    store: cacheStore,
    namespace: `${config.cache.keyPrefix}web`,
    statsSink: sinks.cacheStatistics,
  });
  const flags = createStaticFeatureFlags({ defaultPlan: 'basic' });
  const limitStore: RateLimitStore = redis
    ? createRedisRateLimitStore({ client: redis })
    : createMemoryRateLimitStore();
  const rateLimiter = createRateLimiter({
    store: limitStore,
    flags,
    insurance: true,
    violationSink: sinks.rateLimitViolations,
  });
  let closing: Promise<void> | undefined;
  return {
    config,
    db,
    cache,
    flags,
    rateLimiter,
    async ready(timeoutMs = 5_000) {
      if (!redis || redis.status === 'ready') return;
      // With the offline queue off, commands sent before the first connect fail at once: wait for it,
      // bounded, so the first requests don't see a healthy Redis as down.
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          redis.off('ready', done);
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        redis.once('ready', done);
      });
    },
    close() {
      closing ??= (async () => {
        // Users first (they flush statistics and violations through the database), then what they used.
        await Promise.allSettled([rateLimiter.close(), cache.close()]);
        await sinks.close();
        await Promise.allSettled([db.close(), limitStore.close(), cacheStore.close()]);
        await redis?.quit().catch(() => redis.disconnect());
      })();
      return closing;
    },
  };
}

// Next.js may evaluate this module more than once (dev reloads, several route bundles); the process keeps one Infra.
const KEY = Symbol.for('mentora.web.infra');
type InfraHolder = { [KEY]?: Infra };

export function getInfra(): Infra {
  const holder = globalThis as InfraHolder;
  if (!holder[KEY]) {
    const infra = buildInfra(process.env);
    holder[KEY] = infra;
    // Graceful stop: flush cache statistics and rate-limit violations, close connections, then exit.
    // `next start` must run with NEXT_MANUAL_SIG_HANDLE=true (see package.json), or Next exits on its
    // own SIGTERM handler before this flush completes.
    const shutdown = () => void infra.close().finally(() => process.exit(0));
    process.once('SIGTERM', shutdown);
    process.once('SIGINT', shutdown);
  }
  return holder[KEY];
}
