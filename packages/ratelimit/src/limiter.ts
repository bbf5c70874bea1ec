import { isPlanTier } from '@mentora/config';
import { InvalidArgumentError, RateLimitError, ServiceUnavailableError } from '@mentora/errors';
import { createDefaultLogger, createLogThrottle } from '@mentora/monitoring';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { BlockList } from './blocks.ts';
import { createDeadlineTracker } from './flags-deadline.ts';
import { describeIdentity, identityKey, identityUserId } from './identity.ts';
import { errorInfo } from './log.ts';
import { createMemoryLimiter } from './memory-store.ts';
import { buildRuleTable } from './rules.ts';
import type { SlidingRes } from './sliding-memory.ts';
import type {
  CheckOptions,
  CreateRateLimiterOptions,
  LimitConfig,
  PlanTier,
  RateLimitEndpoint,
  RateLimiter,
  RateLimiterStats,
  RateLimitIdentity,
  RateLimitResult,
  StoreHealth,
  StoreLimiter,
} from './types.ts';
import { type ViolationAggregate, ViolationRecorder, type ViolationScope } from './violations.ts';

/** Per identity×endpoint blocks kept per limiter entry before the oldest are dropped. */
const MAX_BLOCKED_PER_ENTRY = 100_000;

/** One (plan, endpoint) rule with everything the hot path needs, built once. */
interface Entry {
  readonly id: string;
  readonly rule: LimitConfig;
  readonly limit: number;
  readonly windowMs: number;
  readonly limiter: StoreLimiter | undefined;
  readonly blocks: BlockList | undefined;
}

function checkCost(cost: number): number {
  if (!(Number.isSafeInteger(cost) && cost > 0)) {
    // The cost comes from server code, not from the client: a bad one is a bug, rendered as a generic 500.
    throw new InvalidArgumentError(`Rate-limit cost must be a positive integer, got ${cost}`, {
      argument: 'cost',
    });
  }
  return cost;
}

