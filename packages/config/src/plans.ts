import { FeatureGateError } from '@mentora/errors';

// ---------------------------------------------------------------------------------------------------------
// Plan tiers
// ---------------------------------------------------------------------------------------------------------

/** Plan tiers, lowest first. */
export const PLAN_TIERS = ['basic', 'pro', 'enterprise'] as const;
export type PlanTier = (typeof PLAN_TIERS)[number];

export function isPlanTier(value: unknown): value is PlanTier {
  return typeof value === 'string' && (PLAN_TIERS as readonly string[]).includes(value);
}

/** True when `plan` is `required` or higher. */
export function planAtLeast(plan: PlanTier, required: PlanTier): boolean {
  return PLAN_TIERS.indexOf(plan) >= PLAN_TIERS.indexOf(required);
}

// ---------------------------------------------------------------------------------------------------------
// Rate limits (the seeds' per-plan table, plus auth)
// ---------------------------------------------------------------------------------------------------------

/** Rate-limited endpoint families. */
export const RATE_LIMIT_ENDPOINTS = ['chat', 'videoUpload', 'quizGeneration', 'auth', 'api'] as const;
export type RateLimitEndpoint = (typeof RATE_LIMIT_ENDPOINTS)[number];

/** How the window moves: sliding (smooth) or fixed (resets at the window boundary). */
export type RateLimitAlgorithm = 'sliding-window' | 'fixed-window';

export interface RateLimitRule {
  /** Requests allowed per window; `Infinity` when `unlimited`. */
  readonly limit: number;
  /** Human-readable window, as in the seeds: `'1 m'`, `'1 h'`, `'5 m'`. */
  readonly window: string;
  readonly windowSeconds: number;
  readonly algorithm: RateLimitAlgorithm;
  /** No limit applies (enterprise). Check this rather than comparing with `limit`. */
  readonly unlimited: boolean;
}

const rule = (
  limit: number,
  window: '1 m' | '5 m' | '1 h',
  algorithm: RateLimitAlgorithm,
): RateLimitRule => ({
  limit,
  window,
  windowSeconds: window === '1 m' ? 60 : window === '5 m' ? 300 : 3600,
  algorithm,
  unlimited: false,
});
const unlimited = (window: '1 m' | '5 m' | '1 h', algorithm: RateLimitAlgorithm): RateLimitRule => ({
  ...rule(0, window, algorithm),
  limit: Number.POSITIVE_INFINITY,
  unlimited: true,
});

// ---------------------------------------------------------------------------------------------------------
// Features
// ---------------------------------------------------------------------------------------------------------

/** Feature flags gated by plan. */
export const FEATURE_FLAGS = [
  'ai_chat',
  'video_upload',
  'achievements',
  'quiz_generation',
  'auto_quiz_on_upload',
  'analytics_dashboard',
  'priority_processing',
  'api_access',
] as const;
export type FeatureFlag = (typeof FEATURE_FLAGS)[number];

/** The lowest plan that has each feature. */
export const FEATURE_MIN_PLAN: Readonly<Record<FeatureFlag, PlanTier>> = Object.freeze({
  ai_chat: 'basic',
  video_upload: 'basic',
  achievements: 'basic',
  quiz_generation: 'pro',
  auto_quiz_on_upload: 'pro',
  analytics_dashboard: 'pro',
  priority_processing: 'enterprise',
  api_access: 'enterprise',
});

export function isFeatureFlag(value: unknown): value is FeatureFlag {
  return typeof value === 'string' && (FEATURE_FLAGS as readonly string[]).includes(value);
}

// ---------------------------------------------------------------------------------------------------------
// The catalog
// ---------------------------------------------------------------------------------------------------------

export interface PlanDefinition {
  readonly tier: PlanTier;
  readonly name: string;
  /** 0 for basic, 1 for pro, 2 for enterprise. */
  readonly rank: number;
  readonly features: readonly FeatureFlag[];
  readonly rateLimits: Readonly<Record<RateLimitEndpoint, RateLimitRule>>;
}

