/** The subset of a logger this package uses (pino, winston and @mentora/monitoring all fit). */
export interface DbLogger {
  debug?(message: string, meta?: Record<string, unknown>): void;
  warn?(message: string, meta?: Record<string, unknown>): void;
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
