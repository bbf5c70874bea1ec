import { checkDatabaseHealth } from '@mentora/db';
import { getInfra } from '../../../src/infra';

export const dynamic = 'force-dynamic';

type CheckStatus = { status: 'ok' | 'error'; latency: number; error?: string };

// Database down → unhealthy (503); cache down → degraded (200): the cache fails open to the database.
export async function GET(): Promise<Response> {
  const infra = getInfra();
  const [database, cache] = await Promise.all([
    checkDatabaseHealth(infra.db.anon(), { timeoutMs: 2000 }),
    infra.cache.healthCheck(),
  ]);
  const checks: Record<string, CheckStatus> = {
    database: {
      status: database.healthy ? 'ok' : 'error',
      latency: database.latency,
      ...(database.error ? { error: database.error } : {}),
    },
    cache: { status: cache.healthy ? 'ok' : 'error', latency: cache.latency },
  };
  const status = !database.healthy ? 'unhealthy' : !cache.healthy ? 'degraded' : 'healthy';
  return Response.json(
    { status, timestamp: new Date().toISOString(), checks },
    { status: status === 'unhealthy' ? 503 : 200, headers: { 'cache-control': 'no-store' } },
  );
}
