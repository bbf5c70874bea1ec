import winston from 'winston';
import { getContext } from '../context.js';
import { LineTransport, type LogDestination } from './destination.js';
import { isLogLevel, LEVEL_SEVERITY } from './levels.js';
import { renderJson, renderPretty } from './line.js';
import { createRedactor, type RedactionOptions } from './redact.js';
import type { LogFields, LogLevel, MentoraLogger } from './types.js';

const MESSAGE = Symbol.for('message');
const passThrough = winston.format((info) => info);

export interface CreateLoggerOptions {
  /** Name of the service or package, on every line (`service`). */
  service: string;
  /** Lines below this level are dropped before any work is done (default `info`). */
  level?: LogLevel;
  /** `json` (one object per line, for production) or `pretty` (for a developer's terminal). Default `json`. */
  format?: 'json' | 'pretty';
  /** Where lines go (default: the process's stdout). Several destinations each get every line. */
  destination?: LogDestination | readonly LogDestination[];
  /** Fields on every line (environment, release…). */
  fields?: LogFields;
  /** Redaction rules; the default masks sensitive keys (password, token, authorization, cookie…). */
  redact?: RedactionOptions;
}

/** What every logger made by one `createLogger` call shares. */
interface Core {
  readonly service: string;
  readonly threshold: number;
  readonly level: LogLevel;
  readonly render: typeof renderJson;
  readonly redact: (value: unknown) => unknown;
  readonly winston: winston.Logger;
  readonly transports: LineTransport[];
  /** Writes handed to destinations, and writes they have taken: flush waits for the second to catch up. */
  issued: number;
  completed: number;
  readonly waiters: { target: number; resolve: () => void }[];
  closed: boolean;
}

/**
 * A winston logger behind the one `Logger` contract: request context (see `runWithContext`) merged into
 * every line, secrets masked, errors serialized with their stack and cause chain, and an awaitable
 * `flush()`/`close()` so a process can exit without losing a line.
 */
export function createLogger(options: CreateLoggerOptions): MentoraLogger {
  const level = options.level ?? 'info';
  if (!isLogLevel(level)) throw new TypeError(`createLogger: unknown level ${String(level)}`);
  const destinations = options.destination === undefined ? [process.stdout] : [options.destination].flat();
  const core: Core = {
    service: options.service,
    threshold: LEVEL_SEVERITY[level],
    level,
    render: options.format === 'pretty' ? renderPretty : renderJson,
    redact: createRedactor(options.redact),
    winston: undefined as unknown as winston.Logger,
    transports: [],
    issued: 0,
    completed: 0,
    waiters: [],
    closed: false,
  };
  const written = () => {
    core.completed += 1;
    while (core.waiters.length > 0 && (core.waiters[0] as { target: number }).target <= core.completed) {
      core.waiters.shift()?.resolve();
    }
  };
  core.transports.push(...(destinations as LogDestination[]).map((d) => new LineTransport(d, written)));
  (core as { winston: winston.Logger }).winston = winston.createLogger({
    levels: LEVEL_SEVERITY as Record<string, number>,
    level,
    // Lines are rendered (and redacted) before they reach winston; its format only passes them on.
    format: passThrough(),
    transports: core.transports,
    exitOnError: false,
  });
  return makeLogger(core, options.fields ?? {});
}

function write(core: Core, level: LogLevel, message: string, bound: LogFields, fields?: LogFields): void {
  if (core.closed || LEVEL_SEVERITY[level] > core.threshold) return;
  // `logger.error('failed', err)` is common enough to honour: the error becomes the `error` field.
  const own = fields instanceof Error ? { error: fields } : fields;
  const context = getContext();
  const merged = context ? { ...context, ...bound, ...own } : own ? { ...bound, ...own } : bound;
  const safe = core.redact(merged) as LogFields;
  const text = core.redact(message) as string;
  const line = core.render({
    level,
    time: new Date().toISOString(),
    service: core.service,
    message: text,
    fields: safe,
  });
  core.issued += core.transports.length;
  core.winston.log({ level, message: text, [MESSAGE]: line });
}

function makeLogger(core: Core, bound: LogFields): MentoraLogger {
  const log = (level: LogLevel) => (message: string, fields?: LogFields) =>
    write(core, level, message, bound, fields);
  const logger: MentoraLogger = {
    level: core.level,
    error: log('error'),
    warn: log('warn'),
    info: log('info'),
    http: log('http'),
    verbose: log('verbose'),
    debug: log('debug'),
    child: (fields) => makeLogger(core, { ...bound, ...fields }),
    isLevelEnabled: (level) => LEVEL_SEVERITY[level] <= core.threshold,
    logInfo: log('info'),
    logError: (message, error, fields) =>
      write(core, 'error', message, bound, error === undefined ? fields : { ...fields, error }),
    logPerformance: (operation, durationMs, fields) => {
      const level: LogLevel = durationMs > 5_000 ? 'warn' : durationMs > 1_000 ? 'info' : 'debug';
      write(core, level, 'Performance metric', bound, { ...fields, operation, durationMs });
    },
    flush: () => flush(core),
    close: () => close(core),
  };
  return logger;
}

/** Waits for the lines issued before the call, not for lines logged meanwhile (a busy logger still flushes). */
function flush(core: Core): Promise<void> {
  if (core.completed >= core.issued) return Promise.resolve();
  return new Promise((resolve) => core.waiters.push({ target: core.issued, resolve }));
}

const closing = new WeakMap<Core, Promise<void>>();

function close(core: Core): Promise<void> {
  let done = closing.get(core);
  if (!done) {
    done = (async () => {
      await flush(core);
      core.closed = true;
      await Promise.all(core.transports.map((t) => t.end_()));
      core.winston.close();
    })();
    closing.set(core, done);
  }
  return done;
}
