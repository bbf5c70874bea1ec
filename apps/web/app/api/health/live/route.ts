import { getInfrastructure, withInfrastructure } from '../../../../src/infrastructure';

export const dynamic = 'force-dynamic';

// Liveness: the process answers. No dependency is probed (a database outage must not restart the app).
export const GET = withInfrastructure((request) => getInfrastructure().healthHandlers.live(request), {
  logging: false,
  errorTracking: true,
});
