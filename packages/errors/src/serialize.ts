import { brandOf, type ErrorContext, MentoraError, type MentoraErrorClass, setBrand } from './base.js';
import {
  AIAPIError,
  ConfigError,
  ConflictError,
  DatabaseError,
  FeatureGateError,
  ForbiddenError,
  InvalidArgumentError,
  NotFoundError,
  RateLimitError,
  ServiceUnavailableError,
  UnauthorizedError,
  ValidationError,
} from './errors.js';
import { toJsonSafe } from './json.js';

/** A JSON-safe error, for queues and job payloads. Produced by `serializeError`. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  /** Brand chain (class kinds, most specific first); present for Mentora errors only. */
  kinds?: string[];
  code?: string;
  status?: number;
  retryable?: boolean;
  expose?: boolean;
  context?: Record<string, unknown>;
  cause?: SerializedCause;
  /** Members of an AggregateError. */
  errors?: SerializedCause[];
}

/** A cause is either an error or any other (JSON-safe) value. */
export type SerializedCause = { error: SerializedError } | { value: unknown };

export interface SerializeOptions {
  /** Include stacks (default true). */
  stack?: boolean;
  /** How deep to follow `cause` chains (default 16). */
  maxDepth?: number;
}

const builtIns: MentoraErrorClass[] = [
  MentoraError as unknown as MentoraErrorClass,
  ValidationError,
  NotFoundError,
  ConflictError,
  UnauthorizedError,
  ForbiddenError,
  FeatureGateError,
  RateLimitError,
  DatabaseError,
  AIAPIError,
  ConfigError,
  InvalidArgumentError,
  ServiceUnavailableError,
];

const registry = new Map<string, MentoraErrorClass>(builtIns.map((c) => [c.kind, c]));

/**
 * Make a subclass known to `deserializeError` (by its static `kind`). Built-ins are registered already;
 * an unregistered subclass deserializes to its nearest registered ancestor, keeping its name and brand.
 */
export function registerErrorClass(cls: MentoraErrorClass): void {
  if (typeof cls?.kind !== 'string' || !Object.hasOwn(cls, 'kind')) {
    throw new TypeError('registerErrorClass: the class must declare its own static `kind`');
  }
  registry.set(cls.kind, cls);
}

/**
 * The Mentora error class registered under `kind` (a built-in's class name, or a registered subclass's
 * static `kind`), for code that only has an error's name left, such as a job executor that keeps name,
 * message and stack of a step's error.
 */
export function errorClassOfKind(kind: string): MentoraErrorClass | undefined {
  return registry.get(kind);
}

const nativeErrors: Record<string, ErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

function isErrorLike(value: unknown): value is Error {
  if (value instanceof Error) return true;
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Error).message === 'string' &&
    typeof (value as Error).name === 'string' &&
    (brandOf(value) !== undefined || typeof (value as Error).stack === 'string')
  );
}

function serializeCause(value: unknown, opts: Required<SerializeOptions>, seen: Set<unknown>, depth: number) {
  if (isErrorLike(value)) {
    if (seen.has(value) || depth >= opts.maxDepth) {
      return { value: `[${seen.has(value) ? 'Circular' : 'MaxDepth'}: ${value.name}]` };
    }
    return { error: serializeInner(value, opts, seen, depth) };
  }
  return { value: toJsonSafe(value, new WeakSet(), 0) ?? null };
}

function serializeInner(
  err: Error,
  opts: Required<SerializeOptions>,
  seen: Set<unknown>,
  depth: number,
): SerializedError {
  seen.add(err);
  const out: SerializedError = { name: String(err.name ?? 'Error'), message: String(err.message ?? '') };
  if (opts.stack && typeof err.stack === 'string') out.stack = err.stack;
  const kinds = brandOf(err);
  const anyErr = err as unknown as Record<string, unknown>;
  if (kinds) {
    const m = err as MentoraError;
    out.kinds = [...kinds];
    out.code = m.code;
    out.status = m.status;
    out.retryable = m.retryable;
    out.expose = m.expose;
    out.context = (toJsonSafe(m.context ?? {}, new WeakSet(), 0) ?? {}) as Record<string, unknown>;
  } else {
    if (typeof anyErr.code === 'string' || typeof anyErr.code === 'number') out.code = String(anyErr.code);
    const status = anyErr.status ?? anyErr.statusCode;
    if (typeof status === 'number') out.status = status;
  }
  if ('cause' in err && err.cause !== undefined) out.cause = serializeCause(err.cause, opts, seen, depth + 1);
  if (Array.isArray(anyErr.errors) && (err instanceof AggregateError || err.name === 'AggregateError')) {
    out.errors = (anyErr.errors as unknown[]).map((e) => serializeCause(e, opts, seen, depth + 1));
  }
  seen.delete(err);
  return out;
}

