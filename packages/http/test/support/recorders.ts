// Real implementations of the pipeline's ports that keep what they receive, for assertions.
import type { ApiRequestLogRow, CaptureContext, ErrorReporter, Logger } from '@mentora/monitoring';
import { createMetrics, getContext, type Metrics } from '@mentora/monitoring';

export interface LogLine {
  level: 'error' | 'warn' | 'info' | 'debug';
  message: string;
  fields: Record<string, unknown>;
}

/** A Logger keeping every line with its own fields, the child fields and the request context. */
export function recordingLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const make = (bound: Record<string, unknown>): Logger => {
    const at =
      (level: LogLine['level']) =>
      (message: string, fields: Record<string, unknown> = {}) =>
        void lines.push({ level, message, fields: { ...getContext(), ...bound, ...fields } });
    return {
      error: at('error'),
      warn: at('warn'),
      info: at('info'),
      debug: at('debug'),
      child: (fields) => make({ ...bound, ...fields }),
    };
  };
  return { logger: make({}), lines };
}

/** An ErrorReporter counting what it was asked to report (the Sentry one takes the same calls). */
export function countingReporter(): ErrorReporter & {
  captured: Array<{ error: unknown; context?: CaptureContext }>;
} {
  const captured: Array<{ error: unknown; context?: CaptureContext }> = [];
  return {
    captured,
    captureException(error, context) {
      captured.push(context === undefined ? { error } : { error, context });
      return `event-${captured.length}`;
    },
    flush: async () => true,
    close: async () => true,
  };
}

/** The real metrics batching in front of a writer that keeps api_request_logs rows in memory. */
export function memoryMetrics(): { metrics: Metrics; rows: ApiRequestLogRow[] } {
  const rows: ApiRequestLogRow[] = [];
  const metrics = createMetrics({
    writers: {
      apiRequestLogs: async (batch) => {
        rows.push(...batch);
      },
    },
  });
  return { metrics, rows };
}
