// Periodic maintenance the worker owns until @mentora/jobs schedules it: the retention functions of
// supabase/migrations (each returns how many rows it removed).
import { callRpc, type SupabaseClients } from '@mentora/db';

export const CLEANUP_FUNCTIONS = [
  'cleanup_old_job_queue_records',
  'cleanup_old_performance_metrics',
  'cleanup_old_api_logs',
] as const;

export type CleanupReport = Record<(typeof CLEANUP_FUNCTIONS)[number], number>;

export async function runCleanup(db: SupabaseClients): Promise<CleanupReport> {
  const report = {} as CleanupReport;
  for (const fn of CLEANUP_FUNCTIONS) {
    // Deleting rows older than a cutoff is idempotent: a retry after a lost answer removes nothing twice.
    report[fn] = Number(await callRpc(db.admin(), fn, undefined, { idempotent: true }));
  }
  return report;
}
