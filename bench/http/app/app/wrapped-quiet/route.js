import { withInfrastructure } from '../../infrastructure.js';

export const dynamic = 'force-dynamic';

// /wrapped without its access-log line: how much of the wrapper's cost is the log line.
export const GET = withInfrastructure(async () => Response.json({ ok: true }), {
  rateLimit: { enabled: true, endpoint: 'api', cost: 1 },
  logging: false,
  errorTracking: true,
});
