import { callRpc } from '@mentora/db';
import { cron } from 'inngest';
import type { FunctionContext } from './deps.js';

/** The retention functions of the infrastructure migration, each returning how many rows it removed. */
export const CLEANUP_FUNCTIONS = [
  'cleanup_old_job_queue_records',
  'cleanup_old_performance_metrics',
  'cleanup_old_api_logs',
] as const;

/**
 * cleanup-old-records: every day at 04:00 UTC, runs each retention function as its own step (a failing
 * one is retried alone). Deleting rows older than a cutoff is idempotent.
 */
export function createCleanupOldRecords({ inngest, deps, middleware }: FunctionContext) {
  return inngest.createFunction(
    {
      id: 'cleanup-old-records',
      name: 'Clean Up Old Records',
      retries: 3,
      triggers: [cron('0 4 * * *')],
      middleware,
    },
    async ({ step }) => {
      const removed: Record<string, number> = {};
      for (const fn of CLEANUP_FUNCTIONS) {
        removed[fn] = await step.run(fn, async () =>
          Number(await callRpc(deps.db.admin(), fn, undefined, { idempotent: true })),
        );
      }
      return removed;
    },
  );
}
