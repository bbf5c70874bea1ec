import { createDefaultLogger, type Logger } from '@mentora/monitoring';

/** What this package logs under when its caller gave no logger: the shared default (warn+, JSON, stderr). */
export function defaultDbLogger(): Logger {
  return createDefaultLogger('@mentora/db');
}

/** One finished database call, for metrics (`performance_metrics`, histograms...). */
export interface QueryEvent {
  target: string;
  operation: string;
  durationMs: number;
  attempts: number;
  ok: boolean;
  /** PostgREST/Postgres code of the final failure, when it failed. */
  pgCode?: string;
}
