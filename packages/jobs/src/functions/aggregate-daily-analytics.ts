import { callRpc } from '@mentora/db';
import { cron } from 'inngest';
import { events } from '../events.js';
import type { FunctionContext } from './deps.js';

/** The UTC day before `timestampMs`, as YYYY-MM-DD. */
export function previousUtcDay(timestampMs: number): string {
  return new Date(timestampMs - 86_400_000).toISOString().slice(0, 10);
}

/**
 * aggregate-daily-analytics: every day at 02:00 UTC (or on `analytics/daily.aggregate`), rolls up the
 * previous UTC day (or the event's `date`) with aggregate_daily_metrics, which replaces that day's rows,
 * so a re-run never double-counts.
 */
export function createAggregateDailyAnalytics({ inngest, deps, middleware }: FunctionContext) {
  return inngest.createFunction(
    {
      id: 'aggregate-daily-analytics',
      name: 'Aggregate Daily Analytics',
      retries: 3,
      triggers: [cron('0 2 * * *'), events['analytics/daily.aggregate']],
      middleware,
    },
    async ({ event, step }) => {
      const requested =
        event.name === 'analytics/daily.aggregate' ? (event.data as { date?: string }).date : undefined;
      // The day is fixed once per run (memoized), from the event's time: a retry the next morning still
      // rolls up the same day.
      const date = await step.run('resolve-date', () => requested ?? previousUtcDay(event.ts ?? Date.now()));
      const metricsCount = await step.run('aggregate-metrics', async () => {
        const rows = await callRpc(
          deps.db.admin(),
          'aggregate_daily_metrics',
          { target_date: date },
          { idempotent: true },
        );
        return Array.isArray(rows) ? rows.length : 0;
      });
      return { date, metricsCount };
    },
  );
}
