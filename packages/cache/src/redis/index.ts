// @mentora/cache/redis: the Redis and Redis Cluster store (ioredis is a peer dependency).
export type { BreakerOptions, BreakerState } from './breaker.js';
export type { RedisClient } from './client.js';
export {
  createRedisStore,
  type RedisCacheStore,
  type RedisStoreClientOptions,
  type RedisStoreClusterOptions,
  type RedisStoreOptions,
  type RedisStoreUrlOptions,
} from './store.js';
