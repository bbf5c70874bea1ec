import { randomUUID } from 'node:crypto';

/** What an incoming `x-request-id` must look like to be kept: no spaces, no control characters, bounded. */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{8,128}$/;

/**
 * The request id: the caller's `x-request-id` when it is well formed (a load balancer or the calling
 * service set it, so logs line up across hops), otherwise a fresh UUID. A malformed one is dropped
 * rather than cleaned: it would otherwise flow into log lines and headers verbatim.
 */
export function requestIdFrom(request: Request): string {
  const incoming = request.headers.get('x-request-id');
  return incoming !== null && REQUEST_ID_PATTERN.test(incoming) ? incoming : randomUUID();
}
