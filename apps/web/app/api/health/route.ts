import { getInfrastructure, withInfrastructure } from '../../../src/infrastructure';

export const dynamic = 'force-dynamic';

// Database down → unhealthy (503); cache down → degraded (200). Statuses, latencies and stable codes only;
// what went wrong is logged. Memoised for a second, so polling it costs the dependencies nothing.
export const GET = withInfrastructure((request) => getInfrastructure().healthHandlers.health(request), {
  logging: false,
  errorTracking: true,
});
