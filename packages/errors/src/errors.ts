import { type ErrorContext, MentoraError, type MentoraErrorOptions } from './base.js';

/** Options of the concrete classes: the base options with free-form extra context. */
export type ErrorInit = Omit<MentoraErrorOptions, 'context'> & { context?: ErrorContext };

// ---------------------------------------------------------------------------------------------------------
// 4xx
// ---------------------------------------------------------------------------------------------------------

/** One invalid input, as given by the caller (a Standard Schema issue fits). */
export interface ValidationIssueInput {
  message: string;
  /** Dotted path (`user.email`), JSON pointer (`#/user/email`, `/user/email`) or path segments. */
  path?: string | ReadonlyArray<PropertyKey | { readonly key: PropertyKey }>;
  code?: string;
}

/** One invalid input, normalised: the RFC 9457 `errors` member shape. */
export interface ValidationIssue {
  /** JSON pointer into the request (`#/user/email`); `#` for the whole input. */
  pointer: string;
  detail: string;
  code?: string;
}

export interface ValidationContext extends ErrorContext {
  issues: ValidationIssue[];
}

function escapePointerSegment(s: string): string {
  return s.replaceAll('~', '~0').replaceAll('/', '~1');
}

function toPointer(path: ValidationIssueInput['path']): string {
  if (path === undefined) return '#';
  if (typeof path === 'string') {
    if (path === '' || path === '#') return '#';
    if (path.startsWith('#/')) return path;
    if (path.startsWith('/')) return `#${path}`;
    return `#/${path.split('.').map(escapePointerSegment).join('/')}`;
  }
  if (path.length === 0) return '#';
  const segs = path.map((seg) => {
    const key = typeof seg === 'object' && seg !== null ? seg.key : seg;
    return escapePointerSegment(typeof key === 'symbol' ? (key.description ?? '') : String(key));
  });
  return `#/${segs.join('/')}`;
}

/** Normalise caller-given issues to the `{ pointer, detail, code? }` shape. */
export function normalizeValidationIssues(issues: ReadonlyArray<ValidationIssueInput>): ValidationIssue[] {
  return issues.map((i) => {
    const out: ValidationIssue = { pointer: toPointer(i.path), detail: String(i.message) };
    if (i.code !== undefined) out.code = String(i.code);
    return out;
  });
}

/** 400 — the input is invalid. `issues` are rendered as the problem's `errors` member. */
export class ValidationError extends MentoraError<ValidationContext> {
  static override readonly kind: string = 'ValidationError';
  static override readonly defaultCode: string = 'VALIDATION_FAILED';
  static override readonly defaultStatus: number = 400;
  static override readonly title: string = 'Validation failed';

  constructor(
    message = 'The request is invalid',
    options: ErrorInit & { issues?: ValidationIssueInput[] } = {},
  ) {
    const { issues = [], context, ...rest } = options;
    super(message, { ...rest, context: { ...context, issues: normalizeValidationIssues(issues) } });
  }

  /** Build from Standard Schema (zod, valibot, arktype…) issues. */
  static fromIssues(
    issues: ReadonlyArray<ValidationIssueInput>,
    message?: string,
    options: ErrorInit = {},
  ): ValidationError {
    const text =
      message ??
      (issues.length === 1
        ? `Invalid input: ${issues[0]?.message}`
        : `Invalid input: ${issues.length} problems`);
    return new ValidationError(text, { ...options, issues: [...issues] });
  }

  get issues(): ValidationIssue[] {
    return this.context.issues;
  }

  override problemExtensions(): Record<string, unknown> {
    return { errors: this.context.issues };
  }
}

export interface NotFoundContext extends ErrorContext {
  resource?: string;
  id?: string;
}

/** 404 — the resource does not exist (or the caller may not know that it does). */
export class NotFoundError extends MentoraError<NotFoundContext> {
  static override readonly kind: string = 'NotFoundError';
  static override readonly defaultCode: string = 'NOT_FOUND';
  static override readonly defaultStatus: number = 404;
  static override readonly title: string = 'Not found';

  constructor(message = 'Resource not found', options: ErrorInit & { resource?: string; id?: string } = {}) {
    const { resource, id, context, ...rest } = options;
    const ctx: NotFoundContext = { ...context };
    if (resource !== undefined) ctx.resource = resource;
    if (id !== undefined) ctx.id = id;
    super(message, { ...rest, context: ctx });
  }
}

/** 409 — the request conflicts with the current state (lost optimistic-lock race, duplicate key…). */
export class ConflictError extends MentoraError {
  static override readonly kind: string = 'ConflictError';
  static override readonly defaultCode: string = 'CONFLICT';
  static override readonly defaultStatus: number = 409;
  static override readonly title: string = 'Conflict';

