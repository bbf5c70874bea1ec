import { PLAN_CATALOG } from '@mentora/config';
import { ConfigError } from '@mentora/errors';
import type {
  LimitConfig,
  PlanCatalogOverride,
  PlanTier,
  RateLimitEndpoint,
  RateLimitRule,
} from './types.ts';

/** Every (plan, endpoint) rule after merging overrides over PLAN_CATALOG, validated once at construction. */
export type RuleTable = Map<PlanTier, Map<RateLimitEndpoint, LimitConfig>>;

function invalid(message: string, plan: string, endpoint: string): ConfigError {
  return new ConfigError(`Invalid rate-limit rule for ${plan}/${endpoint}: ${message}`, {
    context: { plan, endpoint },
  });
}

function validate(rule: LimitConfig): LimitConfig {
  const { plan, endpoint } = rule;
  if (!rule.unlimited && !(Number.isSafeInteger(rule.limit) && rule.limit > 0)) {
    throw invalid(`limit must be a positive integer (or unlimited), got ${rule.limit}`, plan, endpoint);
  }
  if (!(Number.isSafeInteger(rule.windowSeconds) && rule.windowSeconds > 0)) {
    throw invalid(`windowSeconds must be a positive integer, got ${rule.windowSeconds}`, plan, endpoint);
  }
  if (rule.algorithm !== 'fixed-window' && rule.algorithm !== 'sliding-window') {
    throw invalid(
      `algorithm must be 'fixed-window' or 'sliding-window', got ${String(rule.algorithm)}`,
      plan,
      endpoint,
    );
  }
  if (typeof rule.window !== 'string' || rule.window.length === 0) {
    throw invalid('window must be a label such as "1 m"', plan, endpoint);
  }
  return rule;
}

/** Human label of a window in the catalog's style ('1 m', '1 h', '90 s'). */
export function windowLabel(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400} d`;
  if (seconds % 3_600 === 0) return `${seconds / 3_600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} m`;
  return `${seconds} s`;
}

function merge(
  plan: PlanTier,
  endpoint: RateLimitEndpoint,
  from: RateLimitRule | undefined,
  patch: Partial<RateLimitRule>,
): LimitConfig {
  // A finite limit in the patch turns an unlimited rule into a limited one and vice versa.
  const unlimited =
    patch.unlimited ??
    (patch.limit !== undefined ? !Number.isFinite(patch.limit) : (from?.unlimited ?? false));
  const windowSeconds = patch.windowSeconds ?? from?.windowSeconds;
  return {
    limit: unlimited ? Number.POSITIVE_INFINITY : (patch.limit ?? from?.limit),
    // A patched window length without a label gets a derived label, so messages never lie.
    window:
      patch.window ?? (patch.windowSeconds !== undefined ? windowLabel(patch.windowSeconds) : from?.window),
    windowSeconds,
    algorithm: patch.algorithm ?? from?.algorithm,
    unlimited,
    endpoint,
    plan,
  } as LimitConfig;
}

export function buildRuleTable(overrides: PlanCatalogOverride = {}): RuleTable {
  const table: RuleTable = new Map();
  const catalog = PLAN_CATALOG as Partial<typeof PLAN_CATALOG>;
  const plans = new Set<PlanTier>([
    ...(Object.keys(catalog) as PlanTier[]),
    ...(Object.keys(overrides) as PlanTier[]),
  ]);
  for (const plan of plans) {
    const base: Partial<Record<RateLimitEndpoint, RateLimitRule>> = catalog[plan]?.rateLimits ?? {};
    const extra = overrides[plan]?.rateLimits ?? {};
    const endpoints = new Set<RateLimitEndpoint>([
      ...(Object.keys(base) as RateLimitEndpoint[]),
      ...(Object.keys(extra) as RateLimitEndpoint[]),
    ]);
    const rules = new Map<RateLimitEndpoint, LimitConfig>();
    for (const endpoint of endpoints) {
      rules.set(
        endpoint,
        Object.freeze(validate(merge(plan, endpoint, base[endpoint], extra[endpoint] ?? {}))),
      );
    }
    table.set(plan, rules);
  }
  return table;
}