/**
 * Turn any thrown value into a JSON-safe record: class (brand chain), name, code, status, retryable,
 * expose, context, message, stack and the whole cause chain. `deserializeError` reverses it.
 */
export function serializeError(err: unknown, options: SerializeOptions = {}): SerializedError {
  const opts: Required<SerializeOptions> = { stack: options.stack ?? true, maxDepth: options.maxDepth ?? 16 };
  if (isErrorLike(err)) return serializeInner(err, opts, new Set(), 0);
  // A thrown non-error (string, object…): keep it as the cause of a generic record.
  return {
    name: 'NonError',
    message: typeof err === 'string' ? err : 'A non-error value was thrown',
    cause: { value: toJsonSafe(err, new WeakSet(), 0) ?? null },
  };
}

function isSerializedError(v: unknown): v is SerializedError {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as SerializedError).name === 'string' &&
    typeof (v as SerializedError).message === 'string'
  );
}

function deserializeCause(c: SerializedCause | undefined, depth: number): unknown {
  if (!c || typeof c !== 'object') return undefined;
  if ('error' in c && isSerializedError(c.error)) return deserializeInner(c.error, depth + 1);
  if ('value' in c) return c.value;
  return undefined;
}

function define(target: object, key: string, value: unknown, enumerable: boolean): void {
  Object.defineProperty(target, key, { value, enumerable, writable: true, configurable: true });
}

function deserializeInner(rec: SerializedError, depth: number): Error {
  const hasCause = rec.cause !== undefined && depth < 64;
  const cause = hasCause ? deserializeCause(rec.cause, depth) : undefined;
  const causeOpt = hasCause ? { cause } : undefined;
  const message = String(rec.message);
  // Only `serializeError` of a branded error writes `kinds`. Anything else was a foreign error and comes
  // back as a plain Error: turning it into a Mentora error would make its `status` and message trusted
  // (a library's 400 would render its internal message), and its name could even match one of ours.
  const isMentora = Array.isArray(rec.kinds);

  let err: Error;
  if (!isMentora) {
    err =
      rec.name === 'AggregateError'
        ? new AggregateError([], message, causeOpt)
        : new (nativeErrors[rec.name] ?? Error)(message, causeOpt);
    if (rec.code !== undefined) define(err, 'code', rec.code, true);
    if (typeof rec.status === 'number') define(err, 'status', rec.status, true);
  } else {
    const kinds = rec.kinds && rec.kinds.length > 0 ? rec.kinds.map(String) : [rec.name];
    let cls = MentoraError as unknown as MentoraErrorClass;
    for (const k of kinds) {
      const found = registry.get(k);
      if (found) {
        cls = found;
        break;
      }
    }
    // Build a real Error object with the class's prototype, without running its constructor
    // (constructor signatures differ per class; the record already holds the final state).
    err = Reflect.construct(Error, causeOpt ? [message, causeOpt] : [message], cls) as Error;
    const status =
      typeof rec.status === 'number' && Number.isInteger(rec.status) && rec.status >= 400 && rec.status <= 599
        ? rec.status
        : cls.defaultStatus;
    define(err, 'name', rec.name, true);
    define(err, 'code', typeof rec.code === 'string' && rec.code ? rec.code : cls.defaultCode, true);
    define(err, 'status', status, true);
    define(err, 'retryable', typeof rec.retryable === 'boolean' ? rec.retryable : cls.defaultRetryable, true);
    define(err, 'expose', typeof rec.expose === 'boolean' ? rec.expose : status < 500, true);
    define(
      err,
      'context',
      typeof rec.context === 'object' && rec.context !== null ? (rec.context as ErrorContext) : {},
      true,
    );
    const chain = kinds.includes('MentoraError') ? kinds : [...kinds, 'MentoraError'];
    setBrand(err, chain);
  }
  if (err.name !== rec.name) define(err, 'name', rec.name, false);
  define(err, 'stack', typeof rec.stack === 'string' ? rec.stack : `${rec.name}: ${message}`, false);
  if (Array.isArray(rec.errors) && err instanceof AggregateError) {
    define(
      err,
      'errors',
      rec.errors.map((e) => deserializeCause(e, depth)),
      false,
    );
  }
  return err;
}

/**
 * Rebuild an error from `serializeError` output: the registered class (so `instanceof` and `retryable`
 * work in the receiving process), code, status, retryable, expose, context, message, stack and causes.
 * Unknown Mentora class names come back as `MentoraError` (or their nearest registered ancestor) with the
 * original `name` kept. Errors that were not Mentora errors come back as plain (or native) errors with
 * their name, code and status, so they render and retry exactly as before the trip.
 */
export function deserializeError(record: SerializedError | unknown): Error {
  if (!isSerializedError(record)) {
    return new MentoraError('Malformed serialized error', { context: {} });
  }
  return deserializeInner(record, 0);
}
