import type { MentoraError } from '@mentora/errors';
import { ServiceUnavailableError } from '@mentora/errors';
import type { Logger } from '@mentora/monitoring';
import { classifyFailure } from './classify.js';
import type { QueryEvent } from './logger.js';
import { mapPermanentFailure, type OperationInfo, transientFailureError } from './map-error.js';
import { failureOf, PostgrestFailure, type PostgrestResult } from './postgrest-failure.js';
import { backoffDelay, type ResolvedRetry, sleep } from './retry.js';

export interface ExecuteSettings {
  retry: ResolvedRetry;
  /** Budget for the whole operation, retries and backoff included. */
  timeoutMs: number;
  logger: Logger;
  onQuery?: (event: QueryEvent) => void;
}

export interface ExecuteRequest<T> extends OperationInfo {
  /**
   * Whether repeating the request after it may have been applied is harmless (reads, deletes by key,
   * upserts, version compare-and-set). Non-idempotent requests are repeated only when the failure
   * proves the first attempt never ran.
   */
  idempotent: boolean;
  /** Builds a fresh supabase-js query bound to `signal` (with supabase-js's own retry switched off). */
  run: (signal: AbortSignal) => PromiseLike<PostgrestResult<T>>;
  /** Caller's signal: aborting it stops the operation. */
  signal?: AbortSignal;
}

export interface ExecuteOutcome<T> {
  result: PostgrestResult<T>;
  attempts: number;
  /** True when an earlier attempt failed in a way that may have applied it (then succeeded on retry). */
  earlierAttemptMayHaveApplied: boolean;
}

/**
 * Runs one PostgREST request with our retry policy and error mapping. Every failure leaves as a
 * typed @mentora/errors error whose context carries the PostgREST/Postgres code and HTTP status.
 */
export async function execute<T>(
  settings: ExecuteSettings,
  request: ExecuteRequest<T>,
): Promise<ExecuteOutcome<T>> {
  const started = performance.now();
  const deadline = Date.now() + settings.timeoutMs;
  let earlierMaybeApplied = false;
  let attempt = 0;
  const finish = (ok: boolean, pgCode?: string) => {
    settings.onQuery?.({
      target: request.target,
      operation: request.operation,
      durationMs: performance.now() - started,
      attempts: attempt,
      ok,
      ...(pgCode ? { pgCode } : {}),
    });
  };

  for (;;) {
    attempt++;
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      finish(false, 'TIMEOUT');
      throw timeoutError(
        request,
        settings.timeoutMs,
        attempt - 1,
        earlierMaybeApplied && !request.idempotent,
      );
    }
    const timeout = AbortSignal.timeout(remaining);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    let result: PostgrestResult<T>;
    try {
      result = await request.run(signal);
    } catch (thrown) {
      // supabase-js resolves failures; a throw is a bug in the request builder or an abort by the caller.
      result = {
        data: null,
        error: { message: thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown) },
        status: 0,
      };
    }
    const failure = failureOf(result);
    if (!failure) {
      finish(true);
      return { result, attempts: attempt, earlierAttemptMayHaveApplied: earlierMaybeApplied };
    }
    if (request.signal?.aborted) {
      finish(false, 'ABORTED');
      throw abortedError(request, failure, attempt);
    }
    const klass = classifyFailure(failure, timeout.aborted);
    if (!klass.transient) {
      finish(false, failure.code);
      throw mapPermanentFailure(request, failure, attempt);
    }
    const safeToRepeat = request.idempotent || klass.applied === 'no';
    const outcomeUnknown = !request.idempotent && (klass.applied === 'maybe' || earlierMaybeApplied);
    if (attempt >= settings.retry.attempts || !safeToRepeat || Date.now() >= deadline) {
      finish(false, failure.code || klass.reason);
      throw transientFailureError(request, failure, klass, attempt, outcomeUnknown);
    }
    if (klass.applied === 'maybe') earlierMaybeApplied = true;
    const delay = Math.min(backoffDelay(settings.retry, attempt), Math.max(0, deadline - Date.now()));
    settings.logger.warn('database request failed transiently; retrying', {
      target: request.target,
      operation: request.operation,
      attempt,
      reason: klass.reason,
      pgCode: failure.code || undefined,
      httpStatus: failure.status,
      delayMs: delay,
    });
    await sleep(delay, request.signal);
  }
}

function timeoutError(
  request: OperationInfo,
  timeoutMs: number,
  attempts: number,
  outcomeUnknown: boolean,
): MentoraError {
  const failure = new PostgrestFailure({ message: `timed out after ${timeoutMs} ms`, status: 0 });
  return transientFailureError(
    request,
    failure,
    { transient: true, applied: 'maybe', reason: 'timeout' },
    attempts,
    outcomeUnknown,
  );
}

function abortedError(request: OperationInfo, failure: PostgrestFailure, attempts: number): MentoraError {
  return new ServiceUnavailableError(`${request.operation} on ${request.target}: aborted by the caller`, {
    service: 'database',
    retryable: false,
    context: { target: request.target, operation: request.operation, attempts, reason: 'aborted' },
    cause: failure,
  });
}
