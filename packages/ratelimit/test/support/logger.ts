import type { LogFields, Logger } from '@mentora/monitoring';

export interface LogLine {
  level: string;
  message: string;
  context?: LogFields;
}

/** A Logger that records lines instead of printing them, so tests can assert what was logged. */
export function recordingLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: string) => (message: string, context?: LogFields) => {
    lines.push({ level, message, ...(context ? { context } : {}) });
  };
  const logger: Logger = {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: () => logger,
  };
  return { logger, lines };
}
