// Root entry: the core (limiter, memory store, headers, types). The Redis store lives on
// '@mentora/ratelimit/redis' so this entry never loads ioredis.
export {
  applyRateLimitHeaders,
  type HeaderRule,
  type RateLimitHeaderOptions,
  rateLimitHeaders,
} from './headers.ts';
export { createRateLimiter } from './limiter.ts';
export {
  createMemoryLimiter,
  createMemoryStore,
  type MemoryLimiterSpec,
  type MemoryStoreOptions,
} from './memory-store.ts';
export { buildRuleTable, type RuleTable, windowLabel } from './rules.ts';
export { type SlidingDecision, type SlidingState, slidingWindowDecide } from './sliding.ts';
export {
  decodeSlidingReply,
  SLIDING_PACKED_LIMIT_MAX,
  SLIDING_WINDOW_LUA,
  SLIDING_WINDOW_WIDE_LUA,
  type SlidingReply,
} from './sliding-lua.ts';
export { type SlidingRes, SlidingWindowMemory, type SlidingWindowMemoryOptions } from './sliding-memory.ts';
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
  /** The seeds' `RateLimiterService` name: the limiter object already has its methods. */
  RateLimiter as RateLimiterService,
  RateLimiterStats,
  RateLimitIdentity,
  RateLimitLogger,
  RateLimitResult,
  RateLimitRule,
  RateLimitStore,
  RateLimitViolation,
  StoreHealth,
  StoreLimiter,
  StoreLimiterSpec,
  ViolationSink,
} from './types.ts';