export function createRateLimiter(options: CreateRateLimiterOptions): RateLimiter {
  const { store, flags } = options;
  const logger = options.logger ?? createDefaultLogger('@mentora/ratelimit');
  const throttled = createLogThrottle(logger);
  const namespace = options.namespace ?? 'rl';
  const anonymousPlan = options.anonymousPlan ?? 'basic';
  const fallbackPlan = options.fallbackPlan ?? 'basic';
  const blockInMemory = options.blockInMemory ?? true;
  const clock = options.clock ?? Date.now;
  const flagsTimeoutMs = options.flagsTimeoutMs ?? 1000;
  if (!(Number.isFinite(flagsTimeoutMs) && flagsTimeoutMs > 0)) {
    throw new InvalidArgumentError(`flagsTimeoutMs must be a positive number, got ${flagsTimeoutMs}`, {
      argument: 'flagsTimeoutMs',
    });
  }
  const insurance = options.insurance ?? true;
  const processes = typeof insurance === 'object' ? (insurance.processes ?? 1) : 1;
  if (!(Number.isSafeInteger(processes) && processes > 0)) {
    throw new InvalidArgumentError(`insurance.processes must be a positive integer, got ${processes}`, {
      argument: 'insurance.processes',
    });
  }
  const maxPendingWrites = options.maxPendingViolationWrites ?? 100;
  if (!(Number.isSafeInteger(maxPendingWrites) && maxPendingWrites > 0)) {
    throw new InvalidArgumentError(
      `maxPendingViolationWrites must be a positive integer, got ${maxPendingWrites}`,
      { argument: 'maxPendingViolationWrites' },
    );
  }
  const stats: RateLimiterStats = {
    memoryBlocked: 0,
    storeErrors: 0,
    violationsReported: 0,
    sinkErrors: 0,
    violationsDropped: 0,
  };

  // Shared with every store limiter: they report failures and, while degraded, the next success.
  const health = {
    degraded: false as boolean,
    onStoreError(error: unknown) {
      stats.storeErrors++;
      health.degraded = true;
      throttled(
        'warn',
        'store-error',
        insurance === false
          ? 'rate-limit store failed; checks fail with ServiceUnavailableError until it recovers'
          : 'rate-limit store failed; the in-memory insurance limiter decides until it recovers',
        { store: store.name, error: errorInfo(error) },
      );
    },
    onStoreRecovered() {
      health.degraded = false;
      logger.info('rate-limit store recovered', { store: store.name });
    },
  } satisfies StoreHealth;

  if (!store.sharedAcrossProcesses) {
    logger.info(
      `rate limits use the ${store.name} store: counters live in this process and are not shared across processes`,
    );
  }

  const recorder =
    options.violationSink === undefined
      ? undefined
      : new ViolationRecorder({
          sink: options.violationSink,
          logger: {
            warn: (m, c) => throttled('warn', 'violation-sink', m, c),
            error: (m, c) => throttled('error', 'violation-sink', m, c),
          },
          maxEntries: options.maxTrackedViolations ?? 10_000,
          flushIntervalMs: options.violationFlushIntervalMs ?? 10_000,
          maxPending: maxPendingWrites,
          closeTimeoutMs: options.violationCloseTimeoutMs ?? 5_000,
          clock,
          onReported: () => {
            stats.violationsReported++;
          },
          onSinkError: () => {
            stats.sinkErrors++;
          },
          onDropped: () => {
            stats.violationsDropped++;
          },
        });

  // Precompute one rate-limiter-flexible limiter (plus its insurance) per (plan, endpoint).
  const rules = buildRuleTable(options.plans);
  const entries = new Map<PlanTier, Map<RateLimitEndpoint, Entry>>();
  for (const [plan, byEndpoint] of rules) {
    const planEntries = new Map<RateLimitEndpoint, Entry>();
    for (const [endpoint, rule] of byEndpoint) {
      let limiter: StoreLimiter | undefined;
      if (!rule.unlimited) {
        // The plan is part of the key: a plan change starts a fresh counter under the new limit.
        const spec = {
          keyPrefix: `${namespace}:${endpoint}:${plan}`,
          points: rule.limit,
          durationSeconds: rule.windowSeconds,
          algorithm: rule.algorithm,
          health,
        };
        const insuranceLimiter =
          insurance !== false && store.sharedAcrossProcesses
            ? createMemoryLimiter({ ...spec, points: Math.ceil(rule.limit / processes) })
            : undefined;
        limiter = store.createLimiter(insuranceLimiter === undefined ? spec : { ...spec, insuranceLimiter });
      }
      planEntries.set(endpoint, {
        id: `${endpoint}:${plan}`,
        rule,
        limit: rule.limit,
        windowMs: rule.windowSeconds * 1000,
        limiter,
        blocks: blockInMemory && limiter !== undefined ? new BlockList(MAX_BLOCKED_PER_ENTRY) : undefined,
      });
    }
    entries.set(plan, planEntries);
  }

  function entryFor(plan: PlanTier, endpoint: RateLimitEndpoint): Entry {
    const entry = entries.get(plan)?.get(endpoint);
    if (entry === undefined) {
      throw new InvalidArgumentError(`No rate-limit rule for plan "${plan}" and endpoint "${endpoint}"`, {
        argument: 'endpoint',
        context: { plan, endpoint },
      });
    }
    return entry;
  }

  // A flags provider that never answers (a hung database behind it) must not hang every check.
  const flagDeadlines = createDeadlineTracker(flagsTimeoutMs);
  const flagsTimedOut = () =>
    new ServiceUnavailableError('Feature flags did not resolve a plan in time', {
      service: 'feature-flags',
      context: { timeoutMs: flagsTimeoutMs },
    });
  function planWithin(userId: string): Promise<unknown> {
    return flagDeadlines.within(flags.getUserPlan(userId), flagsTimedOut);
  }

  async function resolvePlan(identity: RateLimitIdentity): Promise<PlanTier> {
    const userId = identityUserId(identity);
    if (userId === undefined) return anonymousPlan;
    let plan: unknown;
    try {
      plan = await planWithin(userId);
    } catch (error) {
      // A flags outage must not fail every request: the most restrictive default applies meanwhile.
      throttled('warn', 'flags-error', 'feature flags failed to resolve a plan; using the fallback plan', {
        fallbackPlan,
        error: errorInfo(error),
      });
      return fallbackPlan;
    }
    if (isPlanTier(plan) && entries.has(plan)) return plan;
    throttled(
      'warn',
      'flags-unknown-plan',
      'feature flags returned an unknown plan; using the fallback plan',
      {
        plan: String(plan),
        fallbackPlan,
      },
    );
    return fallbackPlan;
  }

  function deny(
    entry: Entry,
    key: string,
    identity: RateLimitIdentity,
    res: RateLimiterRes,
    enforce: boolean,
  ): RateLimitResult {
    const now = clock();
    const msBeforeNext = Math.max(res.msBeforeNext, 1);
    // Sliding windows don't count denials, so a cheaper request may fit sooner than this one.
    const msBeforeAny = (res as SlidingRes).msBeforeAny ?? msBeforeNext;
    let agg: ViolationAggregate | undefined;
    if (recorder !== undefined) {
      const sliding = entry.rule.algorithm === 'sliding-window';
      const windowStart = sliding
        ? Math.floor(now / entry.windowMs) * entry.windowMs
        : now + msBeforeNext - entry.windowMs;
      agg = recorder.noteDenial(
        `${entry.id}|${key}`,
        (): ViolationScope => ({
          ...describeIdentity(identity),
          endpoint: entry.rule.endpoint,
          plan: entry.rule.plan,
          limit: entry.limit,
          window: entry.rule.window,
          windowSeconds: entry.rule.windowSeconds,
          algorithm: entry.rule.algorithm,
        }),
        now,
        windowStart,
        windowStart + entry.windowMs,
      );
    }
    if (entry.blocks !== undefined && msBeforeAny > 0)
      entry.blocks.set(key, { until: now + msBeforeAny, agg }, now);
    const retryAfter = Math.ceil(msBeforeNext / 1000);
    if (enforce) throw rateLimitError(entry, retryAfter, now + msBeforeNext);
    return {
      allowed: false,
      limit: entry.limit,
      remaining: 0,
      reset: new Date(now + msBeforeNext),
      retryAfter,
      rule: entry.rule,
    };
  }

  function rateLimitError(entry: Entry, retryAfter: number, resetMs: number): RateLimitError {
    return new RateLimitError(entry.limit, entry.rule.window, retryAfter, {
      context: {
        endpoint: entry.rule.endpoint,
        plan: entry.rule.plan,
        reset: new Date(resetMs).toISOString(),
      },
    });
  }

  // The hot path: one async function, two Map lookups, at most one store call, one result object.
  async function evaluate(
    identity: RateLimitIdentity,
    endpoint: RateLimitEndpoint,
    plan: PlanTier | undefined,
    options: CheckOptions | undefined,
    enforce: boolean,
  ): Promise<RateLimitResult> {
    const key = identityKey(identity);
    const cost = options?.cost === undefined ? 1 : checkCost(options.cost);
    const entry = entryFor(plan ?? (await resolvePlan(identity)), endpoint);
    const limiter = entry.limiter;
    if (limiter === undefined) {
      // Unlimited (enterprise): no store call at all.
      return {
        allowed: true,
        limit: Number.POSITIVE_INFINITY,
        remaining: Number.POSITIVE_INFINITY,
        reset: new Date(clock() + entry.windowMs),
        retryAfter: 0,
        rule: entry.rule,
      };
    }
    if (cost > entry.limit) {
      // Can never fit: answer without touching (or polluting) the counters.
      const retryAfter = entry.rule.windowSeconds;
      if (enforce) throw rateLimitError(entry, retryAfter, clock() + entry.windowMs);
      return {
        allowed: false,
        limit: entry.limit,
        remaining: 0,
        reset: new Date(clock() + entry.windowMs),
        retryAfter,
        rule: entry.rule,
      };
    }
    const blocks = entry.blocks;
    if (blocks !== undefined) {
      const block = blocks.get(key);
      if (block !== undefined) {
        const now = clock();
        if (now < block.until) {
          stats.memoryBlocked++;
          if (block.agg !== undefined && recorder !== undefined) block.agg = recorder.bump(block.agg, now);
          const retryAfter = Math.ceil((block.until - now) / 1000);
          if (enforce) throw rateLimitError(entry, retryAfter, block.until);
          return {
            allowed: false,
            limit: entry.limit,
            remaining: 0,
            reset: new Date(block.until),
            retryAfter,
            rule: entry.rule,
          };
        }
        blocks.delete(key);
      }
    }
    let res: RateLimiterRes;
    try {
      res = await limiter.consume(key, cost);
    } catch (error) {
      if (error instanceof RateLimiterRes) return deny(entry, key, identity, error, enforce);
      // A store failure is not a denial: 503 (retryable), never 429.
      throw new ServiceUnavailableError('Rate-limit store unavailable', {
        service: store.name,
        cause: error,
        context: { endpoint, plan: entry.rule.plan },
      });
    }
    return {
      allowed: true,
      limit: entry.limit,
      remaining: res.remainingPoints,
      reset: new Date(clock() + res.msBeforeNext),
      retryAfter: 0,
      rule: entry.rule,
    };
  }

  let closed: Promise<void> | undefined;

  return {
    checkRateLimit: (identity, endpoint, plan, opts) => evaluate(identity, endpoint, plan, opts, false),
    enforceRateLimit: (identity, endpoint, plan, opts) => evaluate(identity, endpoint, plan, opts, true),
    getLimitConfig(endpoint, plan) {
      return entryFor(plan, endpoint).rule;
    },
    async resetLimit(identity, endpoint) {
      const key = identityKey(identity);
      const tasks: Promise<boolean>[] = [];
      for (const planEntries of entries.values()) {
        const entry = planEntries.get(endpoint);
        if (entry?.limiter === undefined) continue;
        entry.blocks?.delete(key);
        tasks.push(entry.limiter.delete(key));
      }
      if (tasks.length === 0) entryFor(anonymousPlan, endpoint); // unknown endpoint → InvalidArgumentError
      try {
        await Promise.all(tasks);
      } catch (error) {
        throw new ServiceUnavailableError('Rate-limit store unavailable', {
          service: store.name,
          cause: error,
          context: { endpoint, operation: 'resetLimit' },
        });
      }
    },
    stats: () => ({ ...stats }),
    close() {
      closed ??= (async () => {
        for (const planEntries of entries.values())
          for (const entry of planEntries.values()) entry.blocks?.clear();
        await recorder?.close();
      })();
      return closed;
    },
  };
}
