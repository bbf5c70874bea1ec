import { MentoraError, ServiceUnavailableError } from '@mentora/errors';
import { CommandTimeoutError } from './timeout.ts';

/** Error codes of the connection layer (on `MentoraError.code`). */
export const RedisErrorCode = {
  /** The circuit is open: the call failed at once, without sending anything. Retryable. */
  CIRCUIT_OPEN: 'REDIS_CIRCUIT_OPEN',
  /** No reply within `commandTimeoutMs`. Retryable. */
  TIMEOUT: 'REDIS_TIMEOUT',
  /** Not connected, connection lost, cluster down. Retryable. */
  UNAVAILABLE: 'REDIS_UNAVAILABLE',
  /** `ready()` did not see a connection in time. Retryable. */
  NOT_READY: 'REDIS_NOT_READY',
  /** The server answered with an error (a wrong type, a script error): a bug, not an outage. */
  COMMAND_ERROR: 'REDIS_COMMAND_ERROR',
} as const;

/** Server answers that still mean "not available right now"; any other reply error is an answer. */
const UNAVAILABLE_REPLY = /^(CLUSTERDOWN|LOADING|TRYAGAIN|MASTERDOWN|BUSY|NOREPLICAS|READONLY)/;

/** Whether `err` says the server is unavailable (counts toward the breaker) rather than answering. */
export function isAvailabilityFailure(err: unknown): boolean {
  if (err instanceof Error && err.name === 'ReplyError') return UNAVAILABLE_REPLY.test(err.message);
  return true;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The typed error for a failed command; `cause` keeps ioredis's error. */
export function commandFailure(op: string, service: string, err: unknown): MentoraError {
  if (!isAvailabilityFailure(err)) {
    return new MentoraError(`Redis ${op} failed: ${messageOf(err)}`, {
      code: RedisErrorCode.COMMAND_ERROR,
      cause: err,
      context: { op, service },
    });
  }
  return new ServiceUnavailableError(`Redis ${op} failed: ${messageOf(err)}`, {
    code: err instanceof CommandTimeoutError ? RedisErrorCode.TIMEOUT : RedisErrorCode.UNAVAILABLE,
    service,
    cause: err,
    context: { op },
  });
}

export function circuitOpen(op: string, service: string, retryInMs: number): ServiceUnavailableError {
  return new ServiceUnavailableError('Redis unavailable (circuit open); failing fast', {
    code: RedisErrorCode.CIRCUIT_OPEN,
    service,
    retryAfter: Math.ceil(retryInMs / 1000),
    context: { op },
  });
}
