// The worker's composition root: reads the environment once, validates it and builds every client.
import { type Cache, type CacheStore, createCache, createMemoryStore } from '@mentora/cache';
import { CacheInvalidator } from '@mentora/cache/mentora';
import { createRedisStore } from '@mentora/cache/redis';
import { type Config, ConfigError, loadConfig } from '@mentora/config';
import {
  createInfrastructureSinks,
  createInfrastructureWriters,
  createSupabaseClients,
  type SupabaseClients,
} from '@mentora/db';
import {
  createFunctions,
  createJobsClient,
  createLocalPorts,
  type JobFunctions,
  type JobFunctionsDeps,
  type JobsClient,
  LOCAL_AI_PRICES,
} from '@mentora/jobs';
import {
  createLogger,
  createMetrics,
  type ErrorReporter,
  loggerOptionsFromConfig,
  type MentoraLogger,
  type Metrics,
} from '@mentora/monitoring';
import { initSentry } from '@mentora/monitoring/sentry';
import { createRedisConnection, type RedisConnection } from '@mentora/redis';

/** The provider ports the functions need; outside production the local implementations are the default. */
export type WorkerPorts = Pick<
  JobFunctionsDeps,
  'transcription' | 'embeddings' | 'quizGenerator' | 'email' | 'accessibility'
>;

export interface WorkerInfraOptions {
  /** Inngest dev server mode (from `--dev`). */
  dev?: boolean;
  /** Real providers. Required in production: the local ones only pretend. */
  ports?: WorkerPorts;
  /** Replaces the cache invalidation built from the configuration (CACHE_DRIVER, REDIS_URL). */
  invalidateMember?: JobFunctionsDeps['invalidateMember'];
  /** Replaces the Sentry reporter built from the configuration (SENTRY_DSN). */
  errorReporter?: ErrorReporter;
  /** The release reported to Sentry (e.g. the deployed commit). */
  release?: string;
}

export interface WorkerInfra {
  config: Config;
  logger: MentoraLogger;
  db: SupabaseClients;
  jobs: JobsClient;
  functions: JobFunctions;
  metrics: Metrics;
  cache: Cache;
  /** The one Redis connection of the process (CACHE_DRIVER=redis), else undefined. */
  redis?: RedisConnection;
  errorReporter: ErrorReporter;
  /** Bounded wait for the shared connections; the worker starts degraded when Redis is not there in time. */
  ready(timeoutMs?: number): Promise<void>;
  /** Flushes logs, metrics and error reports, then closes every client this root created. */
  close(): Promise<void>;
}

export function createWorkerInfra(
  env: Record<string, string | undefined>,
  options: WorkerInfraOptions = {},
): WorkerInfra {
  const config = loadConfig(env);
  const logger = createLogger(loggerOptionsFromConfig(config, 'worker'));
  if (!options.ports && config.profile === 'production') {
    throw new ConfigError(
      'The worker needs real transcription, embedding, quiz and email providers in production',
      {
        issues: [
          {
            variable: 'ports',
            message: 'pass the providers to createWorkerInfra (the local ones only pretend)',
          },
        ],
      },
    );
  }
  // No DSN: a reporter that does nothing (and a log line saying Sentry is off).
  const errorReporter =
    options.errorReporter ??
    initSentry(config, { logger, ...(options.release ? { release: options.release } : {}) });
  const db = createSupabaseClients({
    url: config.database.supabaseUrl,
    anonKey: config.database.anonKey,
    serviceRoleKey: config.database.serviceRoleKey,
    headers: { 'x-application-name': `${config.app.name}-worker` },
  });
  // Metrics and cache statistics: batched, bounded writers over the database, written on close.
  const writers = createInfrastructureWriters(db, { logger });
  const sinks = createInfrastructureSinks({ writers, logger });
  const metrics = createMetrics({
    writers,
    prices: LOCAL_AI_PRICES,
    logger,
    service: 'worker',
  });

  // One Redis connection for the process, with the configured key prefix: the cache the web app reads
  // lives there, so a membership change invalidated here applies to it.
  const redis =
    config.cache.driver === 'redis' && config.cache.redisUrl
      ? createRedisConnection({ url: config.cache.redisUrl, keyPrefix: config.cache.keyPrefix, logger })
      : undefined;
  if (!redis) {
    logger.warn('cache in process memory: member cache invalidation is process-local', {
      cacheDriver: config.cache.driver,
    });
  }
  const cacheStore: CacheStore = redis ? createRedisStore({ connection: redis }) : createMemoryStore();
  const cache = createCache({
    store: cacheStore,
    namespace: 'worker',
    logger,
    statsSink: sinks.cacheStatistics,
  });
  const invalidator = new CacheInvalidator(cache);

  const jobs = createJobsClient({ config, isDev: options.dev === true, logger });
  const functions = createFunctions({
    client: jobs,
    db,
    ...(options.ports ?? createLocalPorts({ logger })),
    invalidateMember: options.invalidateMember ?? ((userId) => invalidator.invalidateMembership(userId)),
    logger,
    metrics,
    errorReporter,
  });
  let closing: Promise<void> | undefined;
  return {
    config,
    logger,
    db,
    jobs,
    functions,
    metrics,
    cache,
    ...(redis ? { redis } : {}),
    errorReporter,
    async ready(timeoutMs = 5_000) {
      await redis?.ready(timeoutMs).catch((error: unknown) => {
        logger.warn('Redis not ready: the worker starts degraded (cache invalidation retried by the job)', {
          error,
        });
      });
    },
    close() {
      // Each step runs whatever the previous one did: a failing flush must not keep a connection open.
      closing ??= (async () => {
        await Promise.allSettled([jobs.close(), cache.close()]);
        await Promise.allSettled([metrics.close(), sinks.close(), errorReporter.close(2_000)]);
        await Promise.allSettled([db.close(), cacheStore.close()]);
        await redis?.close().catch(() => {});
        await logger.close();
      })();
      return closing;
    },
  };
}
