// job_queue bookkeeping: one row per Inngest run, moved forward by record_job_run (see the migration).
import { callRpc, type Json, type SupabaseClients } from '@mentora/db';
import type { Logger } from '@mentora/monitoring';

export type JobRunStatus = 'running' | 'completed' | 'failed' | 'cancelled';

export interface JobRunReport {
  runId: string;
  functionId: string;
  eventName: string;
  eventId?: string;
  status: JobRunStatus;
  /** Attempts made so far (1 for the first). */
  attempts: number;
  maxAttempts: number;
  payload?: unknown;
  result?: unknown;
  error?: unknown;
}

/** Where run reports go. */
export interface JobRunTracker {
  /** Never rejects: a tracking failure is logged and must not fail the job. */
  record(report: JobRunReport): Promise<void>;
}

function json(value: unknown): Json | undefined {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(JSON.stringify(value ?? null)) as Json;
  } catch {
    return { unserializable: true };
  }
}

/** Tracks runs in job_queue through the service-role client. */
export function createJobRunTracker(options: { db: SupabaseClients; logger: Logger }): JobRunTracker {
  const { db, logger } = options;
  return {
    async record(report) {
      try {
        const args: Record<string, unknown> = {
          p_run_id: report.runId,
          p_function_id: report.functionId,
          p_event_name: report.eventName,
          p_status: report.status,
          p_attempts: report.attempts,
          p_max_attempts: report.maxAttempts,
        };
        if (report.eventId) args.p_event_id = report.eventId;
        if (report.payload !== undefined) args.p_payload = json(report.payload);
        if (report.result !== undefined) args.p_result = json(report.result);
        if (report.error !== undefined) args.p_error = json(report.error);
        // Reports only move a row forward (see record_job_run), so a repeat after a lost answer is harmless.
        await callRpc(db.admin(), 'record_job_run', args as never, { idempotent: true, logger });
      } catch (error) {
        logger.warn('job run tracking failed', { error, runId: report.runId, status: report.status });
      }
    },
  };
}
