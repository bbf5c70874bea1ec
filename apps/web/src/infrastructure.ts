// The web app's composition root: the one place that reads process.env (through loadConfig) and builds
// every client, once per process. It only composes packages; route handlers reach it through
// `withInfrastructure` (below) or `getInfrastructure()`.
import { createHmac } from 'node:crypto';
import {
  type Cache,
  type CacheStore,
  createCache,
  createMemoryStore as createMemoryCacheStore,
} from '@mentora/cache';
import { CacheInvalidator } from '@mentora/cache/mentora';
import { createRedisStore as createRedisCacheStore } from '@mentora/cache/redis';
import { type Config, loadConfig } from '@mentora/config';
import {
  checkDatabaseHealth,
  createInfrastructureSinks,
  createInfrastructureWriters,
  createSupabaseClients,
  type SupabaseClients,
} from '@mentora/db';
import {
  createHealthHandlers,
  createLifecycle,
  createReplayGuard,
  createWithInfrastructure,
  type ReplayGuard,
  shutdownOnSignals,
} from '@mentora/http';
import { createRedisReplayStore } from '@mentora/http/redis';
import { createDatabaseFeatureFlags, type DatabaseFeatureFlags } from '@mentora/http/supabase';
import { createJobsClient, type JobsClient } from '@mentora/jobs';
import {
  createHealthCheck,
  createLogger,
  createMetrics,
  type ErrorReporter,
  type HealthCheck,
  loggerOptionsFromConfig,
  type MentoraLogger,
  type Metrics,
} from '@mentora/monitoring';
import { initSentry } from '@mentora/monitoring/sentry';
import {
  createMemoryStore as createMemoryRateLimitStore,
  createRateLimiter,
  type RateLimiter,
  type RateLimitStore,
} from '@mentora/ratelimit';
import { createRedisStore as createRedisRateLimitStore } from '@mentora/ratelimit/redis';
import { createRedisConnection, type RedisConnection } from '@mentora/redis';
import { type ChatModel, createLocalChatModel, LOCAL_CHAT_MODEL, LOCAL_CHAT_PROVIDER } from './ai';

type Lifecycle = ReturnType<typeof createLifecycle>;
type HealthHandlers = ReturnType<typeof createHealthHandlers>;

export interface Infrastructure {
  config: Config;
  logger: MentoraLogger;
  metrics: Metrics;
  reporter: ErrorReporter;
  db: SupabaseClients;
  /** Present when CACHE_DRIVER=redis: the one connection the cache and the rate limits share. */
  redis?: RedisConnection;
  cache: Cache;
  invalidator: CacheInvalidator;
  flags: DatabaseFeatureFlags;
  rateLimiter: RateLimiter;
  jobs: JobsClient;
  chat: ChatModel;
  healthCheck: HealthCheck;
  healthHandlers: HealthHandlers;
  replayGuard: ReplayGuard;
  lifecycle: Lifecycle;
  /** HMAC key of the keyset cursors handed to clients (derived, so the JWT secret itself signs nothing else). */
  cursorSecret: string;
  /** Resolves once the shared connections are up, or after `timeoutMs` (the app then starts degraded). */
  ready(timeoutMs?: number): Promise<void>;
}

function deriveKey(secret: string, purpose: string): string {
  return createHmac('sha256', secret).update(purpose).digest('base64url');
}

