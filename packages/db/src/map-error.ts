import {
  ConflictError,
  DatabaseError,
  ForbiddenError,
  type MentoraError,
  NotFoundError,
  ServiceUnavailableError,
  UnauthorizedError,
  ValidationError,
} from '@mentora/errors';
import type { FailureClass } from './classify.js';
import type { PostgrestFailure } from './postgrest-failure.js';

/** Where a failure happened, carried in every error's context. */
export interface OperationInfo {
  /** Table or `rpc:<function>`. */
  target: string;
  /** getById, list, insertMany, update, upsert, delete, rpc, health. */
  operation: string;
}

/** Context shared by every error this package throws: the PostgREST/Postgres code and HTTP status. */
function baseContext(
  op: OperationInfo,
  failure: PostgrestFailure,
  attempts: number,
): Record<string, unknown> {
  const context: Record<string, unknown> = {
    target: op.target,
    operation: op.operation,
    pgCode: failure.code || undefined,
    httpStatus: failure.status,
    attempts,
  };
  // Hints come from PostgREST/Postgres and describe the fix (never row values); details can quote
  // row values (unique violations print the key), so they stay on the cause only.
  if (failure.hint) context.hint = failure.hint;
  return context;
}

/** Data exceptions (22xxx) and integrity violations that are the caller's input, not our state. */
const INPUT_SQLSTATES = new Set([
  '23502',
  '23514',
  '22P02',
  '22001',
  '22003',
  '22007',
  '22008',
  '22023',
  '42703',
]);

/**
 * Maps a permanent PostgREST/Postgres failure to the @mentora/errors class a caller can act on.
 * Messages name the operation and the code; they never embed row values.
 */
export function mapPermanentFailure(
  op: OperationInfo,
  failure: PostgrestFailure,
  attempts: number,
): MentoraError {
  const context = baseContext(op, failure, attempts);
  const what = `${op.operation} on ${op.target}`;
  const code = failure.code;
  if (code === '23505') {
    return new ConflictError(`${what}: a row with the same unique key already exists`, {
      context,
      cause: failure,
    });
  }
  if (code === '23503') {
    return new ConflictError(`${what}: a referenced row does not exist or is still referenced`, {
      context,
      cause: failure,
    });
  }
  if (code === '23P01') {
    return new ConflictError(`${what}: the row conflicts with an existing one`, { context, cause: failure });
  }
  // 413: the API gateway refused a request body over its size limit (it never reached PostgREST).
  if (
    INPUT_SQLSTATES.has(code) ||
    code.startsWith('22') ||
    code === 'PGRST100' ||
    code === 'PGRST204' ||
    failure.status === 413
  ) {
    return new ValidationError(`${what}: the database rejected the input (${code})`, {
      context,
      cause: failure,
    });
  }
  if (code === 'PGRST116') {
    return new NotFoundError(`${what}: no matching row`, { context, cause: failure, resource: op.target });
  }
  if (code === 'PGRST301' || code === 'PGRST302' || code === 'PGRST303' || failure.status === 401) {
    return new UnauthorizedError(`${what}: not authenticated for this request (${code || 401})`, {
      context,
      cause: failure,
    });
  }
  if (code === '42501' || failure.status === 403) {
    return new ForbiddenError(`${what}: not allowed for this role (${code || 403})`, {
      context,
      cause: failure,
    });
  }
  return new DatabaseError(`${what} failed (${code || `HTTP ${failure.status}`})`, context, {
    cause: failure,
  });
}

/**
 * A transient failure we gave up on (attempts exhausted, or not safe to repeat).
 * When the write may have been applied and we did not retry it, the error says so and is NOT
 * retryable: repeating a non-idempotent write blindly could apply it twice.
 */
export function transientFailureError(
  op: OperationInfo,
  failure: PostgrestFailure,
  klass: FailureClass,
  attempts: number,
  outcomeUnknown: boolean,
): MentoraError {
  const context = { ...baseContext(op, failure, attempts), reason: klass.reason };
  if (outcomeUnknown) {
    return new ServiceUnavailableError(
      `${op.operation} on ${op.target}: the database did not answer (${klass.reason}); the write may or may not have been applied`,
      { service: 'database', retryable: false, context: { ...context, outcome: 'unknown' }, cause: failure },
    );
  }
  return new ServiceUnavailableError(
    `${op.operation} on ${op.target}: the database is unavailable (${klass.reason})`,
    { service: 'database', context, cause: failure },
  );
}
