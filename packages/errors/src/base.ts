import { errorJson } from './json.js';

/**
 * The base of the Mentora error hierarchy.
 *
 * Every instance carries a brand under `Symbol.for('mentora.error')`: the chain of class kinds from its own
 * class up to `MentoraError` (e.g. `['RateLimitError', 'MentoraError']`). `Symbol.for` returns the same
 * symbol in every realm and every copy of this package, so `instanceof` keeps working when an error made by
 * the CJS build meets the ESM class (or two installed versions meet), while subclasses still discriminate.
 */

/** Global brand: `Symbol.for` makes it identical across builds, bundles and package versions. */
export const MENTORA_ERROR_BRAND: unique symbol = Symbol.for('mentora.error') as never;

/** Typed, JSON-friendly facts about an error. Never put secrets here: it is logged. */
export type ErrorContext = Record<string, unknown>;

export interface MentoraErrorOptions<C extends ErrorContext = ErrorContext> {
  /** Stable machine-readable code (UPPER_SNAKE_CASE). Defaults to the class's code. */
  code?: string;
  /** HTTP status (400–599). Defaults to the class's status. */
  status?: number;
  /** Whether repeating the same operation later may succeed. Defaults to the class's value. */
  retryable?: boolean;
  /**
   * Whether `message` may be shown to the client. Defaults to true for 4xx and false for 5xx;
   * a 5xx message is only ever shown when this is explicitly `true`.
   */
  expose?: boolean;
  /** Structured facts for logs and handlers (never secrets). */
  context?: C;
  /** The underlying error (native `ErrorOptions.cause`). */
  cause?: unknown;
}

/** A class of the hierarchy as a value: what the registry, `is()` and the brand checks work with. */
export interface MentoraErrorClass<E extends MentoraError = MentoraError> {
  // biome-ignore lint/suspicious/noExplicitAny: constructor signatures differ per class
  new (...args: any[]): E;
  readonly prototype: E;
  readonly kind: string;
  readonly defaultCode: string;
  readonly defaultStatus: number;
  readonly defaultRetryable: boolean;
  readonly title: string;
}

const kindChains = new WeakMap<object, readonly string[]>();

/** The kinds from `ctor` up to MentoraError, counting only classes that declare their own `kind`. */
export function kindChainOf(ctor: object): readonly string[] {
  const cached = kindChains.get(ctor);
  if (cached) return cached;
  const chain: string[] = [];
  for (let c: unknown = ctor; typeof c === 'function' && c !== Error; c = Object.getPrototypeOf(c)) {
    if (Object.hasOwn(c, 'kind')) {
      const kind = (c as unknown as { kind: unknown }).kind;
      if (typeof kind === 'string' && !chain.includes(kind)) chain.push(kind);
    }
  }
  const frozen = Object.freeze(chain);
  kindChains.set(ctor, frozen);
  return frozen;
}

/** The brand chain of a value, or undefined when it is not a Mentora error (from any build). */
export function brandOf(value: unknown): readonly string[] | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const chain = (value as { [MENTORA_ERROR_BRAND]?: unknown })[MENTORA_ERROR_BRAND];
  return Array.isArray(chain) ? (chain as string[]) : undefined;
}

/** Set the (non-enumerable, non-serialized) brand on an instance. */
export function setBrand(target: object, chain: readonly string[]): void {
  Object.defineProperty(target, MENTORA_ERROR_BRAND, {
    value: Object.freeze([...chain]),
    enumerable: false,
    writable: false,
    configurable: true,
  });
}

/** Prototype match, or a brand whose kind chain contains `ctor`'s own kind. */
function brandedHasInstance(ctor: object, value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (Function.prototype[Symbol.hasInstance].call(ctor, value)) return true;
  const chain = brandOf(value);
  if (!chain || !Object.hasOwn(ctor, 'kind')) return false;
  return chain.includes((ctor as { kind: string }).kind);
}

function normalizeStatus(status: unknown, fallback: number): number {
  return typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 599
    ? status
    : fallback;
}

export class MentoraError<C extends ErrorContext = ErrorContext> extends Error {
  /** Class identifier used for the brand, `name`, serialization and cross-build `instanceof`. */
  static readonly kind: string = 'MentoraError';
  static readonly defaultCode: string = 'INTERNAL_ERROR';
  static readonly defaultStatus: number = 500;
  static readonly defaultRetryable: boolean = false;
  /** RFC 9457 `title`: short, the same for every occurrence of the problem type. */
  static readonly title: string = 'Internal Server Error';

  /**
   * `instanceof` that works across the ESM and CJS builds (and across package copies): a real prototype
   * match, or a brand whose class chain contains this class's kind.
   */
  static override [Symbol.hasInstance](this: object, value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class `instanceof` was asked about
    return brandedHasInstance(this, value);
  }

  /** Stable machine-readable code, e.g. `RATE_LIMITED`. */
  readonly code: string;
  /** HTTP status this error maps to. */
  readonly status: number;
  /** Whether the same operation may succeed if tried again later. */
  readonly retryable: boolean;
  /** Whether `message` may be shown to clients. */
  readonly expose: boolean;
  /** Structured facts (typed per class). */
  readonly context: C;

  constructor(message: string, options: MentoraErrorOptions<C> = {}) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    const ctor = new.target as unknown as MentoraErrorClass;
    const chain = kindChainOf(ctor);
    this.name = Object.hasOwn(ctor, 'kind') ? ctor.kind : ctor.name || chain[0] || 'MentoraError';
    this.code = options.code ?? ctor.defaultCode;
    this.status = normalizeStatus(options.status, ctor.defaultStatus);
    this.retryable = options.retryable ?? ctor.defaultRetryable;
    this.expose = options.expose ?? this.status < 500;
    this.context = (options.context ?? {}) as C;
    setBrand(this, chain);
  }

  /**
   * What `JSON.stringify` and JSON loggers print: name, message, code, status, retryable, expose, context
   * and the cause chain (no stack). Never throws, whatever the context holds. For queues use
   * `serializeError`, which keeps stacks and rebuilds the class on the other side.
   */
  toJSON(): Record<string, unknown> {
    return errorJson(this, new WeakSet<object>([this]), 0);
  }

  /** The kinds of this error's class chain (from the brand), e.g. `['NotFoundError', 'MentoraError']`. */
  get kinds(): readonly string[] {
    return brandOf(this) ?? ['MentoraError'];
  }

  /**
   * Extension members safe to put in an RFC 9457 body (besides `code`). Subclasses override it; the
   * renderer drops reserved names and, for 5xx, keeps only `retryAfter`.
   */
  problemExtensions(): Record<string, unknown> {
    return {};
  }

  /** Seconds after which a retry makes sense, when known (drives `Retry-After`). */
  get retryAfterSeconds(): number | undefined {
    const v = (this.context as { retryAfter?: unknown }).retryAfter;
    return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.ceil(v) : undefined;
  }
}

/** True for any Mentora error, from any build or copy of this package. */
export function isMentoraError(value: unknown): value is MentoraError {
  return brandOf(value) !== undefined;
}
