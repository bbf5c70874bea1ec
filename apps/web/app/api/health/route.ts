import { checkDatabaseHealth } from '@mentora/db';
import { createDefaultLogger, createHealthCheck, healthHttpStatus } from '@mentora/monitoring';
import { getInfra } from '../../../src/infra';

export const dynamic = 'force-dynamic';

// Database down → unhealthy (503); cache down → degraded (200): the cache fails open to the database.
// The body carries statuses, latencies and stable codes only; what went wrong is logged.
export async function GET(): Promise<Response> {
  const infra = getInfra();
  const report = await createHealthCheck({
    checks: {
      database: () => checkDatabaseHealth(infra.db.anon(), { timeoutMs: 2_000 }),
      cache: () => infra.cache.healthCheck(),
    },
    critical: ['database'],
    timeoutMs: 2_500,
    logger: createDefaultLogger('@mentora/web'),
  }).run();
  return Response.json(report, {
    status: healthHttpStatus(report),
    headers: { 'cache-control': 'no-store' },
  });
}
