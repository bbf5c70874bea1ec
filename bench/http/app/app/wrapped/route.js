import { withInfrastructure } from '../../infrastructure.js';

export const dynamic = 'force-dynamic';

// The same answer as /bare, through the wrapper as the web app's routes use it: request id, client
// identity, plan, rate limit with headers, access log line, api_request_logs row, problem+json on error.
export const GET = withInfrastructure(async () => Response.json({ ok: true }), {
  rateLimit: { enabled: true, endpoint: 'api', cost: 1 },
  logging: true,
  errorTracking: true,
});
