import {
  type FeatureFlag,
  isFeatureFlag,
  isPlanTier,
  type PlanTier,
  planAtLeast,
  requiredPlanFor,
} from '@mentora/config';
import { FeatureGateError, InvalidArgumentError } from '@mentora/errors';

/** What the gates read from a handler context. */
export interface PlanContext {
  plan: PlanTier;
}

/**
 * Throws FeatureGateError (403 problem+json naming the required plan) unless the caller's plan
 * (`ctx.plan`, already resolved by withInfrastructure) includes `flag` per the plan catalog.
 * Synchronous on purpose: a forgotten `await` on a gate would let every request through.
 */
export function requireFeature(ctx: PlanContext, flag: FeatureFlag): void {
  if (!isFeatureFlag(flag)) {
    throw new InvalidArgumentError(`requireFeature: unknown feature flag ${String(flag)}`, {
      argument: 'flag',
    });
  }
  const required = requiredPlanFor(flag);
  if (!planAtLeast(ctx.plan, required)) throw new FeatureGateError(flag, required, ctx.plan);
}

/** Throws FeatureGateError (403) unless the caller's plan is `tier` or higher. */
export function requirePlan(ctx: PlanContext, tier: PlanTier): void {
  if (!isPlanTier(tier)) {
    throw new InvalidArgumentError(`requirePlan: unknown plan ${String(tier)}`, { argument: 'tier' });
  }
  if (!planAtLeast(ctx.plan, tier)) throw new FeatureGateError(`plan:${tier}`, tier, ctx.plan);
}
