// '@mentora/ratelimit/redis': the Redis / Redis Cluster store, on a @mentora/redis connection (ioredis and
// @mentora/redis are optional peer dependencies, needed only here).
export { createRedisStore, type RedisRateLimitStore, type RedisStoreOptions } from './redis/store.ts';