  constructor(message = 'The request conflicts with the current state', options: ErrorInit = {}) {
    super(message, options);
  }
}

/** 401 — no or invalid credentials. */
export class UnauthorizedError extends MentoraError {
  static override readonly kind: string = 'UnauthorizedError';
  static override readonly defaultCode: string = 'UNAUTHORIZED';
  static override readonly defaultStatus: number = 401;
  static override readonly title: string = 'Unauthorized';

  constructor(message = 'Authentication required', options: ErrorInit = {}) {
    super(message, options);
  }
}

/** 403 — authenticated, but not allowed. */
export class ForbiddenError<C extends ErrorContext = ErrorContext> extends MentoraError<C> {
  static override readonly kind: string = 'ForbiddenError';
  static override readonly defaultCode: string = 'FORBIDDEN';
  static override readonly defaultStatus: number = 403;
  static override readonly title: string = 'Forbidden';

  constructor(message = 'You are not allowed to do this', options: MentoraErrorOptions<C> = {}) {
    super(message, options);
  }
}

export interface FeatureGateContext extends ErrorContext {
  feature: string;
  requiredPlan: string;
  currentPlan: string;
}

/** 403 — the feature needs a higher plan. A `ForbiddenError`. */
export class FeatureGateError extends ForbiddenError<FeatureGateContext> {
  static override readonly kind: string = 'FeatureGateError';
  static override readonly defaultCode: string = 'FEATURE_NOT_AVAILABLE';
  static override readonly title: string = 'Feature not available on your plan';

  constructor(feature: string, requiredPlan: string, currentPlan: string, options: ErrorInit = {}) {
    const { context, ...rest } = options;
    super(`The feature "${feature}" requires the ${requiredPlan} plan (current plan: ${currentPlan})`, {
      ...rest,
      context: { ...context, feature, requiredPlan, currentPlan },
    });
  }

  get feature(): string {
    return this.context.feature;
  }
  get requiredPlan(): string {
    return this.context.requiredPlan;
  }
  get currentPlan(): string {
    return this.context.currentPlan;
  }

  override problemExtensions(): Record<string, unknown> {
    const { feature, requiredPlan, currentPlan } = this.context;
    return { feature, requiredPlan, currentPlan };
  }
}

export interface RateLimitContext extends ErrorContext {
  limit: number;
  window: string;
  /** Seconds until a retry can succeed. */
  retryAfter: number;
}

function toRetrySeconds(retryAfter: number | Date | undefined): number {
  if (retryAfter instanceof Date) return Math.max(0, Math.ceil((retryAfter.getTime() - Date.now()) / 1000));
  if (typeof retryAfter === 'number' && Number.isFinite(retryAfter))
    return Math.max(0, Math.ceil(retryAfter));
  return 0;
}

/** 429 — too many requests. `retryAfter` is seconds (or the Date when the window resets). */
export class RateLimitError extends MentoraError<RateLimitContext> {
  static override readonly kind: string = 'RateLimitError';
  static override readonly defaultCode: string = 'RATE_LIMITED';
  static override readonly defaultStatus: number = 429;
  static override readonly defaultRetryable: boolean = true;
  static override readonly title: string = 'Too many requests';

  constructor(limit: number, window: string, retryAfter: number | Date, options: ErrorInit = {}) {
    const seconds = toRetrySeconds(retryAfter);
    const { context, ...rest } = options;
    super(`Rate limit exceeded: ${limit} requests per ${window}. Retry after ${seconds}s.`, {
      ...rest,
      context: { ...context, limit, window, retryAfter: seconds },
    });
  }

  get limit(): number {
    return this.context.limit;
  }
  get window(): string {
    return this.context.window;
  }
  get retryAfter(): number {
    return this.context.retryAfter;
  }

  override problemExtensions(): Record<string, unknown> {
    const { limit, window, retryAfter } = this.context;
    return { limit, window, retryAfter };
  }
}

// ---------------------------------------------------------------------------------------------------------
// 5xx
// ---------------------------------------------------------------------------------------------------------

/** 500 — a database operation failed. Pass `retryable: true` for transient failures. */
export class DatabaseError extends MentoraError {
  static override readonly kind: string = 'DatabaseError';
  static override readonly defaultCode: string = 'DATABASE_ERROR';
  static override readonly title: string = 'Internal Server Error';

  /** `new DatabaseError('Failed to fetch user', { userId }, { cause, retryable })` */
  constructor(message = 'Database operation failed', context: ErrorContext = {}, options: ErrorInit = {}) {
    const { context: extra, ...rest } = options;
    super(message, { ...rest, context: { ...extra, ...context } });
  }
}

