import type {
  FeatureFlags,
  PlanTier,
  RateLimitAlgorithm,
  RateLimitEndpoint,
  RateLimitRule,
} from '@mentora/config';
import type { Logger } from '@mentora/monitoring';
import type { RateLimiterRes } from 'rate-limiter-flexible';

export type { PlanTier, RateLimitAlgorithm, RateLimitEndpoint, RateLimitRule };

/**
 * Who is being limited. A bare string is a user id (the seeds call `checkRateLimit('user-123', 'chat')`).
 *
 * The value must come from the authenticated session or from the client IP as resolved by a trusted
 * proxy configuration — never from a header the client controls (`x-user-id`, a raw `x-forwarded-for`),
 * or every client can pick a fresh identity per request and the limit means nothing.
 */
export type RateLimitIdentity = string | { userId: string } | { ip: string };

/** Outcome of one check. Denials are values; store failures are thrown (never a denial). */
export interface RateLimitResult {
  allowed: boolean;
  /** Requests (cost units) allowed per window; `Infinity` for an unlimited plan. */
  limit: number;
  /** Units left after this request; 0 on denial; `Infinity` for an unlimited plan. */
  remaining: number;
  /**
   * Fixed window: when the current window ends. Sliding window: when the current sub-window ends (allowed)
   * or when this request would be admitted (denied).
   */
  reset: Date;
  /** Whole seconds to wait before retrying; 0 when allowed. */
  retryAfter: number;
  /** The rule that decided (shared, frozen): plan, endpoint, window — what the headers need. */
  rule: LimitConfig;
}

/** `getLimitConfig()` answer: the catalog rule plus where it applies (`unlimited` → limit Infinity). */
export interface LimitConfig extends RateLimitRule {
  endpoint: RateLimitEndpoint;
  plan: PlanTier;
}

export interface CheckOptions {
  /** Units this request consumes (a positive integer, default 1). */
  cost?: number;
}

/** One row of `rate_limit_violations`, reported at most 1 + log2(count) (+1 final) times per window. */
export interface RateLimitViolation {
  /** The identity as given (user id or IP); the row key together with endpoint and windowStart. */
  identity: string;
  identityType: 'user' | 'ip';
  endpoint: RateLimitEndpoint;
  plan: PlanTier;
  limit: number;
  window: string;
  windowSeconds: number;
  /** Start of the window the denials belong to: upsert on (identity, endpoint, windowStart). */
  windowStart: Date;
  /** Denials seen so far in this window by this process (absolute; only grows). */
  count: number;
  /** Denials since this process's previous call for the same row (for increment-style upserts). */
  delta: number;
  firstSeen: Date;
  lastSeen: Date;
}

/**
 * Receives violation rows. Calls for one window carry the same (identity, endpoint, windowStart), so a
 * sink writing `rate_limit_violations` should upsert on that triple (count/lastSeen only grow).
 * Errors (thrown or rejected) are logged and never reach the request.
 */
export interface ViolationSink {
  record(violation: RateLimitViolation): void | Promise<void>;
}

/** What the violation recorder logs through (the limiter hands it a throttled view of its Logger). */
export type RateLimitLogger = Pick<Logger, 'warn' | 'error'>;

/**
 * The object rate-limiter-flexible limiters expose (RateLimiterAbstract / RateLimiterCompatibleAbstract):
 * `consume` resolves a RateLimiterRes when allowed, rejects a RateLimiterRes when denied and rejects an
 * Error when the store failed (and no insurance limiter decided instead).
 */
export interface StoreLimiter {
  consume(key: string, points?: number): Promise<RateLimiterRes>;
  delete(key: string): Promise<boolean>;
}

/** A limiter that can stand in for a failing shared store (rate-limiter-flexible `insuranceLimiter`). */
export type InsuranceLimiter = StoreLimiter & object;

export interface StoreHealth {
  /** Called by a shared store when a command failed (before insurance decides). */
  onStoreError(error: unknown): void;
  /** Called by a shared store after a command succeeded while `degraded` is true. */
  onStoreRecovered(): void;
  readonly degraded: boolean;
}

export interface StoreLimiterSpec {
  /** Namespace of this limiter's keys; the store joins it and the identity key with ':'. */
  keyPrefix: string;
  points: number;
  durationSeconds: number;
  algorithm: RateLimitAlgorithm;
  /** In-process limiter that decides while a shared store is failing (ignored by in-process stores). */
  insuranceLimiter?: InsuranceLimiter;
  health: StoreHealth;
}

