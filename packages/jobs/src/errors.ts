// How a Mentora error tells Inngest whether to try again: input that is wrong stays wrong (no retry),
// a rate limit says when to come back (retry after), anything else is retried with backoff.
import {
  AIAPIError,
  errorClassOfKind,
  isMentoraError,
  type MentoraError,
  RateLimitError,
  ServiceUnavailableError,
} from '@mentora/errors';
import { NonRetriableError, RetryAfterError } from 'inngest';

/** Used when a 429 names no retry-after. */
export const DEFAULT_RETRY_AFTER_SECONDS = 60;

// 4xx that another attempt can change: a lost optimistic-lock race (409), a timeout (408), too early (425)
// and too many requests (429, handled as retry-after).
const RETRYABLE_CLIENT_STATUSES = new Set([408, 409, 425, 429]);

function isNonRetriable(error: MentoraError): boolean {
  // A programmer mistake (InvalidArgumentError) cannot be fixed by retrying either.
  if (error.code === 'INVALID_ARGUMENT') return true;
  return error.status >= 400 && error.status < 500 && !RETRYABLE_CLIENT_STATUSES.has(error.status);
}

function retryAfterSeconds(error: MentoraError): number | undefined {
  if (error instanceof RateLimitError) return error.retryAfter || DEFAULT_RETRY_AFTER_SECONDS;
  if (error instanceof AIAPIError && error.upstreamStatus === 429)
    return error.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS;
  if (error instanceof ServiceUnavailableError) return error.retryAfterSeconds;
  return undefined;
}

/**
 * The error to hand to Inngest for `error`: a NonRetriableError for ValidationError, NotFoundError and
 * other 4xx (except 408/409/425/429) and InvalidArgumentError; a RetryAfterError for RateLimitError, an
 * AIAPIError the provider answered 429 to, and a ServiceUnavailableError that knows when to come back;
 * the error itself otherwise. The original is kept as `cause`, so its `code` survives serialization.
 */
export function toInngestError(error: unknown): unknown {
  if (error instanceof NonRetriableError || error instanceof RetryAfterError) return error;
  if (!isMentoraError(error)) return error;
  if (isNonRetriable(error)) return new NonRetriableError(error.message, { cause: error });
  const seconds = retryAfterSeconds(error);
  if (seconds !== undefined) return new RetryAfterError(error.message, seconds * 1000, { cause: error });
  return error;
}

// Inngest keeps only name, message, stack and cause of a step's error once it has been through the
// executor, so a Mentora error comes back by class name: @mentora/errors maps the name to its class.
const WRAPPERS = new Set(['NonRetriableError', 'RetryAfterError', 'StepError']);

/**
 * The stable code of an error as it comes back from Inngest (a StepError whose cause chain carries the
 * serialized original): the first `code` found in the chain, or the code of the first Mentora error
 * class named in it (through NonRetriableError/RetryAfterError wrappers), else the error's name.
 */
export function errorCodeOf(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current !== null && typeof current === 'object'; depth++) {
    const { code, name } = current as { code?: unknown; name?: unknown };
    if (typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,63}$/.test(code)) return code;
    const known = typeof name === 'string' ? errorClassOfKind(name) : undefined;
    if (known) return known.defaultCode;
    if (typeof name === 'string' && name !== 'Error' && !WRAPPERS.has(name)) break;
    current = (current as { cause?: unknown }).cause;
  }
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' && name ? name : 'UNKNOWN_ERROR';
}

/** A JSON-safe summary for job_queue.error: code, name, message and the first cause's message. */
export function errorSummary(error: unknown): {
  code: string;
  name: string;
  message: string;
  cause?: string;
} {
  const e = error as { name?: unknown; message?: unknown; cause?: { message?: unknown } } | null;
  const summary: { code: string; name: string; message: string; cause?: string } = {
    code: errorCodeOf(error),
    name: typeof e?.name === 'string' ? e.name : 'Error',
    message: typeof e?.message === 'string' ? e.message.slice(0, 2000) : String(error).slice(0, 2000),
  };
  const causeMessage = e?.cause?.message;
  if (typeof causeMessage === 'string' && causeMessage !== summary.message)
    summary.cause = causeMessage.slice(0, 2000);
  return summary;
}
