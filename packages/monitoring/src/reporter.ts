/** Who and what an error report is about. */
export interface CaptureContext {
  userId?: string;
  creatorId?: string;
  membershipId?: string;
  requestId?: string;
  /** Indexed, searchable tags. */
  tags?: Record<string, string>;
  /** Free-form facts; redacted before they leave the process. */
  extra?: Record<string, unknown>;
}

/**
 * Where unexpected errors are reported. `@mentora/monitoring/sentry` provides the Sentry one; packages
 * that report errors (the HTTP pipeline, the job runner) take this interface, never the Sentry SDK.
 */
export interface ErrorReporter {
  /** Reports `error` unless it is an expected one (a 4xx `MentoraError`); returns the event id when sent. */
  captureException(error: unknown, context?: CaptureContext): string | undefined;
  /** Sends what is queued; resolves false when `timeoutMs` passed first. */
  flush(timeoutMs?: number): Promise<boolean>;
  /** Flushes and stops reporting. */
  close(timeoutMs?: number): Promise<boolean>;
}
