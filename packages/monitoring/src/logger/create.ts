import { InvalidArgumentError } from '@mentora/errors';
import winston from 'winston';
import { getContext } from '../context.js';
import { LineTransport, type LogDestination } from './destination.js';
import { isLogLevel, LEVEL_SEVERITY } from './levels.js';
import { type BoundFields, LineRenderer } from './line.js';
import { compileRedaction, type RedactionOptions } from './redact.js';
import type { LogFields, LogLevel, MentoraLogger } from './types.js';

const MESSAGE = Symbol.for('message');
const LEVEL = Symbol.for('level');

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
  readonly threshold: number;
  readonly level: LogLevel;
  readonly pretty: boolean;
  readonly renderer: LineRenderer;
  readonly winston: winston.Logger;
  readonly transports: LineTransport[];
  /** Lines handed to winston, times the number of destinations; `completed` counts the streams' write callbacks. */
  issued: number;
  completed: number;
  readonly waiters: { target: number; resolve: () => void }[];
  closed: boolean;
  closing: Promise<void> | undefined;
}

/**
 * A winston logger behind the one `Logger` contract: request context (see `runWithContext`) merged into
 * every line, secrets masked, errors serialized with their stack and cause chain, and an awaitable
 * `flush()`/`close()` so a process can exit without losing a line.
 *
 * Lines are rendered (and redacted) by this package, once, before they reach winston; winston routes the
 * rendered line to every destination through its transports. That keeps winston as the engine (its
 * transports and streams) without paying for its format pipeline on every line.
 */
export function createLogger(options: CreateLoggerOptions): MentoraLogger {
  if (typeof options?.service !== 'string' || options.service.length === 0) {
    throw new InvalidArgumentError('createLogger: `service` must be a non-empty string', {
      argument: 'service',
    });
  }
  const level = options.level ?? 'info';
  if (!isLogLevel(level)) {
    throw new InvalidArgumentError(`createLogger: unknown level ${String(level)}`, { argument: 'level' });
  }
  const format = options.format ?? 'json';
  if (format !== 'json' && format !== 'pretty') {
    throw new InvalidArgumentError(`createLogger: unknown format ${String(format)}`, { argument: 'format' });
  }
  const destinations: LogDestination[] =
    options.destination === undefined ? [process.stdout] : [options.destination].flat();
  if (destinations.length === 0) {
    throw new InvalidArgumentError('createLogger: `destination` must name at least one destination', {
      argument: 'destination',
    });
  }
  const core: Core = {
    threshold: LEVEL_SEVERITY[level],
    level,
    pretty: format === 'pretty',
    renderer: new LineRenderer(options.service, compileRedaction(options.redact)),
    winston: undefined as unknown as winston.Logger,
    transports: [],
    issued: 0,
    completed: 0,
    waiters: [],
    closed: false,
    closing: undefined,
  };
  const written = (lines: number) => {
    core.completed += lines;
    const waiters = core.waiters;
    while (waiters.length > 0 && (waiters[0] as { target: number }).target <= core.completed) {
      waiters.shift()?.resolve();
    }
  };
  for (const d of destinations) core.transports.push(new LineTransport(d, written));
  (core as { winston: winston.Logger }).winston = winston.createLogger({
    levels: LEVEL_SEVERITY as Record<string, number>,
    level,
    // Lines arrive rendered; winston's format has nothing left to do.
    format: { transform: (info) => info } as winston.Logform.Format,
    transports: core.transports,
    exitOnError: false,
  });
  const bound = core.renderer.bind(undefined, options.fields ?? {});
  return makeLogger(core, bound);
}

function write(core: Core, level: LogLevel, message: string, bound: BoundFields, fields?: unknown): void {
  if (LEVEL_SEVERITY[level] > core.threshold || core.closed) return;
  const own = normalizeFields(fields);
  const context = getContext();
  const text = typeof message === 'string' ? message : String(message);
  const line = core.pretty
    ? core.renderer.pretty(level, text, own, bound, context)
    : core.renderer.json(level, text, own, bound, context);
  core.issued += core.transports.length;
  // What winston's own log(info) does for an object argument, minus default-meta handling we don't use.
  core.winston.write({ level, message: text, [LEVEL]: level, [MESSAGE]: line });
}

/** `logger.error('failed', err)` is common enough to honour: the error becomes the `error` field. */
function normalizeFields(fields: unknown): LogFields | undefined {
  if (fields === undefined || fields === null) return undefined;
  if (typeof fields !== 'object') return { value: fields };
  if (fields instanceof Error) return { error: fields };
  return fields as LogFields;
}

function makeLogger(core: Core, bound: BoundFields): MentoraLogger {
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
    child: (fields) => makeLogger(core, core.renderer.bind(bound, fields ?? {})),
    isLevelEnabled: (level) => LEVEL_SEVERITY[level] <= core.threshold,
    logInfo: log('info'),
    logError: (message, error, fields) =>
      write(core, 'error', message, bound, error === undefined ? fields : { ...fields, error }),
    logPerformance: (operation, durationMs, fields) => {
      const level: LogLevel = durationMs > 5_000 ? 'warn' : durationMs > 1_000 ? 'info' : 'debug';
      if (LEVEL_SEVERITY[level] > core.threshold) return;
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
  // Lines joined for this turn's write go out now rather than on the next turn.
  for (const t of core.transports) t.writePending();
  return new Promise((resolve) => core.waiters.push({ target: core.issued, resolve }));
}

function close(core: Core): Promise<void> {
  core.closing ??= (async () => {
    await flush(core);
    core.closed = true;
    await Promise.all(core.transports.map((t) => t.end_()));
    core.winston.close();
  })();
  return core.closing;
}
