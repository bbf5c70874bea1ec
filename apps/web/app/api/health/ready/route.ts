import { getInfrastructure, withInfrastructure } from '../../../../src/infrastructure';

export const dynamic = 'force-dynamic';

// Readiness: false while draining on shutdown, so the load balancer stops sending new requests.
export const GET = withInfrastructure((request) => getInfrastructure().healthHandlers.ready(request), {
  logging: false,
  errorTracking: true,
});
