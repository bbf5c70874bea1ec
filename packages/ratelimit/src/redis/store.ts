import { ConfigError, ServiceUnavailableError } from '@mentora/errors';
import { Cluster, type ClusterNode, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';
import { createThrottledLog, errorInfo, orSilent } from '../log.ts';
import type { RateLimitLogger, RateLimitStore } from '../types.ts';
import { FixedWindowRedis, SlidingWindowRedis } from './limiters.ts';

export type RedisClient = Redis | Cluster;

interface CommonOptions {
  /** Clock (epoch ms) for sliding windows; default the Redis server's TIME. For deterministic tests. */
  clock?: () => number;
  /**
   * Bound of each rate-limit command when the client has no `commandTimeout` of its own (a client you
   * pass in), ms, default 1000: past it the insurance limiter (or a 503) answers instead of waiting on a
   * Redis that accepts connections but never replies. A client with `commandTimeout` keeps its own.
   */
  commandTimeoutMs?: number;
  logger?: RateLimitLogger;
}

export type RedisStoreOptions = CommonOptions &
  (
    | {
        /** An existing client (shared with the cache, say). The store never closes it. */
        client: RedisClient;
      }
    | {
        /** `redis://` / `rediss://` URL of a single Redis; the store owns (and closes) the client. */
        url: string;
        redisOptions?: RedisOptions;
      }
    | {
        /** Seed nodes of a Redis Cluster; the store owns (and closes) the client. */
        cluster: ClusterNode[];
        clusterOptions?: ClusterOptions;
      }
  );

export interface RedisRateLimitStore extends RateLimitStore {
  readonly client: RedisClient;
  /** Resolves once the client is ready (until then the insurance limiter or a 503 answers). */
  ready(timeoutMs?: number): Promise<void>;
}

/**
 * Client settings for a client the store creates: a failing Redis must answer fast so the insurance
 * limiter can decide — one retry per command at most, 1 s command timeout, 2 s connect timeout.
 * A client you pass in keeps its own settings; give it similar ones (see README).
 */
const OWNED_CLIENT_DEFAULTS: RedisOptions = {
  maxRetriesPerRequest: 1,
  commandTimeout: 1000,
  connectTimeout: 2000,
};

/** Longest wait for ioredis's 'end' after disconnecting a client the store owns. */
const CLOSE_WAIT_MS = 2000;

function ownedClient(options: RedisStoreOptions): RedisClient | undefined {
  if ('client' in options) return undefined;
  if ('url' in options) return new Redis(options.url, { ...OWNED_CLIENT_DEFAULTS, ...options.redisOptions });
  if ('cluster' in options) {
    const clusterOptions = options.clusterOptions ?? {};
    return new Cluster(options.cluster, {
      ...clusterOptions,
      redisOptions: { ...OWNED_CLIENT_DEFAULTS, ...clusterOptions.redisOptions },
    });
  }
  throw new ConfigError('createRedisStore needs one of: client, url, cluster');
}

/** True when ioredis itself times out this client's commands (so no second timer per check is needed). */
function hasOwnCommandTimeout(client: RedisClient): boolean {
  const options = client.options as { commandTimeout?: number; redisOptions?: { commandTimeout?: number } };
  const timeout = options.commandTimeout ?? options.redisOptions?.commandTimeout;
  return typeof timeout === 'number' && timeout > 0;
}

/**
 * Rate-limit counters in Redis or Redis Cluster, shared by every process: fixed windows with
 * rate-limiter-flexible's RateLimiterRedis, sliding windows with our single-key Lua script on the same
 * base class. Accepts an existing ioredis client (never closed here) or connection options (owned).
 */
export function createRedisStore(options: RedisStoreOptions): RedisRateLimitStore {
  const owned = ownedClient(options);
  const client = owned ?? (options as { client: RedisClient }).client;
  if (client === undefined || typeof (client as { defineCommand?: unknown }).defineCommand !== 'function') {
    throw new ConfigError('createRedisStore: `client` must be an ioredis Redis or Cluster');
  }
  const logger = orSilent(options.logger);
  const commandTimeoutMs = hasOwnCommandTimeout(client) ? undefined : (options.commandTimeoutMs ?? 1000);
  if (commandTimeoutMs !== undefined && !(Number.isFinite(commandTimeoutMs) && commandTimeoutMs > 0)) {
    throw new ConfigError(`commandTimeoutMs must be a positive number, got ${commandTimeoutMs}`);
  }
  if (owned !== undefined) {
    // An owned client's connection errors are ours to observe; without a listener ioredis prints them.
    const throttled = createThrottledLog(logger);
    owned.on('error', (error: unknown) => {
      throttled('warn', 'redis-client-error', 'rate-limit Redis client error', { error: errorInfo(error) });
    });
  }
  let closed: Promise<void> | undefined;

  return {
    name: 'redis',
    sharedAcrossProcesses: true,
    client,
    createLimiter(spec) {
      const limiterOptions = {
        storeClient: client,
        keyPrefix: spec.keyPrefix,
        points: spec.points,
        duration: spec.durationSeconds,
        insuranceLimiter: spec.insuranceLimiter,
        health: spec.health,
        commandTimeoutMs,
      };
      return spec.algorithm === 'sliding-window'
        ? new SlidingWindowRedis({ ...limiterOptions, clock: options.clock })
        : new FixedWindowRedis(limiterOptions);
    },
    ready(timeoutMs = 10_000) {
      if (client.status === 'ready') return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const onReady = () => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          client.off('ready', onReady);
          reject(
            new ServiceUnavailableError('Rate-limit Redis did not become ready', {
              service: 'redis',
              context: { timeoutMs, status: client.status },
            }),
          );
        }, timeoutMs);
        client.once('ready', onReady);
      });
    },
    close() {
      closed ??= (async () => {
        if (owned === undefined || owned.status === 'end') return;
        const ended = new Promise<void>((resolve) => owned.once('end', () => resolve()));
        if (owned.status === 'ready') {
          // QUIT lets in-flight commands finish; a failing QUIT falls back to a hard disconnect.
          await owned.quit().catch(() => owned.disconnect());
        } else if (owned.status === 'reconnecting') {
          // Redis is down and the client waits for its next attempt: there is no socket left to close, so
          // ioredis never emits 'end' (close() used to hang for ever here). disconnect() cancels the
          // pending attempt, which is all that closing needs.
          owned.disconnect();
          return;
        } else {
          owned.disconnect();
        }
        // Backstop for any other state ioredis leaves without an 'end' (a cluster with no node left):
        // shutdown must finish even when Redis is gone.
        let timer: ReturnType<typeof setTimeout> | undefined;
        const backstop = new Promise<void>((resolve) => {
          timer = setTimeout(resolve, CLOSE_WAIT_MS);
        });
        await Promise.race([ended, backstop]);
        clearTimeout(timer);
      })();
      return closed;
    },
  };
}
