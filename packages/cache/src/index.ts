// Core of @mentora/cache. The Redis store is on the `@mentora/cache/redis` subpath (this entry never
// imports ioredis); Mentora's own keys and invalidation operations are on `@mentora/cache/mentora`.
export { type Cache, createCache } from './cache.js';
export { type CacheCodec, type CborCodecOptions, createCborCodec, DEFAULT_MAX_VALUE_BYTES } from './codec.js';
export { escapeGlob, keySegment, scopedKey, tagOfKey } from './keys.js';
export { createMemoryStore, type MemoryStoreOptions } from './memory-store.js';
export type {
  CreateCacheOptions,
  GetOrComputeOptions,
  HealthCheckResult,
  InvalidationEvent,
  L1Options,
  LeaseOptions,
} from './options.js';
export type { CacheStatisticsRow, CacheStats, CacheStatsSink } from './stats.js';
export { CacheTTL, type CacheTTLName } from './ttl.js';
export type { CacheLocks, CachePayload, CacheStore, InvalidationBus, InvalidationHandler } from './types.js';
