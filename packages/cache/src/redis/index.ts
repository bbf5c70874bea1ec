// @mentora/cache/redis: the Redis and Redis Cluster store, on a @mentora/redis connection (ioredis and
// @mentora/redis are peer dependencies, needed only here).
export type { RedisInvalidationBus } from './bus.js';
export { createRedisStore, type RedisCacheStore, type RedisStoreOptions } from './store.js';
