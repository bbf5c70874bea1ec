import type { Config } from '@mentora/config';
import { isSecret, type Secret } from '@mentora/config';
import { type CreateLoggerOptions, createLogger } from './create.js';
import type { Logger } from './types.js';

/**
 * The logger a package uses when its caller gave none, the same in every Mentora package: warnings and
 * errors, as JSON lines, on stderr. A failing dependency (Redis down, a flush that failed) is never
 * silent, and a library does not fill its host's output with info lines nobody asked for.
 */
export function createDefaultLogger(service: string): Logger {
  return createLogger({ service, level: 'warn', format: 'json', destination: process.stderr });
}

/** Every `Secret` in the configuration, so their values are masked wherever they turn up in a line. */
function configSecrets(value: unknown, out: Secret<unknown>[] = []): Secret<unknown>[] {
  if (isSecret(value)) out.push(value);
  else if (typeof value === 'object' && value !== null)
    for (const v of Object.values(value)) configSecrets(v, out);
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
