import { CacheTTL } from '@mentora/cache';
import { PLAN_CATALOG, PLAN_TIERS, RATE_LIMIT_ENDPOINTS } from '@mentora/config';
import { getInfrastructure, withInfrastructure } from '../../../src/infrastructure';

export const dynamic = 'force-dynamic';

// The public plan table (limits per endpoint). Cache-aside: the payload only changes with a deploy, so
// it is computed once per TTL however many requests arrive together.
export const GET = withInfrastructure(
  async () => {
    const plans = await getInfrastructure().cache.getOrCompute(
      'plans:public',
      async () =>
        PLAN_TIERS.map((tier) => ({
          tier,
          name: PLAN_CATALOG[tier].name,
          limits: Object.fromEntries(
            RATE_LIMIT_ENDPOINTS.map((endpoint) => {
              const rule = PLAN_CATALOG[tier].rateLimits[endpoint];
              return [endpoint, rule.unlimited ? 'unlimited' : `${rule.limit} per ${rule.window}`];
            }),
          ),
        })),
      CacheTTL.LONG,
    );
    return Response.json({ plans });
  },
  { rateLimit: { enabled: true, endpoint: 'api', cost: 1 }, logging: true, errorTracking: true },
);
