// Core of @mentora/cache. The Redis store is on the `@mentora/cache/redis` subpath: this entry never
// imports ioredis.
export {
  type Cache,
  type CreateCacheOptions,
  createCache,
  type GetOrComputeOptions,
  type HealthCheckResult,
  type InvalidationEvent,
  type L1Options,
  type LeaseOptions,
} from './cache.js';
export { type CacheCodec, createJsonCodec, DEFAULT_MAX_VALUE_BYTES, type JsonCodecOptions } from './codec.js';
export { globToRegExp } from './glob.js';
export { CacheInvalidator, createCacheInvalidator } from './invalidator.js';
export {
  CacheKeys,
  CacheKeyTTL,
  CacheTags,
  escapeGlob,
  keySegment,
  scopedKey,
  sha256Hex,
  tagOfKey,
} from './keys.js';
export { createMemoryStore, type MemoryStoreOptions } from './memory-store.js';
export type { CacheStatisticsRow, CacheStats, CacheStatsSink } from './stats.js';
export { CacheTTL, type CacheTTLName, ttlSecondsToMs } from './ttl.js';
export type { CacheStore, InvalidationHandler } from './types.js';
