// '@mentora/ratelimit/redis': the Redis / Redis Cluster store (loads ioredis, an optional peer dependency).
export {
  FixedWindowRedis,
  type RedisLimiterOptions,
  SlidingWindowRedis,
  type SlidingWindowRedisOptions,
} from './redis/limiters.ts';
export {
  createRedisStore,
  type RedisClient,
  type RedisRateLimitStore,
  type RedisStoreOptions,
} from './redis/store.ts';
