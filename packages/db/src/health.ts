import type { AnySupabaseClient } from './types.js';

export interface DatabaseHealth {
  healthy: boolean;
  /** Milliseconds until the answer (or until we gave up). */
  latency: number;
  /** Short reason when unhealthy; never a connection string, key or SQL. For logs, not public bodies. */
  error?: string;
  /**
   * Stable code when unhealthy, safe in a public health body: `TIMEOUT`, `DATABASE_UNREACHABLE`,
   * `DATABASE_UNAUTHORIZED` (the key was refused) or `DATABASE_ERROR`.
   */
  code?: 'TIMEOUT' | 'DATABASE_UNREACHABLE' | 'DATABASE_UNAUTHORIZED' | 'DATABASE_ERROR';
}

export interface HealthCheckOptions {
  /** Give up after this long. Default 3 000 ms. */
  timeoutMs?: number;
  /** Function the probe calls (a STABLE, RLS-free function every role may execute). Default `health_check`. */
  fn?: string;
}

/**
 * One round trip client -> PostgREST -> Postgres through `rpc('health_check')` (it returns now()).
 * A function rather than a table read so the result does not depend on RLS or on table privileges
 * of the client's role. No retries: a health check reports the current state.
 */
export async function checkDatabaseHealth(
  client: AnySupabaseClient,
  options: HealthCheckOptions = {},
): Promise<DatabaseHealth> {
  const timeoutMs = options.timeoutMs ?? 3_000;
  const started = performance.now();
  const signal = AbortSignal.timeout(timeoutMs);
  const latency = () => Math.round((performance.now() - started) * 100) / 100;
  try {
    const { error, status } = await client
      .rpc(options.fn ?? 'health_check', {}, { get: true })
      .abortSignal(signal)
      .retry(false);
    if (!error) return { healthy: true, latency: latency() };
    if (signal.aborted)
      return {
        healthy: false,
        latency: latency(),
        error: `timed out after ${timeoutMs} ms`,
        code: 'TIMEOUT',
      };
    const code = error.code ? ` ${error.code}` : '';
    return {
      healthy: false,
      latency: latency(),
      error: status === 0 ? 'database unreachable' : `HTTP ${status}${code}`,
      // 502/503/504: the gateway answered for an API that is down.
      code:
        status === 0 || status === 502 || status === 503 || status === 504
          ? 'DATABASE_UNREACHABLE'
          : status === 401 || status === 403
            ? 'DATABASE_UNAUTHORIZED'
            : 'DATABASE_ERROR',
    };
  } catch {
    return signal.aborted
      ? { healthy: false, latency: latency(), error: `timed out after ${timeoutMs} ms`, code: 'TIMEOUT' }
      : { healthy: false, latency: latency(), error: 'database unreachable', code: 'DATABASE_UNREACHABLE' };
  }
}
