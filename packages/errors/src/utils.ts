import { brandOf, MentoraError } from './base.js';

const TRANSIENT_NODE_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
]);

/**
 * Should a job or client retry after this error? A Mentora error's `retryable`; for other errors, true only
 * for transient network failures (ECONNRESET, ETIMEDOUT, …) and timeouts.
 */
export function isRetryable(err: unknown): boolean {
  if (brandOf(err)) return (err as MentoraError).retryable === true;
  if (typeof err !== 'object' || err === null) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && TRANSIENT_NODE_CODES.has(code)) return true;
  return (err as { name?: unknown }).name === 'TimeoutError';
}

/** Wrap anything thrown as a Mentora error (a 500 with the original as `cause`); Mentora errors pass. */
export function toMentoraError(err: unknown, message = 'Unexpected error'): MentoraError {
  if (brandOf(err)) return err as MentoraError;
  return new MentoraError(message, { cause: err, retryable: isRetryable(err) });
}

/** True when the error's class chain contains `kind` (e.g. `hasErrorKind(err, 'ForbiddenError')`). */
export function hasErrorKind(err: unknown, kind: string): boolean {
  return brandOf(err)?.includes(kind) ?? false;
}

/** The chain of causes, starting with `err` itself (cycles stopped). */
export function causeChain(err: unknown, maxDepth = 32): unknown[] {
  const chain: unknown[] = [];
  const seen = new Set<unknown>();
  let cur: unknown = err;
  while (cur !== undefined && cur !== null && !seen.has(cur) && chain.length < maxDepth) {
    chain.push(cur);
    seen.add(cur);
    cur = typeof cur === 'object' ? (cur as { cause?: unknown }).cause : undefined;
  }
  return chain;
}
