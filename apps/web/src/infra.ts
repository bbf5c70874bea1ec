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
import { createRedisConnection } from '@mentora/redis';

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
  // One Redis connection serves the cache and the rate limits (one breaker, one set of deadlines), with the
  // configured key prefix; in memory mode the log says the state is per process.
  const redis =
    config.cache.driver === 'redis' && config.cache.redisUrl
      ? createRedisConnection({ url: config.cache.redisUrl, keyPrefix: config.cache.keyPrefix })
      : undefined;
  if (!redis) console.info('[infra] cache and rate limits in process memory: not shared across processes');
  const cacheStore: CacheStore = redis
    ? createRedisCacheStore({ connection: redis })
    : createMemoryCacheStore();
  const cache = createCache({
    store: cacheStore,
    namespace: 'web',
    statsSink: sinks.cacheStatistics,
  });
  const flags = createStaticFeatureFlags({ defaultPlan: 'basic' });
  const limitStore: RateLimitStore = redis
    ? createRedisRateLimitStore({ connection: redis })
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
      // Bounded: if Redis is not there in time the app starts degraded (cache fails open, limits insure).
      await redis?.ready(timeoutMs).catch(() => {});
    },
    close() {
      closing ??= (async () => {
        // Users first (they flush statistics and violations through the database), then what they used.
        await Promise.allSettled([rateLimiter.close(), cache.close()]);
        await sinks.close();
        await Promise.allSettled([db.close(), limitStore.close(), cacheStore.close()]);
        await redis?.close(); // bounded, also while Redis is down or reconnecting
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
