import { CacheTTL } from '@mentora/cache';
import { PLAN_CATALOG, PLAN_TIERS, RATE_LIMIT_ENDPOINTS } from '@mentora/config';
import { getInfra } from '../../../src/infra';

export const dynamic = 'force-dynamic';

// The public plan table (limits per endpoint). Cache-aside through @mentora/cache: the payload only
// changes with a deploy, so it is computed once per TTL however many requests arrive together.
export async function GET(): Promise<Response> {
  const plans = await getInfra().cache.getOrCompute(
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
}
