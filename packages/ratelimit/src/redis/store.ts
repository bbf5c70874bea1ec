import { connectionFor, type RedisConnection, type RedisConnectionInput } from '@mentora/redis';
import type { RateLimitStore } from '../types.ts';
import { FixedWindowRedis, SlidingWindowRedis } from './limiters.ts';

/**
 * A shared connection (`{ connection }`, e.g. the one the cache uses) or what it takes to create one
 * (`{ url }` — a `Secret` such as `config.cache.redisUrl` is fine —, `{ nodes }` or `{ client }`, with the
 * connection settings of `@mentora/redis`: `keyPrefix`, `commandTimeoutMs`, `connectTimeoutMs`, `breaker`,
 * `logger`…).
 */
export type RedisStoreOptions = RedisConnectionInput & {
  /** Clock (epoch ms) for sliding windows; default the Redis server's TIME. For deterministic tests. */
  clock?: () => number;
};

export interface RedisRateLimitStore extends RateLimitStore {
  readonly connection: RedisConnection;
  /** Resolves once connected (checks wait for the first connection by themselves, bounded). */
  ready(timeoutMs?: number): Promise<void>;
}

/**
 * Rate-limit counters in Redis or Redis Cluster, shared by every process: fixed windows with
 * rate-limiter-flexible's RateLimiterRedis, sliding windows with our single-key Lua script on the same
 * base class. Every command goes through the connection's guard: a check issued while a fresh process
 * still connects waits for that connection (bounded), and a silent or open-circuited Redis hands the
 * check to the insurance limiter (or a 503) instead of holding it.
 */
export function createRedisStore(options: RedisStoreOptions): RedisRateLimitStore {
  const { connection, owned } = connectionFor(options);
  // One named operation for every command of this store: failures carry `context.op: 'ratelimit'`.
  const op = connection.op('ratelimit');
  let closed: Promise<void> | undefined;
  return {
    name: 'redis',
    sharedAcrossProcesses: true,
    connection,
    createLimiter(spec) {
      const limiterOptions = {
        storeClient: connection.client,
        keyPrefix: connection.keyPrefix + spec.keyPrefix,
        points: spec.points,
        duration: spec.durationSeconds,
        insuranceLimiter: spec.insuranceLimiter,
        health: spec.health,
        op,
      };
      return spec.algorithm === 'sliding-window'
        ? new SlidingWindowRedis({ ...limiterOptions, clock: options.clock })
        : new FixedWindowRedis(limiterOptions);
    },
    ready: (timeoutMs) => connection.ready(timeoutMs),
    close() {
      closed ??= owned ? connection.close() : Promise.resolve();
      return closed;
    },
  };
}
