import type { PostgrestFailure } from './postgrest-failure.js';

/**
 * Whether a failed request may have changed the database.
 * - `no`: the failure proves the statement never ran or was rolled back (connection refused,
 *   PostgREST could not reach Postgres, serialization failure, deadlock...). Any write may be repeated.
 * - `maybe`: the request may have reached Postgres and committed before the failure (a reset
 *   connection, a timeout, a gateway error after forwarding). Only idempotent writes may be repeated.
 */
export type AppliedState = 'no' | 'maybe';

export interface FailureClass {
  transient: boolean;
  applied: AppliedState;
  /** Short machine-readable reason for logs and error context. */
  reason: string;
}

/** Network error codes that mean no byte of the request reached a server. */
const NOT_SENT_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * PostgREST errors raised before any SQL ran: it could not connect to Postgres (PGRST000-002) or could
 * not get a pooled connection in time (PGRST003). Nothing was executed, so every request may be repeated.
 */
const POSTGREST_NOT_EXECUTED = new Set(['PGRST000', 'PGRST001', 'PGRST002', 'PGRST003']);

/**
 * SQLSTATEs whose transaction was rolled back by Postgres and that succeed when simply repeated:
 * serialization_failure, deadlock_detected, admin_shutdown (server restarting), cannot_connect_now
 * (still starting), too_many_connections.
 */
const ROLLED_BACK_TRANSIENT = new Set(['40001', '40P01', '57P01', '57P03', '53300']);

/** Extracts the network error code that supabase-js folds into `details` ("Caused by: ... (ECONNREFUSED)"). */
export function networkCodeOf(failure: PostgrestFailure): string | undefined {
  const text = `${failure.details ?? ''} ${failure.message}`;
  const match =
    /\b(E(?:CONN[A-Z]+|NOTFOUND|AI_AGAIN|HOSTUNREACH|NETUNREACH|PIPE|TIMEDOUT)|UND_ERR_[A-Z_]+)\b/.exec(text);
  return match?.[1];
}

/**
 * Classifies a failed PostgREST call. `timedOut` is true when our own deadline aborted the request
 * (we know that from our AbortSignal, not from parsing messages).
 *
 * Decisions (see README "Retries"):
 * - no response at all: connection refused and DNS failures were never sent (`no`); resets, socket
 *   closes and timeouts may have been processed (`maybe`);
 * - 503/504 carrying PGRST000-003: PostgREST never ran SQL (`no`);
 * - 502/503 from a gateway that reports it could not connect upstream (ECONNREFUSED...): not
 *   forwarded (`no`); other 502/503/504 and Cloudflare's 520: the gateway may have forwarded the
 *   request before the upstream failed (`maybe`);
 * - 40001, 40P01, 57P01, 57P03, 53300: rolled back, transient (`no`);
 * - 08xxx connection exceptions: the connection broke mid-request, the commit may have happened (`maybe`);
 * - anything else is permanent and never retried.
 */
export function classifyFailure(failure: PostgrestFailure, timedOut: boolean): FailureClass {
  if (failure.status === 0) {
    if (timedOut) return { transient: true, applied: 'maybe', reason: 'timeout' };
    const code = networkCodeOf(failure);
    if (code !== undefined && NOT_SENT_NETWORK_CODES.has(code)) {
      return { transient: true, applied: 'no', reason: `network:${code}` };
    }
    return { transient: true, applied: 'maybe', reason: code ? `network:${code}` : 'network' };
  }
  if (POSTGREST_NOT_EXECUTED.has(failure.code)) {
    return { transient: true, applied: 'no', reason: `postgrest:${failure.code}` };
  }
  if (ROLLED_BACK_TRANSIENT.has(failure.code)) {
    return { transient: true, applied: 'no', reason: `postgres:${failure.code}` };
  }
  if (failure.code.startsWith('08')) {
    return { transient: true, applied: 'maybe', reason: `postgres:${failure.code}` };
  }
  if (failure.status === 502 || failure.status === 503) {
    // A gateway that says it could not even connect upstream never forwarded the request.
    const code = networkCodeOf(failure);
    if (code !== undefined && NOT_SENT_NETWORK_CODES.has(code)) {
      return { transient: true, applied: 'no', reason: `gateway:${failure.status}:${code}` };
    }
  }
  if (failure.status === 502 || failure.status === 503 || failure.status === 504 || failure.status === 520) {
    return { transient: true, applied: 'maybe', reason: `http:${failure.status}` };
  }
  return { transient: false, applied: 'maybe', reason: failure.code || `http:${failure.status}` };
}
