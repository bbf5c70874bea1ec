// Root entry: the core (limiter, memory store, headers, types). The Redis store lives on
// '@mentora/ratelimit/redis' so this entry never loads ioredis.
export {
  applyRateLimitHeaders,
  type HeaderRule,
  type RateLimitHeaderOptions,
  rateLimitHeaders,
} from './headers.ts';
export { createRateLimiter } from './limiter.ts';
export { createMemoryStore, type MemoryStoreOptions } from './memory-store.ts';
export type {
  CheckOptions,
  CreateRateLimiterOptions,
  InsuranceLimiter,
  InsuranceOptions,
  LimitConfig,
  PlanCatalogOverride,
  PlanTier,
  RateLimitAlgorithm,
  RateLimitEndpoint,
  RateLimiter,
  RateLimiterStats,
  RateLimitIdentity,
  RateLimitResult,
  RateLimitRule,
  RateLimitStore,
  RateLimitViolation,
  StoreHealth,
  StoreLimiter,
  StoreLimiterSpec,
  ViolationSink,
} from './types.ts';