function build(env: Record<string, string | undefined>): Infrastructure {
  const config = loadConfig(env);
  const logger = createLogger(loggerOptionsFromConfig(config, 'web'));
  // No DSN (the embedded defaults): a reporter that does nothing.
  const reporter = initSentry(config, { logger });
  const db = createSupabaseClients({
    url: config.database.supabaseUrl,
    anonKey: config.database.anonKey,
    serviceRoleKey: config.database.serviceRoleKey,
    headers: { 'x-application-name': config.app.name },
  });
  const writers = createInfrastructureWriters(db, { logger });
  const metrics = createMetrics({
    writers,
    logger,
    service: 'web',
    // The local model costs nothing; without a price the table would log it as unknown.
    prices: { [LOCAL_CHAT_PROVIDER]: { [LOCAL_CHAT_MODEL]: { input: 0, output: 0 } } },
  });
  const sinks = createInfrastructureSinks({ writers, logger });

  // One Redis connection for the cache and the rate limits (one breaker, one set of deadlines).
  const redis =
    config.cache.driver === 'redis' && config.cache.redisUrl
      ? createRedisConnection({ url: config.cache.redisUrl, keyPrefix: config.cache.keyPrefix, logger })
      : undefined;
  if (!redis) logger.info('cache and rate limits in process memory: not shared across processes');
  const cacheStore: CacheStore = redis
    ? createRedisCacheStore({ connection: redis })
    : createMemoryCacheStore();
  const cache = createCache({
    store: cacheStore,
    namespace: 'web',
    logger,
    statsSink: sinks.cacheStatistics,
    // The status page charts the hit rate per minute: a row every 15 s keeps it current.
    statsFlushIntervalMs: 15_000,
  });
  const invalidator = new CacheInvalidator(cache);
  const flags = createDatabaseFeatureFlags({ db: db.admin(), cache, logger });
  const limitStore: RateLimitStore = redis
    ? createRedisRateLimitStore({ connection: redis })
    : createMemoryRateLimitStore();
  const rateLimiter = createRateLimiter({
    store: limitStore,
    flags,
    logger,
    insurance: true,
    violationSink: sinks.rateLimitViolations,
  });
  // Events go to Inngest (INNGEST_BASE_URL: a self-hosted server, the dev server or the local runner).
  const jobs = createJobsClient({ config, logger });

  const healthCheck = createHealthCheck({
    checks: {
      database: () => checkDatabaseHealth(db.anon(), { timeoutMs: 2_000 }),
      cache: () => cache.healthCheck(),
    },
    // Database down → unhealthy (503); cache down → degraded (200): the cache fails open, limits insure.
    critical: ['database'],
    timeoutMs: 2_500,
    logger,
    onReport: (report) => void metrics.recordHealth(report, 'web'),
  });
  const lifecycle = createLifecycle({ logger });
  const healthHandlers = createHealthHandlers({ check: healthCheck, lifecycle, cacheMs: 1_000 });
  // Delivery ids are remembered where every process sees them (Redis) when there is one; the window
  // outlasts the signature's 5-minute timestamp tolerance.
  const replayGuard = createReplayGuard({
    windowMs: 10 * 60_000,
    ...(redis ? { store: createRedisReplayStore({ connection: redis }) } : {}),
  });

  // Shutdown, once requests have drained. Hooks run in reverse order of registration: the cache and the
  // limiter first (they hand their last statistics and violations to the sinks), then the buffers that
  // write through the database, then the clients, the Redis connection and, last, the logger.
  lifecycle.onShutdown(() => logger.close(), { name: 'logger' });
  if (redis) lifecycle.onShutdown(() => redis.close(), { name: 'redis' });
  lifecycle.onShutdown(
    () => Promise.allSettled([jobs.close(), db.close(), limitStore.close(), cacheStore.close()]),
    { name: 'clients' },
  );
  lifecycle.onShutdown(() => Promise.allSettled([sinks.close(), metrics.close(), reporter.close(2_000)]), {
    name: 'buffers',
    timeoutMs: 10_000,
  });
  lifecycle.onShutdown(() => Promise.allSettled([rateLimiter.close(), cache.close()]), {
    name: 'cache and rate limits',
  });

  const cursorSecret = deriveKey(
    config.database.jwtSecret?.reveal() ?? config.database.serviceRoleKey.reveal(),
    'mentora:web:cursor',
  );

  return {
    config,
    logger,
    metrics,
    reporter,
    db,
    ...(redis ? { redis } : {}),
    cache,
    invalidator,
    flags,
    rateLimiter,
    jobs,
    chat: createLocalChatModel(),
    healthCheck,
    healthHandlers,
    replayGuard,
    lifecycle,
    cursorSecret,
    async ready(timeoutMs = 5_000) {
      // Bounded: without Redis in time the app starts degraded (cache fails open, limits insure).
      await redis?.ready(timeoutMs).catch(() => {});
    },
  };
}

// Next.js compiles instrumentation.ts and every route into separate bundles, each with its own copy of
// this module, so a module-level variable would build one Infrastructure per bundle (several Redis
// connections, several metric buffers). The process-wide registry keeps exactly one.
const KEY = Symbol.for('mentora.web.infrastructure');
type Holder = { [KEY]?: Infrastructure };

/** The process's infrastructure, built on first use. */
export function getInfrastructure(): Infrastructure {
  const holder = globalThis as Holder;
  let infra = holder[KEY];
  if (!infra) {
    infra = build(process.env);
    holder[KEY] = infra;
    // Graceful stop on SIGTERM/SIGINT: readiness goes false, in-flight requests finish, buffers are
    // flushed, then the process exits. `next start` runs with NEXT_MANUAL_SIG_HANDLE=true
    // (package.json), or Next exits on its own handler before the flush.
    shutdownOnSignals(infra.lifecycle, { timeoutMs: 10_000 });
  }
  return infra;
}

/**
 * The route wrapper of this app. Each route module gets its own wrapper (cheap); the dependencies are
 * resolved from the process's one Infrastructure on the first request, never at build time.
 */
export const withInfrastructure = createWithInfrastructure(() => {
  const infra = getInfrastructure();
  return {
    logger: infra.logger,
    rateLimiter: infra.rateLimiter,
    flags: infra.flags,
    metrics: infra.metrics,
    reporter: infra.reporter,
    lifecycle: infra.lifecycle,
    trustProxy: infra.config.app.trustProxy,
    ...(infra.config.database.jwtSecret ? { auth: { jwtSecret: infra.config.database.jwtSecret } } : {}),
  };
});