/** A backend for limit counters: in-process memory or a shared Redis / Redis Cluster. */
export interface RateLimitStore {
  readonly name: string;
  /** True when several processes see the same counters (Redis); false for memory. */
  readonly sharedAcrossProcesses: boolean;
  createLimiter(spec: StoreLimiterSpec): StoreLimiter;
  /** Releases what the store owns (a client it created). Never closes a client it was given. */
  close(): Promise<void>;
}

export interface InsuranceOptions {
  /**
   * How many processes share the limit while Redis is down. Each process's insurance limiter allows
   * ceil(limit / processes) per window, so the fleet as a whole stays near the real limit. Default 1.
   */
  processes?: number;
}

export interface CreateRateLimiterOptions {
  store: RateLimitStore;
  /** Resolves a user's plan when `checkRateLimit` is called without one. */
  flags: FeatureFlags;
  /** Overrides merged over `PLAN_CATALOG` (per plan, per endpoint, per field). */
  plans?: PlanCatalogOverride;
  /**
   * In-process limiter that decides while a shared store fails (default true). With `false`, a store
   * failure throws ServiceUnavailableError (503), never a denial.
   */
  insurance?: boolean | InsuranceOptions;
  /**
   * Answer identities that were just denied from process memory, without a store round trip, until the
   * store said they may retry (default true). Same idea as rate-limiter-flexible's inMemoryBlockOnConsumed.
   */
  blockInMemory?: boolean;
  violationSink?: ViolationSink;
  /** Bound of the in-process violation dedup map (default 10 000 identity×endpoint entries). */
  maxTrackedViolations?: number;
  /** How often finished windows' final counts are flushed to the sink (ms, default 10 000). */
  violationFlushIntervalMs?: number;
  /**
   * Sink calls in flight at once (default 100). Beyond it interim reports wait for a later call and final
   * ones are dropped (counted in `stats().violationsDropped`): a slow sink under a flood of denials from
   * many identities must not accumulate unbounded pending writes.
   */
  maxPendingViolationWrites?: number;
  /** Longest wait in close() for sink calls still in flight (ms, default 5 000). */
  violationCloseTimeoutMs?: number;
  /** Default `createDefaultLogger('@mentora/ratelimit')`: warnings and errors on stderr. */
  logger?: Logger;
  /**
   * This limiter's part of the store's keys (default `rl`): `<keyPrefix><namespace>:<endpoint>:<plan>:<identity>`,
   * where `keyPrefix` is the Redis connection's (`config.cache.keyPrefix`).
   */
  namespace?: string;
  /** Plan of `{ ip }` identities when no plan is passed (default 'basic'). */
  anonymousPlan?: PlanTier;
  /**
   * Clock of this limiter's own bookkeeping — memory blocks, reset dates, violation windows (epoch ms,
   * default Date.now). Pass the same fake clock to the store to simulate time in tests.
   */
  clock?: () => number;
  /** Plan used when `flags.getUserPlan` fails, times out or answers an unknown plan (default 'basic'). */
  fallbackPlan?: PlanTier;
  /**
   * How long `flags.getUserPlan` may take before `fallbackPlan` applies (ms, default 1000): a hung flags
   * provider must not hang every rate-limited request.
   */
  flagsTimeoutMs?: number;
}

export type PlanCatalogOverride = Partial<
  Record<
    PlanTier,
    {
      rateLimits?: Partial<Record<RateLimitEndpoint, Partial<RateLimitRule>>>;
    }
  >
>;

export interface RateLimiterStats {
  /** Checks answered from process memory because the identity was recently denied. */
  memoryBlocked: number;
  /** Failed store commands (insurance may have decided those checks). */
  storeErrors: number;
  /** Violation rows handed to the sink. */
  violationsReported: number;
  /** Sink calls that threw or rejected. */
  sinkErrors: number;
  /** Final violation reports dropped because `maxPendingViolationWrites` sink calls were in flight. */
  violationsDropped: number;
}

export interface RateLimiter {
  checkRateLimit(
    identity: RateLimitIdentity,
    endpoint: RateLimitEndpoint,
    plan?: PlanTier,
    options?: CheckOptions,
  ): Promise<RateLimitResult>;
  /** Like checkRateLimit, but throws RateLimitError (429) on denial. */
  enforceRateLimit(
    identity: RateLimitIdentity,
    endpoint: RateLimitEndpoint,
    plan?: PlanTier,
    options?: CheckOptions,
  ): Promise<RateLimitResult>;
  getLimitConfig(endpoint: RateLimitEndpoint, plan: PlanTier): LimitConfig;
  /** Clears the identity's counters for the endpoint under every plan (store and this process's memory). */
  resetLimit(identity: RateLimitIdentity, endpoint: RateLimitEndpoint): Promise<void>;
  stats(): RateLimiterStats;
  /** Flushes pending violation rows and stops timers. Does not close the store (its creator does). */
  close(): Promise<void>;
}