function plan(
  tier: PlanTier,
  name: string,
  rateLimits: Record<RateLimitEndpoint, RateLimitRule>,
): PlanDefinition {
  return {
    tier,
    name,
    rank: PLAN_TIERS.indexOf(tier),
    features: FEATURE_FLAGS.filter((f) => planAtLeast(tier, FEATURE_MIN_PLAN[f])),
    rateLimits,
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * Plans and their limits. Chat, video upload, quiz generation and general API per the seeds' plan table
 * (enterprise unlimited); auth is 5 per 5 minutes on every plan (it protects logins, so it is never
 * unlimited). Chat, auth and API use a sliding window; uploads and quiz generation a fixed window.
 */
export const PLAN_CATALOG: Readonly<Record<PlanTier, PlanDefinition>> = deepFreeze({
  basic: plan('basic', 'Basic', {
    chat: rule(10, '1 m', 'sliding-window'),
    videoUpload: rule(5, '1 h', 'fixed-window'),
    quizGeneration: rule(3, '1 h', 'fixed-window'),
    auth: rule(5, '5 m', 'sliding-window'),
    api: rule(100, '1 m', 'sliding-window'),
  }),
  pro: plan('pro', 'Pro', {
    chat: rule(50, '1 m', 'sliding-window'),
    videoUpload: rule(20, '1 h', 'fixed-window'),
    quizGeneration: rule(15, '1 h', 'fixed-window'),
    auth: rule(5, '5 m', 'sliding-window'),
    api: rule(500, '1 m', 'sliding-window'),
  }),
  enterprise: plan('enterprise', 'Enterprise', {
    chat: unlimited('1 m', 'sliding-window'),
    videoUpload: unlimited('1 h', 'fixed-window'),
    quizGeneration: unlimited('1 h', 'fixed-window'),
    auth: rule(5, '5 m', 'sliding-window'),
    api: unlimited('1 m', 'sliding-window'),
  }),
});

/** The rule for an endpoint on a plan, e.g. `getRateLimitRule('chat', 'basic')` → 10 per `'1 m'`. */
export function getRateLimitRule(endpoint: RateLimitEndpoint, tier: PlanTier): RateLimitRule {
  const r = PLAN_CATALOG[tier]?.rateLimits[endpoint];
  if (!r) throw new TypeError(`Unknown plan or endpoint: ${String(tier)}/${String(endpoint)}`);
  return r;
}

/** The lowest plan that has a feature. */
export function requiredPlanFor(flag: FeatureFlag): PlanTier {
  return FEATURE_MIN_PLAN[flag];
}

// ---------------------------------------------------------------------------------------------------------
// Feature flags
// ---------------------------------------------------------------------------------------------------------

export interface FeatureFlagContext {
  /** The user asking; their plan comes from `getUserPlan` unless `plan` is given. */
  userId?: string;
  /** A plan already known (skips the lookup). */
  plan?: PlanTier;
  /** Anything a provider may use (creator id, experiment bucket…). */
  [key: string]: unknown;
}

/**
 * Where plan tiers and feature decisions come from. Rate limits and feature gates ask this interface;
 * apps choose the provider (static, database, cached).
 */
export interface FeatureFlags {
  getUserPlan(userId: string): Promise<PlanTier>;
  /** Without a context (or without `userId` and `plan`): an anonymous caller on the default plan. */
  isEnabled(flag: FeatureFlag, context?: FeatureFlagContext): Promise<boolean>;
}

export interface StaticFeatureFlagsOptions {
  /** Plans of known users. */
  plans?: Readonly<Record<string, PlanTier>> | ReadonlyMap<string, PlanTier>;
  /** Plan of everyone else (and of anonymous callers). Default `basic`. */
  defaultPlan?: PlanTier;
  /**
   * Per-flag overrides: `true`/`false` turns a flag on or off for everyone; a plan moves its minimum plan.
   */
  overrides?: Partial<Record<FeatureFlag, boolean | PlanTier>>;
}

export interface StaticFeatureFlags extends FeatureFlags {
  /** Change a user's plan (tests, admin tools). */
  setUserPlan(userId: string, plan: PlanTier): void;
}

/** A `FeatureFlags` provider from fixed data: plans per user plus the catalog's feature table. */
export function createStaticFeatureFlags(options: StaticFeatureFlagsOptions = {}): StaticFeatureFlags {
  const defaultPlan = options.defaultPlan ?? 'basic';
  if (!isPlanTier(defaultPlan)) throw new TypeError(`Unknown plan: ${String(defaultPlan)}`);
  const plans = new Map<string, PlanTier>(
    options.plans instanceof Map ? options.plans : Object.entries(options.plans ?? {}),
  );
  for (const p of plans.values()) if (!isPlanTier(p)) throw new TypeError(`Unknown plan: ${String(p)}`);
  const overrides = { ...options.overrides };

  const getUserPlan = async (userId: string): Promise<PlanTier> => plans.get(userId) ?? defaultPlan;

  return {
    getUserPlan,
    async isEnabled(flag, context = {}) {
      if (!isFeatureFlag(flag)) return false;
      const override = overrides[flag];
      if (typeof override === 'boolean') return override;
      const plan =
        context.plan !== undefined && isPlanTier(context.plan)
          ? context.plan
          : context.userId !== undefined
            ? await getUserPlan(context.userId)
            : defaultPlan;
      return planAtLeast(plan, override ?? FEATURE_MIN_PLAN[flag]);
    },
    setUserPlan(userId, plan) {
      if (!isPlanTier(plan)) throw new TypeError(`Unknown plan: ${String(plan)}`);
      plans.set(userId, plan);
    },
  };
}

/**
 * Throw a `FeatureGateError(feature, requiredPlan, currentPlan)` (403) unless the flag is enabled for the
 * caller.
 */
export async function assertFeatureEnabled(
  flags: FeatureFlags,
  flag: FeatureFlag,
  context: FeatureFlagContext = {},
): Promise<void> {
  if (await flags.isEnabled(flag, context)) return;
  const current =
    context.plan ?? (context.userId !== undefined ? await flags.getUserPlan(context.userId) : 'basic');
  throw new FeatureGateError(flag, requiredPlanFor(flag), current);
}
