// '@mentora/http/supabase': the database-backed FeatureFlags provider. A subpath so that the root entry
// loads neither supabase-js nor the cache.
import type { Cache } from '@mentora/cache';
import { CacheInvalidator, CacheKeys, CacheKeyTTL } from '@mentora/cache/mentora';
import {
  FEATURE_MIN_PLAN,
  type FeatureFlag,
  type FeatureFlags,
  isFeatureFlag,
  isPlanTier,
  PLAN_TIERS,
  type PlanTier,
  planAtLeast,
} from '@mentora/config';
import { type AnySupabaseClient, createQueryBuilder } from '@mentora/db';
import { InvalidArgumentError } from '@mentora/errors';
import type { Logger } from '@mentora/monitoring';

export interface DatabaseFeatureFlagsOptions {
  /** A service-role Supabase client (`createSupabaseClients(...).service`): plans are not the user's to read. */
  db: AnySupabaseClient;
  /** Where plans are cached (key `CacheKeys.userPlan(userId)`, tag `membership:<userId>`). */
  cache: Pick<Cache, 'getOrCompute' | 'invalidateTags'>;
  /** Plan of users without any membership row (default `basic`). */
  defaultPlan?: PlanTier;
  /** How long a plan is cached, seconds (default `CacheKeyTTL.userPlan`). Invalidation ends it sooner. */
  ttlSeconds?: number;
  /** Where the query builder logs retries and failures. */
  logger?: Logger;
}

export interface DatabaseFeatureFlags extends FeatureFlags {
  /** Drops the cached plan of `userId` (every process sharing the cache store sees it on its next read). */
  invalidate(userId: string): Promise<void>;
}

function highest(plans: Iterable<unknown>, fallback: PlanTier): PlanTier {
  let best: PlanTier | undefined;
  for (const p of plans) {
    if (!isPlanTier(p)) continue;
    if (best === undefined || planAtLeast(p, best)) best = p;
  }
  return best ?? fallback;
}

/**
 * FeatureFlags whose plan comes from the database: the highest plan among the user's membership rows
 * (`students.plan`, one per creator they joined through a Whop membership, and `creators.plan` for a
 * creator's own account), read through the cache. When a membership changes, the webhook or the
 * worker's membership job calls `CacheInvalidator.invalidateMembership(userId)` (or `invalidate`), and
 * the next request reads the new plan — no redeploy, no waiting for the TTL.
 */
export function createDatabaseFeatureFlags(options: DatabaseFeatureFlagsOptions): DatabaseFeatureFlags {
  if (!options?.db || typeof options.db.from !== 'function') {
    throw new InvalidArgumentError('createDatabaseFeatureFlags: db (a Supabase client) is required', {
      argument: 'db',
    });
  }
  if (!options.cache || typeof options.cache.getOrCompute !== 'function') {
    throw new InvalidArgumentError('createDatabaseFeatureFlags: cache (@mentora/cache) is required', {
      argument: 'cache',
    });
  }
  const defaultPlan = options.defaultPlan ?? 'basic';
  if (!isPlanTier(defaultPlan)) {
    throw new InvalidArgumentError(`createDatabaseFeatureFlags: unknown plan ${String(defaultPlan)}`, {
      argument: 'defaultPlan',
    });
  }
  const ttlSeconds = options.ttlSeconds ?? CacheKeyTTL.userPlan;
  const builderOptions = options.logger ? { logger: options.logger } : {};
  const students = createQueryBuilder(options.db, 'students', builderOptions);
  const creators = createQueryBuilder(options.db, 'creators', builderOptions);
  const invalidator = new CacheInvalidator(options.cache);
  const limit = PLAN_TIERS.length * 100;

  const load = async (userId: string): Promise<PlanTier> => {
    const [asStudent, asCreator] = await Promise.all([
      students.list({ filters: { user_id: userId }, select: ['plan'], limit }),
      creators.list({ filters: { user_id: userId }, select: ['plan'], limit: 1 }),
    ]);
    return highest(
      [...asStudent.data, ...asCreator.data].map((row) => row.plan),
      defaultPlan,
    );
  };

  const getUserPlan = async (userId: string): Promise<PlanTier> => {
    if (typeof userId !== 'string' || userId.length === 0) {
      throw new InvalidArgumentError('getUserPlan: userId must be a non-empty string', {
        argument: 'userId',
      });
    }
    const plan = await options.cache.getOrCompute(CacheKeys.userPlan(userId), () => load(userId), ttlSeconds);
    return isPlanTier(plan) ? plan : defaultPlan;
  };

  return {
    getUserPlan,
    async isEnabled(flag: FeatureFlag, context = {}) {
      if (!isFeatureFlag(flag)) return false;
      const plan =
        context.plan !== undefined && isPlanTier(context.plan)
          ? context.plan
          : typeof context.userId === 'string'
            ? await getUserPlan(context.userId)
            : defaultPlan;
      return planAtLeast(plan, FEATURE_MIN_PLAN[flag]);
    },
    invalidate(userId) {
      return invalidator.invalidateMembership(userId);
    },
  };
}
