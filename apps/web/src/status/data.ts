// What the status page shows, read from the infrastructure tables with the service-role client (the
// page is rendered on the server; nothing here reaches the browser but the figures).
import { createQueryBuilder } from '@mentora/db';
import type { HealthReport } from '@mentora/monitoring';
import type { Infrastructure } from '../infrastructure';
import { hitRateSeries, latencySeries, type Point, violationSeries } from './series';

export const WINDOW_MS = 30 * 60_000;
const MIN_SPAN_MS = 5 * 60_000;

export interface StatusData {
  health: HealthReport;
  from: number;
  to: number;
  latency: { p50: Point[]; p95: Point[]; requests: number } | null;
  violations: { points: Point[]; total: number } | null;
  hitRate: { points: Point[]; overall: number | null } | null;
}

/** A section that cannot be read shows as unavailable instead of failing the page. */
async function orNull<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch {
    return null;
  }
}

export async function loadStatus(infra: Infrastructure): Promise<StatusData> {
  const to = Date.now();
  const from = to - WINDOW_MS;
  const since = new Date(from).toISOString();
  const admin = infra.db.admin();
  const options = { timeoutMs: 3_000, retry: { attempts: 1 } } as const;
  const [health, latency, violations, hitRate] = await Promise.all([
    infra.healthCheck.run(),
    orNull(async () => {
      const page = await createQueryBuilder(admin, 'api_request_logs', options).list({
        filters: { created_at: { op: 'gte', value: since } },
        orderBy: 'created_at',
        orderDirection: 'desc',
        limit: 999,
        select: ['created_at', 'duration_ms'],
      });
      return latencySeries(page.data);
    }),
    orNull(async () => {
      const page = await createQueryBuilder(admin, 'rate_limit_violations', options).list({
        filters: { last_seen_at: { op: 'gte', value: since } },
        orderBy: 'last_seen_at',
        orderDirection: 'desc',
        limit: 999,
        select: ['last_seen_at', 'violation_count'],
      });
      return violationSeries(page.data);
    }),
    orNull(async () => {
      const page = await createQueryBuilder(admin, 'cache_statistics', options).list({
        filters: { period_end: { op: 'gte', value: since } },
        orderBy: 'period_end',
        orderDirection: 'desc',
        limit: 999,
        select: ['period_end', 'hits', 'misses'],
      });
      return hitRateSeries(page.data);
    }),
  ]);
  // The x axis starts a minute before the oldest point shown (at most WINDOW_MS back, at least
  // MIN_SPAN_MS), so a young deployment's few minutes of data fill the chart instead of its right edge.
  const times = [...(latency?.p50 ?? []), ...(violations?.points ?? []), ...(hitRate?.points ?? [])].map(
    (p) => p.t,
  );
  const oldest = times.length > 0 ? Math.min(...times) - 60_000 : from;
  const start = Math.max(from, Math.min(oldest, to - MIN_SPAN_MS));
  return { health, from: start, to, latency, violations, hitRate };
}