export interface AIAPIContext extends ErrorContext {
  provider: string;
  /** Status the AI provider answered with, when it answered. */
  upstreamStatus?: number;
}

const RETRYABLE_UPSTREAM = new Set([408, 409, 425, 429, 500, 502, 503, 504, 529]);

/**
 * An AI provider call failed. `status` is the provider's status (or the gateway status you want to map to):
 * timeouts (408, 504) → 504; overload (429, 503, 529) → 503; anything else → 502. Retryable for
 * timeouts, overload, 5xx and network failures (no status).
 */
export class AIAPIError extends MentoraError<AIAPIContext> {
  static override readonly kind: string = 'AIAPIError';
  static override readonly defaultCode: string = 'AI_API_ERROR';
  static override readonly defaultStatus: number = 502;
  static override readonly title: string = 'Bad Gateway';

  constructor(provider: string, message: string, status?: number, options: ErrorInit = {}) {
    const { context, ...rest } = options;
    const ctx: AIAPIContext = { ...context, provider };
    if (status !== undefined) ctx.upstreamStatus = status;
    const httpStatus =
      status === 408 || status === 504 ? 504 : status === 429 || status === 503 || status === 529 ? 503 : 502;
    super(`${provider}: ${message}`, {
      status: httpStatus,
      retryable: status === undefined || RETRYABLE_UPSTREAM.has(status),
      ...rest,
      context: ctx,
    });
  }

  get provider(): string {
    return this.context.provider;
  }
  get upstreamStatus(): number | undefined {
    return this.context.upstreamStatus;
  }
}

export interface InvalidArgumentContext extends ErrorContext {
  /** The parameter or option that was unusable (e.g. `ttlMs`, `options.cost`). */
  argument?: string;
}

/**
 * 500 — server code passed a function an argument or option it cannot use (a negative TTL, an empty key,
 * an unserializable value). A programmer mistake, not client input: at the HTTP edge it renders as a
 * generic 500 that shows nothing, and retrying cannot help. Values read from the environment are
 * `ConfigError`s instead; client input is a `ValidationError` (400).
 */
export class InvalidArgumentError extends MentoraError<InvalidArgumentContext> {
  static override readonly kind: string = 'InvalidArgumentError';
  static override readonly defaultCode: string = 'INVALID_ARGUMENT';
  static override readonly title: string = 'Internal Server Error';

  constructor(message = 'Invalid argument', options: ErrorInit & { argument?: string } = {}) {
    const { argument, context, ...rest } = options;
    const ctx: InvalidArgumentContext = { ...context };
    if (argument !== undefined) ctx.argument = argument;
    super(message, { ...rest, context: ctx });
  }
}

/** One configuration problem: a variable's name and what is wrong (never its value). */
export interface ConfigIssue {
  variable: string;
  message: string;
}

export interface ConfigContext extends ErrorContext {
  issues: ConfigIssue[];
}

/** 500 — configuration is missing or invalid. Lists variable names and problems, never values. */
export class ConfigError extends MentoraError<ConfigContext> {
  static override readonly kind: string = 'ConfigError';
  static override readonly defaultCode: string = 'CONFIG_INVALID';
  static override readonly title: string = 'Internal Server Error';

  constructor(message = 'Invalid configuration', options: ErrorInit & { issues?: ConfigIssue[] } = {}) {
    const { issues = [], context, ...rest } = options;
    super(message, { ...rest, context: { ...context, issues: issues.map((i) => ({ ...i })) } });
  }

  get issues(): ConfigIssue[] {
    return this.context.issues;
  }
}

export interface ServiceUnavailableContext extends ErrorContext {
  service?: string;
  retryAfter?: number;
}

/** 503 — a dependency is down or overloaded; retryable. `retryAfter` (seconds) drives `Retry-After`. */
export class ServiceUnavailableError extends MentoraError<ServiceUnavailableContext> {
  static override readonly kind: string = 'ServiceUnavailableError';
  static override readonly defaultCode: string = 'SERVICE_UNAVAILABLE';
  static override readonly defaultStatus: number = 503;
  static override readonly defaultRetryable: boolean = true;
  static override readonly title: string = 'Service Unavailable';

  constructor(
    message = 'Service temporarily unavailable',
    options: ErrorInit & { service?: string; retryAfter?: number | Date } = {},
  ) {
    const { service, retryAfter, context, ...rest } = options;
    const ctx: ServiceUnavailableContext = { ...context };
    if (service !== undefined) ctx.service = service;
    if (retryAfter !== undefined) ctx.retryAfter = toRetrySeconds(retryAfter);
    super(message, { ...rest, context: ctx });
  }

  override problemExtensions(): Record<string, unknown> {
    return this.context.retryAfter === undefined ? {} : { retryAfter: this.context.retryAfter };
  }
}
