import type { Config } from '@mentora/config';
import { isSecret, type Secret } from '@mentora/config';
import { type CreateLoggerOptions, createLogger } from './create.js';
import type { Logger } from './types.js';

// Default loggers own nothing (stderr is the process's), so one per service name is shared by every
// caller instead of building a winston instance per client or per query builder. Bounded: service
// names are constants in practice, but a caller could make them from data.
const defaults = new Map<string, Logger>();
const MAX_DEFAULTS = 256;

/**
 * The logger a package uses when its caller gave none, the same in every Mentora package: warnings and
 * errors, as JSON lines, on stderr. A failing dependency (Redis down, a flush that failed) is never
 * silent, and a library does not fill its host's output with info lines nobody asked for. Stderr
 * writes are synchronous for files and pipes on Linux, and lines waiting for the end of the turn are
 * written at exit, so nothing is left to flush.
 *
 * Cheap to call: loggers for the same `service` are shared. It has no `close()` (it owns nothing).
 */
export function createDefaultLogger(service: string): Logger {
  let logger = defaults.get(service);
  if (logger === undefined) {
    const full = createLogger({ service, level: 'warn', format: 'json', destination: process.stderr });
    // Only the contract: a caller of the shared default must not be able to close it for everyone.
    const only = (l: Logger): Logger => ({
      error: l.error,
      warn: l.warn,
      info: l.info,
      debug: l.debug,
      child: (fields) => only(l.child(fields)),
    });
    logger = only(full);
    if (defaults.size >= MAX_DEFAULTS) defaults.clear();
    defaults.set(service, logger);
  }
  return logger;
}

/** Every `Secret` in the configuration, so their values are masked wherever they turn up in a line. */
function configSecrets(value: unknown, out: Secret<unknown>[] = [], depth = 0): Secret<unknown>[] {
  if (isSecret(value)) out.push(value);
  else if (typeof value === 'object' && value !== null && depth < 8)
    for (const v of Object.values(value)) configSecrets(v, out, depth + 1);
  return out;
}

/**
 * Logger options from the validated configuration: `LOG_LEVEL`, JSON lines in production and readable
 * lines otherwise, the environment on every line, and every configured secret masked inside strings.
 */
export function loggerOptionsFromConfig(
  config: Config,
  service: string,
): CreateLoggerOptions & { service: string } {
  return {
    service,
    level: config.monitoring.logLevel,
    format: config.profile === 'production' ? 'json' : 'pretty',
    fields: { environment: config.monitoring.environment },
    redact: { secrets: configSecrets(config) },
  };
}
